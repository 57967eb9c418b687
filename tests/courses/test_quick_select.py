"""The catalogue's selects are written by QuickSelect: the same HTML as WTForms' own Select."""

from __future__ import annotations

import pytest
from flask import Flask
from flask_babel import Babel
from flask_babel import lazy_gettext as _l
from werkzeug.datastructures import MultiDict
from wtforms import Form
from wtforms.fields.choices import SelectChoice  # type: ignore[attr-defined]
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


def test_quick_select_leaves_groups_and_option_attributes_to_wtforms():
    form = _Form(MultiDict({"place": "8"}))
    form.place.choices = [
        SelectChoice(None, "Alla kommuner"),
        SelectChoice(7, "Habo", render_kw={"disabled": True}),
        SelectChoice(8, "Ås", optgroup="Norr"),
        (9, "Öje"),
    ]
    form.validate()
    html = QuickSelect()(form.place, **{"class": "form-select"})
    assert html == Select()(form.place, **{"class": "form-select"})
    assert '<option disabled value="7">Habo</option>' in html
    assert '<optgroup label="Norr">' in html


def test_quick_select_marks_the_lazy_translated_option_and_escapes_it():
    form = _Form(MultiDict({"month": "<b>"}))
    form.month.choices = opts([("", _l("Alla månader")), ("<b>", "<i>x</i>")])
    form.validate()
    app = Flask(__name__)
    Babel(app)
    with app.test_request_context():
        html = QuickSelect()(form.month)
        assert html == Select()(form.month)
    assert '<option selected value="&lt;b&gt;">&lt;i&gt;x&lt;/i&gt;</option>' in html
