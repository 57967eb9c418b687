"""Course runs and their sessions: create, change, publish, copy, cancel."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from coursehub import events
from coursehub.accounts.models import LEADER_ROLES, CountyPart, Municipality, User
from coursehub.clock import to_local
from coursehub.courses.errors import CourseError, PublishError
from coursehub.courses.models import (
    MAX_CAPACITY,
    MAX_CONTENTS_NOTE,
    MAX_SPEAKERS,
    SPEAKER_NAME_LENGTH,
    SPEAKER_ORGANISATION_LENGTH,
    SPEAKER_TITLE_LENGTH,
    CourseRun,
    CourseSession,
    CourseTheme,
    CourseType,
    RunStatus,
    SessionSpeaker,
    SessionStatus,
    Venue,
)
from coursehub.errors import CoursehubError
from coursehub.extensions import db
from coursehub.lib.checks import known
from coursehub.lib.localtime import local_moment

logger = logging.getLogger(__name__)


# -- runs -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RunDetails:
    """What staff set on a run; everything else (status, dates of sessions) has its own service."""

    title: str
    capacity: object  # checked here too: forms are not the only callers
    signup_opens_at: datetime
    signup_closes_at: datetime
    edition: str = ""
    description: str = ""
    contact_name: str = ""
    contact_email: str = ""
    is_open_to_all: bool = True
    municipalities: list[Municipality] = field(default_factory=list)
    # With `municipalities`: the audience when the run is not open to the whole county.
    county_parts: list[CountyPart] = field(default_factory=list)
    venue: Venue | None = None
    online_url: str | None = None
    leaders: list[User] = field(default_factory=list)
    # The fewest participants (persons) the run needs; None: no minimum. Checked here too.
    min_participants: object = None


def _checked_min_participants(value: object, capacity: int) -> int | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise CourseError(_("Ange minsta antal deltagare med siffror."), field="min_participants")
    text = str(value).strip()
    digits = text[1:] if text.startswith("-") else text
    if not digits.isascii() or not digits.isdigit():
        raise CourseError(_("Ange minsta antal deltagare med siffror."), field="min_participants")
    number = int(text)
    if number < 1:
        raise CourseError(
            _("Minsta antal deltagare måste vara minst 1, eller lämna fältet tomt."), field="min_participants"
        )
    if number > capacity:
        raise CourseError(
            _("Minsta antal deltagare får inte vara fler än antalet platser (%(seats)d).", seats=capacity),
            field="min_participants",
        )
    return number


def _checked_capacity(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise CourseError(_("Ange antalet platser med siffror."), field="capacity")
    text = str(value).strip()
    digits = text[1:] if text.startswith("-") else text
    if not digits.isascii() or not digits.isdigit():
        raise CourseError(_("Ange antalet platser med siffror."), field="capacity")
    number = int(text)
    if number < 1:
        raise CourseError(_("Antalet platser måste vara minst 1."), field="capacity")
    if number > MAX_CAPACITY:
        raise CourseError(_("Antalet platser får vara högst %(max)d.", max=MAX_CAPACITY), field="capacity")
    return number


def _check_details(details: RunDetails) -> int:
    if not details.title:
        raise CourseError(_("Skriv en rubrik för kursomgången."), field="title")
    capacity = _checked_capacity(details.capacity)
    _checked_min_participants(details.min_participants, capacity)
    if details.signup_closes_at <= details.signup_opens_at:
        raise CourseError(_("Anmälan måste stänga efter att den öppnar."), field="signup_closes_date")
    if details.venue is None and not details.online_url:
        raise CourseError(_("Välj en lokal eller skriv en länk till mötet på nätet."), field="venue")
    if details.online_url and not details.online_url.startswith("https://"):
        raise CourseError(_("Länken ska börja med https://"), field="online_url")
    if not details.is_open_to_all and not details.municipalities and not details.county_parts:
        raise CourseError(
            _("Välj minst en länsdel eller kommun, eller öppna kursen för hela länet."),
            field="municipalities",
        )
    for leader in details.leaders:
        if not leader.is_active or not leader.has_role(*LEADER_ROLES):
            raise CourseError(_("%(name)s kan inte vara kursledare.", name=leader.full_name), field="leaders")
    return capacity


def _check_window_before_first_session(run: CourseRun) -> None:
    first = _first_start(run)
    if first is not None and run.signup_closes_at > first:
        raise CourseError(
            _(
                "Anmälan måste stänga senast när den första träffen börjar (%(when)s).",
                when=to_local(first).strftime("%Y-%m-%d %H:%M"),
            ),
            field="signup_closes_date",
        )


def _first_start(run: CourseRun) -> datetime | None:
    starts = [s.starts_at for s in run.sessions if s.status == SessionStatus.SCHEDULED]
    return min(starts, default=None)


def _refresh_starts_at(run: CourseRun) -> None:
    """Keep the run's first start and last scheduled end (the catalogue filters and sorts on them)."""
    run.sessions.sort(key=lambda s: s.starts_at)
    run.starts_at = _first_start(run) or min((s.starts_at for s in run.sessions), default=None)
    run.ends_at = max((s.ends_at for s in run.sessions if s.status == SessionStatus.SCHEDULED), default=None)


