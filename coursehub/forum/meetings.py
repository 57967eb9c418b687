"""A network's meetings: planning one, and recording its minutes and who attended."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from flask_babel import gettext as _
from sqlalchemy import select

from coursehub.errors import NotFoundError
from coursehub.extensions import db
from coursehub.forum.errors import ForumError
from coursehub.forum.models import (
    PLACE_MAX,
    URL_MAX,
    Document,
    Meeting,
    MeetingAttendance,
    Network,
    NetworkMembership,
)

logger = logging.getLogger(__name__)


def _check_online_url(url: str) -> str:
    url = url.strip()
    if not url:
        return ""
    parts = urlsplit(url)
    if parts.scheme != "https" or not parts.hostname or len(url) > URL_MAX or any(c.isspace() for c in url):
        raise ForumError(
            _("Ange en fullständig länk som börjar med https://, till exempel https://möte.example.se/123."),
            field="online_url",
        )
    return url


def _minutes(network: Network, document_id: int | None) -> Document | None:
    if document_id is None:
        return None
    document = db.session.get(Document, document_id)
    if document is None or document.network_id != network.id:
        raise NotFoundError(_("Dokumentet finns inte i nätverket."), field="minutes_document_id")
    return document


def create_meeting(
    network: Network,
    *,
    starts_at: datetime,
    place: str,
    online_url: str,
    agenda: str,
    minutes_document_id: int | None = None,
    actor: Any,
    now: datetime,
) -> Meeting:
    """Add a meeting to `network`: it needs a place, an https link for meeting online, or both."""
    place = place.strip()
    online_url = _check_online_url(online_url)
    if not place and not online_url:
        raise ForumError(_("Ange en plats, en länk till mötet eller båda."), field="place")
    if len(place) > PLACE_MAX:
        raise ForumError(_("Platsen får vara högst %(n)s tecken.", n=PLACE_MAX), field="place")
    meeting = Meeting(
        network_id=network.id,
        starts_at=starts_at,
        place=place,
        online_url=online_url,
        agenda=agenda.strip(),
        minutes_document=_minutes(network, minutes_document_id),
        created_by_id=actor.id,
        created_at=now,
    )
    db.session.add(meeting)
    db.session.flush()
    logger.info("meeting %s of network %s created by user %s", meeting.id, network.id, actor.id)
    return meeting


def record_meeting(
    meeting: Meeting,
    *,
    minutes_document_id: int | None,
    attendee_ids: Iterable[int],
    actor: Any,
    now: datetime,
) -> Meeting:
    """Set the meeting's minutes and who attended, chosen from the network's members."""
    network = db.session.get(Network, meeting.network_id)
    if network is None:  # pragma: no cover - the meeting's row holds the key
        raise NotFoundError(_("Nätverket finns inte."))
    if meeting.starts_at > now:
        raise ForumError(_("Närvaron kan föras först när mötet har börjat."), field="attendees")
    wanted = set(attendee_ids)
    members = set(
        db.session.scalars(
            select(NetworkMembership.user_id).where(
                NetworkMembership.network_id == network.id, NetworkMembership.user_id.in_(wanted)
            )
        )
    )
    if wanted - members:
        raise ForumError(_("Välj bara bland nätverkets medlemmar."), field="attendees")
    meeting.minutes_document = _minutes(network, minutes_document_id)
    present = {attendance.user_id: attendance for attendance in meeting.attendances}
    for user_id in present.keys() - wanted:
        meeting.attendances.remove(present[user_id])
    for user_id in sorted(wanted - present.keys()):
        meeting.attendances.append(MeetingAttendance(user_id=user_id))
    db.session.flush()
    logger.info("meeting %s recorded by user %s: %s attended", meeting.id, actor.id, len(wanted))
    return meeting
