"""Every write and rule of the accounts area."""

from __future__ import annotations

import hashlib
import logging
import re
import secrets
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, cast

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import CursorResult, func, or_, select, update
from sqlalchemy import case as sa_case
from sqlalchemy import delete as sa_delete

from coursehub import events
from coursehub.accounts import audit, emails, passwords, permissions
from coursehub.accounts.errors import (
    AccountError,
    EmailTakenError,
    InvalidLinkError,
    LoginFailedError,
    LoginThrottledError,
    StaffAccountError,
)
from coursehub.accounts.models import (
    AccountToken,
    Gender,
    Household,
    LoginThrottle,
    Municipality,
    Role,
    TokenPurpose,
    User,
    UserRole,
    new_session_token,
)
from coursehub.errors import PermissionDeniedError
from coursehub.extensions import db
from coursehub.lib.checks import known
from coursehub.lib.database import insert_on_conflict
from coursehub.lib.email_address import InvalidEmailAddress, email_or_none, normalise_email

logger = logging.getLogger(__name__)

# Passed as `gender` to update_user: leave the gender as it is (the form did not post one).
KEEP_GENDER: object = object()

MAX_NAME = 120
MAX_EMAIL = 254
MAX_USERNAME = 80
MAX_PHONE = 30
_USERNAME = re.compile(r"[a-z0-9]+(?:[.-][a-z0-9]+)*")
_PHONE = re.compile(r"\+?[0-9][0-9 ()-]*")
_ASCII_EXTRA = str.maketrans({"ø": "o", "æ": "ae", "ß": "ss", "đ": "d", "ł": "l"})


# -- reading and normalising ------------------------------------------------------------------


def normalise_login(value: str) -> str:
    """Return an e-mail address or username in the form it is stored in."""
    return unicodedata.normalize("NFC", value or "").strip().lower()


def find_user_by_login(login: str) -> User | None:
    """Return the user whose e-mail or username is `login`."""
    login = normalise_login(login)
    if not login:
        return None
    # An address is looked up in its stored form (an internationalised domain in ASCII, lower
    # case: normalise_email), so that the unique index on it finds it. lower(email) read every
    # account instead: 46 ms for each login with the national bench set's 55,000 accounts.
    address = (email_or_none(login) if "@" in login else None) or login
    return db.session.scalar(select(User).where(or_(User.email == address, User.username == login)))


def suggest_username(full_name: str) -> str:
    """Return `fornamn.efternamn` made from a full name (å, ä → a, ö → o, é → e), or ""."""
    text = unicodedata.normalize("NFKD", (full_name or "").lower().translate(_ASCII_EXTRA))
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    words = re.findall(r"[a-z0-9]+(?:-[a-z0-9]+)*", text)
    if not words:
        return ""
    base = words[0] if len(words) == 1 else f"{words[0]}.{words[-1]}"
    return base[: MAX_USERNAME - 4]


def free_username(base: str) -> str:
    """Return `base`, or `base` with the lowest number (2, 3, ...) that makes it unused."""
    taken = set(
        db.session.scalars(
            select(User.username).where(or_(User.username == base, User.username.like(f"{base}%")))
        )
    )
    if base not in taken:
        return base
    number = 2
    while f"{base}{number}" in taken:
        number += 1
    return f"{base}{number}"


# -- checks shared by every way an account is written ------------------------------------------


def _clean_name(full_name: str) -> str:
    name = unicodedata.normalize("NFC", full_name or "").strip()
    if not name:
        raise AccountError(_("Skriv namnet."), field="full_name")
    if len(name) > MAX_NAME:
        raise AccountError(_("Namnet får vara högst %(max)d tecken.", max=MAX_NAME), field="full_name")
    return name


def _clean_email(email: str, *, user: User | None = None) -> str:
    try:
        email = normalise_email(email)
    except InvalidEmailAddress as error:
        raise AccountError(str(error), field="email") from None
    other = db.session.scalar(select(User.id).where(User.email == email))
    if other is not None and (user is None or other != user.id):
        raise EmailTakenError()
    return email