def _check_editable(run: CourseRun) -> None:
    if run.status in (RunStatus.CANCELLED, RunStatus.COMPLETED):
        raise CourseError(_("Kursomgången är inställd eller avslutad och kan inte ändras."))


def propose_sessions(
    course_type: CourseType, *, first_date: date, start_time: time, end_time: time
) -> list[tuple[CourseTheme, datetime, datetime]]:
    """Return (theme, start, end) per active theme, weekly from `first_date`, in local wall-clock."""
    if end_time <= start_time:
        raise CourseError(_("Sluttiden måste vara efter starttiden."), field="end_time")
    proposal = []
    for week, theme in enumerate(course_type.active_themes):
        day = first_date + timedelta(weeks=week)
        proposal.append(
            (
                theme,
                local_moment(day, start_time, field="start_time", error=CourseError),
                local_moment(day, end_time, field="end_time", error=CourseError),
            )
        )
    return proposal


def _apply_details(run: CourseRun, details: RunDetails, capacity: int) -> None:
    run.title = details.title
    run.capacity = capacity
    run.min_participants = _checked_min_participants(details.min_participants, capacity)
    run.signup_opens_at = details.signup_opens_at
    run.signup_closes_at = details.signup_closes_at
    run.edition = details.edition
    run.description = details.description
    run.contact_name = details.contact_name
    run.contact_email = details.contact_email
    run.is_open_to_all = details.is_open_to_all
    run.municipalities = [] if details.is_open_to_all else list(details.municipalities)
    run.county_parts = [] if details.is_open_to_all else list(details.county_parts)
    run.venue = details.venue
    run.online_url = None if details.venue is not None else details.online_url
    run.leaders = list(details.leaders)


def create_run(
    course_type: CourseType,
    *,
    actor: User,
    now: datetime,
    details: RunDetails,
    first_date: date,
    start_time: time,
    end_time: time,
) -> CourseRun:
    """Create a draft run with one proposed session per active theme, weekly."""
    capacity = _check_details(details)
    proposal = propose_sessions(course_type, first_date=first_date, start_time=start_time, end_time=end_time)
    run = CourseRun(course_type=course_type, status=RunStatus.DRAFT, created_at=now)
    _apply_details(run, details, capacity)
    for theme, starts_at, ends_at in proposal:
        run.sessions.append(
            CourseSession(
                status=SessionStatus.SCHEDULED,
                theme=theme,
                title=theme.title,
                starts_at=starts_at,
                ends_at=ends_at,
                venue=run.venue,
                online_url=run.online_url,
            )
        )
    _refresh_starts_at(run)
    _check_window_before_first_session(run)
    db.session.add(run)
    db.session.flush()
    logger.info("run created id=%s type=%s by=%s", run.id, course_type.id, actor.id)
    return run


def update_run(run: CourseRun, *, actor: User, now: datetime, details: RunDetails) -> CourseRun:
    """Change a run's details; sessions held at the run's old place follow it to the new one."""
    _check_editable(run)
    capacity = _check_details(details)
    if run.status == RunStatus.PUBLISHED and not details.leaders:
        # The rule publishing checked keeps holding while the run is in the catalogue.
        raise CourseError(_("En publicerad kursomgång behöver minst en kursledare."), field="leaders")
    old_capacity = run.capacity
    if capacity != old_capacity:
        try:
            events.capacity_changing.send(run, new_capacity=capacity, actor=actor, now=now)
        except CoursehubError as error:
            raise CourseError(error.message, field=error.field or "capacity") from None
    old_place = (run.venue_id, run.online_url)
    _apply_details(run, details, capacity)
    _check_window_before_first_session(run)
    new_place = (run.venue.id if run.venue else None, run.online_url)
    moved = []
    if new_place != old_place:
        for session in run.sessions:
            if (session.venue_id, session.online_url) == old_place:
                session.venue, session.online_url = run.venue, run.online_url
                session.revision += 1
                moved.append(session)
    db.session.flush()
    for session in moved:
        _session_changed(session, actor=actor, now=now)
    if capacity != old_capacity:
        events.capacity_changed.send(run, actor=actor, now=now)
    logger.info("run updated id=%s by=%s", run.id, actor.id)
    return run


