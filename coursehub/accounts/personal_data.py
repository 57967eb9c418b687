"""Accounts' part of a person's data: the account, its roles and links, the household.

Export: the account (name, e-mail, user name, phone, municipality, dates), its roles, the
household with its adults and kinds of assignment, the dates of the one-time links sent (never
their hashes), and whether a second factor is on with how many recovery codes are unused (never
the secret or the codes' hashes). Erasure keeps the user and household rows, which sign-ups,
attendance and figures refer to, but replaces every name, address and number with a neutral
text, removes the password and ends every session; the roles, links and second factor go. The
household keeps its municipality and dates; its name goes when the person was its last adult
(`ErasureContext.whole_household`).
"""

from __future__ import annotations

import sqlalchemy as sa

from coursehub.accounts.models import (
    AccountToken,
    Household,
    LoginThrottle,
    RecoveryCode,
    SecondFactor,
    User,
    UserRole,
    new_session_token,
)
from coursehub.extensions import db
from coursehub.lib.personal_data import ERASED_DOMAIN, ErasureContext, Person, Provider, Rows, row

ERASED_NAME = "Borttagen person"
ERASED_HOUSEHOLD = "Borttagen familj"


def erased_email(user_id: int) -> str:
    """The address an erased account keeps: unique, never deliverable (.invalid, RFC 2606)."""
    return f"borttagen-{user_id}{ERASED_DOMAIN}"


def is_erased(user: User) -> bool:
    """Whether `user`'s personal data has been erased (the account keeps an undeliverable address)."""
    return user.email.endswith(ERASED_DOMAIN)


def _user(person: Person) -> User:
    return db.session.get_one(User, person.id)


def export(person: Person) -> Rows:
    """Return the account, its roles, the household and the links sent to the person."""
    user = _user(person)
    rows: Rows = {
        "Konto": [
            row(
                {
                    "Namn": user.full_name,
                    "E-postadress": user.email,
                    "Användarnamn": user.username,
                    "Telefon": user.phone,
                    "Kommun": user.municipality.name if user.municipality else None,
                    "Skapat": user.created_at,
                    "Senast inloggad": user.last_login_at,
                    "Avaktiverat": user.deactivated_at,
                }
            )
        ],
        "Roller": [row({"Roll": role}) for role in sorted(user.roles)],
        "Engångslänkar": [
            row(
                {
                    "Slag": token.purpose,
                    "Skickad": token.created_at,
                    "Gäller till": token.expires_at,
                    "Använd": token.used_at,
                }
            )
            for token in db.session.scalars(
                sa.select(AccountToken).where(AccountToken.user_id == user.id).order_by(AccountToken.id)
            )
        ],
    }
    second_factor = db.session.get(SecondFactor, user.id)
    if second_factor is not None:
        unused = db.session.scalar(
            sa.select(sa.func.count())
            .select_from(RecoveryCode)
            .where(RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None))
        )
        rows["Tvåstegsverifiering"] = [
            row({"Påslagen": second_factor.enabled_at, "Oanvända reservkoder": unused or 0})
        ]
    household = user.household
    if household is not None:
        rows["Familj"] = [
            row(
                {
                    "Namn": household.name,
                    "Kommun": household.municipality.name,
                    "Bekräftad": household.confirmed_at,
                    "Vuxna": ", ".join(adult.full_name for adult in household.adults),
                    "Uppdrag": ", ".join(kind.name for kind in household.home_kinds),
                    "Skapad": household.created_at,
                }
            )
        ]
    return rows


def erase(person: Person, context: ErasureContext) -> None:
    """Anonymise the account (kept for what refers to it), drop its roles, links and password."""
    user = _user(person)
    old_email = user.email
    user.full_name = ERASED_NAME
    user.email = erased_email(user.id)
    user.username = f"borttagen-{user.id}"
    user.phone = None
    user.password_hash = None
    user.session_token = new_session_token()  # every session ends
    if user.deactivated_at is None:
        user.deactivated_at = context.now
    db.session.execute(sa.delete(UserRole).where(UserRole.user_id == user.id))
    db.session.execute(sa.delete(AccountToken).where(AccountToken.user_id == user.id))
    db.session.execute(sa.delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    db.session.execute(sa.delete(SecondFactor).where(SecondFactor.user_id == user.id))
    db.session.execute(
        sa.delete(LoginThrottle).where(
            LoginThrottle.key.in_((f"account:user:{user.id}", f"account:{old_email}"))
        )
    )
    if context.whole_household and user.household_id is not None:
        household = db.session.get_one(Household, user.household_id)
        household.name = ERASED_HOUSEHOLD
        household.home_kinds = []
    db.session.expire(user, ["role_rows"])
    db.session.flush()


provider = Provider(
    area="accounts",
    tables=(
        "users",
        "households",
        "household_home_kinds",
        "user_roles",
        "account_tokens",
        "second_factors",
        "recovery_codes",
    ),
    export=export,
    erase=erase,
)
