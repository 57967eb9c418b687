"""QuickSelect (the catalogue's filters, every OfferedChoice) writes the same HTML as WTForms' Select."""

from __future__ import annotations

import pytest
from flask import Flask
from flask_babel import Babel
from flask_babel import lazy_gettext as _l
from werkzeug.datastructures import MultiDict
from wtforms import Form
from wtforms.fields.choices import SelectChoice  # type: ignore[attr-defined]
from wtforms.validators import DataRequired
from wtforms.widgets import Select

from coursehub.courses.forms import CheckboxChoices, Choice, int_or_none
from coursehub.lib.forms import OfferedChoice, posted_id
from coursehub.lib.quick_select import QuickSelect, _checkboxes_by_wtforms, checkboxes, opts, written_options


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


_PLACES = ((None, "Alla kommuner"), (7, "Habo"), (8, 'Ås & "Öje" <x>'), (9, ""))
_MONTHS = (("", "Alla månader"), ("2026-11", "november 2026"), ("<b>", ""))


@pytest.mark.parametrize(
    "posted",
    [{}, {"place": "7", "month": "2026-11"}, {"place": "9", "month": "<b>"}, {"place": "x", "month": "?"}],
)
def test_written_options_write_what_wtforms_writes(posted):
    plain, written = _Form(MultiDict(posted)), _Form(MultiDict(posted))
    plain.place.choices, plain.month.choices = opts(_PLACES), opts(_MONTHS)
    written.place.choices = written_options(_PLACES, int_or_none)
    written.month.choices = written_options(_MONTHS, str)
    plain.validate()
    written.validate()
    for ours, theirs in ((written.place, plain.place), (written.month, plain.month)):
        for attrs in (
            {},
            {"class": "form-select is-invalid", "aria-describedby": "a b", "aria-invalid": "true"},
        ):
            assert QuickSelect()(ours, **attrs) == Select()(theirs, **attrs)


def test_written_options_show_a_new_choice_at_once_and_keep_the_selection_per_request():
    before = written_options(_PLACES, int_or_none)
    assert written_options(_PLACES, int_or_none) is before  # written once for the same choices
    after = written_options((*_PLACES, (10, "Nyköping")), int_or_none)
    form = _Form(MultiDict({"place": "10"}))
    form.place.choices = after
    form.validate()
    html = QuickSelect()(form.place)
    assert '<option selected value="10">Nyköping</option>' in html
    form = _Form(MultiDict({"place": "7"}))
    form.place.choices = after
    form.validate()
    html = QuickSelect()(form.place)
    assert '<option selected value="7">Habo</option>' in html
    assert '<option value="10">Nyköping</option>' in html
    assert html.count("selected") == 1


def test_written_options_of_another_coerce_go_the_ordinary_way():
    form = _Form(MultiDict({"place": "7"}))
    form.place.choices = written_options(_PLACES, str)  # not the field's coerce
    form.validate()
    assert QuickSelect()(form.place) == Select()(form.place)
    assert '<option selected value="7">Habo</option>' in QuickSelect()(form.place)


class _Offered(Form):
    home = OfferedChoice("Kommun ni bor i")


@pytest.mark.parametrize(
    "posted", [{}, {"home": ""}, {"home": "8"}, {"home": "x"}, {"home": "99"}, {"home": "0"}]
)
def test_an_offered_choice_of_written_options_writes_what_wtforms_writes(posted):
    """The public forms' municipality lists (written once) against WTForms' own, after any post."""
    places = (("", "Välj kommun"), (7, "Habo"), (8, 'Ås & "Öje" <x>'))
    plain, written = _Offered(MultiDict(posted)), _Offered(MultiDict(posted))
    plain.home.choices = opts(places)
    written.home.choices = written_options(places, posted_id)
    assert plain.validate() == written.validate()
    assert plain.home.errors == written.home.errors
    assert isinstance(written.home.widget, QuickSelect)
    for attrs in ({}, {"class": "form-select is-invalid", "aria-invalid": "true"}):
        assert written.home(**attrs) == Select()(plain.home, **attrs)


class _Boxes(Form):
    places = CheckboxChoices("Kommuner")
    needed = CheckboxChoices("Ledare", validators=[DataRequired()])
    styled = CheckboxChoices("Teman", render_kw={"data-x": "1"})


_BOXES = ((7, "Habo"), (8, 'Ås & "Öje" <x>'), (9, ""))


@pytest.mark.parametrize(
    ("posted", "ticked"),
    [({}, 0), ({"places": ["8"]}, 1), ({"places": ["7", "9"]}, 2), ({"places": ["x"]}, 0)],
)
def test_checkboxes_write_what_the_options_widgets_write(posted, ticked):
    """The run form's municipalities and leaders, written in one loop, against WTForms' options."""
    form = _Boxes(MultiDict(posted))
    form.places.choices = opts(_BOXES)
    form.validate()
    for cls in ("form-check-input", "form-check-input is-invalid"):
        assert checkboxes(form.places, cls) == _checkboxes_by_wtforms(form.places, cls)
    html = checkboxes(form.places, "form-check-input")
    assert html.count("<input") == 3 and html.count("<input checked ") == ticked
    assert '<label class="form-check-label" for="places-1">Ås &amp; &#34;Öje&#34; &lt;x&gt;</label>' in html
    assert '<label class="form-check-label" for="places-2">9</label>' in html  # no label: the value


def test_checkboxes_leave_attributes_of_their_own_to_wtforms():
    form = _Boxes(MultiDict({}))
    form.needed.choices = opts(_BOXES)
    form.styled.choices = opts(_BOXES)
    form.places.choices = [SelectChoice(7, "Habo", render_kw={"disabled": True}), SelectChoice(8, "Ås")]
    for field in (form.needed, form.styled, form.places):
        assert checkboxes(field, "form-check-input") == _checkboxes_by_wtforms(field, "form-check-input")
    assert checkboxes(form.needed, "c").count("required") == 3
    assert 'data-x="1"' in checkboxes(form.styled, "c")


@pytest.mark.parametrize("posted", [{}, {"home": ""}, {"home": "8"}, {"home": "99"}])
def test_the_account_forms_choice_writes_what_wtforms_writes(posted):
    """The staff's account form lists every municipality of Sweden through QuickSelect."""
    from coursehub.accounts.forms import ChoiceField

    class _Account(Form):
        home = ChoiceField("Kommun", coerce=posted_id, choices=[])

    form = _Account(MultiDict(posted))
    form.home.choices = opts(((None, "Ingen kommun"), (7, "Habo"), (8, "Ås <x>")))
    valid = form.validate()
    assert valid == (posted.get("home") != "99")
    assert isinstance(form.home.widget, QuickSelect)
    assert form.home() == Select()(form.home)
