"""Forms of the enrollment area. They never save; the services check every rule again."""

from __future__ import annotations

from typing import TypedDict

from flask_babel import lazy_gettext as _l
from wtforms import (
    EmailField,
    StringField,
    TextAreaField,
    widgets,
)
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from coursehub.lib.email_address import EmailAddress
from coursehub.lib.forms import (
    BaseForm,
    OfferedChoice,
    OfferedChoices,
    WholeNumber,
    offered_records,
    required,
)
from coursehub.lib.params import MAX_ID

TOO_LONG = _l("Högst %(max)d tecken.")
REASON_TOO_LONG = _l("Anledningen får vara högst %(max)d tecken.")


class CheckboxList(OfferedChoices):
    """Several choices as a list of checkboxes (records by id; anything else gets a message)."""

    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


class Needs(TypedDict):
    """What a household tells about its needs, as the enrollment services take it."""

    diet: str
    accessibility: str
    interpreter: str


class NeedsMixin:
    diet = StringField(
        _l("Kost (allergier, specialkost)"), validators=[Optional(), Length(max=300, message=TOO_LONG)]
    )
    accessibility = StringField(
        _l("Tillgänglighet"), validators=[Optional(), Length(max=300, message=TOO_LONG)]
    )
    interpreter = StringField(
        _l("Behov av tolk (vilket språk)"), validators=[Optional(), Length(max=100, message=TOO_LONG)]
    )

    def needs(self) -> Needs:
        """Return the needs as the enrollment services take them (keyword arguments)."""
        return Needs(
            diet=self.diet.data or "",
            accessibility=self.accessibility.data or "",
            interpreter=self.interpreter.data or "",
        )


class NeedsForm(NeedsMixin, BaseForm):
    """A family changes its needs after signing up."""


class SignUpForm(NeedsMixin, BaseForm):
    """A family or a municipal worker chooses the adults to sign up and tells their needs."""

    persons = CheckboxList(
        _l("Vilka vuxna anmäls?"),
        validators=[DataRequired(_l("Välj minst en vuxen att anmäla."))],
    )

    def __init__(self, *args, adults=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.persons.choices = [(adult.id, adult.full_name) for adult in adults]


class HouseholdSignUpForm(SignUpForm):
    """A municipal worker picks the run as well."""

    run_id = OfferedChoice(_l("Kursomgång"), validators=[DataRequired(_l("Välj en kursomgång."))])

    def __init__(self, *args, runs=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.run_id.choices = [("", _l("Välj kursomgång"))] + [(run.id, run.title) for run in runs]


class NewHouseholdForm(BaseForm):
    """The adults of a new household (two rows; the second may stay empty)."""

    household_name = StringField(
        _l("Hushållets namn"), validators=[Optional(), Length(max=120, message=TOO_LONG)]
    )
    adult1_name = StringField(_l("Namn"), validators=[Optional(), Length(max=120, message=TOO_LONG)])
    adult1_email = EmailField(
        _l("E-postadress"), validators=[Optional(), Length(max=254, message=TOO_LONG), EmailAddress()]
    )
    adult2_name = StringField(_l("Namn"), validators=[Optional(), Length(max=120, message=TOO_LONG)])
    adult2_email = EmailField(
        _l("E-postadress"), validators=[Optional(), Length(max=254, message=TOO_LONG), EmailAddress()]
    )

    def adult_rows(self):
        """Return the (name field, e-mail field) pairs, in order."""
        return [(self.adult1_name, self.adult1_email), (self.adult2_name, self.adult2_email)]


class RegisterFamilyForm(NeedsMixin, NewHouseholdForm):
    """A family without an account signs up from a course page."""

    municipality_id = OfferedChoice(_l("Ansvarig kommun"), validators=[DataRequired(_l("Välj kommun."))])

    # A honeypot: hidden from sight and from the tab order, and labelled so that a screen reader
    # user knows to leave it empty. Scripts that fill every field fill it; see views.family.
    homepage = StringField(
        _l("Lämna det här fältet tomt (det stoppar automatiska anmälningar)"),
        render_kw={"autocomplete": "off", "tabindex": "-1"},
    )

    def __init__(self, *args, municipalities=(), **kwargs):
        super().__init__(*args, **kwargs)
        # Written once per process, language and audience (a run for the whole country: 290).
        self.municipality_id.choices = offered_records(_l("Välj kommun"), municipalities)

    @property
    def is_from_a_script(self) -> bool:
        """Return True when the hidden field was filled in (a person never sees it)."""
        return bool((self.homepage.data or "").strip())


class ReasonForm(BaseForm):
    """A cancellation or a decision, with an optional reason."""

    reason = TextAreaField(
        _l("Anledning (frivilligt)"), validators=[Optional(), Length(max=300, message=REASON_TOO_LONG)]
    )


class ReorderForm(BaseForm):
    """Staff move a household on the waiting list, with a reason."""

    position = WholeNumber(
        _l("Nytt nr i kön"),
        validators=[
            DataRequired(_l("Skriv ett nummer i kön.")),
            NumberRange(min=1, message=_l("Numret i kön måste vara 1 eller högre.")),
            NumberRange(max=MAX_ID, message=_l("Numret i kön är för stort.")),
        ],
    )
    reason = StringField(
        _l("Anledning"),
        validators=[
            DataRequired(_l("Skriv varför ordningen ändras.")),
            Length(max=200, message=REASON_TOO_LONG),
        ],
    )

    def move(self) -> tuple[int, str]:
        """Return the new place in the queue and the reason; only after the form validated."""
        # Both fields are DataRequired: once the form validated, neither is None.
        return required(self.position), required(self.reason)


class EmptyForm(BaseForm):
    """A button that only needs the CSRF token."""


class ProfessionalSignUpForm(NeedsMixin, BaseForm):
    """A professional signs up themselves (a municipal worker colleagues too; staff anyone by address)."""

    persons = CheckboxList(_l("Vilka anmäls?"))
    email = EmailField(
        _l("Anmäl någon annan med e-postadress (frivilligt)"),
        validators=[Optional(), Length(max=254, message=TOO_LONG), EmailAddress()],
    )

    def __init__(self, *args, people=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.persons.choices = [(person.id, person.full_name) for person in people]
