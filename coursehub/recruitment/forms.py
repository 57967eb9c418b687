"""Forms of recruitment. They never save; the services check every rule again."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    EmailField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    ValidationError,
    widgets,
)

# types-WTForms predates SelectChoice (WTForms 3.3); see coursehub/courses/forms.py.
from wtforms.fields.choices import SelectChoice  # type: ignore[attr-defined]
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from coursehub.courses.forms import LocalDateField
from coursehub.lib.email_address import EmailAddress
from coursehub.lib.forms import BaseForm, OfferedChoice, WholeNumber, offered_records
from coursehub.recruitment.labels import (
    CHECK_OUTCOME_LABELS,
    KIND_LABELS,
    REGISTER_LABELS,
    REQUIREMENT_OUTCOME_LABELS,
)
from coursehub.recruitment.models import (
    AssignmentKind,
    ChecklistKind,
    CheckOutcome,
    Register,
    RequirementOutcome,
)

TOO_LONG = _l("Högst %(max)d tecken.")
ADULT_ROWS = 2
AGES = _l("Skriv en ålder mellan 0 och 20 år.")
NO_CONSENT = _l("Ni behöver godkänna hur vi hanterar era uppgifter för att kunna skicka anmälan.")


def _text(label: Any, limit: int, *, required: str | None = None) -> StringField:
    first = DataRequired(required) if required else Optional()
    return StringField(label, validators=[first, Length(max=limit, message=TOO_LONG)])


class CheckboxList(SelectMultipleField):
    """Several fixed choices (kinds of assignment) as checkboxes; anything not offered gets a message."""

    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()

    def pre_validate(self, form: Any) -> None:
        try:
            super().pre_validate(form)
        except ValidationError:
            raise ValidationError(str(_l("Välj bland alternativen som visas."))) from None


class InterestForm(BaseForm):
    """The public interest registration: no identity numbers here."""

    adult1_first_name = _text(_l("Förnamn"), 80)
    adult1_last_name = _text(_l("Efternamn"), 80)
    adult1_email = EmailField(
        _l("E-postadress"), validators=[Optional(), Length(max=254, message=TOO_LONG), EmailAddress()]
    )
    adult1_phone = _text(_l("Telefonnummer"), 30)
    adult2_first_name = _text(_l("Förnamn"), 80)
    adult2_last_name = _text(_l("Efternamn"), 80)
    adult2_email = EmailField(
        _l("E-postadress"), validators=[Optional(), Length(max=254, message=TOO_LONG), EmailAddress()]
    )
    adult2_phone = _text(_l("Telefonnummer"), 30)
    street = _text(_l("Gatuadress"), 120, required=_l("Skriv er gatuadress."))
    postal_code = _text(_l("Postnummer"), 6, required=_l("Skriv ert postnummer."))
    city = _text(_l("Ort"), 80, required=_l("Skriv er ort."))
    municipality_id = OfferedChoice(
        _l("Kommun ni bor i"), validators=[DataRequired(_l("Välj den kommun ni bor i."))]
    )
    children = _text(_l("Barn som bor hos er: deras åldrar"), 60)
    other_household = TextAreaField(
        _l("Andra som bor hos er (frivilligt)"), validators=[Optional(), Length(max=1000, message=TOO_LONG)]
    )
    housing = TextAreaField(
        _l("Hur ni bor"),
        validators=[DataRequired(_l("Berätta kort hur ni bor.")), Length(max=2000, message=TOO_LONG)],
    )
    experience = TextAreaField(
        _l("Er erfarenhet av barn"),
        validators=[
            DataRequired(_l("Berätta kort om er erfarenhet av barn.")),
            Length(max=2000, message=TOO_LONG),
        ],
    )
    kinds = CheckboxList(_l("Uppdrag ni kan tänka er"))
    min_child_age = WholeNumber(
        _l("Barnets ålder, från"), validators=[InputRequired(AGES), NumberRange(min=0, max=20, message=AGES)]
    )
    max_child_age = WholeNumber(
        _l("Barnets ålder, till"), validators=[InputRequired(AGES), NumberRange(min=0, max=20, message=AGES)]
    )
    channel_id = OfferedChoice(_l("Var hörde ni talas om oss? (frivilligt)"), validators=[Optional()])
    # Required like any field the form refuses to go without: the star and `required` say so
    # before sending (the services refuse a registration without consent too).
    consent = BooleanField(
        _l("Vi har läst hur våra uppgifter hanteras och godkänner det"),
        validators=[DataRequired(NO_CONSENT)],
    )
    # A honeypot, as on the family registration (enrollment's RegisterFamilyForm).
    homepage = StringField(
        _l("Lämna det här fältet tomt (det stoppar automatiska anmälningar)"),
        render_kw={"autocomplete": "off", "tabindex": "-1"},
    )

    def __init__(self, *args: Any, municipalities: Any = (), channels: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Written once per process and language (the same 290 municipalities for every visitor).
        self.municipality_id.choices = offered_records(_l("Välj kommun"), municipalities)
        self.channel_id.choices = offered_records(_l("Välj (frivilligt)"), channels)
        self.kinds.choices = [(kind.value, KIND_LABELS[kind]) for kind in AssignmentKind]

    @property
    def is_from_a_script(self) -> bool:
        """Return True when the hidden field was filled in (a person never sees it)."""
        return bool((self.homepage.data or "").strip())

    def adult_rows(self) -> list[tuple[Any, Any, Any, Any]]:
        """Return each adult's (first name, last name, e-mail, phone) fields, in order."""
        return [
            (
                self[f"adult{n}_first_name"],
                self[f"adult{n}_last_name"],
                self[f"adult{n}_email"],
                self[f"adult{n}_phone"],
            )
            for n in range(1, ADULT_ROWS + 1)
        ]

    def validate_children(self, field: Any) -> None:
        if self.children_ages() is None:
            raise ValidationError(
                str(_l("Skriv barnens åldrar som hela tal med kommatecken emellan, till exempel 4, 9."))
            )

    def children_ages(self) -> list[int] | None:
        """Return the typed ages of the children in the home, or None when they cannot be read."""
        text = (self.children.data or "").replace(";", ",").replace(" ", ",")
        parts = [part for part in text.split(",") if part]
        if not all(part.isascii() and part.isdigit() and len(part) <= 2 for part in parts):
            return None
        return [int(part) for part in parts]