def publish_run(run: CourseRun, *, actor: User, now: datetime) -> CourseRun:
    """Publish a draft run: it needs a session, a leader and a window closing before it starts."""
    if run.status != RunStatus.DRAFT:
        raise PublishError(_("Bara ett utkast kan publiceras."))
    if not any(s.status == SessionStatus.SCHEDULED for s in run.sessions):
        raise PublishError(_("Lägg till minst en träff innan du publicerar kursomgången."))
    if not run.leaders:
        raise PublishError(_("Välj minst en kursledare innan du publicerar kursomgången."))
    for leader in run.leaders:
        # A copied run keeps its leaders; one may have left, or lost the role, since.
        if not leader.is_active or not leader.has_role(*LEADER_ROLES):
            raise PublishError(_("%(name)s kan inte vara kursledare.", name=leader.full_name))
    try:
        _check_window_before_first_session(run)
    except CourseError as error:
        raise PublishError(error.message) from None
    run.status = RunStatus.PUBLISHED
    db.session.flush()
    logger.info("run published id=%s by=%s", run.id, actor.id)
    return run


def cancel_run(run: CourseRun, *, actor: User, now: datetime, reason: str = "") -> CourseRun:
    """Cancel a run and its sessions, then send `events.run_cancelled`."""
    if run.status not in (RunStatus.DRAFT, RunStatus.PUBLISHED):
        raise CourseError(_("Kursomgången är redan inställd eller avslutad."))
    run.status = RunStatus.CANCELLED
    run.cancelled_at = now
    for session in run.sessions:
        if session.status == SessionStatus.SCHEDULED:
            # Calendars need a higher SEQUENCE to take in the cancellation.
            session.status = SessionStatus.CANCELLED
            session.revision += 1
    run.ends_at = None  # nothing scheduled is left
    db.session.flush()
    events.run_cancelled.send(run, actor=actor, now=now, reason=reason)
    logger.info("run cancelled id=%s by=%s", run.id, actor.id)
    return run


def copy_run(run: CourseRun, *, actor: User, now: datetime, first_date: date) -> CourseRun:
    """Make a new draft like `run`, its sessions moved so that the first falls on `first_date`.

    Each session keeps its local wall-clock time and weekday distance, across summer time changes,
    and its note of contents and speakers (staff change what differs in the draft).
    """
    sessions = [s for s in run.sessions if s.status == SessionStatus.SCHEDULED]
    if not sessions:
        raise CourseError(_("Kursomgången har inga träffar att kopiera."), field="first_date")
    _load_speakers(sessions)
    shift = first_date - to_local(sessions[0].starts_at).date()

    def moved(moment: datetime) -> datetime:
        local = to_local(moment)
        return local_moment(
            local.date() + shift, local.time().replace(tzinfo=None), field="first_date", error=CourseError
        )

    copy = CourseRun(
        course_type=run.course_type,
        title=run.title,
        edition=run.edition,
        status=RunStatus.DRAFT,
        capacity=run.capacity,
        min_participants=run.min_participants,
        signup_opens_at=moved(run.signup_opens_at),
        signup_closes_at=moved(run.signup_closes_at),
        is_open_to_all=run.is_open_to_all,
        municipalities=list(run.municipalities),
        county_parts=list(run.county_parts),
        venue=run.venue,
        online_url=run.online_url,
        description=run.description,
        contact_name=run.contact_name,
        contact_email=run.contact_email,
        leaders=list(run.leaders),
        created_at=now,
    )
    for session in sessions:
        copy.sessions.append(
            CourseSession(
                status=SessionStatus.SCHEDULED,
                theme=session.theme,
                title=session.title,
                starts_at=moved(session.starts_at),
                ends_at=moved(session.ends_at),
                venue=session.venue,
                online_url=session.online_url,
                contents_note=session.contents_note,
                speakers=[
                    SessionSpeaker(
                        position=speaker.position,
                        name=speaker.name,
                        title=speaker.title,
                        organisation=speaker.organisation,
                    )
                    for speaker in session.speakers
                ],
            )
        )
    _refresh_starts_at(copy)
    db.session.add(copy)
    db.session.flush()
    logger.info("run copied id=%s from=%s by=%s", copy.id, run.id, actor.id)
    return copy