def _clean_phone(phone: str | None) -> str | None:
    phone = (phone or "").strip()
    if not phone:
        return None
    if len(phone) > MAX_PHONE or not _PHONE.fullmatch(phone):
        raise AccountError(_("Skriv telefonnumret med siffror, till exempel 036-123 45 67."), field="phone")
    return phone


def _clean_username(username: str | None, full_name: str) -> str:
    wanted = normalise_login(username or "")
    if not wanted:
        base = suggest_username(full_name) or "anvandare"
        return free_username(base)
    if len(wanted) > MAX_USERNAME or not _USERNAME.fullmatch(wanted):
        raise AccountError(
            _("Användarnamnet får bara ha små bokstäver a–z, siffror och punkt, till exempel anna.svensson."),
            field="username",
        )
    if db.session.scalar(select(User.id).where(User.username == wanted)) is not None:
        raise AccountError(
            _(
                "Användarnamnet är upptaget. Välj ett annat, till exempel %(name)s.",
                name=free_username(wanted),
            ),
            field="username",
        )
    return wanted


def check_password(password: str, confirm: str | None = None, *, field: str = "password") -> None:
    """Raise AccountError unless `password` has 12–256 characters and matches `confirm`."""
    password = password or ""
    if len(password) < passwords.MIN_LENGTH:
        raise AccountError(
            _("Lösenordet måste ha minst %(min)d tecken.", min=passwords.MIN_LENGTH), field=field
        )
    if len(password) > passwords.MAX_LENGTH:
        raise AccountError(
            _("Lösenordet får ha högst %(max)d tecken.", max=passwords.MAX_LENGTH), field=field
        )
    if confirm is not None and confirm != password:
        raise AccountError(_("Lösenorden är inte lika. Skriv samma lösenord två gånger."), field="confirm")


def _parse_roles(roles: Iterable[str]) -> set[Role]:
    wanted = set()
    for value in roles:
        try:
            wanted.add(Role(str(value).strip().lower()))
        except ValueError:
            choices = ", ".join(role.value for role in Role)
            raise AccountError(
                _("Okänd roll: %(role)s. Välj bland: %(choices)s.", role=value, choices=choices),
                field="roles",
            ) from None
    return wanted


def _check_municipality(roles: set[Role], municipality: Municipality | None) -> None:
    if Role.MUNICIPAL in roles and municipality is None:
        raise AccountError(_("Välj kommun för den som arbetar i en kommun."), field="municipality")


# -- logging in and out ------------------------------------------------------------------------


def authenticate(login: str, password: str, *, now: datetime) -> User:
    """Return the active user with these credentials, or raise LoginFailedError."""
    user = find_user_by_login(login)
    password_hash = user.password_hash if user else None
    ok = passwords.verify_password(password_hash, password or "")
    # An account without a password (invited, no password chosen yet) is never `ok`.
    if user is None or password_hash is None or not ok or not user.is_active:
        logger.info("login failed")
        raise LoginFailedError()
    if passwords.needs_rehash(password_hash):
        user.password_hash = passwords.hash_password(password)
    user.last_login_at = now
    db.session.flush()
    logger.info("login user=%s", user.id)
    return user


# -- growing delays after failed logins ---------------------------------------------------------
#
# Failures are counted per address and per account (one counter per person, whether they type their
# e-mail address or their username; a name that matches nobody counts on its own). After
# COURSEHUB_LOGIN_FREE_FAILURES failures a counter is "waiting": the next try is refused until
# COURSEHUB_LOGIN_DELAY_SECONDS after the last failure, a delay that doubles with each further failure,
# capped at COURSEHUB_LOGIN_DELAY_MAX_SECONDS. A refused try is not checked and not counted.
#
# The owner is never locked out by somebody else: an address that is waiting is refused outright
# (that is the attacker's own address), but a waiting *account* refuses only tries from addresses
# that have failed themselves. A try from an address without failures is checked as usual, so the
# owner who types the right password gets in while the account is attacked from elsewhere; an
# attacker who spreads over many addresses gets one guess per address per delay, each of which then
# waits. Counters live in the database (login_throttles) so that every worker counts together, and
# are kept by an atomic upsert. A success clears nothing (an attacker with an account of their own
# must not win new free tries by logging in); failures are forgotten after
# COURSEHUB_LOGIN_FAILURES_FORGET_HOURS. Several people behind one address (a shared NAT) share its
# counter: one of them guessing slows the others down there, never from elsewhere.