class MoveForm(BaseForm):
    to_step = StringField(_l("Nästa steg"), validators=[DataRequired()])


class CloseForm(BaseForm):
    reason = StringField(
        _l("Varför avslutas ärendet?"),
        validators=[DataRequired(_l("Skriv varför ärendet avslutas.")), Length(max=300, message=TOO_LONG)],
    )


class AssignForm(BaseForm):
    staff_id = OfferedChoice(_l("Handläggare"), validators=[Optional()])

    def __init__(self, *args: Any, staff: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.staff_id.choices = [("", _l("Ingen"))] + [(u.id, u.full_name) for u in staff]


class NoteForm(BaseForm):
    body = TextAreaField(
        _l("Ny anteckning"),
        validators=[DataRequired(_l("Skriv anteckningen.")), Length(max=4000, message=TOO_LONG)],
    )


class ChecklistForm(BaseForm):
    """One checklist item done; which fields matter depends on the item."""

    kind = SelectField(_l("Vad"), choices=[SelectChoice(k.value, k.value) for k in ChecklistKind])
    done_on = LocalDateField(_l("Datum"), validators=[InputRequired(_l("Skriv ett datum."))])
    adult_id = OfferedChoice(_l("Vuxen som har svarat"), validators=[Optional()])
    go_on = SelectField(
        _l("Beslut"),
        choices=[
            SelectChoice("", _l("Välj")),
            SelectChoice("ja", _l("Gå vidare")),
            SelectChoice("nej", _l("Avsluta")),
        ],
        validators=[Optional()],
    )
    summary = TextAreaField(_l("Sammanfattning"), validators=[Optional(), Length(max=4000, message=TOO_LONG)])
    reference_name = _text(_l("Referensens namn"), 160)
    reference_relation = _text(_l("Relation till familjen"), 80)

    def __init__(self, *args: Any, adults: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.adult_id.choices = [("", _l("Välj"))] + [(a.id, a.full_name) for a in adults]

    def decision(self) -> bool | None:
        return {"ja": True, "nej": False}.get(self.go_on.data or "")


class IdentityNumberForm(BaseForm):
    person = SelectField(_l("Person"), validators=[DataRequired(_l("Välj en person."))])
    identity_number = StringField(
        _l("Personnummer (ÅÅÅÅMMDD-NNNN)"),
        validators=[DataRequired(_l("Skriv personnumret.")), Length(max=13, message=TOO_LONG)],
        render_kw={"autocomplete": "off", "inputmode": "numeric"},
    )


class RegisterCheckForm(BaseForm):
    person = SelectField(_l("Person"), validators=[DataRequired(_l("Välj en person."))])
    register = SelectField(
        _l("Register"), choices=[SelectChoice(r.value, REGISTER_LABELS[r]) for r in Register]
    )
    outcome = SelectField(
        _l("Resultat"), choices=[SelectChoice(o.value, CHECK_OUTCOME_LABELS[o]) for o in CheckOutcome]
    )
    checked_on = LocalDateField(_l("Kontrollerat den"), validators=[InputRequired(_l("Skriv ett datum."))])


class RequirementForm(BaseForm):
    requirement_id = OfferedChoice(_l("Grundkrav"), validators=[DataRequired(_l("Välj ett av grundkraven."))])
    outcome = SelectField(
        _l("Bedömning"),
        choices=[SelectChoice(o.value, REQUIREMENT_OUTCOME_LABELS[o]) for o in RequirementOutcome],
    )

    def __init__(self, *args: Any, requirements: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.requirement_id.choices = [("", _l("Välj"))] + [(r.id, r.text) for r in requirements]


class ListEntryForm(BaseForm):
    """A new entry of one of staff's lists (channels, basic requirements)."""

    text = StringField(
        _l("Ny rad"), validators=[DataRequired(_l("Skriv texten.")), Length(max=300, message=TOO_LONG)]
    )


class WithdrawForm(BaseForm):
    """The family's button to withdraw its registration (only the CSRF token)."""
