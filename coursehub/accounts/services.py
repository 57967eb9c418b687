"""Every write and rule of the accounts area."""

from __future__ import annotations

import logging
import unicodedata
from datetime import datetime

from sqlalchemy import func, or_, select

from coursehub.accounts import passwords
from coursehub.accounts.errors import LoginFailedError
from coursehub.accounts.models import Role, User, UserRole, new_session_token
from coursehub.extensions import db

logger = logging.getLogger(__name__)


def normalise_login(value: str) -> str:
    """Return an e-mail address or username in the form it is stored in."""
    return unicodedata.normalize("NFC", value or "").strip().lower()


def find_user_by_login(login: str) -> User | None:
    """Return the user whose e-mail or username is `login`."""
    login = normalise_login(login)
    if not login:
        return None
    return db.session.scalar(
        select(User).where(or_(func.lower(User.email) == login, User.username == login))
    )


def authenticate(login: str, password: str, *, now: datetime) -> User:
    """Return the active user with these credentials, or raise LoginFailedError."""
    user = find_user_by_login(login)
    ok = passwords.verify_password(user.password_hash if user else None, password or "")
    if user is None or not ok or not user.is_active:
        logger.info("login failed")
        raise LoginFailedError()
    if passwords.needs_rehash(user.password_hash):
        user.password_hash = passwords.hash_password(password)
    user.last_login_at = now
    db.session.flush()
    logger.info("login user=%s", user.id)
    return user


def end_sessions(user: User) -> None:
    """End every session of `user` by changing the token their session cookies carry."""
    user.session_token = new_session_token()
    db.session.flush()


def set_roles(user: User, roles) -> None:
    """Replace the roles of `user` with `roles`."""
    wanted = {Role(r) for r in roles}
    user.role_rows = [row for row in user.role_rows if Role(row.role) in wanted]
    have = {Role(row.role) for row in user.role_rows}
    for role in sorted(wanted - have):
        user.role_rows.append(UserRole(role=role))
    db.session.flush()