def _throttle_keys(login: str, address: str) -> tuple[str, str]:
    name = normalise_login(login)[:254]
    user = find_user_by_login(name)
    account = f"account:user:{user.id}" if user is not None else f"account:{name}"
    return account, f"address:{address[:200]}"


def _failures(key: str, now: datetime) -> tuple[int, datetime | None]:
    """Return the failures that still count for `key`, and when the last one was."""
    row = db.session.get(LoginThrottle, key)
    if row is None:
        return 0, None
    forget = timedelta(hours=current_app.config["COURSEHUB_LOGIN_FAILURES_FORGET_HOURS"])
    if row.last_failure_at + forget <= now:
        return 0, None
    return row.failures, row.last_failure_at


def login_delay(failures: int) -> timedelta:
    """Return how long the next try waits after `failures` failures (zero while they are free)."""
    config = current_app.config
    extra = failures - config["COURSEHUB_LOGIN_FREE_FAILURES"]
    if extra < 0:
        return timedelta(0)
    cap = config["COURSEHUB_LOGIN_DELAY_MAX_SECONDS"]
    return timedelta(seconds=min(cap, config["COURSEHUB_LOGIN_DELAY_SECONDS"] * 2 ** min(extra, 32)))


def _waiting(failures: int, last: datetime | None, now: datetime) -> bool:
    return last is not None and failures > 0 and now < last + login_delay(failures)


def check_login_throttle(login: str, address: str, *, now: datetime) -> None:
    """Raise LoginThrottledError when this try must wait (see the rules above)."""
    account_key, address_key = _throttle_keys(login, address)
    address_failures, address_last = _failures(address_key, now)
    if _waiting(address_failures, address_last, now):
        raise LoginThrottledError()
    account_failures, account_last = _failures(account_key, now)
    if address_failures and _waiting(account_failures, account_last, now):
        raise LoginThrottledError()


def record_login_failure(login: str, address: str, *, now: datetime) -> None:
    """Count one failed login on the account and on the address (atomically, for every worker)."""
    forget = timedelta(hours=current_app.config["COURSEHUB_LOGIN_FAILURES_FORGET_HOURS"])
    for key in _throttle_keys(login, address):
        values = {"key": key, "failures": 1, "last_failure_at": now}
        counted = {
            # A failure after the old ones were forgotten starts the count again.
            "failures": sa_case(
                (LoginThrottle.last_failure_at <= now - forget, 1), else_=LoginThrottle.failures + 1
            ),
            "last_failure_at": now,
        }
        db.session.execute(
            insert_on_conflict(LoginThrottle)
            .values(values)
            .on_conflict_do_update(index_elements=["key"], set_=counted)
        )
    db.session.flush()


def end_sessions(user: User) -> None:
    """End every session of `user` by changing the token their session cookies carry."""
    user.session_token = new_session_token()
    db.session.flush()


def set_roles(user: User, roles: Iterable[str]) -> None:
    """Replace the roles of `user` with `roles`."""
    wanted = {Role(r) for r in roles}
    user.role_rows = [row for row in user.role_rows if Role(row.role) in wanted]
    have = {Role(row.role) for row in user.role_rows}
    for role in sorted(wanted - have):
        user.role_rows.append(UserRole(role=role))
    db.session.flush()


