"""Reading the audit log: its filters, the unusual-read flags, and the rows of an export.

Unusual reads (issue 23, point 4) are flagged by SQL over the log, never by walking its rows:

- a burst: one user has read at least `burst_reads` distinct recruitment records (a case, a
  request, an offer, ...) within `burst_minutes`; a read is flagged when the records its reader
  read in the minutes up to and including it reach that number (a correlated count that the index
  on actor and time answers);
- off hours: a read (any action ending in ".read") outside the working hours in Stockholm time,
  or on a weekend or a Swedish public holiday. The working time of each day of the range is
  worked out here (coursehub.lib.workdays) and given to the database as UTC intervals, so the
  flag needs no time zone support from the database; that is why a range is bounded.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy import ColumnElement, Select, func, select
from sqlalchemy.orm import aliased, joinedload

from coursehub.accounts import audit
from coursehub.accounts.models import AuditEntry, AuditOutcome, Role, User, UserRole
from coursehub.clock import local_to_utc
from coursehub.extensions import db
from coursehub.lib.distinct import distinct_values
from coursehub.lib.pagination import Page, count_limit, paginate
from coursehub.lib.sqlfind import among
from coursehub.lib.sqltime import seconds_before
from coursehub.lib.workdays import is_working_time, working_intervals

PER_PAGE = 50
# Flags are worked out over at most this many days at a time (one interval per working day).
MAX_FLAG_DAYS = 31
# An export holds at most this many rows; a wider selection is narrowed first.
EXPORT_MAX_ROWS = 20_000

READ_ACTIONS = "%.read"
# The reads that count towards a burst: of the recruitment records, a family's case above all.
BURST_ACTIONS = "recruitment.%.read"


@dataclass(frozen=True)
class FlagRules:
    """The settings of the unusual-read flags."""

    burst_reads: int
    burst_minutes: int
    hours: tuple[int, int]

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> FlagRules:
        """Read the rules from the app's settings (COURSEHUB_AUDIT_*)."""
        opens, closes = (int(hour) for hour in config["COURSEHUB_AUDIT_WORKING_HOURS"])
        return cls(
            burst_reads=int(config["COURSEHUB_AUDIT_BURST_READS"]),
            burst_minutes=int(config["COURSEHUB_AUDIT_BURST_MINUTES"]),
            hours=(opens, closes),
        )


@dataclass(frozen=True)
class AuditFilter:
    """What the review page asks for; every part may be left out."""

    person: User | None = None
    actor_id: int | None = None
    object_type: str | None = None
    object_id: int | None = None
    action: str | None = None
    outcome: AuditOutcome | None = None
    first_day: date | None = None
    last_day: date | None = None
    unusual_only: bool = False


@dataclass(frozen=True)
class RowFlags:
    """The flags of one row on the page."""

    off_hours: bool
    burst: bool


@dataclass(frozen=True)
class UnusualReader:
    """One user's unusual reads over a range of days: the daily mail's line."""

    actor_id: int
    name: str
    off_hours: int  # distinct records read outside working time
    most_records: int  # the most distinct records read within the burst window


def day_start(day: date) -> datetime:
    """Return the UTC moment of Stockholm midnight at the start of `day`."""
    return local_to_utc(datetime.combine(day, time(0)))


def _in_range(entry: Any, first_day: date, last_day: date) -> ColumnElement[bool]:
    return sa.and_(entry.at >= day_start(first_day), entry.at < day_start(last_day + timedelta(days=1)))


def _off_hours(entry: Any, first_day: date, last_day: date, rules: FlagRules) -> ColumnElement[bool]:
    """True for a row of `first_day`..`last_day` outside working time (no day at work: every row)."""
    at_work = [
        sa.and_(entry.at >= start, entry.at < end)
        for start, end in working_intervals(first_day, last_day, rules.hours)
    ]
    return sa.not_(sa.or_(sa.false(), *at_work))


