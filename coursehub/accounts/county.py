"""County parts (named groups of municipalities) and kinds of home: their writes, rules and reads.

Kept apart from `services.py` (already long); the same rules hold: plain functions with an explicit
actor, flush and never commit, a domain error with a Swedish message beside its field.
"""

from __future__ import annotations

import logging
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import func, or_, select

from coursehub.accounts import audit
from coursehub.accounts.errors import AccountError
from coursehub.accounts.models import (
    CountyPart,
    HomeKind,
    Household,
    Municipality,
    User,
    county_part_municipalities,
)
from coursehub.extensions import db

logger = logging.getLogger(__name__)

MAX_NAME = 80


def _clean_name(name: str | None) -> str:
    """Return the name in NFC with its spaces collapsed; raise when blank or too long."""
    cleaned = " ".join(unicodedata.normalize("NFC", name or "").split())
    if not cleaned:
        raise AccountError(_("Skriv ett namn."), field="name")
    if len(cleaned) > MAX_NAME:
        raise AccountError(_("Namnet får vara högst %(n)s tecken.", n=MAX_NAME), field="name")
    return cleaned


def _name_taken(model: type[CountyPart] | type[HomeKind], name: str, own_id: int | None) -> bool:
    # The exact name too: SQLite's lower() folds ASCII letters only (Å, Ê stay as they are).
    stmt = select(model.id).where(or_(model.name == name, func.lower(model.name) == name.lower()))
    if own_id is not None:
        stmt = stmt.where(model.id != own_id)
    return db.session.scalar(stmt) is not None


# -- county parts ------------------------------------------------------------------------------


def _check_part(
    name: str | None, municipalities: Iterable[Municipality], own_id: int | None
) -> tuple[str, list[Municipality]]:
    cleaned = _clean_name(name)
    if _name_taken(CountyPart, cleaned, own_id):
        raise AccountError(_("Det finns redan en länsdel med det namnet."), field="name")
    chosen = list({m.id: m for m in municipalities}.values())
    if not chosen:
        raise AccountError(_("Välj minst en kommun i länsdelen."), field="municipalities")
    return cleaned, sorted(chosen, key=lambda m: m.name)


def create_county_part(
    *, name: str | None, municipalities: Iterable[Municipality], actor: User
) -> CountyPart:
    """Create a named county part of one or more municipalities."""
    cleaned, chosen = _check_part(name, municipalities, None)
    part = CountyPart(name=cleaned, municipalities=chosen)
    db.session.add(part)
    db.session.flush()
    audit.record(actor, "county_part.create", obj=part)
    logger.info("county part %s created", part.id)
    return part


def update_county_part(
    part: CountyPart, *, name: str | None, municipalities: Iterable[Municipality], actor: User
) -> CountyPart:
    """Rename a county part and set its municipalities (a municipality may be in several parts)."""
    cleaned, chosen = _check_part(name, municipalities, part.id)
    part.name = cleaned
    part.municipalities = chosen
    db.session.flush()
    audit.record(actor, "county_part.update", obj=part)
    logger.info("county part %s updated", part.id)
    return part


def county_parts() -> list[CountyPart]:
    """Return every county part by name, with its municipalities (two queries)."""
    from sqlalchemy.orm import selectinload

    return list(
        db.session.scalars(
            select(CountyPart).options(selectinload(CountyPart.municipalities)).order_by(CountyPart.name)
        )
    )


@dataclass(frozen=True)
class PartMembership:
    """Which county parts each municipality (by name) belongs to."""

    parts_of: dict[str, list[str]]

    def shared(self) -> list[str]:
        """Return the municipalities that are in more than one part, by name."""
        return sorted(name for name, parts in self.parts_of.items() if len(parts) > 1)


def part_membership() -> PartMembership:
    """Return the county parts of every municipality that is in one, by name (one query)."""
    rows = db.session.execute(
        select(Municipality.name, CountyPart.name)
        .join(county_part_municipalities, county_part_municipalities.c.municipality_id == Municipality.id)
        .join(CountyPart, CountyPart.id == county_part_municipalities.c.county_part_id)
        .order_by(Municipality.name, CountyPart.name)
    )
    parts_of: dict[str, list[str]] = {}
    for municipality, part in rows:
        parts_of.setdefault(municipality, []).append(part)
    return PartMembership(parts_of)


# -- kinds of home -----------------------------------------------------------------------------


def create_home_kind(*, name: str | None, actor: User) -> HomeKind:
    """Add a kind of home (a kind of assignment a family may take) to the list."""
    cleaned = _clean_name(name)
    if _name_taken(HomeKind, cleaned, None):
        raise AccountError(_("Det finns redan en hemtyp med det namnet."), field="name")
    kind = HomeKind(name=cleaned)
    db.session.add(kind)
    db.session.flush()
    audit.record(actor, "home_kind.create", obj=kind)
    logger.info("home kind %s created", kind.id)
    return kind


def home_kinds() -> list[HomeKind]:
    """Return every kind of home by name."""
    return list(db.session.scalars(select(HomeKind).order_by(HomeKind.name)))


def set_household_home_kinds(household: Household, kinds: Iterable[HomeKind], *, actor: User) -> Household:
    """Record the kinds of assignment a household has or is open to (none is allowed)."""
    household.home_kinds = sorted({k.id: k for k in kinds}.values(), key=lambda k: k.name)
    db.session.flush()
    audit.record(actor, "household.home_kinds", obj=household)
    logger.info("household %s home kinds set", household.id)
    return household


def by_ids(
    model: type[CountyPart] | type[HomeKind] | type[Municipality], ids: Iterable[object] | None
) -> list:
    """Return the rows of `model` whose (posted) ids are given; ids that are not numbers are skipped."""
    wanted = {int(str(i)) for i in ids or () if str(i).isdigit() and len(str(i)) < 10}
    if not wanted:
        return []
    return list(db.session.scalars(select(model).where(model.id.in_(wanted)).order_by(model.id)))
