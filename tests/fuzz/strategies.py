"""Hypothesis strategies for what a form field may receive: random text, odd Unicode, control
characters, huge numbers and extreme dates, mixed with plausible values so that forms also pass
validation and write rows with the odd values in them."""

from __future__ import annotations

from datetime import date

from hypothesis import strategies as st
from wtforms import (
    BooleanField,
    DateField,
    DateTimeField,
    DecimalField,
    FileField,
    FloatField,
    HiddenField,
    IntegerField,
    SelectFieldBase,
    SelectMultipleField,
    SubmitField,
    TimeField,
)
from wtforms.csrf.core import CSRFTokenField

# Every character but lone surrogates (the test client cannot encode them; a browser never sends them).
ANY_CHAR = st.characters(exclude_categories=("Cs",))
CONTROL = st.sampled_from([chr(code) for code in (*range(0x20), *range(0x7F, 0xA0))])
HUGE = (2**31, 2**31 - 1, 2**32, 2**63, 2**63 - 1, 2**70, -(2**63) - 1, -1, 0, 10**400)
ODD_TEXT = (
    "\x00",
    "a\x00b",
    "\x1b[31m",
    "line\r\nBcc: x@example.se",
    "\u202etxt.exe",
    "\ufeff",
    "\U0001d54f",
    "e\u0301",
    "' OR 1=1 --",
    "<script>alert(1)</script>",
    "%00",
    "NaN",
    "1e309",
    "\u0663\u0664",
    "\uff11\uff12",
    " ",
)


def _text() -> st.SearchStrategy[str]:
    return st.one_of(
        st.text(ANY_CHAR, max_size=60),
        st.text(CONTROL, min_size=1, max_size=5),
        st.builds(lambda word, bad: word + bad + word, st.sampled_from(["Kurs", "Anna", "x"]), CONTROL),
        st.sampled_from(ODD_TEXT),
        st.builds(lambda char, count: char * count, ANY_CHAR, st.integers(200, 12_000)),
    )


def _number() -> st.SearchStrategy[str]:
    return st.one_of(
        st.integers().map(str),
        st.sampled_from(HUGE).map(str),
        st.integers(-5, 50).map(str),
        _text(),
    )


def _date() -> st.SearchStrategy[str]:
    return st.one_of(
        st.dates().map(lambda day: day.isoformat()),
        st.dates(min_value=date(2025, 1, 1), max_value=date(2027, 12, 31)).map(lambda day: day.isoformat()),
        st.sampled_from(["275760-09-13", "0000-01-01", "2026-02-30", "2026-13-01", "-2026-01-01"]),
        _text(),
    )


def _time() -> st.SearchStrategy[str]:
    return st.one_of(
        st.times().map(lambda moment: moment.strftime("%H:%M")),
        st.sampled_from(["24:00", "23:59:59.999999", "99:99", "-1:00", "02:30"]),
        _text(),
    )


def _plausible_text(name: str) -> st.SearchStrategy[str]:
    if "mail" in name or name in {"login", "recipient"}:
        return st.sampled_from(["anna@example.se", "b\u00e5t@example.se", "x@xn--bt-fka.se"])
    if "url" in name or "link" in name:
        return st.sampled_from(["https://example.se/mote", "javascript:alert(1)", "https://\x00.se"])
    return st.sampled_from(["Kalle Anka", "Träff", "Ett hem att växa i", "lösenord-som-är-långt"])


def _choice(values: list[str]) -> st.SearchStrategy[str]:
    offered = [st.sampled_from(values)] if values else []
    return st.one_of(*offered, *offered, _number())


def for_field(field) -> st.SearchStrategy | None:
    """Return what may be posted for one bound WTForms field; None for one not to post."""
    if isinstance(field, CSRFTokenField | SubmitField | FileField):
        return None
    if isinstance(field, BooleanField):
        return st.sampled_from(["", "y", "on", "\x00"])
    if isinstance(field, SelectFieldBase):
        values = [str(choice[0]) for choice in field.iter_choices()]
        if isinstance(field, SelectMultipleField):
            return st.lists(_choice(values), max_size=4)
        return _choice(values)
    if isinstance(field, DateTimeField | DateField):
        return _date()
    if isinstance(field, TimeField):
        return _time()
    if (
        isinstance(field, IntegerField | DecimalField | FloatField | HiddenField)
        or "Number" in type(field).__name__
    ):
        return _number()
    return st.one_of(_plausible_text(field.short_name), _text())
