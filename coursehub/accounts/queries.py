"""Listings of the accounts area, each a fixed number of queries whatever the data size."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

import sqlalchemy as sa
from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from coursehub.accounts.models import (
    AuditEntry,
    CountyPart,
    Municipality,
    Role,
    User,
    UserRole,
    county_part_municipalities,
)
from coursehub.extensions import db
from coursehub.lib.distinct import distinct_values
from coursehub.lib.pagination import Page, paginate

USERS_PER_PAGE = 25
AUDIT_PER_PAGE = 50


def _like(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def search_users(
    *, q: str | None = None, role: Role | None = None, page: int = 1, per_page: int = USERS_PER_PAGE
) -> Page:
    """Return a page of users matching `q` (name, e-mail or username) and holding `role`."""
    stmt = select(User).options(selectinload(User.role_rows), joinedload(User.municipality))
    if q:
        pattern = _like(q.strip().lower())
        stmt = stmt.where(
            User.full_name.ilike(pattern, escape="\\")
            | User.email.ilike(pattern, escape="\\")
            | User.username.ilike(pattern, escape="\\")
        )
    if role is not None:
        stmt = stmt.where(User.role_rows.any(UserRole.role == role))
    stmt = stmt.order_by(User.full_name, User.id)
    return paginate(stmt, page, per_page)


class HouseholdAdult(NamedTuple):
    """An adult of a household as the pages list them."""

    id: int
    full_name: str
    email: str


def household_adults(household_id: int) -> list[HouseholdAdult]:
    """Return a household's adults, in the order they were added (as `Household.adults`).

    One statement of the columns shown: loading them as users would also load the roles of each
    one not yet loaded (a statement more whenever the household has another adult).
    """
    rows = db.session.execute(
        sa.select(User.id, User.full_name, User.email)
        .where(User.household_id == household_id)
        .order_by(User.id)
    )
    return [HouseholdAdult(*row) for row in rows]


def municipalities() -> list[Municipality]:
    """Return every municipality by name, members first."""
    return list(
        db.session.scalars(select(Municipality).order_by(Municipality.is_member.desc(), Municipality.name))
    )


def member_municipalities() -> list[Municipality]:
    """Return the resource's member municipalities by name (those a county part can hold)."""
    return list(
        db.session.scalars(
            select(Municipality).where(Municipality.is_member.is_(True)).order_by(Municipality.name)
        )
    )


def audit_entries(*, action: str | None = None, page: int = 1, per_page: int = AUDIT_PER_PAGE) -> Page:
    """Return a page of the audit log, newest first, optionally of one action only."""
    stmt = select(AuditEntry).options(joinedload(AuditEntry.actor))
    if action:
        stmt = stmt.where(AuditEntry.action == action)
    stmt = stmt.order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
    return paginate(stmt, page, per_page)


def audit_actions() -> list[str]:
    """Return the actions that occur in the audit log, for its filter."""
    return distinct_values(AuditEntry.action)  # from ix_audit_entries_action_at, not the whole log


@dataclass(frozen=True)
class PlaceNames:
    """The names of some municipalities, and the county parts they are in (for report rows)."""

    municipalities: dict[int, str]  # id -> name
    parts: dict[str, list[int]]  # part name -> ids of those municipalities in it


def _written_ids(ids: Sequence[int]) -> sa.BindParameter[Any]:
    # The ids written into the SQL, not bound: psycopg prepares a statement run five times, and
    # a generic plan for hundreds of bound ids probed the primary key once each (584 buffers for
    # the 290 municipalities at national scale) where the plan for the ids reads the table (6).
    return sa.bindparam("ids", list(ids) or [-1], type_=sa.Integer(), expanding=True, literal_execute=True)


def place_names(municipality_ids: Sequence[int]) -> PlaceNames:
    """Return the names and county parts of `municipality_ids` (one query)."""
    rows = db.session.execute(
        select(Municipality.id, Municipality.name, CountyPart.name)
        .outerjoin(
            county_part_municipalities, county_part_municipalities.c.municipality_id == Municipality.id
        )
        .outerjoin(CountyPart, CountyPart.id == county_part_municipalities.c.county_part_id)
        .where(Municipality.id.in_(_written_ids(municipality_ids)))
        .order_by(Municipality.name, CountyPart.name)
    ).all()
    names: dict[int, str] = {}
    parts: dict[str, list[int]] = {}
    for municipality_id, name, part in rows:
        names[municipality_id] = name
        if part is not None:
            parts.setdefault(part, []).append(municipality_id)
    return PlaceNames(names, dict(sorted(parts.items())))
