"""Forms of the courses area. Local dates and times are entered as HTML5 date and time inputs;
the services turn them into UTC moments."""

from __future__ import annotations

from datetime import time

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    Field,
    SelectField,
    StringField,
    TextAreaField,
    TimeField,
)
from wtforms.validators import DataRequired, InputRequired, Length, Optional, StopValidation, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget, TextInput

from coursehub.courses.models import (
    MAX_CAPACITY,
    MAX_CONTENTS_NOTE,
    MAX_SPEAKERS,
    SPEAKER_NAME_LENGTH,
    SPEAKER_ORGANISATION_LENGTH,
    SPEAKER_TITLE_LENGTH,
    CourseKind,
    IntendedFor,
)
from coursehub.lib.email_address import EmailAddress
from coursehub.lib.forms import BaseForm, HttpsUrl, LocalDateField, OfferedChoices, posted_id
from coursehub.lib.params import as_id
from coursehub.lib.quick_select import QuickSelect, opts

TOO_LONG = _l("Högst %(max)d tecken.")


class LocalTimeField(TimeField):
    """An HTML5 time input with a Swedish message for a time it cannot read."""

    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError:
            raise ValueError(str(_l("Ange tiden som TT:MM, till exempel 18:00."))) from None


# Fields a form refuses to go without carry InputRequired with their message, so that they are
# flagged required (the star and `required`); their validate_ methods check the rest.
NO_ABSENCES = _l("Ange hur många träffar man får missa (0 om ingen).")
NO_CAPACITY = _l("Ange hur många personer som får plats.")


class WholeNumberField(Field):
    """A whole number typed with ASCII digits (a leading minus is read, then refused by range)."""

    # A text input like StringField's; not a StringField, whose `data` is text: this `data` is
    # the number, None when nothing was typed.
    widget = TextInput()
    data: int | None

    def process_formdata(self, valuelist):
        self.raw = valuelist[0].strip() if valuelist else ""
        self.data = None
        if not self.raw:
            return
        digits = self.raw[1:] if self.raw.startswith("-") else self.raw
        if not (digits.isascii() and digits.isdigit()) or len(digits) > 9:
            raise ValueError(str(_l("Skriv ett heltal med siffror, till exempel 24.")))
        self.data = int(self.raw)

    def _value(self):
        return getattr(self, "raw", None) or ("" if self.data is None else str(self.data))


class Choice(SelectField):
    """A select whose refusal of an unoffered value is in Swedish (written by QuickSelect)."""

    widget = QuickSelect()

    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError:
            # WTForms' own words here ("kunde inte ceorce:a") are no Swedish a visitor can read.
            raise ValueError(str(_l("Välj ett av alternativen."))) from None

    def pre_validate(self, form):
        try:
            super().pre_validate(form)
        except ValidationError:
            raise ValidationError(str(_l("Välj ett av alternativen."))) from None


class Choices(OfferedChoices):
    """A multiple choice that refuses, in Swedish, any value the page did not offer (or no id)."""

    def pre_validate(self, form):
        try:
            super().pre_validate(form)
        except ValidationError:
            raise ValidationError(str(_l("Välj bland alternativen."))) from None


