"""Shared form pieces: a base form with Swedish messages and NFC-normalised text."""

from __future__ import annotations

import unicodedata
from typing import Protocol, TypeVar

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms.csrf.core import CSRFTokenField

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


def optional_int(value: object) -> int | None:
    """Coerce a select's value to an int; the placeholder option (value "") gives None.

    A select whose first option says "Välj …" must give that option an empty value (valid HTML
    for a required select), and None then fails DataRequired with the field's own message.
    """
    if value is None or value == "":
        return None
    return int(str(value))


def normalise_text(value):
    """Strip and NFC-normalise text input; leave other values alone."""
    if isinstance(value, str):
        return unicodedata.normalize("NFC", value).strip()
    return value


class BaseForm(FlaskForm):
    """Every form of the project: text is normalised; an old CSRF token gets a plain message."""

    class Meta:
        def bind_field(self, form, unbound_field, options):
            filters = list(unbound_field.kwargs.get("filters", []) or [])
            options = dict(options)
            options["filters"] = [normalise_text, *filters]
            if issubclass(unbound_field.field_class, CSRFTokenField):
                # Several forms on one page would each render id="csrf_token": no id at all
                # (a hidden field has no label to point at it).
                render_kw = dict(unbound_field.kwargs.get("render_kw") or {})
                render_kw["id"] = False
                options["render_kw"] = render_kw
            return unbound_field.bind(form=form, **options)

    def validate(self, extra_validators=None):
        ok = super().validate(extra_validators)
        if not ok and getattr(self, "csrf_token", None) is not None and self.csrf_token.errors:
            # The only way a person meets this is a page left open too long: say so plainly.
            self.csrf_token.errors = [str(EXPIRED_FORM_RESUBMIT)]
        return ok


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
