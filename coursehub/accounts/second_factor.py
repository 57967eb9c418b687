"""The second factor: TOTP codes from an authenticator app, and single-use recovery codes.

Who may turn it on is `permissions.can_use_second_factor`; with COURSEHUB_REQUIRE_SECOND_FACTOR on,
those people must enrol at their next login before they can do anything else (the views see to it).

How the secret is kept: encrypted with Fernet (the `cryptography` library: AES in CBC mode with an
HMAC-SHA256 tag, checked before anything is opened) under a key derived from SECRET_KEY, so that a
dump of the database alone does not give the secrets away. The consequence: a new SECRET_KEY makes
every stored secret unreadable, and everyone enrols again (an admin resets).

A code is accepted once: the time step of the last accepted code is stored, and a conditional
update takes the step only if it is later than the stored one, so two requests with the same code
(or a code of an earlier step) cannot both pass, whatever the database. Recovery codes are stored
as SHA-256 hashes (they are random, 50 bits each) and spent with a conditional update too.

Every function here flushes and never commits (services rule).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import logging
import secrets
from dataclasses import dataclass
from datetime import datetime

import pyotp
from cryptography.fernet import Fernet, InvalidToken
from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import delete, func, or_, select, update

from coursehub.accounts import audit, passwords, permissions
from coursehub.accounts.errors import AccountError, SecondFactorError
from coursehub.accounts.models import RecoveryCode, SecondFactor, User, new_session_token
from coursehub.errors import PermissionDeniedError
from coursehub.extensions import db

logger = logging.getLogger(__name__)

RECOVERY_CODES = 10
_RECOVERY_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O or 1/I: read off paper
_RECOVERY_LENGTH = 10
_SEAL_VERSION = "v2"  # v2: Fernet
# Codes of the step before and after the current one pass too (a phone's clock a little off).
_WINDOW = 1


# -- sealing the secret ---------------------------------------------------------------------------


def _fernet() -> Fernet:
    secret_key = str(current_app.config["SECRET_KEY"]).encode("utf-8")
    key = hmac.new(secret_key, b"coursehub second factor encryption", hashlib.sha256).digest()
    return Fernet(base64.urlsafe_b64encode(key))


def seal(secret: str) -> str:
    """Return `secret` encrypted and authenticated with a key derived from SECRET_KEY."""
    return f"{_SEAL_VERSION}.{_fernet().encrypt(secret.encode('ascii')).decode('ascii')}"


def unseal(sealed: str) -> str:
    """Return the secret that `seal` sealed; ValueError when it was not sealed with this SECRET_KEY."""
    version, _dot, token = sealed.partition(".")
    if version != _SEAL_VERSION:
        raise ValueError("unknown seal")
    try:
        return _fernet().decrypt(token.encode("ascii")).decode("ascii")
    except InvalidToken as error:
        raise ValueError("the seal does not hold") from error


# -- reading ------------------------------------------------------------------------------------


def factor_of(user: User) -> SecondFactor | None:
    """Return the second factor of `user`, enabled or still being enrolled, or None."""
    return db.session.get(SecondFactor, user.id)


def is_enabled(user: User) -> bool:
    """Return True when `user` has a second factor turned on (login then asks for a code)."""
    factor = factor_of(user)
    return factor is not None and factor.enabled_at is not None


def must_enrol(user: User) -> bool:
    """Return True when the setting requires a second factor of `user` and they have none yet."""
    return (
        bool(current_app.config["COURSEHUB_REQUIRE_SECOND_FACTOR"])
        and permissions.can_use_second_factor(user)
        and not is_enabled(user)
    )


def unused_recovery_codes(user: User) -> int:
    """Return how many of the user's recovery codes are still unused."""
    return int(
        db.session.scalar(
            select(func.count())
            .select_from(RecoveryCode)
            .where(RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None))
        )
        or 0
    )