class CheckboxChoices(Choices):
    """A multiple choice shown as one labelled checkbox per option (templates render it with
    `checkbox_list` from courses/_macros.html: a fieldset with the label as its legend)."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


def int_or_none(value):
    """Coerce a posted choice to an id (None when empty); anything else is a ValueError."""
    if value in (None, "", "None"):
        return None
    number = as_id(value)
    if number is None:
        raise ValueError("not an id")
    return number


def _range(field, low, high, missing):
    if field.process_errors:
        raise StopValidation()
    if field.data is None:
        raise StopValidation(str(missing))
    if field.data < low:
        raise ValidationError(str(_l("Ange minst %(low)d.", low=low)))
    if field.data > high:
        raise ValidationError(str(_l("Ange högst %(high)d.", high=high)))


class ActionForm(BaseForm):
    """A button that posts (publish, remove, move): only the CSRF token."""


class CatalogueFilterForm(BaseForm):
    class Meta:
        csrf = False

    typ = Choice(_l("Kurs"), coerce=int_or_none, validate_choice=False)
    kommun = Choice(_l("Kommun"), coerce=int_or_none, validate_choice=False)
    lansdel = Choice(_l("Länsdel"), coerce=int_or_none, validate_choice=False)
    hemtyp = Choice(_l("Hemtyp"), coerce=int_or_none, validate_choice=False)
    manad = Choice(_l("Månad"), validate_choice=False)
    satt = Choice(
        _l("Form"),
        validate_choice=False,
        choices=opts(
            [
                ("", _l("På plats och på nätet")),
                ("plats", _l("På plats")),
                ("natet", _l("På nätet")),
            ]
        ),
    )
    platser = BooleanField(_l("Bara kurser med lediga platser"))


class CourseTypeForm(BaseForm):
    name = StringField(
        _l("Namn"), validators=[DataRequired(_l("Skriv kurstypens namn.")), Length(max=120, message=TOO_LONG)]
    )
    kind = Choice(
        _l("Slag av kurs"),
        choices=opts(
            [
                (CourseKind.BASIC.value, _l("Grundutbildning")),
                (CourseKind.CONTINUING.value, _l("Fortbildning")),
                (CourseKind.OTHER.value, _l("Annat")),
            ]
        ),
    )
    description = TextAreaField(_l("Beskrivning"), validators=[Length(max=5000, message=TOO_LONG)])
    intended_for = Choice(
        _l("Vem kursen är till för"),
        default=IntendedFor.FAMILIES.value,
        choices=opts(
            [
                (IntendedFor.FAMILIES.value, _l("Familjer")),
                (IntendedFor.PROFESSIONALS.value, _l("Yrkesverksamma (till exempel socialsekreterare)")),
                (IntendedFor.BOTH.value, _l("Både familjer och yrkesverksamma")),
            ]
        ),
    )
    audience = TextAreaField(_l("Målgrupp"), validators=[Length(max=2000, message=TOO_LONG)])
    allowed_absences = WholeNumberField(
        _l("Tillåten frånvaro (antal träffar)"),
        validators=[InputRequired(NO_ABSENCES)],
        render_kw={"inputmode": "numeric"},
    )
    allows_makeup = BooleanField(_l("En missad träff får tas igen i en annan kursomgång"))
    issues_certificate = BooleanField(_l("Deltagarna får intyg"))
    requires_municipal_approval = BooleanField(_l("Familjens egen anmälan kräver kommunens godkännande"))
    # Not named after the model's attribute: `obj=` would fill it with rows instead of ids.
    aimed_at = CheckboxChoices(_l("Riktar sig till hemtyper"), coerce=posted_id)

    def __init__(self, *args, home_kinds=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.aimed_at.choices = opts([(k.id, k.name) for k in home_kinds])

    def validate_allowed_absences(self, field):
        _range(field, 0, 20, NO_ABSENCES)


class ThemeForm(BaseForm):
    title = StringField(
        _l("Rubrik"), validators=[DataRequired(_l("Skriv temats rubrik.")), Length(max=200, message=TOO_LONG)]
    )
    description = TextAreaField(_l("Beskrivning"), validators=[Length(max=5000, message=TOO_LONG)])
    mandatory_content = TextAreaField(
        _l("Innehåll som måste tas upp"), validators=[Length(max=5000, message=TOO_LONG)]
    )
    optional_exercises = TextAreaField(
        _l("Övningar som kan anpassas"), validators=[Length(max=5000, message=TOO_LONG)]
    )
    suggested_minutes = WholeNumberField(
        _l("Föreslagen längd i minuter"), default=180, render_kw={"inputmode": "numeric"}
    )

    def validate_suggested_minutes(self, field):
        _range(field, 15, 600, _l("Ange en längd i minuter."))


class VenueForm(BaseForm):
    name = StringField(
        _l("Namn"), validators=[DataRequired(_l("Skriv lokalens namn.")), Length(max=120, message=TOO_LONG)]
    )
    street = StringField(_l("Gatuadress"), validators=[Length(max=120, message=TOO_LONG)])
    postcode = StringField(_l("Postnummer"), validators=[Length(max=10, message=TOO_LONG)])
    city = StringField(_l("Ort"), validators=[Length(max=80, message=TOO_LONG)])
    municipality = Choice(_l("Kommun"), coerce=int_or_none)
    accessibility_notes = TextAreaField(_l("Tillgänglighet"), validators=[Length(max=2000, message=TOO_LONG)])

    def __init__(self, *args, municipalities=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.municipality.choices = opts(
            [(None, _l("Ingen vald"))] + [(m.id, m.name) for m in municipalities]
        )


class RunForm(BaseForm):
    """A run's details; the fields staff may change at any time before it ends."""

    title = StringField(
        _l("Rubrik"),
        validators=[DataRequired(_l("Skriv en rubrik för kursomgången.")), Length(max=200, message=TOO_LONG)],
    )
    edition = StringField(_l("Materialets upplaga"), validators=[Length(max=60, message=TOO_LONG)])
    description = TextAreaField(_l("Beskrivning"), validators=[Length(max=5000, message=TOO_LONG)])
    capacity = WholeNumberField(
        _l("Antal platser (personer)"),
        validators=[InputRequired(NO_CAPACITY)],
        render_kw={"inputmode": "numeric"},
    )
    min_participants = WholeNumberField(
        _l("Minsta antal deltagare (personer)"), render_kw={"inputmode": "numeric"}
    )
    signup_opens_date = LocalDateField(
        _l("Anmälan öppnar, datum"), validators=[DataRequired(_l("Ange ett datum."))]
    )
    signup_opens_time = LocalTimeField(
        _l("Anmälan öppnar, klockslag"),
        default=time(8, 0),
        validators=[DataRequired(_l("Ange ett klockslag."))],
    )
    signup_closes_date = LocalDateField(
        _l("Sista anmälningsdag"), validators=[DataRequired(_l("Ange ett datum."))]
    )
    signup_closes_time = LocalTimeField(
        _l("Anmälan stänger, klockslag"),
        default=time(23, 59),
        validators=[DataRequired(_l("Ange ett klockslag."))],
    )
    is_open_to_all = BooleanField(_l("Öppen för hela länet (alla medlemskommuner)"), default=True)
    county_parts = CheckboxChoices(_l("Länsdelar (om kursen inte är öppen för alla)"), coerce=posted_id)
    municipalities = CheckboxChoices(_l("Kommuner (om kursen inte är öppen för alla)"), coerce=posted_id)
    venue = Choice(_l("Lokal"), coerce=int_or_none)
    online_url = StringField(
        _l("Länk till mötet på nätet"), validators=[Optional(), Length(max=500, message=TOO_LONG), HttpsUrl()]
    )
    leaders = CheckboxChoices(_l("Kursledare"), coerce=posted_id)
    contact_name = StringField(_l("Kontaktperson"), validators=[Length(max=120, message=TOO_LONG)])
    contact_email = StringField(
        _l("Kontaktpersonens e-postadress"),
        validators=[Optional(), Length(max=254, message=TOO_LONG), EmailAddress()],
    )

    def __init__(self, *args, venues=(), leaders=(), municipalities=(), county_parts=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.county_parts.choices = opts([(p.id, p.name) for p in county_parts])
        self.venue.choices = opts(
            [(None, _l("Ingen lokal (kursen hålls på nätet)"))] + [(v.id, v.name) for v in venues]
        )
        self.leaders.choices = opts([(u.id, u.full_name) for u in leaders])
        self.municipalities.choices = opts([(m.id, m.name) for m in municipalities])

    def validate_capacity(self, field):
        if field.process_errors:
            raise StopValidation()
        if field.data is None:
            raise StopValidation(str(NO_CAPACITY))
        if field.data < 1:
            raise ValidationError(str(_l("Antalet platser måste vara minst 1.")))
        if field.data > MAX_CAPACITY:
            raise ValidationError(str(_l("Antalet platser får vara högst %(max)d.", max=MAX_CAPACITY)))

    def validate_min_participants(self, field):
        if field.process_errors:
            raise StopValidation()
        if field.data is None:
            return  # optional: no minimum
        if field.data < 1:
            raise ValidationError(
                str(_l("Minsta antal deltagare måste vara minst 1, eller lämna fältet tomt."))
            )
        seats = self.capacity.data
        if seats is not None and not self.capacity.process_errors and field.data > seats:
            raise ValidationError(
                str(
                    _l(
                        "Minsta antal deltagare får inte vara fler än antalet platser (%(seats)d).",
                        seats=seats,
                    )
                )
            )

    def validate_venue(self, field):
        if field.data is None and not (self.online_url.data or "").strip():
            raise ValidationError(str(_l("Välj en lokal eller skriv en länk till mötet på nätet.")))


class NewRunForm(RunForm):
    """A run made from a course type; the first date and the times propose weekly sessions."""

    course_type = Choice(_l("Kurstyp"), coerce=int_or_none)
    title = StringField(_l("Rubrik"), validators=[Optional(), Length(max=200, message=TOO_LONG)])
    first_date = LocalDateField(_l("Första träffens datum"), validators=[DataRequired(_l("Ange ett datum."))])
    start_time = LocalTimeField(
        _l("Starttid"), default=time(18, 0), validators=[DataRequired(_l("Ange en starttid."))]
    )
    end_time = LocalTimeField(
        _l("Sluttid"), default=time(21, 0), validators=[DataRequired(_l("Ange en sluttid."))]
    )

    def __init__(self, *args, course_types=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.course_type.choices = opts([(t.id, t.name) for t in course_types])

    def validate_end_time(self, field):
        if field.data and self.start_time.data and field.data <= self.start_time.data:
            raise ValidationError(str(_l("Sluttiden måste vara efter starttiden.")))


class SessionForm(BaseForm):
    day = LocalDateField(_l("Datum"), validators=[DataRequired(_l("Ange ett datum."))])
    start_time = LocalTimeField(_l("Starttid"), validators=[DataRequired(_l("Ange en starttid."))])
    end_time = LocalTimeField(_l("Sluttid"), validators=[DataRequired(_l("Ange en sluttid."))])
    theme = Choice(_l("Tema"), coerce=int_or_none)
    title = StringField(_l("Rubrik"), validators=[Length(max=200, message=TOO_LONG)])
    venue = Choice(_l("Lokal"), coerce=int_or_none)
    online_url = StringField(
        _l("Länk till mötet på nätet"), validators=[Optional(), Length(max=500, message=TOO_LONG), HttpsUrl()]
    )
    contents_note = TextAreaField(
        _l("Det här händer på träffen utöver temat (frivilligt)"),
        validators=[Optional(), Length(max=MAX_CONTENTS_NOTE, message=TOO_LONG)],
    )

    def speaker_rows(self) -> list[tuple[Field, Field, Field]]:
        """Return the (name, title, organisation) fields of each speaker row, in order."""
        return [
            (self[f"speaker{n}_name"], self[f"speaker{n}_title"], self[f"speaker{n}_organisation"])
            for n in range(1, MAX_SPEAKERS + 1)
        ]

    def __init__(self, *args, themes=(), venues=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.theme.choices = opts([(None, _l("Inget tema"))] + [(t.id, t.title) for t in themes])
        self.venue.choices = opts(
            [(None, _l("Ingen lokal (träffen hålls på nätet)"))] + [(v.id, v.name) for v in venues]
        )

    def validate_end_time(self, field):
        if field.data and self.start_time.data and field.data <= self.start_time.data:
            raise ValidationError(str(_l("Sluttiden måste vara efter starttiden.")))

    def validate_venue(self, field):
        if field.data is None and not (self.online_url.data or "").strip():
            raise ValidationError(str(_l("Välj en lokal eller skriv en länk till mötet på nätet.")))


# One row of fields per speaker or guest (rows left empty are ignored); the limits are the
# columns' own, so that a too long name gets its message beside the field.
for _n in range(1, MAX_SPEAKERS + 1):
    setattr(
        SessionForm,
        f"speaker{_n}_name",
        StringField(_l("Namn"), validators=[Optional(), Length(max=SPEAKER_NAME_LENGTH, message=TOO_LONG)]),
    )
    setattr(
        SessionForm,
        f"speaker{_n}_title",
        StringField(
            _l("Titel eller yrke"),
            validators=[Optional(), Length(max=SPEAKER_TITLE_LENGTH, message=TOO_LONG)],
        ),
    )
    setattr(
        SessionForm,
        f"speaker{_n}_organisation",
        StringField(
            _l("Organisation"),
            validators=[Optional(), Length(max=SPEAKER_ORGANISATION_LENGTH, message=TOO_LONG)],
        ),
    )


class CopyRunForm(BaseForm):
    first_date = LocalDateField(
        _l("Första träffens datum i den nya omgången"), validators=[DataRequired(_l("Ange ett datum."))]
    )


class CancelSessionForm(BaseForm):
    """Cancel one session: the reason is required, since the families are told it."""

    reason = TextAreaField(
        _l("Anledning (skickas till familjerna)"),
        validators=[
            DataRequired(_l("Skriv varför träffen ställs in. Familjerna får läsa det.")),
            Length(max=300, message=TOO_LONG),
        ],
    )


class CancelRunForm(BaseForm):
    reason = TextAreaField(
        _l("Anledning (skickas till de anmälda)"), validators=[Length(max=300, message=TOO_LONG)]
    )