def change_password(
    user: User, *, current_password: str, new_password: str, confirm: str, now: datetime
) -> User:
    """Set a new password after checking the current one; end every session of `user`."""
    if not passwords.verify_password(user.password_hash, current_password or ""):
        raise AccountError(_("Det nuvarande lösenordet stämmer inte."), field="current_password")
    check_password(new_password, confirm, field="new_password")
    user.password_hash = passwords.hash_password(new_password)
    end_sessions(user)
    audit.record(user, "user.password_change", obj=user)
    logger.info("password changed user=%s", user.id)
    return user


def update_phone(user: User, *, phone: str | None, actor: User) -> User:
    """Change the phone number on one's own account (or, by staff, on one they may edit)."""
    _check_may_edit(actor, user, own_too=False)
    user.phone = _clean_phone(phone)
    db.session.flush()
    audit.record(actor, "user.update", obj=user, detail="phone")
    return user


def parse_gender(value: object) -> Gender | None:
    """Return the gender a form posted (None or "": not stated); refuse anything else."""
    if value is None or value == "":
        return None
    if isinstance(value, Gender):
        return value
    if isinstance(value, str) and value in {gender.value for gender in Gender}:
        return Gender(value)
    raise AccountError(_("Välj ett av alternativen."), field="gender")


def update_gender(user: User, *, gender: object, actor: User) -> User:
    """Set or clear a person's gender: optional, and only counted (never shown by name) in reports.

    A person sets their own on the profile page; staff set it where they may edit the account.
    """
    _check_may_edit(actor, user, own_too=False)
    chosen = parse_gender(gender)
    if user.gender != chosen:
        user.gender = chosen
        audit.record(actor, "user.update", obj=user, detail="gender")
    return user


# -- creating accounts ---------------------------------------------------------------------------


def create_user_from_cli(
    *,
    email: str,
    full_name: str,
    roles: Iterable[str],
    password: str,
    municipality_code: str | None,
    now: datetime,
) -> User:
    """Create an account with a password (the first admin, scripts)."""
    name = _clean_name(full_name)
    address = _clean_email(email)
    wanted = _parse_roles(roles)
    if not wanted:
        raise AccountError(_("Ange minst en roll."), field="roles")
    check_password(password)
    municipality = None
    if municipality_code:
        municipality = db.session.scalar(
            select(Municipality).where(Municipality.code == municipality_code.strip())
        )
        if municipality is None:
            raise AccountError(
                _("Det finns ingen kommun med koden %(code)s.", code=municipality_code), field="municipality"
            )
    _check_municipality(wanted, municipality)
    user = User(
        email=address,
        full_name=name,
        username=_clean_username(None, name),
        password_hash=passwords.hash_password(password),
        municipality=municipality,
        created_at=now,
    )
    db.session.add(user)
    set_roles(user, wanted)
    audit.record(None, "user.create", obj=user, detail="cli")
    logger.info("user created from the command line user=%s", user.id)
    return user


def invite_user(
    *,
    actor: User,
    full_name: str,
    email: str,
    username: str | None = None,
    phone: str | None = None,
    roles: Iterable[str] = (),
    municipality: Municipality | None = None,
    now: datetime,
) -> User:
    """Create an account without a password and e-mail the person a link to set one."""
    name = _clean_name(full_name)
    address = _clean_email(email)
    wanted = _parse_roles(roles)
    for role in wanted:
        if not permissions.can_grant_role(actor, role):
            raise PermissionDeniedError(_("Du får inte ge rollen %(role)s.", role=role.value), field="roles")
    _check_municipality(wanted, municipality)
    user = User(
        email=address,
        full_name=name,
        username=_clean_username(username, name),
        phone=_clean_phone(phone),
        municipality=municipality,
        password_hash=None,
        created_at=now,
    )
    db.session.add(user)
    set_roles(user, wanted)
    _issue_invitation(user, actor=actor, now=now)
    return user