@dataclass(frozen=True)
class Provisioning:
    """What the enrolment page shows: the secret as text (grouped) and as an otpauth:// URI."""

    secret: str
    uri: str

    @property
    def grouped(self) -> str:
        """Return the secret in groups of four letters, easier to type by hand."""
        return " ".join(self.secret[i : i + 4] for i in range(0, len(self.secret), 4))


def provisioning(user: User, factor: SecondFactor) -> Provisioning:
    """Return the secret of a pending enrolment, for the QR code and for typing by hand."""
    secret = unseal(factor.secret)
    uri = pyotp.TOTP(secret).provisioning_uri(
        name=user.username, issuer_name=str(current_app.config["COURSEHUB_ORGANISATION"])
    )
    return Provisioning(secret=secret, uri=uri)


# -- codes --------------------------------------------------------------------------------------


def _digits(code: str) -> str:
    return "".join(code.split())


def _matching_step(secret: str, code: str, now: datetime) -> int | None:
    """Return the time step whose code is `code` (within the window around now), or None."""
    code = _digits(code)
    if len(code) != 6 or not code.isascii() or not code.isdigit():
        return None
    totp = pyotp.TOTP(secret)
    current = totp.timecode(now)
    for step in range(current - _WINDOW, current + _WINDOW + 1):
        if hmac.compare_digest(totp.generate_otp(step), code):
            return step
    return None


def _take_step(user: User, step: int) -> bool:
    """Record `step` as used, only if it is later than the last one used; True when it was taken."""
    result = db.session.execute(
        update(SecondFactor)
        .where(
            SecondFactor.user_id == user.id,
            or_(SecondFactor.last_used_step.is_(None), SecondFactor.last_used_step < step),
        )
        .values(last_used_step=step)
        .execution_options(synchronize_session="fetch")
    )
    return bool(getattr(result, "rowcount", 0) == 1)


def _normalise_recovery(code: str) -> str:
    return "".join(ch for ch in code.upper() if ch.isalnum())


def _recovery_hash(code: str) -> str:
    return hashlib.sha256(_normalise_recovery(code).encode("utf-8")).hexdigest()


def _spend_recovery_code(user: User, code: str, now: datetime) -> bool:
    """Mark the recovery code used, if it is one of the user's unused ones; True when it was."""
    if len(_normalise_recovery(code)) != _RECOVERY_LENGTH:
        return False
    result = db.session.execute(
        update(RecoveryCode)
        .where(
            RecoveryCode.user_id == user.id,
            RecoveryCode.code_hash == _recovery_hash(code),
            RecoveryCode.used_at.is_(None),
        )
        .values(used_at=now)
        .execution_options(synchronize_session=False)
    )
    return bool(getattr(result, "rowcount", 0) == 1)


def _check_code(user: User, factor: SecondFactor, code: str, now: datetime, *, field: str = "code") -> None:
    """Accept a TOTP code once, or raise SecondFactorError."""
    step = _matching_step(unseal(factor.secret), code, now)
    if step is None or not _take_step(user, step):
        raise SecondFactorError(_("Koden stämmer inte. Skriv den kod som appen visar just nu."), field=field)


def _new_recovery_codes(user: User, now: datetime) -> list[str]:
    """Replace every recovery code of `user` with RECOVERY_CODES new ones; return them (shown once)."""
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    codes = []
    for _number in range(RECOVERY_CODES):
        raw = "".join(secrets.choice(_RECOVERY_ALPHABET) for _letter in range(_RECOVERY_LENGTH))
        codes.append(f"{raw[:5]}-{raw[5:]}")
    db.session.add_all(
        RecoveryCode(user_id=user.id, code_hash=_recovery_hash(code), created_at=now) for code in codes
    )
    db.session.flush()
    return codes


# -- turning on and off -------------------------------------------------------------------------