def _records_read_before(entry: Any, rules: FlagRules) -> Any:
    """The distinct recruitment records `entry`'s reader read in the burst window ending at it."""
    other = aliased(AuditEntry)
    record = other.object_type + ":" + sa.cast(other.object_id, sa.String)
    return (
        select(func.count(sa.distinct(record)))
        .where(
            other.actor_id == entry.actor_id,
            other.action.like(BURST_ACTIONS),
            other.object_id.is_not(None),
            other.at <= entry.at,
            other.at > seconds_before(entry.at, rules.burst_minutes * 60),
        )
        .correlate(entry)
        .scalar_subquery()
    )


def _burst(entry: Any, rules: FlagRules) -> ColumnElement[bool]:
    return sa.and_(
        entry.action.like(BURST_ACTIONS),
        entry.actor_id.is_not(None),
        _records_read_before(entry, rules) >= rules.burst_reads,
    )


def flag_range(wanted: AuditFilter, today: date) -> tuple[date, date]:
    """Return the days the unusual-only filter covers: the chosen range, else the last seven days."""
    last = wanted.last_day or today
    first = wanted.first_day or last - timedelta(days=6)
    return first, last


def _filtered(wanted: AuditFilter, rules: FlagRules, today: date, *, reach: int) -> Select[Any]:
    """The entries `wanted` asks for, newest first; at least the `reach` newest of them are right.

    A person's entries are those they did, those about their account and those about their
    household: three ways, each with its own index. With OR between them PostgreSQL walked the
    whole log from the newest entry down, filtering, until it had a page (2 million entries for
    someone seldom in it). Each way's `reach` newest now come from its own index, and the newest
    `reach` of the person's entries are among them.
    """
    conditions: list[ColumnElement[bool]] = []
    if wanted.actor_id is not None:
        conditions.append(AuditEntry.actor_id == wanted.actor_id)
    if wanted.object_type:
        conditions.append(AuditEntry.object_type == wanted.object_type)
    if wanted.object_id is not None:
        conditions.append(AuditEntry.object_id == wanted.object_id)
    if wanted.action:
        conditions.append(AuditEntry.action == wanted.action)
    if wanted.outcome is not None:
        conditions.append(AuditEntry.outcome == wanted.outcome)
    if wanted.first_day is not None:
        conditions.append(AuditEntry.at >= day_start(wanted.first_day))
    if wanted.last_day is not None:
        conditions.append(AuditEntry.at < day_start(wanted.last_day + timedelta(days=1)))
    if wanted.unusual_only:
        first, last = flag_range(wanted, today)
        conditions += [
            _in_range(AuditEntry, first, last),
            AuditEntry.action.like(READ_ACTIONS),
            sa.or_(_off_hours(AuditEntry, first, last, rules), _burst(AuditEntry, rules)),
        ]
    newest = (AuditEntry.at.desc(), AuditEntry.id.desc())
    if wanted.person is None:
        return select(AuditEntry).where(*conditions).order_by(*newest)
    person = wanted.person
    ways = [
        AuditEntry.actor_id == person.id,
        sa.and_(AuditEntry.object_type == User.__tablename__, AuditEntry.object_id == person.id),
    ]
    if person.household_id is not None:
        ways.append(
            sa.and_(AuditEntry.object_type == "households", AuditEntry.object_id == person.household_id)
        )
    each_newest = [
        select(AuditEntry.id).where(way, *conditions).order_by(*newest).limit(reach).subquery()
        for way in ways
    ]
    found = sa.union(*(select(way.c.id) for way in each_newest))
    return select(AuditEntry).where(among(AuditEntry.id, found)).order_by(*newest)


def entries(wanted: AuditFilter, rules: FlagRules, *, today: date, page: int = 1) -> Page:
    """Return a page of the log matching `wanted`, newest first, with each row's actor loaded."""
    # The page and the count after it are within the first `count_limit` + 1 rows.
    stmt = _filtered(wanted, rules, today, reach=count_limit(page, PER_PAGE) + 1)
    return paginate(stmt.options(joinedload(AuditEntry.actor)), page, PER_PAGE)