def _issue_invitation(
    user: User, *, actor: User | None, now: datetime, family: bool = False, run_title: str | None = None
) -> None:
    """The one invitation path: a single-use link, its mail and an audit row "user.invite".

    A user created by staff gets the mail naming the inviter. A family adult (`family`) gets the
    mail saying the family signed up for `run_title`, or, without one, that its municipality
    made the account. `actor` is None when a family registers itself.
    """
    days = current_app.config["COURSEHUB_INVITATION_DAYS"]
    token, row = _new_token(user, TokenPurpose.INVITATION, now + timedelta(days=days), actor, now)
    if family:
        emails.queue_family_invitation_email(user, token=token, run_title=run_title)
    else:
        emails.queue_invitation_email(user, token=token, token_row=row, inviter=actor, days=days)
    audit.record(actor, "user.invite", obj=user, detail=",".join(sorted(user.roles)))
    logger.info("user invited user=%s", user.id)


# -- households and their adults -----------------------------------------------------------------


@dataclass(frozen=True)
class NewAdult:
    """An adult to add to a household: name and e-mail address, as typed."""

    full_name: str
    email: str


def _check_adults(adults: list[NewAdult], *, existing: list[User] | None = None) -> list[NewAdult]:
    """Return the filled-in adults, cleaned; raise AccountError(field="adults") on the first fault.

    An address that already has an account is refused, unless `existing` is given: then its user
    is added to `existing` and the adult is left out (a stranger's form must not tell who exists).
    """
    cleaned = []
    seen = set()
    for adult in adults:
        name = " ".join(unicodedata.normalize("NFC", adult.full_name or "").split())
        typed = unicodedata.normalize("NFC", adult.email or "").strip()
        if not name and not typed:
            continue
        if not name:
            raise AccountError(_("Skriv namnet på den vuxna."), field="adults")
        try:
            email = normalise_email(typed)
        except InvalidEmailAddress as error:
            raise AccountError(f"{name}: {error}", field="adults") from None
        if email in seen:
            raise AccountError(_("Varje vuxen behöver en egen e-postadress."), field="adults")
        seen.add(email)
        owner = db.session.scalar(select(User).where(User.email == email))
        if owner is not None and existing is not None:
            existing.append(owner)
            continue
        if owner is not None:
            raise AccountError(
                _("Det finns redan ett konto med e-postadressen %(email)s. Logga in i stället.", email=email),
                field="adults",
            )
        cleaned.append(NewAdult(name[:MAX_NAME], email))
    if not cleaned and not existing:
        raise AccountError(_("Skriv namn och e-postadress för minst en vuxen."), field="adults")
    return cleaned


def add_family_adult(
    household: Household, adult: NewAdult, *, actor: User | None, now: datetime, run_title: str | None = None
) -> User:
    """Create the account of one adult of `household` (role family, no password) and invite it.

    `adult` must come from _check_adults (create_household checks them all first).
    """
    user = User(
        full_name=adult.full_name,
        email=adult.email,
        username=free_username(suggest_username(adult.full_name) or "familj"),
        household=household,
        password_hash=None,
        created_at=now,
        role_rows=[UserRole(role=Role.FAMILY)],
    )
    db.session.add(user)
    db.session.flush()
    _issue_invitation(user, actor=actor, now=now, family=True, run_title=run_title)
    return user


def create_household(
    name: str,
    municipality: Municipality,
    adults: list[NewAdult],
    *,
    actor: User | None,
    now: datetime,
    confirmed: bool,
    run_title: str | None = None,
) -> Household:
    """Create a household of `municipality` with its adults, each invited to choose a password.

    The caller checks who may do this. `confirmed` is True when a municipal worker adds it, False
    when a family registers itself (its municipality confirms it later). Raises AccountError with
    field "adults" when no adult is complete, an address is refused or already has an account.
    """
    adults = _check_adults(adults)
    household = _new_household(name, municipality, adults, now=now)
    if confirmed:
        # Only a worker adds a confirmed household (a family registering itself is not confirmed).
        worker = known(actor, "a confirmed household is added by a worker")
        confirm_household(household, actor=worker, now=now)
    for adult in adults:
        add_family_adult(household, adult, actor=actor, now=now, run_title=run_title)
    db.session.refresh(household)
    return household


