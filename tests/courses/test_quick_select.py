"""The catalogue's selects are written by QuickSelect: the same HTML as WTForms' own Select."""

from __future__ import annotations

import pytest
from werkzeug.datastructures import MultiDict
from wtforms import Form
from wtforms.widgets import Select

from coursehub.courses.forms import Choice, QuickSelect, int_or_none, opts


class _Form(Form):
    place = Choice("Kommun", coerce=int_or_none, validate_choice=False)
    month = Choice("Månad", validate_choice=False)


@pytest.mark.parametrize("posted", [{}, {"place": "7", "month": "2026-11"}, {"place": "x", "month": "<b>"}])
def test_quick_select_writes_what_wtforms_writes(posted):
    form = _Form(MultiDict(posted))
    form.place.choices = opts([(None, "Alla kommuner"), (7, "Habo"), (8, 'Ås & "Öje" <x>'), (9, "")])
    form.month.choices = opts([("", "Alla månader"), ("2026-11", "november 2026"), ("<b>", "")])
    form.validate()
    for field in (form.place, form.month):
        for attrs in (
            {},
            {"class": "form-select is-invalid", "aria-describedby": "a b", "aria-invalid": "true"},
        ):
            assert QuickSelect()(field, **attrs) == Select()(field, **attrs)
