"""A course session as calendar data, and a run's public schedule (built by coursehub.lib.ical)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask import current_app
from flask_babel import gettext as _

from coursehub.courses.models import CourseRun, CourseSession, SessionStatus
from coursehub.lib import ical


def contact_of(run: CourseRun) -> str:
    """Return whom to ask about a run: its own contact, else the resource's contact address."""
    return contact_line(run.contact_name, run.contact_email)


def contact_line(contact_name: str | None, contact_email: str | None) -> str:
    """Return whom to ask about a run from its contact columns (`contact_of` for a loaded run)."""
    if contact_email:
        return ", ".join(part for part in (contact_name, contact_email) if part)
    return str(current_app.config.get("COURSEHUB_CONTACT_EMAIL") or "")


@dataclass(frozen=True)
class EventWords:
    """The phrases of an event's description in the current language, looked up once per calendar.

    A feed of a hundred meetings asked for about 400 translations, each going through the request's
    translation lookup; a file's events now share one set.
    """

    theme: str
    guests: str
    meeting_link: str
    place: str
    questions: str
    more: str

    @classmethod
    def current(cls) -> EventWords:
        """The phrases in the language in force now (a mail's own is forced while it is written)."""
        return cls(
            theme=_("Tema: %(title)s"),
            guests=_("Gäster: %(names)s"),
            meeting_link=_("Länk till mötet: %(url)s"),
            place=_("Plats: %(place)s"),
            questions=_("Frågor: %(contact)s"),
            more=_("Mer om kursen: %(url)s"),
        )


@dataclass(frozen=True)
class SessionFacts:
    """What an event tells of one session, its run and its place, as plain values.

    `SessionFacts.of` reads them from a loaded session; a feed of every session a person was ever
    confirmed for reads them from the columns instead (enrollment.queries.feed_sessions), without
    building a session, a run, a venue and a theme object per row. The place is the session's own
    when it has a venue or a meeting link, else the run's: `venue_name` is None without a venue.
    """

    id: int
    run_id: int
    run_title: str
    title: str
    starts_at: datetime
    ends_at: datetime
    venue_name: str | None
    venue_address: str | None
    online_url: str | None
    theme_description: str  # "" without a theme
    contents_note: str
    guests_line: str  # "" without guests
    contact: str  # contact_of(run)
    revision: int
    is_cancelled: bool

    @classmethod
    def of(cls, session: CourseSession) -> SessionFacts:
        """Return the facts of a session with its run, venues, theme and speakers loaded."""
        run = session.run
        # A session's own place wins; services copy the run's place to each session, so falling
        # back to the run only covers sessions made before that.
        place = session if session.venue is not None or session.online_url else run
        venue = place.venue
        return cls(
            id=session.id,
            run_id=session.run_id,
            run_title=run.title,
            title=session.title,
            starts_at=session.starts_at,
            ends_at=session.ends_at,
            venue_name=venue.name if venue else None,
            venue_address=venue.address if venue else None,
            online_url=place.online_url,
            theme_description=session.theme.description if session.theme is not None else "",
            contents_note=session.contents_note,
            guests_line=session.guests_line if session.speakers else "",
            contact=contact_of(run),
            revision=session.revision,
            is_cancelled=session.status == SessionStatus.CANCELLED,
        )


def describe(
    facts: SessionFacts,
    *,
    place: str,
    online_url: str | None,
    link: str | None,
    words: EventWords | None = None,
) -> str:
    """Return an event's DESCRIPTION: the theme, what else it holds and who comes, where to go,
    whom to ask and a link back."""
    words = words or EventWords.current()
    lines = [words.theme % {"title": facts.title}]
    if facts.theme_description:
        lines.append(facts.theme_description.strip())
    if facts.contents_note:
        lines.append(facts.contents_note)
    if facts.guests_line:
        lines.append(words.guests % {"names": facts.guests_line})
    if online_url:
        lines.append(words.meeting_link % {"url": online_url})
    elif place:
        lines.append(words.place % {"place": place})
    if facts.contact:
        lines.append(words.questions % {"contact": facts.contact})
    if link:
        lines.append(words.more % {"url": link})
    return "\n".join(lines)


def session_info(
    session: CourseSession,
    *,
    online_label: str | None = None,
    url: str | None = None,
    sequence_offset: int = 0,
    words: EventWords | None = None,
) -> ical.SessionInfo:
    """Describe a session (with its run and venue loaded) for a calendar event (see `event_info`)."""
    return event_info(
        SessionFacts.of(session),
        online_label=online_label,
        url=url,
        sequence_offset=sequence_offset,
        words=words,
    )


def event_info(
    facts: SessionFacts,
    *,
    online_label: str | None = None,
    url: str | None = None,
    sequence_offset: int = 0,
    words: EventWords | None = None,
) -> ical.SessionInfo:
    """Describe a session for a calendar event from its facts.

    With `online_label` the event is for anyone: an online session says that label as its place and
    the meeting link stays out. Without it the event is a participant's, carrying the link in its
    place and description. `url` is the page the event links back to; `sequence_offset` is the
    person's calendar offset for the run (enrollment.sequences), 0 in files for anyone. A file of
    many events passes one `words` (EventWords.current()) to them all.
    """
    public = online_label is not None
    where = ical.location(
        venue_name=facts.venue_name,
        venue_address=facts.venue_address,
        online_url=facts.online_url,
        online_label=online_label,
    )
    has_venue = facts.venue_name is not None
    return ical.SessionInfo(
        id=facts.id,
        title=ical.event_title(facts.run_title, facts.title),
        starts_at=facts.starts_at,
        ends_at=facts.ends_at,
        location=where,
        description=describe(
            facts,
            place=where,
            online_url=None if public or has_venue else facts.online_url,
            link=url,
            words=words,
        ),
        revision=facts.revision,
        url=url if public else (url or facts.online_url),
        is_cancelled=facts.is_cancelled,
        sequence_offset=sequence_offset,
    )


def run_calendar(
    run: CourseRun, *, now: datetime, url: str | None = None, online_label: str = "Online"
) -> bytes:
    """Return the run's public schedule: every session, online ones saying `online_label` as place."""
    words = EventWords.current()
    infos = [session_info(s, online_label=online_label, url=url, words=words) for s in run.sessions]
    return ical.build_feed(infos, name=run.title, now=now)
