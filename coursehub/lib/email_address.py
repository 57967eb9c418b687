"""The one rule for e-mail addresses, wherever a person or a script gives one."""

from __future__ import annotations

import unicodedata

from email_validator import EmailNotValidError, validate_email
from flask_babel import gettext as _
from wtforms.validators import ValidationError

from coursehub.lib.checks import known

MAX_LENGTH = 254  # RFC 5321's limit for a path, and the width of the users.email column


class InvalidEmailAddress(ValueError):
    """An address that the rule refuses; str(error) is a Swedish message fit to show a person."""


def normalise_email(value: str | None) -> str:
    """Return the address in the form it is stored in, or raise InvalidEmailAddress.

    The rule (email-validator's syntax check, without asking DNS whether the domain exists):

    - Spaces around the address are dropped and it is NFC-normalised; a space, a CR/LF or any
      other control character inside it, a missing or second @, an empty part, a domain without
      a dot, an IP literal and `localhost` are refused.
    - At most 254 characters, counted in the stored (ASCII) form.
    - The part before the @ must be ASCII. The outbox sends through a plain SMTP relay, which can
      carry an address like `åsa@exempel.se` only with the SMTPUTF8 extension, which we do not
      rely on: such an address is refused with a message that says so, rather than accepted and
      lost later.
    - An internationalised domain (`anna@bücher.de`) is accepted and stored in its ASCII (IDNA)
      form, `anna@xn--bcher-kva.de`, which every mail server carries; a domain that has no IDNA
      form is refused.
    - Special-use domains (`.invalid`, `.local`, `.onion`, `localhost`) are refused, except
      `.test`, which test and staging data use (RFC 2606 reserves it; nothing is ever sent there).
    - The whole address is lower-cased, as addresses have always been stored here (accounts are
      found by their address without regard to case).
    """
    address = unicodedata.normalize("NFC", value or "").strip()
    if not address:
        raise InvalidEmailAddress(_("Skriv e-postadressen."))
    if len(address) > MAX_LENGTH:
        raise InvalidEmailAddress(_("E-postadressen får vara högst %(max)d tecken.", max=MAX_LENGTH))
    local, at, _domain = address.rpartition("@")
    if at and not local.isascii():
        raise InvalidEmailAddress(
            _(
                "Delen före @ får bara ha bokstäverna a–z (inte å, ä, ö), siffror och tecken som "
                ". - _ +. Skriv en adress som namn@exempel.se."
            )
        )
    try:
        checked = validate_email(
            address, check_deliverability=False, allow_smtputf8=False, test_environment=True
        )
    except (EmailNotValidError, UnicodeError):
        raise InvalidEmailAddress(_("Skriv en e-postadress som namn@exempel.se.")) from None
    # ascii_email is None only for a local part that needs SMTPUTF8 (refused: allow_smtputf8=False)
    # or is empty, or a domain literal (both refused by email_validator's defaults).
    stored = known(checked.ascii_email, "only an address refused above has no ASCII form").lower()
    if len(stored) > MAX_LENGTH:
        raise InvalidEmailAddress(_("E-postadressen får vara högst %(max)d tecken.", max=MAX_LENGTH))
    return stored


def email_or_none(value: str | None) -> str | None:
    """Return the stored form of `value`, or None when the rule refuses it (for look-ups)."""
    try:
        return normalise_email(value)
    except InvalidEmailAddress:
        return None


class EmailAddress:
    """A WTForms validator applying normalise_email; put Optional() before it where it may be empty."""

    def __init__(self, message: str | None = None):
        self.message = message

    def __call__(self, form, field) -> None:
        if field.errors:
            return  # one message per field: an earlier validator (Length) has said what is wrong
        try:
            normalise_email(field.data)
        except InvalidEmailAddress as error:
            raise ValidationError(self.message or str(error)) from None
