"""Forms of the accounts area."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired, Length

from coursehub.accounts.passwords import MAX_LENGTH
from coursehub.lib.forms import BaseForm


class LoginForm(BaseForm):
    login = StringField(
        _l("E-postadress eller användarnamn"),
        validators=[
            DataRequired(_l("Skriv din e-postadress eller ditt användarnamn.")),
            Length(max=254, message=_l("Högst %(max)d tecken.")),
        ],
        render_kw={"autocomplete": "username"},
    )
    password = PasswordField(
        _l("Lösenord"),
        validators=[
            DataRequired(_l("Skriv ditt lösenord.")),
            Length(max=MAX_LENGTH, message=_l("Högst %(max)d tecken.")),
        ],
        render_kw={"autocomplete": "current-password"},
    )
