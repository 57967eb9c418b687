"""Forms of the outbox pages."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import StringField
from wtforms.validators import DataRequired, Length

from coursehub.lib.email_address import MAX_LENGTH, EmailAddress
from coursehub.lib.forms import BaseForm


class RecipientForm(BaseForm):
    """A corrected recipient address for a message that could not be sent."""

    recipient = StringField(
        _l("Ny mottagaradress"),
        validators=[
            DataRequired(_l("Skriv e-postadressen.")),
            Length(max=MAX_LENGTH, message=_l("E-postadressen får vara högst %(max)d tecken.")),
            EmailAddress(),
        ],
        render_kw={"type": "email", "autocomplete": "off", "spellcheck": "false"},
    )