def _new_household(
    name: str, municipality: Municipality, adults: list[NewAdult], *, now: datetime
) -> Household:
    name = " ".join((name or "").split())[:MAX_NAME] or _(
        "Familjen %(name)s", name=adults[0].full_name.split()[-1]
    )
    household = Household(name=name, municipality=municipality, is_confirmed=False, created_at=now)
    db.session.add(household)
    db.session.flush()
    return household


def create_unconfirmed_household(
    name: str,
    municipality: Municipality,
    adults: list[NewAdult],
    *,
    now: datetime,
    run_title: str,
    signup_path: str,
) -> Household | None:
    """Create a self-registered (unconfirmed) household with the adults whose addresses are new.

    An address that already has an account gets nothing created: its owner is told by mail that
    someone tried to register with it (at most once a day), with the way to sign up by logging in.
    Returns None when no adult was new. The caller answers the same in every case, so that the
    form does not tell which addresses have accounts.
    """
    existing: list[User] = []
    fresh = _check_adults(adults, existing=existing)
    for owner in existing:
        if owner.is_active:
            emails.queue_registration_attempt_email(
                owner, run_title=run_title, signup_path=signup_path, now=now
            )
    if existing:
        logger.info("family registration named %d existing account(s)", len(existing))
    if not fresh:
        return None
    household = _new_household(name, municipality, fresh, now=now)
    for adult in fresh:
        add_family_adult(household, adult, actor=None, now=now, run_title=run_title)
    db.session.refresh(household)
    return household


def may_discard_household(household: Household) -> bool:
    """Return True for a household nobody has vouched for: unconfirmed, no adult with a password."""
    return not household.is_confirmed and all(adult.password_hash is None for adult in household.adults)


def discard_unconfirmed_household(household: Household, *, now: datetime) -> bool:
    """Delete a self-registered household whose adults never confirmed their addresses.

    Kept (False) unless `may_discard_household`. The caller first removes what its own area holds
    of the household (sign-ups).
    """
    if not may_discard_household(household):
        return False
    adults = list(household.adults)
    for adult in adults:
        db.session.execute(sa_delete(AccountToken).where(AccountToken.user_id == adult.id))
        db.session.delete(adult)
    db.session.flush()
    audit.record(None, "household.lapse", obj=household)
    db.session.delete(household)
    db.session.flush()
    logger.info("unconfirmed household %s removed", household.id)
    return True


def confirm_household(household: Household, *, actor: User, now: datetime) -> Household:
    """Mark a household as confirmed by a worker of its municipality (the caller checks who)."""
    household.is_confirmed = True
    household.confirmed_at = now
    household.confirmed_by_id = actor.id
    db.session.flush()
    return household


# -- editing, deactivating -----------------------------------------------------------------------


