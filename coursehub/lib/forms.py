"""Shared form pieces: a base form with Swedish messages and NFC-normalised text, and the bounds
every form keeps to (ids, dates, web links), so that no posted value reaches the database wrong."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from datetime import date
from functools import lru_cache
from typing import Any, Protocol, TypeVar
from urllib.parse import urlsplit

from babel import support
from flask import current_app
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.i18n import messages_path
from markupsafe import Markup
from wtforms import DateField, IntegerField, SelectField, SelectMultipleField, TextAreaField
from wtforms.csrf.core import CSRFTokenField
from wtforms.validators import ValidationError

from coursehub.lib.params import as_id
from coursehub.lib.quick_select import QuickSelect, WrittenOptions, written_options
from coursehub.lib.quick_widgets import quicken
from coursehub.lib.request_input import has_control_characters

T = TypeVar("T")
T_co = TypeVar("T_co", covariant=True)


class _Filled(Protocol[T_co]):
    """A form field whose `data` is None until the form is filled in."""

    @property
    def name(self) -> str: ...

    @property
    def data(self) -> T_co | None: ...


# The one message for a form whose CSRF token has expired: the page was left open too long.
EXPIRED_FORM_TITLE = _l("Formuläret har gått ut")
EXPIRED_FORM_MESSAGE = _l("Sidan har varit öppen för länge. Ladda om sidan och försök igen.")
# Shown above a form that comes back with what the person typed, and a fresh token.
EXPIRED_FORM_RESUBMIT = _l(
    "Sidan har varit öppen för länge, så inget har sparats. Kontrollera uppgifterna och skicka igen."
)


def expired_form_message() -> str:
    """Return the plain message shown when a form has expired (an old CSRF token)."""
    return str(EXPIRED_FORM_MESSAGE)


def required(field: _Filled[T]) -> T:
    """Return the data of a field that validation has made sure of, typed without the None.

    For a field with DataRequired or InputRequired, or a `validate_<field>` that stops on None, and
    only after `validate_on_submit()` passed: WTForms types every field's data as optional, but
    then the None cannot come, and finding it is a bug.
    """
    if field.data is None:
        raise RuntimeError(f"{field.name} has no data: read it only from a validated form")
    return field.data


def normalise_text(value):
    """Strip and NFC-normalise text input; leave other values alone."""
    if isinstance(value, str):
        return unicodedata.normalize("NFC", value).strip()
    return value


_LINE_BREAKS = re.compile(r"[\t\r\n]+")


def single_line(value):
    """Turn tabs and line breaks in text into one space (a one-line field cannot hold them)."""
    if isinstance(value, str):
        return _LINE_BREAKS.sub(" ", value)
    return value


@lru_cache(maxsize=8)
def _wtforms_catalogue(locale: str) -> support.NullTranslations:
    """WTForms' own messages ("Inte ett giltigt heltal") in `locale`, read from its catalogue once."""
    return support.Translations.load(messages_path(), [locale], domain="wtforms")


class _WTFormsMessages:
    """WTForms' messages in the language of the moment they are asked for (as Flask-WTF's), from
    catalogues read once: Flask-WTF reads the catalogue from disk again in every request that asks
    for a message (some 350 calls and a dozen file lookups)."""

    def gettext(self, string: str) -> str:
        return _wtforms_catalogue(str(get_locale())).ugettext(string)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return _wtforms_catalogue(str(get_locale())).ungettext(singular, plural, n)


WTFORMS_MESSAGES = _WTFormsMessages()


