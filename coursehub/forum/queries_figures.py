"""The networks' meetings over a series of periods, for the reports: three grouped queries.

Only meetings held (begun by `now`) count. A scope narrower than the county is given by its
municipalities, and people are placed by their own (the attendee's) municipality: its meetings
are those where at least one of its people attended. The county (`municipality_ids` None) counts
every meeting and every attendee, the resource's own staff and guests from outside included.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy import func, select

from coursehub.accounts.models import Gender, User
from coursehub.extensions import db
from coursehub.forum.models import Meeting, MeetingAttendance, Network
from coursehub.lib.spans import Span, bucket, within


@dataclass(frozen=True)
class NetworkMeetings:
    """One network's meetings held and online, and its attendances, one value per period."""

    network_id: int
    name: str
    held: list[int]
    online: list[int]
    attendances: list[int]


@dataclass(frozen=True)
class MeetingFigures:
    """The meetings per network (by name), and the people who attended per gender (None: not stated)."""

    networks: list[NetworkMeetings]
    people: dict[Gender | None, list[int]]


def _in_scope(municipality_ids: Sequence[int] | None) -> sa.ColumnElement[bool]:
    """Return SQL true for an attendance row (joined with its user) that the scope counts."""
    if municipality_ids is None:
        return sa.true()
    return User.municipality_id.in_(list(municipality_ids))


def meeting_figures_by_period(
    spans: Sequence[Span], *, now: datetime, municipality_ids: Sequence[int] | None
) -> MeetingFigures:
    """Return the meetings held, online and attended per network and period, and people per gender."""
    # One row per meeting counted, with its period: the three counts group by that one column
    # (PostgreSQL matches a CASE in GROUP BY with SELECT's only when it is the same expression).
    counted = select(
        bucket(Meeting.starts_at, spans).label("period"),
        Meeting.id.label("meeting_id"),
        Meeting.network_id.label("network_id"),
        sa.case((Meeting.online_url != "", 1), else_=0).label("online"),
    ).where(within(Meeting.starts_at, spans), Meeting.starts_at <= now)
    if municipality_ids is not None:
        counted = counted.where(
            select(MeetingAttendance.id)
            .join(User, MeetingAttendance.user_id == User.id)
            .where(MeetingAttendance.meeting_id == Meeting.id, _in_scope(municipality_ids))
            .exists()
        )
    meetings = counted.subquery()
    meeting_rows = db.session.execute(
        select(
            meetings.c.period, meetings.c.network_id, Network.name, func.count(), func.sum(meetings.c.online)
        )
        .join(Network, meetings.c.network_id == Network.id)
        .where(meetings.c.period.is_not(None))
        .group_by(meetings.c.period, meetings.c.network_id, Network.name)
    ).all()
    attendances = (
        select(meetings.c.period, meetings.c.network_id, User.gender, User.id.label("user_id"))
        .join(MeetingAttendance, MeetingAttendance.meeting_id == meetings.c.meeting_id)
        .join(User, MeetingAttendance.user_id == User.id)
        .where(meetings.c.period.is_not(None), _in_scope(municipality_ids))
        .subquery()
    )
    attendance_rows = db.session.execute(
        select(attendances.c.period, attendances.c.network_id, func.count()).group_by(
            attendances.c.period, attendances.c.network_id
        )
    ).all()
    people_rows = db.session.execute(
        select(
            attendances.c.period, attendances.c.gender, func.count(sa.distinct(attendances.c.user_id))
        ).group_by(attendances.c.period, attendances.c.gender)
    ).all()
    return MeetingFigures(_per_network(spans, meeting_rows, attendance_rows), _per_gender(spans, people_rows))


def _per_network(
    spans: Sequence[Span], meeting_rows: Sequence[Any], attendance_rows: Sequence[Any]
) -> list[NetworkMeetings]:
    position = {span.key: index for index, span in enumerate(spans)}
    size = len(spans)
    found: dict[int, NetworkMeetings] = {}
    for key, network_id, name, count, online in meeting_rows:
        entry = found.setdefault(
            network_id, NetworkMeetings(network_id, name, [0] * size, [0] * size, [0] * size)
        )
        entry.held[position[key]] = int(count)
        entry.online[position[key]] = int(online)
    for key, network_id, count in attendance_rows:
        if key in position and network_id in found:
            found[network_id].attendances[position[key]] = int(count)
    return sorted(found.values(), key=lambda entry: (entry.name, entry.network_id))


def _per_gender(spans: Sequence[Span], rows: Sequence[Any]) -> dict[Gender | None, list[int]]:
    position = {span.key: index for index, span in enumerate(spans)}
    people: dict[Gender | None, list[int]] = {gender: [0] * len(spans) for gender in (*Gender, None)}
    for key, gender, count in rows:
        if key in position:
            people[None if gender is None else Gender(gender)][position[key]] = int(count)
    return people
