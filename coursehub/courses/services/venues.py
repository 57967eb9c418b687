"""Venues, and what a changed venue means for the sessions held there."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import and_, or_, select
from sqlalchemy.orm import joinedload

from coursehub import events
from coursehub.accounts.models import Municipality, User
from coursehub.courses.errors import CourseError
from coursehub.courses.models import CourseRun, CourseSession, RunStatus, SessionStatus, Venue
from coursehub.extensions import db

logger = logging.getLogger(__name__)

# What a calendar invite and a reminder show as the place: a change here is a change of place.
# Accessibility notes and the municipality are left out on purpose: the participants still go
# to the same door, so a new invite for every one of them would be noise (the course page shows
# the notes as they are now).
PLACE_FIELDS = ("name", "street", "postcode", "city")


@dataclass(frozen=True)
class VenueDetails:
    name: str
    street: str = ""
    postcode: str = ""
    city: str = ""
    municipality: Municipality | None = None
    accessibility_notes: str = ""


def sessions_held_at(venue: Venue, *, now: datetime) -> list[CourseSession]:
    """Return the scheduled sessions, not yet started, of live runs whose place is `venue`.

    A session's place is its own venue, or, when it has none, its run's venue (as the invites
    and reminders resolve it).
    """
    return list(
        db.session.scalars(
            select(CourseSession)
            .join(CourseRun, CourseRun.id == CourseSession.run_id)
            .where(
                or_(
                    CourseSession.venue_id == venue.id,
                    and_(CourseSession.venue_id.is_(None), CourseRun.venue_id == venue.id),
                ),
                CourseSession.status == SessionStatus.SCHEDULED,
                CourseSession.starts_at > now,
                CourseRun.status.in_((RunStatus.DRAFT, RunStatus.PUBLISHED)),
            )
            .options(
                joinedload(CourseSession.run).joinedload(CourseRun.venue), joinedload(CourseSession.venue)
            )
            .order_by(CourseSession.starts_at, CourseSession.id)
        )
    )


def save_venue(venue: Venue | None, *, actor: User, now: datetime, details: VenueDetails) -> Venue:
    """Create a venue (venue None) or change one.

    A new name or address moves every session still to come that is held there: each one's
    revision grows and `events.session_changed` is sent, so participants get updated invites.
    """
    if not details.name:
        raise CourseError(_("Skriv lokalens namn."), field="name")
    is_new = venue is None
    if venue is None:
        venue = Venue()
        db.session.add(venue)
    place_changed = not is_new and any(getattr(venue, key) != getattr(details, key) for key in PLACE_FIELDS)
    for key, value in details.__dict__.items():
        setattr(venue, key, value)
    db.session.flush()
    moved = sessions_held_at(venue, now=now) if place_changed else []
    for session in moved:
        session.revision += 1
    db.session.flush()
    for session in moved:
        events.session_changed.send(session, actor=actor, now=now)
    logger.info("venue saved id=%s sessions_moved=%s by=%s", venue.id, len(moved), actor.id)
    return venue