def update_user(
    user: User,
    *,
    actor: User,
    full_name: str,
    phone: str | None,
    roles: Iterable[str] | None,
    municipality: Municipality | None,
    now: datetime,
    gender: object = KEEP_GENDER,
) -> User:
    """Change name, phone, roles, municipality and (unless KEEP_GENDER) gender of an account.

    `roles` are the roles chosen among those `actor` may grant; the roles `actor` may not grant
    stay as they are, whatever was posted. `roles=None` leaves the roles as they are. Only an
    admin changes anything of a staff or admin account (`permissions.can_edit_account`).
    """
    _check_may_edit(actor, user)
    name, phone = _clean_name(full_name), _clean_phone(phone)
    new_gender = user.gender if gender is KEEP_GENDER else parse_gender(gender)
    if roles is None:
        wanted = set(user.roles)
    else:
        chosen = _parse_roles(roles)
        kept = {role for role in user.roles if not permissions.can_grant_role(actor, role)}
        for role in chosen - kept:
            if not permissions.can_grant_role(actor, role):
                raise PermissionDeniedError(
                    _("Du får inte ge rollen %(role)s.", role=role.value), field="roles"
                )
        wanted = chosen | kept
    if user.id == actor.id and Role.ADMIN in user.roles and Role.ADMIN not in wanted:
        raise AccountError(_("Du kan inte ta bort din egen administratörsroll."), field="roles")
    _check_municipality(wanted, municipality)
    # Which fields changed, by name only: the audit row holds no personal data.
    changed = [
        field
        for field, old, new in (
            ("full_name", user.full_name, name),
            ("phone", user.phone, phone),
            ("municipality", user.municipality_id, getattr(municipality, "id", None)),
            ("gender", user.gender, new_gender),
        )
        if old != new
    ]
    before = ",".join(sorted(user.roles))
    user.full_name, user.phone, user.municipality = name, phone, municipality
    user.gender = new_gender
    set_roles(user, wanted)
    after = ",".join(sorted(wanted))
    parts = [",".join(changed)] if changed else []
    if before != after:
        parts.append(f"roles {before} -> {after}")
    audit.record(actor, "user.update", obj=user, detail="; ".join(parts) or None)
    if before != after:
        # Revoked rights take effect on the next request: the roles are read per request.
        logger.info("roles changed user=%s", user.id)
    return user


def _check_may_edit(actor: User, user: User, *, own_too: bool = True) -> None:
    """Raise StaffAccountError unless `actor` may change `user`'s account.

    Only an admin changes a staff or admin account, their own included (`own_too=False` lets a
    person change their own, as on the profile page).
    """
    if not own_too and actor.id == user.id:
        return
    if not permissions.can_edit_account(actor, user):
        raise StaffAccountError()


def deactivate_user(user: User, *, actor: User, now: datetime) -> User:
    """Close an account: it can no longer log in, and every session of it ends.

    Sends `events.user_deactivated` once the account is closed.
    """
    if user.id == actor.id:
        raise AccountError(_("Du kan inte avaktivera ditt eget konto."))
    if not permissions.can_edit_account(actor, user):
        raise PermissionDeniedError(_("Bara en administratör kan avaktivera personal."))
    if not user.is_active:
        raise AccountError(_("Kontot är redan avaktiverat."))
    user.deactivated_at = now
    end_sessions(user)
    _spend_tokens(user, now)
    audit.record(actor, "user.deactivate", obj=user)  # flushes
    events.user_deactivated.send(user, actor=actor, now=now)
    logger.info("user deactivated user=%s", user.id)
    return user


def reactivate_user(user: User, *, actor: User, now: datetime) -> User:
    """Open a closed account again."""
    if user.is_active:
        raise AccountError(_("Kontot är redan aktivt."))
    if not permissions.can_edit_account(actor, user):
        raise PermissionDeniedError(_("Bara en administratör kan återaktivera personal."))
    user.deactivated_at = None
    db.session.flush()
    audit.record(actor, "user.reactivate", obj=user)
    logger.info("user reactivated user=%s", user.id)
    return user


# -- single-use links: password reset and invitation ----------------------------------------------


def hash_token(token: str) -> str:
    """Return the SHA-256 (hex) under which a link's token is stored."""
    return hashlib.sha256((token or "").encode("utf-8")).hexdigest()


def _new_token(
    user: User, purpose: TokenPurpose, expires_at: datetime, actor: User | None, now: datetime
) -> tuple[str, AccountToken]:
    token = secrets.token_urlsafe(32)
    row = AccountToken(
        user=user,
        purpose=purpose,
        token_hash=hash_token(token),
        created_at=now,
        expires_at=expires_at,
        created_by_id=getattr(actor, "id", None),
    )
    db.session.add(row)
    db.session.flush()
    return token, row


def _spend_tokens(user: User, now: datetime) -> None:
    db.session.execute(
        update(AccountToken)
        .where(AccountToken.user_id == user.id, AccountToken.used_at.is_(None))
        .values(used_at=now)
    )


