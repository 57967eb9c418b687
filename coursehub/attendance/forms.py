"""Forms of the attendance area."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, HiddenField, StringField
from wtforms.validators import AnyOf, DataRequired, InputRequired, Length, NumberRange, Optional

from coursehub.attendance.models import AttendanceStatus
from coursehub.courses.forms import CheckboxChoices
from coursehub.lib.forms import BaseForm, WholeNumber, posted_id, required
from coursehub.lib.params import MAX_ID
from coursehub.lib.quick_select import opts

STATUS_LABELS = {
    AttendanceStatus.PRESENT: _l("Närvarande"),
    AttendanceStatus.ABSENT: _l("Frånvarande"),
    AttendanceStatus.EXCUSED: _l("Anmäld frånvaro"),
}


def status_labels() -> dict[AttendanceStatus, str]:
    """Return STATUS_LABELS translated once, for a page that shows them on every row.

    A lazy label is translated again each time a template prints or escapes it (a sheet of 40
    people printed them 200 times a request); plain strings are not.
    """
    return {status: str(label) for status, label in STATUS_LABELS.items()}


class MarkForm(BaseForm):
    """One tap on the sheet: a person and a status (the button pressed), with an optional remark."""

    user_id = WholeNumber(
        validators=[
            InputRequired(message=_l("Välj en person.")),
            NumberRange(min=1, max=MAX_ID, message=_l("Välj en person.")),
        ]
    )
    # The value of the button pressed; a plain string field, since the sheet shows buttons.
    status = StringField(
        _l("Närvaro"),
        validators=[
            InputRequired(message=_l("Välj närvarande, frånvarande eller anmäld frånvaro.")),
            AnyOf(
                [s.value for s in AttendanceStatus],
                message=_l("Välj närvarande, frånvarande eller anmäld frånvaro."),
            ),
        ],
    )
    remark = StringField(
        _l("Anteckning"),
        validators=[Optional(), Length(max=300, message=_l("Högst %(max)d tecken."))],
    )

    def chosen_status(self) -> AttendanceStatus:
        """Return the status pressed; call after validate() (InputRequired and AnyOf passed)."""
        return AttendanceStatus(required(self.status))  # InputRequired and AnyOf have passed


class MarkAllForm(BaseForm):
    """ "Alla närvarande": everyone not yet marked, of one household (its id) or of the whole list."""

    household_id = WholeNumber(validators=[Optional(), NumberRange(min=1, max=MAX_ID)])


class AbsenceForm(BaseForm):
    """A family reports in advance that an adult will miss a session."""

    session_id = HiddenField(validators=[DataRequired(message=_l("Välj en träff."))])
    user_id = HiddenField(validators=[DataRequired(message=_l("Välj en person."))])
    reason = StringField(
        _l("Meddelande till kursledarna (frivilligt)"),
        validators=[Optional(), Length(max=300, message=_l("Högst %(max)d tecken."))],
    )


class MakeupForm(BaseForm):
    """Sign one adult up for one session of another run, to make up a missing theme."""

    session_id = HiddenField(validators=[DataRequired(message=_l("Välj en träff."))])
    user_id = HiddenField(validators=[DataRequired(message=_l("Välj en person."))])
    # The page of the municipal list to come back to.
    page = WholeNumber(validators=[Optional()])


class WithdrawAbsenceForm(BaseForm):
    """A family takes back an advance absence notice (only the CSRF token is posted)."""


class RevokeForm(BaseForm):
    """Staff revoke a certificate, with a reason."""

    reason = StringField(
        _l("Anledning"),
        validators=[
            DataRequired(message=_l("Skriv varför intyget återkallas.")),
            Length(max=300, message=_l("Högst %(max)d tecken.")),
        ],
    )

    def reason_text(self) -> str:
        """Return the reason given; call after validate() (DataRequired passed)."""
        return required(self.reason)  # DataRequired has passed: a non-empty string


class ReissueForm(BaseForm):
    """Staff issue a new certificate (new code); the old one is revoked."""


class InviteGroupForm(BaseForm):
    """Whom to invite to a run; the view passes the choices (staff see places, workers do not)."""

    home_kinds = CheckboxChoices(_l("Hemtyper"), coerce=posted_id)
    county_parts = CheckboxChoices(_l("Länsdelar"), coerce=posted_id)
    municipalities = CheckboxChoices(_l("Kommuner"), coerce=posted_id)
    without_basic_training = BooleanField(_l("Bara de som inte har gått grundutbildningen"))
    # The button pressed: count first ("visa"), then send ("skicka").
    atgard = StringField(validators=[Optional(), AnyOf(["visa", "skicka"], message=_l("Välj en knapp."))])

    def __init__(self, *args, lists=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.home_kinds.choices = opts([(k.id, k.name) for k in getattr(lists, "home_kinds", ())])
        self.county_parts.choices = opts([(p.id, p.name) for p in getattr(lists, "county_parts", ())])
        self.municipalities.choices = opts([(m.id, m.name) for m in getattr(lists, "municipalities", ())])

    @property
    def sending(self) -> bool:
        return self.atgard.data == "skicka"