def _load_speakers(sessions: list[CourseSession]) -> None:
    """Load the speakers of `sessions` through their relationship: one statement for all of them
    (and one reading the sessions again, which are already loaded)."""
    db.session.scalars(
        select(CourseSession)
        .where(CourseSession.id.in_([session.id for session in sessions]))
        .options(selectinload(CourseSession.speakers))
    ).all()


# -- sessions ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class SpeakerDetails:
    """A speaker or guest at a session, as typed on the session form."""

    name: str
    title: str = ""
    organisation: str = ""


@dataclass(frozen=True)
class SessionDetails:
    day: date
    start_time: time
    end_time: time
    title: str
    theme: CourseTheme | None = None
    venue: Venue | None = None
    online_url: str | None = None
    # None leaves a session's note and speakers as they are (callers that do not edit them).
    contents_note: str | None = None
    speakers: tuple[SpeakerDetails, ...] | None = None


def _one_line(text: str | None) -> str:
    return " ".join((text or "").split())


def _checked_speakers(speakers: tuple[SpeakerDetails, ...]) -> list[SpeakerDetails]:
    """Return the speakers cleaned (rows left empty dropped); raise beside the first bad field."""
    cleaned = []
    for number, speaker in enumerate(speakers, start=1):
        name, title = _one_line(speaker.name), _one_line(speaker.title)
        organisation = _one_line(speaker.organisation)
        if not (name or title or organisation):
            continue
        if not name:
            raise CourseError(_("Skriv gästens namn."), field=f"speaker{number}_name")
        for part, value, limit in (
            ("name", name, SPEAKER_NAME_LENGTH),
            ("title", title, SPEAKER_TITLE_LENGTH),
            ("organisation", organisation, SPEAKER_ORGANISATION_LENGTH),
        ):
            if len(value) > limit:
                raise CourseError(_("Högst %(n)d tecken.", n=limit), field=f"speaker{number}_{part}")
        cleaned.append(SpeakerDetails(name, title, organisation))
    if len(cleaned) > MAX_SPEAKERS:
        raise CourseError(_("Högst %(n)d gäster per träff.", n=MAX_SPEAKERS), field="speaker1_name")
    return cleaned


def _checked_note(note: str) -> str:
    note = note.strip()
    if len(note) > MAX_CONTENTS_NOTE:
        raise CourseError(_("Högst %(n)d tecken.", n=MAX_CONTENTS_NOTE), field="contents_note")
    return note


def _set_contents(session: CourseSession, details: SessionDetails) -> None:
    """Store the session's note and speakers (checked before anything of the session changed)."""
    if details.contents_note is not None:
        session.contents_note = _checked_note(details.contents_note)
    if details.speakers is None:
        return
    speakers = _checked_speakers(details.speakers)
    if session.speakers:
        session.speakers.clear()
        db.session.flush()  # the old rows go before new ones take their positions
    for position, speaker in enumerate(speakers, start=1):
        session.speakers.append(
            SessionSpeaker(
                position=position, name=speaker.name, title=speaker.title, organisation=speaker.organisation
            )
        )


def _checked_session(run: CourseRun, details: SessionDetails) -> tuple[datetime, datetime]:
    if details.end_time <= details.start_time:
        raise CourseError(_("Sluttiden måste vara efter starttiden."), field="end_time")
    if details.theme is not None and details.theme.course_type_id != run.course_type_id:
        raise CourseError(_("Välj ett tema från kursomgångens kurstyp."), field="theme")
    if details.venue is None and not details.online_url:
        raise CourseError(_("Välj en lokal eller skriv en länk till mötet på nätet."), field="venue")
    if details.online_url and not details.online_url.startswith("https://"):
        raise CourseError(_("Länken ska börja med https://"), field="online_url")
    if not (details.title or details.theme):
        raise CourseError(_("Skriv en rubrik för träffen."), field="title")
    # Checked here, before the session changes: a bad guest leaves nothing half-saved.
    if details.speakers is not None:
        _checked_speakers(details.speakers)
    if details.contents_note is not None:
        _checked_note(details.contents_note)
    return (
        local_moment(details.day, details.start_time, field="start_time", error=CourseError),
        local_moment(details.day, details.end_time, field="end_time", error=CourseError),
    )


