"""Errors of the accounts area."""

from flask_babel import lazy_gettext as _l

from coursehub.errors import CoursehubError


class AccountError(CoursehubError):
    """An account rule was broken."""


class LoginFailedError(AccountError):
    """One message for every login failure, so that it does not tell which part was wrong."""

    def __init__(self):
        super().__init__(str(_l("Fel e-postadress, användarnamn eller lösenord.")))
