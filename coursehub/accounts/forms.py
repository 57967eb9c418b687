"""Forms of the accounts area."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, PasswordField, RadioField, SelectField, SelectMultipleField, StringField

# types-WTForms predates SelectChoice (WTForms 3.3); see coursehub/courses/forms.py.
from wtforms.fields.choices import SelectChoice  # type: ignore[attr-defined]
from wtforms.validators import DataRequired, Length, NumberRange, Optional, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from coursehub.accounts.audit_review import MAX_FLAG_DAYS
from coursehub.accounts.models import Role
from coursehub.accounts.passwords import MAX_LENGTH, MIN_LENGTH
from coursehub.lib.email_address import EmailAddress
from coursehub.lib.forms import BaseForm, LocalDateField, WholeNumber, posted_id
from coursehub.lib.quick_select import QuickSelect, opts

TOO_LONG = _l("Högst %(max)d tecken.")

ROLE_LABELS = {
    Role.ADMIN: _l("Administratör"),
    Role.STAFF: _l("Medarbetare på resursen"),
    Role.LEADER: _l("Kursledare"),
    Role.MUNICIPAL: _l("Kommunens familjehemssekreterare"),
    Role.MEMBER: _l("Nätverksmedlem"),
    Role.FAMILY: _l("Familjehem"),
    Role.STEERING: _l("Styrgrupp"),
}


def role_label(role) -> str:
    """Return the Swedish name of a role."""
    return str(ROLE_LABELS.get(Role(role), role))


def _offered_values(field: SelectField) -> list[Any]:
    """Return the values of `field`'s choices."""
    choices = field.choices
    # The forms below give their choice fields (value, label) pairs or plain SelectChoices (`opts`),
    # never None or option groups.
    if not isinstance(choices, Sequence):
        raise TypeError(f"{field.name} has no list of choices")
    return [choice.value if isinstance(choice, SelectChoice) else choice[0] for choice in choices]