def request_password_reset(email: str, *, now: datetime) -> None:
    """E-mail a reset link if an active account has this address; otherwise do nothing.

    At most COURSEHUB_RESET_MAILS_PER_HOUR links per account and hour are sent; past the cap nothing
    is sent. The caller answers the same in every case, so that nobody learns which addresses exist
    or whether the cap was reached.
    """
    address = email_or_none(email) or normalise_login(email)[: MAX_EMAIL + 1]
    user = db.session.scalar(select(User).where(User.email == address))
    if user is None or not user.is_active:
        logger.info("password reset asked for an unknown address")
        return
    # At most COURSEHUB_RESET_MAILS_PER_HOUR mails per account and hour, so that nobody can flood an
    # inbox; the page answers the same when the cap is reached.
    sent = db.session.scalar(
        select(func.count(AccountToken.id)).where(
            AccountToken.user_id == user.id,
            AccountToken.purpose == TokenPurpose.RESET,
            AccountToken.created_at > now - timedelta(hours=1),
        )
    )
    if (sent or 0) >= current_app.config["COURSEHUB_RESET_MAILS_PER_HOUR"]:
        logger.info("password reset cap reached user=%s", user.id)
        return
    # Only the newest reset link works: earlier ones that are still lying in the inbox expire now.
    db.session.execute(
        update(AccountToken)
        .where(
            AccountToken.user_id == user.id,
            AccountToken.purpose == TokenPurpose.RESET,
            AccountToken.used_at.is_(None),
            AccountToken.expires_at > now,
        )
        .values(expires_at=now)
    )
    hours = current_app.config["COURSEHUB_RESET_TOKEN_HOURS"]
    token, row = _new_token(user, TokenPurpose.RESET, now + timedelta(hours=hours), None, now)
    emails.queue_password_reset_email(user, token=token, token_row=row, hours=hours)
    logger.info("password reset link queued user=%s", user.id)


def find_link(token: str, purpose: TokenPurpose, *, now: datetime) -> AccountToken:
    """Return the usable link for `token`, or raise InvalidLinkError saying why not."""
    row = db.session.scalar(
        select(AccountToken).where(
            AccountToken.token_hash == hash_token(token), AccountToken.purpose == purpose
        )
    )
    if row is None or not row.user.is_active:
        raise InvalidLinkError(
            _("Länken gäller inte. Kontrollera att du använt hela länken i e-postmeddelandet.")
        )
    if row.used_at is not None:
        raise InvalidLinkError(_("Länken har redan använts. Varje länk fungerar bara en gång."))
    if not row.is_usable(now):
        raise InvalidLinkError(_("Länken har gått ut."))
    return row


def set_password_by_link(
    token: str, purpose: TokenPurpose, *, password: str, confirm: str, now: datetime
) -> User:
    """Set a password through a reset or invitation link; the link then works no more."""
    row = find_link(token, purpose, now=now)
    check_password(password, confirm)
    # A conditional update: of two requests racing with one link, only one gets a row.
    # An UPDATE's result is a CursorResult (it has rowcount); Session.execute is typed Result.
    spent = cast(
        CursorResult[Any],
        db.session.execute(
            update(AccountToken)
            .where(AccountToken.id == row.id, AccountToken.used_at.is_(None))
            .values(used_at=now)
        ),
    )
    if spent.rowcount != 1:
        raise InvalidLinkError(_("Länken har redan använts. Varje länk fungerar bara en gång."))
    user = row.user
    _spend_tokens(user, now)
    user.password_hash = passwords.hash_password(password)
    end_sessions(user)
    action = "user.password_reset" if purpose == TokenPurpose.RESET else "user.invitation_accept"
    audit.record(user, action, obj=user)
    if purpose == TokenPurpose.INVITATION:
        # The address is confirmed now: a self-registered family's sign-up may go on (enrollment).
        events.invitation_accepted.send(user, actor=user, now=now)
    logger.info("password set by link user=%s", user.id)
    return user