def begin_enrolment(user: User, *, now: datetime) -> SecondFactor:
    """Start (or start again) an enrolment with a new secret; it counts once a code confirms it."""
    if not permissions.can_use_second_factor(user):
        raise PermissionDeniedError(_("Tvåstegsverifiering finns för personalens konton."))
    factor = factor_of(user)
    if factor is not None and factor.enabled_at is not None:
        raise AccountError(_("Tvåstegsverifieringen är redan påslagen."))
    secret = seal(pyotp.random_base32())
    if factor is None:
        factor = SecondFactor(user_id=user.id, secret=secret, created_at=now)
        db.session.add(factor)
    else:
        factor.secret, factor.created_at, factor.last_used_step = secret, now, None
    db.session.flush()
    return factor


def confirm_enrolment(user: User, code: str, *, now: datetime) -> list[str]:
    """Turn the second factor on with a first code from the app; return the new recovery codes."""
    factor = factor_of(user)
    if factor is None or factor.enabled_at is not None:
        raise AccountError(_("Börja om: slå på tvåstegsverifiering på nytt."))
    _check_code(user, factor, code, now)
    factor.enabled_at = now
    codes = _new_recovery_codes(user, now)
    audit.record(user, "user.second_factor_enable", obj=user)
    logger.info("second factor on user=%s", user.id)
    return codes


def _check_password(user: User, password: str) -> None:
    if not passwords.verify_password(user.password_hash, password or ""):
        raise AccountError(_("Lösenordet stämmer inte."), field="password")


def _enabled_factor(user: User) -> SecondFactor:
    factor = factor_of(user)
    if factor is None or factor.enabled_at is None:
        raise AccountError(_("Tvåstegsverifieringen är inte påslagen."))
    return factor


def turn_off(user: User, *, password: str, code: str, now: datetime) -> None:
    """Turn one's own second factor off, after the password and a current code (or a recovery code)."""
    factor = _enabled_factor(user)
    if current_app.config["COURSEHUB_REQUIRE_SECOND_FACTOR"]:
        raise AccountError(_("Ditt konto måste ha tvåstegsverifiering, så den går inte att stänga av."))
    _check_password(user, password)
    if not _spend_recovery_code(user, code, now):
        _check_code(user, factor, code, now)
    _remove(user)
    audit.record(user, "user.second_factor_disable", obj=user)
    logger.info("second factor off user=%s", user.id)


def replace_recovery_codes(user: User, *, password: str, now: datetime) -> list[str]:
    """Replace one's recovery codes after the password; the old ones stop working."""
    _enabled_factor(user)
    _check_password(user, password)
    codes = _new_recovery_codes(user, now)
    audit.record(user, "user.second_factor_recovery_codes", obj=user)
    return codes


def _remove(user: User) -> None:
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    db.session.execute(delete(SecondFactor).where(SecondFactor.user_id == user.id))
    db.session.flush()
    db.session.expire_all()


def reset(user: User, *, actor: User, now: datetime) -> None:
    """An admin takes away the second factor of `user` (a lost phone); their sessions end.

    Writes the audit row "user.second_factor_reset"; with the setting on, the person enrols again
    at their next login.
    """
    if not permissions.can_reset_second_factor(actor, user):
        raise PermissionDeniedError(
            _("Bara en administratör kan återställa någon annans tvåstegsverifiering.")
        )
    if factor_of(user) is None:
        raise AccountError(_("Kontot har ingen tvåstegsverifiering."))
    _remove(user)
    user.session_token = new_session_token()
    audit.record(actor, "user.second_factor_reset", obj=user)
    logger.info("second factor reset user=%s", user.id)


# -- logging in ---------------------------------------------------------------------------------


def verify_login_code(user: User, code: str, *, now: datetime) -> str:
    """Check the code of a login's second step: "totp" or "recovery" for what passed, else raise.

    A six-digit code is checked as a TOTP code (each accepted once); anything else as a recovery code
    (each accepted once).
    """
    factor = _enabled_factor(user)
    if len(_digits(code)) == 6 and _digits(code).isdigit():
        _check_code(user, factor, code, now)
        return "totp"
    if _spend_recovery_code(user, code, now):
        audit.record(user, "user.second_factor_recovery_used", obj=user)
        return "recovery"
    raise SecondFactorError(_("Koden stämmer inte. Skriv den kod som appen visar just nu."), field="code")