class MultiCheckboxField(SelectMultipleField):
    """Several choices as a list of check boxes; a value the page did not offer is refused."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()

    def pre_validate(self, form):
        offered = {str(value) for value in _offered_values(self)}
        if any(str(value) not in offered for value in self.data or ()):
            raise ValidationError(_l("Välj bland alternativen som visas."))


class ChoiceField(SelectField):
    """A drop-down list; a value the page did not offer is refused with a Swedish message."""

    widget = QuickSelect()

    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError:
            self.data = None
            raise ValueError(_l("Välj bland alternativen som visas.")) from None

    def pre_validate(self, form):
        if not any(value == self.data for value in _offered_values(self)):
            raise ValidationError(_l("Välj bland alternativen som visas."))


class LoginForm(BaseForm):
    login = StringField(
        _l("E-postadress eller användarnamn"),
        validators=[
            DataRequired(_l("Skriv din e-postadress eller ditt användarnamn.")),
            Length(max=254, message=TOO_LONG),
        ],
        render_kw={"autocomplete": "username"},
    )
    password = PasswordField(
        _l("Lösenord"),
        validators=[
            DataRequired(_l("Skriv ditt lösenord.")),
            Length(max=MAX_LENGTH, message=TOO_LONG),
        ],
        render_kw={"autocomplete": "current-password"},
    )


class ForgotPasswordForm(BaseForm):
    email = StringField(
        _l("E-postadress"),
        validators=[
            DataRequired(_l("Skriv din e-postadress.")),
            Length(max=254, message=_l("E-postadressen får vara högst %(max)d tecken.")),
        ],
        render_kw={"autocomplete": "email", "type": "email"},
    )


def _new_password_validators():
    return [
        DataRequired(_l("Skriv ett lösenord.")),
        Length(min=MIN_LENGTH, message=_l("Lösenordet måste ha minst %(min)d tecken.")),
        Length(max=MAX_LENGTH, message=_l("Lösenordet får ha högst %(max)d tecken.")),
    ]


class SetPasswordForm(BaseForm):
    """Choose a password through a reset or invitation link."""

    password = PasswordField(
        _l("Nytt lösenord"), validators=_new_password_validators(), render_kw={"autocomplete": "new-password"}
    )
    confirm = PasswordField(
        _l("Skriv lösenordet igen"),
        validators=[DataRequired(_l("Skriv lösenordet en gång till."))],
        render_kw={"autocomplete": "new-password"},
    )

    def validate_confirm(self, field):
        if self.password.data and field.data != self.password.data:
            raise ValidationError(_l("Lösenorden är inte lika. Skriv samma lösenord två gånger."))


class ChangePasswordForm(BaseForm):
    current_password = PasswordField(
        _l("Nuvarande lösenord"),
        validators=[
            DataRequired(_l("Skriv ditt nuvarande lösenord.")),
            Length(max=MAX_LENGTH, message=TOO_LONG),
        ],
        render_kw={"autocomplete": "current-password"},
    )
    new_password = PasswordField(
        _l("Nytt lösenord"), validators=_new_password_validators(), render_kw={"autocomplete": "new-password"}
    )
    confirm = PasswordField(
        _l("Skriv det nya lösenordet igen"),
        validators=[DataRequired(_l("Skriv lösenordet en gång till."))],
        render_kw={"autocomplete": "new-password"},
    )

    def validate_confirm(self, field):
        if self.new_password.data and field.data != self.new_password.data:
            raise ValidationError(_l("Lösenorden är inte lika. Skriv samma lösenord två gånger."))


class PhoneForm(BaseForm):
    phone = StringField(
        _l("Telefon"),
        validators=[Optional(), Length(max=30, message=TOO_LONG)],
        render_kw={"autocomplete": "tel", "type": "tel"},
    )


class _UserFieldsForm(BaseForm):
    """Fields staff fill in about a person; roles and municipalities come from the view."""

    full_name = StringField(
        _l("Namn"),
        validators=[
            DataRequired(_l("Skriv namnet.")),
            Length(max=120, message=_l("Namnet får vara högst %(max)d tecken.")),
        ],
        render_kw={"autocomplete": "off"},
    )
    phone = StringField(
        _l("Telefon"), validators=[Optional(), Length(max=30, message=TOO_LONG)], render_kw={"type": "tel"}
    )
    roles = MultiCheckboxField(_l("Roller"), choices=[], validate_choice=True)
    municipality = ChoiceField(_l("Kommun"), coerce=posted_id, choices=[], validators=[Optional()])

    def __init__(self, *args, grantable_roles=(), municipalities=(), **kwargs):
        super().__init__(*args, **kwargs)
        # Only what this page offers can be posted: anything else fails validation.
        self.roles.choices = [(role.value, role_label(role)) for role in grantable_roles]
        self.municipality.choices = opts(
            [(None, _l("Ingen kommun"))] + [(m.id, f"{m.name} ({m.code})") for m in municipalities]
        )


# A person's gender, optional: "" is "Vill inte ange" (stored as NULL, "ej angivet" in reports).
GENDER_CHOICES = [
    ("woman", _l("Kvinna")),
    ("man", _l("Man")),
    ("another", _l("Annat")),
    ("", _l("Vill inte ange")),
]


class GenderField(RadioField):
    """The optional gender as radio buttons; `data` is None when the form posted no choice at all."""

    def __init__(self, **kwargs: Any) -> None:
        choices = [SelectChoice(value, label) for value, label in GENDER_CHOICES]
        super().__init__(_l("Kön"), choices=choices, default="", **kwargs)

    def process_formdata(self, valuelist: list[Any]) -> None:
        if not valuelist:
            self.data = None  # not posted: the view leaves the gender as it is
            return
        super().process_formdata(valuelist)

    def pre_validate(self, form: Any) -> None:
        if self.data is None:
            return
        if self.data not in {value for value, _label in GENDER_CHOICES}:
            raise ValidationError(str(_l("Välj ett av alternativen.")))


class GenderForm(BaseForm):
    gender = GenderField()


class InviteUserForm(_UserFieldsForm):
    email = StringField(
        _l("E-postadress"),
        validators=[
            DataRequired(_l("Skriv e-postadressen.")),
            Length(max=254, message=_l("E-postadressen får vara högst %(max)d tecken.")),
            EmailAddress(),
        ],
        render_kw={"type": "email", "autocomplete": "off"},
    )
    username = StringField(
        _l("Användarnamn"),
        validators=[Optional(), Length(max=80, message=TOO_LONG)],
        render_kw={"autocomplete": "off"},
    )


class EditUserForm(_UserFieldsForm):
    gender = GenderField()


class UserSearchForm(BaseForm):
    """The search box and role filter of the user list (GET, no CSRF token)."""

    class Meta:
        csrf = False

    # Field names are the query-string keys, Swedish like the paths: ?sok=...&roll=...
    sok = StringField(
        _l("Sök på namn, e-post eller användarnamn"),
        validators=[Optional(), Length(max=100, message=TOO_LONG)],
    )
    roll = ChoiceField(_l("Roll"), choices=[], validators=[Optional()])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.roll.choices = [("", _l("Alla roller"))] + [(role.value, role_label(role)) for role in Role]


AUDIT_OUTCOMES = (("ok", _l("Utförd")), ("denied", _l("Nekad")))


class AuditFilterForm(BaseForm):
    """The audit log's filters; the field names are the query-string keys, Swedish like the paths."""

    class Meta:
        csrf = False

    person = WholeNumber(
        _l("Person (användarnummer)"),
        validators=[Optional(), NumberRange(min=1, message=_l("Skriv ett användarnummer, till exempel 42."))],
        description=_l("Det personen har gjort och det som har gjorts med personens konto eller hushåll."),
    )
    utforare = WholeNumber(
        _l("Utförd av (användarnummer)"),
        validators=[Optional(), NumberRange(min=1, message=_l("Skriv ett användarnummer, till exempel 42."))],
    )
    posttyp = ChoiceField(_l("Sorts post"), choices=[], validators=[Optional()])
    postnummer = WholeNumber(
        _l("Postens nummer"),
        validators=[Optional(), NumberRange(min=1, message=_l("Skriv postens nummer, till exempel 42."))],
    )
    handelse = ChoiceField(_l("Händelse"), choices=[], validators=[Optional()])
    utfall = ChoiceField(_l("Utfall"), choices=[], validators=[Optional()])
    fran = LocalDateField(_l("Från och med"), validators=[Optional()])
    till = LocalDateField(_l("Till och med"), validators=[Optional()])
    avvikande = BooleanField(_l("Bara avvikande läsningar"))

    def __init__(
        self, *args: Any, actions: Sequence[str] = (), object_types: Sequence[str] = (), **kwargs: Any
    ):
        super().__init__(*args, **kwargs)
        self.handelse.choices = [("", _l("Alla händelser")), *((a, a) for a in actions)]
        self.posttyp.choices = [("", _l("Alla sorter")), *((t, t) for t in object_types)]
        self.utfall.choices = [("", _l("Alla utfall")), *AUDIT_OUTCOMES]

    def validate_postnummer(self, field: WholeNumber) -> None:
        if field.data is not None and not self.posttyp.data:
            raise ValidationError(_l("Välj också vilken sorts post numret gäller."))

    def validate_till(self, field: LocalDateField) -> None:
        if field.data is not None and self.fran.data is not None and field.data < self.fran.data:
            raise ValidationError(_l("Slutdatumet kan inte vara före startdatumet."))

    def validate_avvikande(self, field: BooleanField) -> None:
        first, last = self.fran.data, self.till.data
        if field.data and first is not None and last is not None and (last - first).days >= MAX_FLAG_DAYS:
            raise ValidationError(
                _l("Avvikande läsningar visas för högst %(days)d dagar åt gången.", days=MAX_FLAG_DAYS)
            )


