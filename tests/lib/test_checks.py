"""lib.checks.known: what the code has made sure of stays checked, also under python -O."""

import pytest

from coursehub.lib.checks import known


def test_known_returns_the_value_even_when_it_is_falsy():
    assert known(0, "a count") == 0
    assert known("", "a text") == ""


def test_known_raises_with_the_reason_on_none():
    with pytest.raises(RuntimeError, match="a new Workbook has its default sheet"):
        known(None, "a new Workbook has its default sheet")
