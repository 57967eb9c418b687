"""Errors of the accounts area."""

from flask_babel import lazy_gettext as _l

from coursehub.errors import CoursehubError, PermissionDeniedError


class AccountError(CoursehubError):
    """An account rule was broken."""


class LoginFailedError(AccountError):
    """One message for every login failure, so that it does not tell which part was wrong."""

    def __init__(self) -> None:
        super().__init__(str(_l("Fel e-postadress, användarnamn eller lösenord.")))


class LoginThrottledError(AccountError):
    """Too many failed logins from this address (or on this account from an address that failed)."""

    def __init__(self) -> None:
        super().__init__(str(_l("För många misslyckade inloggningar. Vänta en stund och försök igen.")))


class InvalidLinkError(AccountError):
    """A password or invitation link that is unknown, used already or expired."""


class EmailTakenError(AccountError):
    """Another account already has this e-mail address."""

    def __init__(self) -> None:
        super().__init__(str(_l("Det finns redan ett konto med den här e-postadressen.")), field="email")


class StaffAccountError(PermissionDeniedError):
    """Only an admin changes anything of a staff or admin account."""

    def __init__(self) -> None:
        super().__init__(str(_l("Bara en administratör kan ändra konton för personal och administratörer.")))


class SecondFactorError(AccountError):
    """A code from the authenticator app or a recovery code that does not hold."""