class CountyPartForm(BaseForm):
    """Staff name a county part and choose its municipalities (the view passes the choices)."""

    name = StringField(
        _l("Namn"),
        validators=[DataRequired(_l("Skriv ett namn.")), Length(max=80, message=TOO_LONG)],
    )
    municipalities = MultiCheckboxField(
        _l("Kommuner i länsdelen"),
        coerce=posted_id,
        validators=[DataRequired(_l("Välj minst en kommun i länsdelen."))],
    )

    def __init__(self, *args: Any, municipalities: Sequence[Any] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.municipalities.choices = [(m.id, m.name) for m in municipalities]


class HomeKindForm(BaseForm):
    """Staff add a kind of home to the list."""

    name = StringField(
        _l("Ny hemtyp"),
        validators=[DataRequired(_l("Skriv ett namn.")), Length(max=80, message=TOO_LONG)],
    )


class HouseholdHomeKindsForm(BaseForm):
    """The kinds of assignment a household has or is open to (the view passes the choices)."""

    home_kinds = MultiCheckboxField(_l("Uppdrag"), coerce=posted_id)

    def __init__(self, *args: Any, kinds: Sequence[Any] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.home_kinds.choices = [(k.id, k.name) for k in kinds]


def _code_field(label, *, digits_only: bool) -> StringField:
    render_kw = {"autocomplete": "one-time-code", "spellcheck": "false", "autocapitalize": "off"}
    if digits_only:
        render_kw["inputmode"] = "numeric"
    return StringField(
        label,
        validators=[DataRequired(_l("Skriv koden.")), Length(max=40, message=TOO_LONG)],
        render_kw=render_kw,
    )


def _password_field() -> PasswordField:
    return PasswordField(
        _l("Ditt lösenord"),
        validators=[DataRequired(_l("Skriv ditt lösenord.")), Length(max=MAX_LENGTH, message=TOO_LONG)],
        render_kw={"autocomplete": "current-password"},
    )


class SecondFactorLoginForm(BaseForm):
    """The second step of a login: a code from the app, or one of the recovery codes."""

    code = _code_field(_l("Kod från appen eller en reservkod"), digits_only=False)


class SecondFactorConfirmForm(BaseForm):
    """The first code from the app, which turns the second factor on."""

    code = _code_field(_l("Koden som appen visar"), digits_only=True)


class SecondFactorOffForm(BaseForm):
    password = _password_field()
    code = _code_field(_l("Kod från appen eller en reservkod"), digits_only=False)


class PasswordCheckForm(BaseForm):
    password = _password_field()


class ErasePersonForm(BaseForm):
    """Staff erase a person's data on request, saying why (the reason goes to the audit log)."""

    reason = StringField(
        _l("Skäl"),
        validators=[
            DataRequired(message=_l("Skriv varför uppgifterna tas bort, till exempel vem som begärde det.")),
            Length(max=300, message=TOO_LONG),
        ],
    )