class BaseForm(FlaskForm):
    """Every form of the project: text is normalised; an old CSRF token gets a plain message.

    The request has already stripped every other control character (coursehub/lib/request_input.py);
    a field that is not a textarea also turns tabs and line breaks into spaces, so that no line break
    reaches a name, a mail header or a spreadsheet cell.
    """

    class Meta:
        def get_translations(self, form):
            if not current_app.config.get("WTF_I18N_ENABLED", True):
                return None  # WTForms' own English, as Flask-WTF's without its translations
            return WTFORMS_MESSAGES

        def bind_field(self, form, unbound_field, options):
            filters = list(unbound_field.kwargs.get("filters", []) or [])
            options = dict(options)
            one_line = [] if issubclass(unbound_field.field_class, TextAreaField) else [single_line]
            options["filters"] = [*one_line, normalise_text, *filters]
            if issubclass(unbound_field.field_class, CSRFTokenField):
                # Several forms on one page would each render id="csrf_token": no id at all
                # (a hidden field has no label to point at it).
                render_kw = dict(unbound_field.kwargs.get("render_kw") or {})
                render_kw["id"] = False
                options["render_kw"] = render_kw
            # Its label and <input> or <textarea> written faster, the HTML the same (lib/quick_widgets).
            return quicken(unbound_field.bind(form=form, **options))

    def validate(self, extra_validators=None):
        ok = super().validate(extra_validators)
        if not ok and getattr(self, "csrf_token", None) is not None and self.csrf_token.errors:
            # The only way a person meets this is a page left open too long: say so plainly.
            self.csrf_token.errors = [str(EXPIRED_FORM_RESUBMIT)]
        return ok


def hidden_token(form: FlaskForm) -> Markup:
    """The form's hidden CSRF field as HTML, for rows written in Python that carry a form each;
    empty where CSRF protection is off (some tests)."""
    token = getattr(form, "csrf_token", None)
    return Markup("") if token is None else token()


def shown_again_status(form: FlaskForm) -> int:
    """The status of a page that shows `form` again: 422 when it has mistakes to mend, 200 when
    it has none or only its token was old (the page says so; the CSRF handler's own page is 400)."""
    token = getattr(form, "csrf_token", None)  # absent where CSRF is off (tests)
    return 422 if form.errors and not (token is not None and token.errors) else 200


def show_domain_error(form, error, *, default: str | None = None) -> None:
    """Show a service's domain error beside its field, beside `default`, or above the form."""
    name = error.field if error.field in form._fields else default
    if name in form._fields:
        form[name].errors = [*form[name].errors, error.message]
    else:
        form.form_errors.append(error.message)


def first_error(form) -> str | None:
    """Return the first field error of a form, for a summary at the top."""
    for errors in form.errors.values():
        if errors:
            return errors[0]
    return None


# --- Bounds that every form keeps to -------------------------------------------------------------

CHOOSE_OFFERED = _l("Välj bland alternativen som visas.")


def posted_id(value: Any) -> int | None:
    """Coerce a posted choice to a record id (None when nothing was chosen).

    Anything that cannot be an id, a number past the database's integer (2**70) included, is a
    ValueError, which the choice fields below turn into a message beside the field.
    """
    if value in (None, "", "None"):
        return None
    if value in (0, "0"):
        return 0  # the "Välj …" line some lists offer; DataRequired refuses it with its own message
    number = as_id(value)
    if number is None:
        raise ValueError("not an id")
    return number


class OfferedChoice(SelectField):
    """A drop-down list of records by id: a value not offered, or no id, gets a Swedish message.

    Written by QuickSelect: the same HTML as WTForms' Select, and with `written_options` as its
    choices a list of 290 municipalities is written once per process instead of on every request.
    """

    widget = QuickSelect()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("coerce", posted_id)
        super().__init__(*args, **kwargs)

    def process_formdata(self, valuelist: list[Any]) -> None:
        try:
            super().process_formdata(valuelist)
        except ValueError:
            self.data = None
            raise ValueError(str(CHOOSE_OFFERED)) from None

    def pre_validate(self, form: Any) -> None:
        try:
            super().pre_validate(form)
        except ValidationError:
            raise ValidationError(str(CHOOSE_OFFERED)) from None


class Named(Protocol):
    id: int
    name: str


