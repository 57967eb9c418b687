"""Forms of the courses area. Local dates and times are entered as HTML5 date and time inputs;
the services turn them into UTC moments."""

from __future__ import annotations

from datetime import time
from functools import lru_cache

from flask_babel import lazy_gettext as _l
from markupsafe import Markup, escape
from wtforms import (
    BooleanField,
    Field,
    SelectField,
    StringField,
    TextAreaField,
    TimeField,
)

# types-WTForms 3.2 predates SelectChoice (new in WTForms 3.3, the version we run), so the stubs
# do not know the name; it is Any to mypy until they catch up.
from wtforms.fields.choices import SelectChoice  # type: ignore[attr-defined]
from wtforms.validators import DataRequired, Length, Optional, StopValidation, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget, Select, TextInput
from wtforms.widgets.core import html_params

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

TOO_LONG = _l("Högst %(max)d tecken.")


class LocalTimeField(TimeField):
    """An HTML5 time input with a Swedish message for a time it cannot read."""

    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError:
            raise ValueError(str(_l("Ange tiden som TT:MM, till exempel 18:00."))) from None


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
    """A select whose refusal of an unoffered value is in Swedish."""

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


def _option(value: object, label: object, *, selected: bool) -> str:
    """One plain option as WTForms writes it, value and label through escape() as html_params and
    render_option put them ("selected" first: html_params sorts the attributes)."""
    shown = escape(str(value) if isinstance(value, bool) else value)
    return f'<option{" selected" if selected else ""} value="{shown}">{escape(label or value)}</option>'


class QuickSelect(Select):
    """WTForms' select with the same HTML, its plain options written in one loop.

    WTForms turns each offered choice into a second object, a third with `selected` worked out,
    and builds each option through `html_params` and a Markup of its own: with a municipality
    per option (290 nationally) that was most of the catalogue's form. A select of plain
    options (the SelectChoice that `opts` makes, no group, no attributes of their own) is
    written here straight from `field.choices`; any other goes the ordinary way.
    """

    def __call__(self, field, **kwargs):
        choices = field.choices
        written = type(choices) is WrittenOptions and choices.coerce is field.coerce and not self.multiple
        if not written and (
            self.multiple or not isinstance(choices, list) or not all(_plain(c) for c in choices)
        ):
            return super().__call__(field, **kwargs)
        kwargs.setdefault("id", field.id)
        flags = getattr(field, "flags", {})
        for k in dir(flags):
            if k in self.validation_attrs and k not in kwargs:
                kwargs[k] = getattr(flags, k)
        coerce, data = field.coerce, field.data
        if written:
            return choices.select(f"<select {html_params(name=field.name, **kwargs)}>", data)
        html = [f"<select {html_params(name=field.name, **kwargs)}>"]
        for choice in choices:
            value = choice.value
            # selected as SelectField.iter_choices decides it
            html.append(_option(value, choice.label, selected=coerce(value) == data))
        html.append("</select>")
        # As WTForms' Select returns it: every value and label above went through escape().
        return Markup("".join(html))  # noqa: S704  # nosec B704

    # WTForms 3.3 passes one Choice (the stubs still know the 3.2 signature of value, label, selected).
    @classmethod
    def render_option(cls, choice, **kwargs):  # type: ignore[override]
        if kwargs or choice.render_kw:
            return super().render_option(choice, **kwargs)
        # _option escaped the value and the label.
        return Markup(_option(choice.value, choice.label, selected=choice.selected))  # noqa: S704  # nosec B704


class WrittenOptions(list):
    """Plain options (as `opts` makes them) with each option's HTML written once, for QuickSelect.

    Made by `written_options`, which remembers them by their values, labels and coerce: the same
    choices (the catalogue's 290 municipalities, in one language) are escaped and written once per
    process, not on every request; a new or renamed choice is a new key, written at once. Only
    which option is selected is worked out per request.
    """

    def __init__(self, pairs, coerce) -> None:
        super().__init__(SelectChoice(value, label) for value, label in pairs)
        self.coerce = coerce
        self._options: list[str] = []
        self._chosen: list[str] = []
        # coerce(value) -> the positions of the options it selects (== as SelectField decides it).
        self._positions: dict[object, list[int]] = {}
        for position, choice in enumerate(self):
            value = choice.value
            self._options.append(_option(value, choice.label, selected=False))
            self._chosen.append(_option(value, choice.label, selected=True))
            self._positions.setdefault(coerce(value), []).append(position)

    def select(self, opening: str, data) -> Markup:
        """Return the select: `opening`, the options with those equal to `data` selected, the end."""
        html = [opening, *self._options, "</select>"]
        try:
            positions = self._positions.get(data, ())
        except TypeError:  # data no dict key can be: compare as SelectField does
            positions = [i for i, choice in enumerate(self) if self.coerce(choice.value) == data]
        for position in positions:
            html[position + 1] = self._chosen[position]
        # As WTForms' Select returns it: every value and label went through escape().
        return Markup("".join(html))  # noqa: S704  # nosec B704


@lru_cache(maxsize=64)
def written_options(pairs: tuple[tuple[object, str], ...], coerce) -> WrittenOptions:
    """Return the options of `pairs` (value, label as plain text) with their HTML written once.

    Keyed by the whole of `pairs`: a municipality added or renamed is another key, shown at once.
    The labels must be plain str (a lazy translation is str()-ed first, so each language is a key).
    `coerce` is the field's (QuickSelect writes the list only for a field with the same one).
    Callers must not change the list they get: it is shared.
    """
    return WrittenOptions(pairs, coerce)


def _plain(choice) -> bool:
    """Whether a choice is an option without a group or attributes of its own."""
    return type(choice) is SelectChoice and not choice.render_kw and choice.optgroup is None


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


def opts(pairs) -> list[SelectChoice]:
    """Turn (value, label) pairs into WTForms choices."""
    return [SelectChoice(value, label) for value, label in pairs]


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

    typ = Choice(_l("Kurs"), coerce=int_or_none, validate_choice=False, widget=QuickSelect())
    kommun = Choice(_l("Kommun"), coerce=int_or_none, validate_choice=False, widget=QuickSelect())
    lansdel = Choice(_l("Länsdel"), coerce=int_or_none, validate_choice=False, widget=QuickSelect())
    hemtyp = Choice(_l("Hemtyp"), coerce=int_or_none, validate_choice=False, widget=QuickSelect())
    manad = Choice(_l("Månad"), validate_choice=False, widget=QuickSelect())
    satt = Choice(
        _l("Form"),
        validate_choice=False,
        widget=QuickSelect(),
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
        _l("Tillåten frånvaro (antal träffar)"), render_kw={"inputmode": "numeric"}
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
        _range(field, 0, 20, _l("Ange hur många träffar man får missa (0 om ingen)."))


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
    capacity = WholeNumberField(_l("Antal platser (personer)"), render_kw={"inputmode": "numeric"})
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
            raise StopValidation(str(_l("Ange hur många personer som får plats.")))
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