def _session_changed(session: CourseSession, *, actor: User, now: datetime) -> None:
    events.session_changed.send(session, actor=actor, now=now)


def update_session(
    session: CourseSession, *, actor: User, now: datetime, details: SessionDetails
) -> CourseSession:
    """Change a session; a new time, place, title or theme raises its revision and sends the event."""
    run = session.run
    _check_editable(run)
    starts_at, ends_at = _checked_session(run, details)
    online_url = None if details.venue is not None else details.online_url
    moved = (starts_at, ends_at) != (session.starts_at, session.ends_at) or (
        (details.venue.id if details.venue else None, online_url) != (session.venue_id, session.online_url)
    )
    if details.theme is not None and details.theme.id != session.theme_id:
        # A new theme brings its title unless staff wrote their own.
        title = details.theme.title if details.title in ("", session.title) else details.title
    else:
        title = details.title or session.title
    session.starts_at, session.ends_at = starts_at, ends_at
    session.venue, session.online_url = details.venue, online_url
    renamed = (details.theme.id if details.theme else None, title) != (session.theme_id, session.title)
    session.theme, session.title = details.theme, title
    _set_contents(session, details)
    _refresh_starts_at(run)
    _check_window_before_first_session(run)
    changed = moved or renamed
    if changed:
        session.revision += 1
    db.session.flush()
    if changed:
        _session_changed(session, actor=actor, now=now)
    logger.info("session updated id=%s moved=%s renamed=%s by=%s", session.id, moved, renamed, actor.id)
    return session


def add_session(run: CourseRun, *, actor: User, now: datetime, details: SessionDetails) -> CourseSession:
    """Add a session to a run."""
    _check_editable(run)
    starts_at, ends_at = _checked_session(run, details)
    title = details.title
    if not title:
        title = known(details.theme, "_checked_session refused a session with no title and no theme").title
    session = CourseSession(
        status=SessionStatus.SCHEDULED,
        theme=details.theme,
        title=title,
        starts_at=starts_at,
        ends_at=ends_at,
        venue=details.venue,
        online_url=None if details.venue is not None else details.online_url,
    )
    run.sessions.append(session)
    _set_contents(session, details)
    _refresh_starts_at(run)
    _check_window_before_first_session(run)
    db.session.flush()
    logger.info("session added id=%s run=%s by=%s", session.id, run.id, actor.id)
    return session


def remove_session(session: CourseSession, *, actor: User, now: datetime) -> CourseRun:
    """Remove a session from a draft run; a published run's session is cancelled instead."""
    run = session.run
    _check_editable(run)
    if run.status != RunStatus.DRAFT:
        raise CourseError(_("Kursomgången är publicerad: ställ in träffen i stället, med en anledning."))
    run.sessions.remove(session)
    _refresh_starts_at(run)
    db.session.flush()
    logger.info("session removed id=%s run=%s by=%s", session.id, run.id, actor.id)
    return run


CANCEL_REASON_MAX = 300


def cancel_session(session: CourseSession, *, reason: str, actor: User, now: datetime) -> CourseSession:
    """Cancel one session of a published run, with a reason the participants are told.

    Sends `events.session_changed`: the participants get the cancellation of their invite and a
    mail that names the date and the reason.
    """
    run = session.run
    _check_editable(run)
    reason = " ".join((reason or "").split())
    if not reason:
        raise CourseError(_("Skriv varför träffen ställs in. Familjerna får läsa det."), field="reason")
    if len(reason) > CANCEL_REASON_MAX:
        raise CourseError(_("Högst %(n)d tecken.", n=CANCEL_REASON_MAX), field="reason")
    if run.status == RunStatus.DRAFT:
        raise CourseError(_("Kursomgången är ett utkast: ta bort träffen i stället."))
    if session.status != SessionStatus.SCHEDULED:
        raise CourseError(_("Träffen är redan inställd."))
    if session.has_started(now):
        raise CourseError(_("Träffen har redan börjat och kan inte ställas in."))
    if not any(s.status == SessionStatus.SCHEDULED and s is not session for s in run.sessions):
        raise CourseError(
            _("En publicerad kursomgång behöver minst en träff. Ställ in hela kursomgången i stället.")
        )
    session.status = SessionStatus.CANCELLED
    session.cancel_reason = reason
    session.revision += 1
    _refresh_starts_at(run)
    db.session.flush()
    _session_changed(session, actor=actor, now=now)
    logger.info("session cancelled id=%s run=%s by=%s", session.id, run.id, actor.id)
    return session