def offered_records(prompt: str, records: Iterable[Named]) -> WrittenOptions:
    """Return an OfferedChoice's options: a first line asking for a choice, then each record's
    name, written once per process, language and list (`written_options`). `prompt` may be a lazy
    translation: it is made plain text here, so each language is written once."""
    return written_options((("", str(prompt)), *((record.id, record.name) for record in records)), posted_id)


class OfferedChoices(SelectMultipleField):
    """Several records by id: a value not offered, or no id, gets a Swedish message."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("coerce", posted_id)
        super().__init__(*args, **kwargs)

    def process_formdata(self, valuelist: list[Any]) -> None:
        try:
            super().process_formdata(valuelist)
        except ValueError:
            # WTForms leaves `data` unset then, and the page could not show the choices again.
            self.data = []
            raise ValueError(str(CHOOSE_OFFERED)) from None

    def pre_validate(self, form: Any) -> None:
        try:
            super().pre_validate(form)
        except ValidationError:
            raise ValidationError(str(CHOOSE_OFFERED)) from None


# More digits than any id or count has; WTForms' NumberRange fails on a number past a float (10**400).
MAX_DIGITS = 12


class WholeNumber(IntegerField):
    """A whole number in ASCII digits (a minus allowed), at most MAX_DIGITS of them.

    WTForms' IntegerField takes any length, and its NumberRange then raises OverflowError (a 500)
    on 10**400; here such a number, or anything else that is no whole number, gets a Swedish
    message beside the field.
    """

    def process_formdata(self, valuelist: list[Any]) -> None:
        if not valuelist:
            return
        raw = str(valuelist[0]).strip()
        digits = raw.removeprefix("-")
        if not (digits.isascii() and digits.isdigit() and len(digits) <= MAX_DIGITS):
            self.data = None
            raise ValueError(str(_l("Skriv ett heltal med siffror, till exempel 24.")))
        self.data = int(raw)


# Dates that staff type stay within these years: a typo like 20266 or 0206 gets a message beside the
# field instead of a course in year 20266 or a date the clock cannot turn into UTC (a 500).
EARLIEST_YEAR = 2000
LATEST_YEAR = 2100


class SaneDate:
    """A date between EARLIEST_YEAR and LATEST_YEAR (a validator for any date field)."""

    def __call__(self, form: Any, field: Any) -> None:
        day = field.data
        if isinstance(day, date) and not EARLIEST_YEAR <= day.year <= LATEST_YEAR:
            raise ValidationError(
                str(
                    _l(
                        "Ange ett datum mellan år %(first)d och %(last)d.",
                        first=EARLIEST_YEAR,
                        last=LATEST_YEAR,
                    )
                )
            )


class LocalDateField(DateField):
    """An HTML5 date input with a Swedish message for a date it cannot read or out of range."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs["validators"] = [*(kwargs.get("validators") or ()), SaneDate()]
        super().__init__(*args, **kwargs)

    def process_formdata(self, valuelist: list[Any]) -> None:
        try:
            super().process_formdata(valuelist)
        except ValueError:
            raise ValueError(str(_l("Ange datumet som ÅÅÅÅ-MM-DD, till exempel 2026-10-06."))) from None


BAD_LINK = _l("Skriv hela länken till mötet. Den ska börja med https:// och vara utan mellanslag.")
# A web link (a meeting link) is at most this long: it is shown, mailed and put in calendar files.
MAX_URL_LENGTH = 500


class HttpsUrl:
    """A web link that opens safely for everyone: https, a host name, no spaces or control characters."""

    def __call__(self, form: Any, field: Any) -> None:
        link = field.data
        if not link:
            return
        if len(link) > MAX_URL_LENGTH:
            raise ValidationError(str(_l("Länken får vara högst %(max)d tecken.", max=MAX_URL_LENGTH)))
        try:
            parts = urlsplit(link)
            host = parts.hostname
        except ValueError:
            host = None
            parts = None
        if (
            parts is None
            or parts.scheme.lower() != "https"
            or not host
            or "." not in host
            or has_control_characters(link)
            or any(char.isspace() for char in link)
        ):
            raise ValidationError(str(BAD_LINK))
