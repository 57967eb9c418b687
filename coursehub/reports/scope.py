"""Whom a report counts: the whole county, one county part, or one municipality.

The county means the member municipalities; a county part (accounts.CountyPart) its municipalities;
a municipality itself. People and families are placed in a scope by their own municipality.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import Any, Literal

import sqlalchemy as sa
from flask_babel import gettext as _

from coursehub.accounts.models import FIGURE_ROLES, CountyPart, Municipality, Role, county_part_municipalities
from coursehub.accounts.reference import held_list, marked
from coursehub.extensions import db
from coursehub.lib.sqlconst import written

ScopeKind = Literal["county", "part", "municipality"]

COUNTY_KEY = "lan"
_PART_KEY = re.compile(r"del-([0-9]{1,9})")
_MUNICIPALITY_KEY = re.compile(r"kommun-([0-9]{1,9})")


@dataclass(frozen=True)
class Scope:
    """A report's scope: its kind, the row it names (None for the county), label and municipalities."""

    kind: ScopeKind
    id: int | None
    label: str
    municipality_ids: tuple[int, ...]

    @property
    def key(self) -> str:
        """The scope in a URL: "lan", "del-3" or "kommun-12"."""
        if self.kind == "county":
            return COUNTY_KEY
        prefix = "del" if self.kind == "part" else "kommun"
        return f"{prefix}-{self.id}"


def county_label() -> str:
    return _("Hela länet")


def parse_scope(key: str) -> Scope | None:
    """Return the scope a URL key names, or None when it names nothing there is (one query)."""
    if key == COUNTY_KEY:
        ids = db.session.scalars(
            sa.select(Municipality.id).where(Municipality.is_member.is_(True)).order_by(Municipality.id)
        ).all()
        return Scope("county", None, county_label(), tuple(ids))
    part = _PART_KEY.fullmatch(key)
    if part is not None:
        part_id = int(part.group(1))
        rows = db.session.execute(
            sa.select(CountyPart.name, county_part_municipalities.c.municipality_id)
            .outerjoin(
                county_part_municipalities, county_part_municipalities.c.county_part_id == CountyPart.id
            )
            .where(CountyPart.id == part_id)
            .order_by(county_part_municipalities.c.municipality_id)
        ).all()
        if not rows:
            return None
        ids = tuple(row.municipality_id for row in rows if row.municipality_id is not None)
        return Scope("part", part_id, rows[0].name, ids)
    municipality = _MUNICIPALITY_KEY.fullmatch(key)
    if municipality is not None:
        municipality_id = int(municipality.group(1))
        name = db.session.scalar(sa.select(Municipality.name).where(Municipality.id == municipality_id))
        if name is None:
            return None
        return Scope("municipality", municipality_id, name, (municipality_id,))
    return None


def scopes_for(user: object) -> list[Scope]:
    """Return the scopes `user` may choose: staff and steering all; a municipal worker their own."""
    has_role = getattr(user, "has_role", None)
    if has_role is None:
        return []
    if has_role(*FIGURE_ROLES):
        return _all_scopes()
    own = getattr(user, "municipality_id", None)
    if has_role(Role.MUNICIPAL) and own is not None:
        found = parse_scope(f"kommun-{own}")
        return [found] if found is not None else []
    return []


def may_see(user: object, chosen: Scope) -> bool:
    """Return True when `user` may see a report for `chosen` (without listing every scope).

    (Parameters are not named "scope": tests/test_conventions.py keeps that name to enrollment.)
    """
    has_role = getattr(user, "has_role", None)
    if has_role is None:
        return False
    if has_role(*FIGURE_ROLES):
        return True
    return (
        has_role(Role.MUNICIPAL)
        and chosen.kind == "municipality"
        and chosen.id is not None
        and chosen.id == getattr(user, "municipality_id", None)
    )


@functools.cache
def _areas_statement() -> sa.Select[Any]:
    """The member municipalities (kind "m") and the county parts with their municipalities (kind
    "p", a row per municipality, or one with None for a part without any), built once; their rows
    only when this process does not hold them (accounts.reference)."""
    member = sa.select(
        written("m", sa.String()).label("kind"),
        Municipality.id,
        Municipality.name,
        sa.null().label("municipality_id"),
    ).where(Municipality.is_member.is_(True))
    parts = sa.select(
        written("p", sa.String()),
        CountyPart.id,
        CountyPart.name,
        county_part_municipalities.c.municipality_id,
    ).outerjoin(county_part_municipalities, county_part_municipalities.c.county_part_id == CountyPart.id)
    # Names in the database's order (its collation puts å, ä and ö where Swedish has them).
    return marked(sa.union_all(member, parts), ("kind", "name", "id", "municipality_id"))


def _all_scopes() -> list[Scope]:
    """The county, every part (by name) and every member municipality (by name): one query.

    A national list of 290 municipalities changes once in years: each process holds the scopes
    built from it, in each language, and reads the rows again only when the reference mark has
    moved (`held_list`).
    """
    county = county_label()
    return list(
        held_list(("report areas", county), _areas_statement(), lambda rows: _scopes_of(rows, county))
    )


def _scopes_of(rows: list[tuple[Any, ...]], county: str) -> tuple[Scope, ...]:
    """The scopes of `_areas_statement`'s rows (kind, id, name, municipality id; in its order),
    `county` the county's label in this language."""
    members = [(ident, name) for kind, ident, name, _member in rows if kind == "m"]
    by_part: dict[int, tuple[str, list[int]]] = {}
    for kind, ident, name, municipality_id in rows:
        if kind == "p":
            entry = by_part.setdefault(ident, (name, []))
            if municipality_id is not None:
                entry[1].append(municipality_id)
    scopes = [Scope("county", None, county, tuple(sorted(ident for ident, _name in members)))]
    scopes += [Scope("part", part_id, name, tuple(ids)) for part_id, (name, ids) in by_part.items()]
    scopes += [Scope("municipality", ident, name, (ident,)) for ident, name in members]
    return tuple(scopes)