def row_flags(items: Sequence[AuditEntry], rules: FlagRules) -> dict[int, RowFlags]:
    """Return the flags of the rows of one page, in one query (the bursts) whatever the page holds."""
    reads = [entry for entry in items if entry.action.endswith(".read") and entry.actor_id is not None]
    if not reads:
        return {}
    bursts = set(
        db.session.scalars(
            select(AuditEntry.id).where(
                AuditEntry.id.in_([entry.id for entry in reads]), _burst(AuditEntry, rules)
            )
        )
    )
    # Off hours for the page's rows only: at most one page of them, and the same rule as the SQL's.
    return {
        entry.id: RowFlags(off_hours=not is_working_time(entry.at, rules.hours), burst=entry.id in bursts)
        for entry in reads
    }


def export_rows(wanted: AuditFilter, rules: FlagRules, *, today: date) -> list[AuditEntry]:
    """Return the rows of an export (at most EXPORT_MAX_ROWS + 1, so the caller sees too many)."""
    stmt = (
        _filtered(wanted, rules, today, reach=EXPORT_MAX_ROWS + 1)
        .options(joinedload(AuditEntry.actor))
        .limit(EXPORT_MAX_ROWS + 1)
    )
    return list(db.session.scalars(stmt))


def unusual_readers(first_day: date, last_day: date, rules: FlagRules) -> list[UnusualReader]:
    """Return each user with unusual reads in `first_day`..`last_day`, by name, in two aggregates."""
    entry = aliased(AuditEntry)
    per_read = (
        select(
            entry.actor_id.label("actor_id"),
            # What was read off hours, once per record (a case's page writes three rows).
            sa.case(
                (
                    _off_hours(entry, first_day, last_day, rules),
                    func.coalesce(
                        entry.object_type + ":" + sa.cast(entry.object_id, sa.String), entry.action
                    ),
                ),
                else_=None,
            ).label("off_hours"),
            sa.case((entry.action.like(BURST_ACTIONS), _records_read_before(entry, rules)), else_=0).label(
                "records"
            ),
        )
        .where(
            entry.actor_id.is_not(None),
            entry.action.like(READ_ACTIONS),
            _in_range(entry, first_day, last_day),
        )
        .subquery()
    )
    off_hours = func.count(sa.distinct(per_read.c.off_hours))
    most_records = func.max(per_read.c.records)
    stmt = (
        select(User.id, User.full_name, off_hours, most_records)
        .join(per_read, per_read.c.actor_id == User.id)
        .group_by(User.id, User.full_name)
        .having(sa.or_(off_hours > 0, most_records >= rules.burst_reads))
        .order_by(User.full_name, User.id)
    )
    return [
        UnusualReader(actor_id=row[0], name=row[1], off_hours=int(row[2] or 0), most_records=int(row[3] or 0))
        for row in db.session.execute(stmt)
    ]


def admins() -> list[User]:
    """Return the active admins, who get the daily mail of unusual reads."""
    return list(
        db.session.scalars(
            select(User)
            .where(User.deactivated_at.is_(None), User.role_rows.any(UserRole.role == Role.ADMIN))
            .order_by(User.id)
        )
    )


def object_types() -> list[str]:
    """Return the kinds of record that occur in the log, for its filter."""
    return distinct_values(AuditEntry.object_type)  # from ix_audit_entries_object_at


def record_export(actor: User, *, file_format: str, rows: int, query: Mapping[str, str]) -> None:
    """Write the audit row of an export of the log: who, how many rows, which filters (no content)."""
    filters = ", ".join(f"{key}={value}" for key, value in sorted(query.items()))
    audit.record(
        actor, "audit.export", detail=f"{file_format}, {rows} rows" + (f"; {filters}" if filters else "")
    )
