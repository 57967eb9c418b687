"""lib.quick_widgets: every field a BaseForm binds writes the HTML WTForms writes, only faster."""

from __future__ import annotations

from datetime import date

import pytest
from flask_babel import lazy_gettext as _l
from hypothesis import given
from hypothesis import strategies as st
from markupsafe import Markup
from werkzeug.datastructures import MultiDict
from wtforms import (
    BooleanField,
    DateField,
    EmailField,
    Form,
    HiddenField,
    IntegerField,
    PasswordField,
    RadioField,
    StringField,
    TelField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice  # type: ignore[attr-defined]
from wtforms.validators import DataRequired, Email, Length
from wtforms.widgets import html_params as wtforms_html_params

from coursehub.lib.forms import BaseForm
from coursehub.lib.quick_widgets import QuickLabel, QuickTextArea, html_params

# Attribute names as templates pass them: class_, for_, data_*, aria_*, and plain ones.
NAMES = st.sampled_from(
    ["class_", "for_", "id", "name", "value", "data_copy_from", "aria_describedby", "aria-invalid", "x_y"]
)
VALUES = st.one_of(
    st.booleans(),
    st.none(),
    st.integers(-5, 500),
    st.text(alphabet="ab \"'<>&åÖ=\n", max_size=12),
    st.text(alphabet='ab "<>&', max_size=8).map(Markup),
)


@given(st.dictionaries(NAMES, VALUES, max_size=6))
def test_html_params_writes_what_wtforms_writes(attributes):
    assert html_params(**attributes) == wtforms_html_params(**attributes)
    assert type(html_params(**attributes)) is Markup


def test_a_lazy_translation_as_a_value_is_written_as_wtforms_writes_it(app):
    with app.test_request_context():
        lazy = {"placeholder": _l("Sök"), "id": "q"}
        assert html_params(**lazy) == wtforms_html_params(**lazy)


def _fields():
    return {
        "name": StringField('Namn <och> "smeknamn"', validators=[DataRequired(), Length(max=20)]),
        "email": EmailField("E-post", validators=[Email()], render_kw={"autocomplete": "email"}),
        "phone": TelField("Telefon"),
        "secret": PasswordField("Lösenord", validators=[DataRequired()]),
        "hidden": HiddenField(),
        "agree": BooleanField("Vi godkänner", validators=[DataRequired()]),
        "count": IntegerField("Antal"),
        "day": DateField("Dag"),
        "body": TextAreaField("Inlägg", validators=[DataRequired(), Length(max=4000)]),
        "kind": RadioField("Slag", choices=[SelectChoice("a", "Ett"), SelectChoice("b", "Två & tre")]),
    }


PlainForm = type("PlainForm", (Form,), _fields())
OurForm = type("OurForm", (BaseForm,), _fields())

POSTED = [
    {},
    {
        "name": 'Åsa "Ö" <b>',
        "email": "inte-en-adress",
        "phone": "036-10 20 30",
        "secret": "hemligt",
        "hidden": "7",
        "agree": "y",
        "count": "x",
        "day": "2026-12-06",
        "body": "Rad ett\r\n<script>två</script> & tre",
        "kind": "b",
    },
]
ATTRIBUTES = [
    {},
    {"class_": "form-control is-invalid", "aria-describedby": "a-hint a-error", "aria-invalid": "true"},
]


@pytest.mark.parametrize("posted", POSTED)
def test_every_field_a_base_form_binds_writes_what_wtforms_writes(app, posted):
    with app.test_request_context(method="POST"):
        ours = OurForm(MultiDict(posted), meta={"csrf": False})
        plain = PlainForm(MultiDict(posted))
        ours.validate()
        plain.validate()
        if not posted:
            ours.day.data = plain.day.data = date(2026, 12, 6)
        for name in _fields():
            mine, theirs = ours[name], plain[name]
            for attributes in ATTRIBUTES:
                assert mine(**attributes) == theirs(**attributes), name
                assert mine.label(**attributes) == theirs.label(**attributes), name
            assert mine.label("Annan <text>", for_="annat") == theirs.label("Annan <text>", for_="annat")
            assert str(mine.label) == str(theirs.label)
        # The radio buttons' own labels and inputs are WTForms' (options are not bound by the form).
        assert [str(option) for option in ours.kind] == [str(option) for option in plain.kind]


def test_the_quick_label_and_textarea_are_what_the_base_form_gives(app):
    with app.test_request_context():
        form = OurForm(meta={"csrf": False})
        assert type(form.name.label) is QuickLabel
        assert type(form.body.widget) is QuickTextArea
        # An <input> keeps its own kind: the password still hides what was typed.
        assert type(form.secret.widget).__mro__[1] is type(PlainForm.secret.field_class.widget)
        assert form.secret.widget.hide_value is True
