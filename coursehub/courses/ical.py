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
    if run.contact_email:
        return ", ".join(part for part in (run.contact_name, run.contact_email) if part)
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


def describe(
    session: CourseSession,
    *,
    place: str,
    online_url: str | None,
    link: str | None,
    words: EventWords | None = None,
) -> str:
    """Return an event's DESCRIPTION: the theme, what else it holds and who comes, where to go,
    whom to ask and a link back."""
    words = words or EventWords.current()
    lines = [words.theme % {"title": session.title}]
    if session.theme is not None and session.theme.description:
        lines.append(session.theme.description.strip())
    if session.contents_note:
        lines.append(session.contents_note)
    if session.speakers:
        lines.append(words.guests % {"names": session.guests_line})
    if online_url:
        lines.append(words.meeting_link % {"url": online_url})
    elif place:
        lines.append(words.place % {"place": place})
    contact = contact_of(session.run)
    if contact:
        lines.append(words.questions % {"contact": contact})
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
    """Describe a session (with its run and venue loaded) for a calendar event.

    With `online_label` the event is for anyone: an online session says that label as its place and
    the meeting link stays out. Without it the event is a participant's, carrying the link in its
    place and description. `url` is the page the event links back to; `sequence_offset` is the
    person's calendar offset for the run (enrollment.sequences), 0 in files for anyone. A file of
    many events passes one `words` (EventWords.current()) to them all.
    """
    run = session.run
    # A session's own place wins; services copy the run's place to each session, so falling back
    # to the run only covers sessions made before that.
    place = session if session.venue is not None or session.online_url else run
    venue, online_url = place.venue, place.online_url
    public = online_label is not None
    where = ical.location(
        venue_name=venue.name if venue else None,
        venue_address=venue.address if venue else None,
        online_url=online_url,
        online_label=online_label,
    )
    return ical.SessionInfo(
        id=session.id,
        title=ical.event_title(run.title, session.title),
        starts_at=session.starts_at,
        ends_at=session.ends_at,
        location=where,
        description=describe(
            session, place=where, online_url=None if public or venue else online_url, link=url, words=words
        ),
        revision=session.revision,
        url=url if public else (url or online_url),
        is_cancelled=session.status == SessionStatus.CANCELLED,
        sequence_offset=sequence_offset,
    )


def run_calendar(
    run: CourseRun, *, now: datetime, url: str | None = None, online_label: str = "Online"
) -> bytes:
    """Return the run's public schedule: every session, online ones saying `online_label` as place."""
    words = EventWords.current()
    infos = [session_info(s, online_label=online_label, url=url, words=words) for s in run.sessions]
    return ical.build_feed(infos, name=run.title, now=now)
