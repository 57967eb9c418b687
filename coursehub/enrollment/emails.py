"""E-mails of the enrollment area, written into the outbox (templates/emails/enrollment_<event>/).

Every function takes the moment of the event where the same event may happen again later (a
household may cancel and sign up anew), so that the dedupe key of a new event is new, while a
retried request or a job run twice finds the key already queued.
"""

from __future__ import annotations

from datetime import datetime
from email.utils import parseaddr
from typing import Any

from flask import current_app
from flask_babel import force_locale

from coursehub.accounts.models import User
from coursehub.courses.ical import contact_of, session_info
from coursehub.courses.models import CourseRun, CourseSession, SessionStatus
from coursehub.enrollment.models import Enrollment
from coursehub.enrollment.sequences import calendar_offset
from coursehub.lib import ical
from coursehub.lib.typed_text import inert
from coursehub.notifications.models import OutboxMessage
from coursehub.notifications.services import Recipient, link, queue_emails_to_groups
from coursehub.notifications.services import queue_email as _queue_email

# Paths of the pages that e-mails link to (mails are written outside requests too, by jobs).
MY_COURSES_PATH = "/mina-kurser"
PROGRESS_PATH = "/mina-framsteg"  # where a family signs up to make up a missed theme
# Absence is reported on the family's progress page (attendance), beside its coming meetings.
ABSENCE_PATH = "/mina-framsteg#kommande"
APPROVALS_PATH = "/kommun/godkannanden"


def queue_email(**kwargs: Any) -> OutboxMessage | None:
    """Queue a mail rendered in Swedish, whoever (or whatever job) causes it."""
    with force_locale("sv"):
        return _queue_email(**kwargs)


def _stamp(moment: datetime) -> str:
    return moment.strftime("%Y%m%dT%H%M%S")


def organizer() -> ical.Person:
    """Return the organiser of every invite: the resource's own sender address."""
    name, address = parseaddr(current_app.config["MAIL_DEFAULT_SENDER"])
    return ical.Person(name=name or current_app.config["COURSEHUB_ORGANISATION"], email=address)


def _sessions_of(enrollment: Enrollment) -> list[CourseSession]:
    if enrollment.makeup_session is not None:
        sessions = [enrollment.makeup_session]
    else:
        sessions = list(enrollment.run.sessions)
    return [s for s in sessions if s.status == SessionStatus.SCHEDULED]


def _path(endpoint: str, **values: Any) -> str:
    """Build a path without a request (mails are also written by jobs and the CLI)."""
    path: str = current_app.url_map.bind("localhost").build(endpoint, values)
    return path


def _invite(
    session: CourseSession, enrollment: Enrollment, user: User, *, now: datetime, cancel: bool
) -> bytes:
    """Return one session's invite (or withdrawal) for one person: one event per message."""
    info = session_info(
        session,
        url=link(_path("courses.detail", run_id=enrollment.run_id)),
        sequence_offset=calendar_offset(user.id, enrollment.run_id),
    )
    return ical.build_invite(
        info, organizer=organizer(), attendee=ical.Person(user.full_name, user.email), now=now, cancel=cancel
    )


def _context(enrollment: Enrollment, user: User) -> dict[str, Any]:
    run = enrollment.run
    return {
        "enrollment": enrollment,
        "run": run,
        "user": user,
        "greeting_name": user.first_name,
        "household": enrollment.household,
        "sessions": _sessions_of(enrollment),
        "makeup_session": enrollment.makeup_session,
        "my_courses_url": link(MY_COURSES_PATH),
        "absence_url": link(ABSENCE_PATH),
        "course_url": link(_path("courses.detail", run_id=run.id)),
        "contact": contact_of(run),
        "persons": [p.user for p in enrollment.persons],
    }


def _queue_invites(
    enrollment: Enrollment,
    user: User,
    sessions: list[CourseSession],
    *,
    now: datetime,
    cancel: bool,
    key: str,
) -> int:
    """Queue one invite mail per session (Outlook reads one event per message); return how many."""
    queued = 0
    for session in sessions:
        message = queue_email(
            dedupe_key=f"{key}:{session.id}",
            recipient=user.email,
            template="enrollment_invite",
            calendar_ics=_invite(session, enrollment, user, now=now, cancel=cancel),
            calendar_method="CANCEL" if cancel else "REQUEST",
            session=session,
            is_cancelled=cancel,
            **_context(enrollment, user),
        )
        queued += message is not None
    return queued


def queue_confirmed_email(enrollment: Enrollment, *, now: datetime) -> None:
    """Tell every person of a confirmed sign-up, then send one calendar invite per session."""
    for person in enrollment.persons:
        user = person.user
        stamp = _stamp(enrollment.confirmed_at or now)
        # The offset grows at each CANCEL, so a new sign-up's invite is never taken for an
        # earlier one, even within the same second.
        offset = calendar_offset(user.id, enrollment.run_id)
        queue_email(
            dedupe_key=f"enrollment-confirmed:{enrollment.id}:{user.id}:{offset}:{stamp}",
            recipient=user.email,
            template="enrollment_confirmed",
            **_context(enrollment, user),
        )
        _queue_invites(
            enrollment,
            user,
            _sessions_of(enrollment),
            now=now,
            cancel=False,
            key=f"enrollment-invite:{enrollment.id}:{user.id}:{offset}:{stamp}",
        )


def queue_status_email(enrollment: Enrollment, event: str, *, now: datetime, **extra: Any) -> None:
    """Tell every person of a sign-up about `event` (pending, waitlisted, offer, declined...)."""
    for person in enrollment.persons:
        user = person.user
        queue_email(
            dedupe_key=f"enrollment-{event}:{enrollment.id}:{user.id}:{_stamp(now)}",
            recipient=user.email,
            template=f"enrollment_{event}",
            **_context(enrollment, user),
            **extra,
        )


def queue_cancelled_email(
    enrollment: Enrollment, *, now: datetime, was_confirmed: bool, run_cancelled: bool = False
) -> list[User]:
    """Tell every person that the sign-up (or the whole run) is cancelled; withdraw each invite.

    The notice is one mail; each session's withdrawal (CANCEL) is a mail of its own. Return the
    users who were sent a CANCEL: the caller advances their calendar offsets
    (sequences.advance_after_cancel), so that a later invite is above this CANCEL.
    """
    template = "enrollment_run_cancelled" if run_cancelled else "enrollment_cancelled"
    withdrawn = []
    for person in enrollment.persons:
        user = person.user
        offset = calendar_offset(user.id, enrollment.run_id)
        key = f"{template}:{enrollment.id}:{user.id}:{offset}:{_stamp(now)}"
        queue_email(dedupe_key=key, recipient=user.email, template=template, **_context(enrollment, user))
        if not was_confirmed:
            continue
        sessions = _sessions_of(enrollment)
        if run_cancelled and not sessions:
            sessions = (
                [enrollment.makeup_session] if enrollment.makeup_session else list(enrollment.run.sessions)
            )
        if _queue_invites(enrollment, user, sessions, now=now, cancel=True, key=f"{key}:withdrawn"):
            withdrawn.append(user)
    return withdrawn


def queue_approval_request_email(enrollment: Enrollment, worker: User, *, now: datetime) -> None:
    """Ask a municipal worker to approve (or decline) a family's sign-up.

    The household's name and the adults' names were typed by the family (a stranger, for a
    family that registered itself): they stay out of the subject and are quoted, inert, as the
    family's own words (`coursehub.lib.typed_text`).
    """
    household = enrollment.household
    queue_email(
        dedupe_key=f"enrollment-approval-request:{enrollment.id}:{worker.id}:{_stamp(now)}",
        recipient=worker.email,
        template="enrollment_approval_request",
        run=enrollment.run,
        user=worker,
        is_professional=household is None,
        is_new_household=household is not None and not household.is_confirmed,
        typed_household=inert(enrollment.participant_name),
        typed_names=[inert(p.user.full_name) for p in enrollment.persons],
        approvals_url=link(APPROVALS_PATH),
    )


def queue_session_changed_email(
    enrollment: Enrollment, session: CourseSession, user: User, *, now: datetime
) -> bool:
    """Send one participant the updated invite of a changed or cancelled session.

    Return True when a CANCEL was queued (the caller then advances the person's calendar offset).
    """
    cancelled = session.status != SessionStatus.SCHEDULED
    message = queue_email(
        dedupe_key=f"session-changed:{session.id}:{session.revision}:{session.status}:{user.id}",
        recipient=user.email,
        template="enrollment_session_changed",
        calendar_ics=_invite(session, enrollment, user, now=now, cancel=cancelled),
        calendar_method="CANCEL" if cancelled else "REQUEST",
        session=session,
        is_cancelled=cancelled,
        progress_url=link(PROGRESS_PATH),
        **_context(enrollment, user),
    )
    return cancelled and message is not None


def reminder_context(run: CourseRun, session: CourseSession) -> dict[str, Any]:
    """Return what a session's reminder says, the same for every participant (no personal data)."""
    return {
        "run": run,
        "session": session,
        "contact": contact_of(run),
        "course_url": link(_path("courses.detail", run_id=run.id)),
        "my_courses_url": link(MY_COURSES_PATH),
        "absence_url": link(ABSENCE_PATH),
    }


def reminder_recipient(session: CourseSession, user_id: int, email: str, full_name: str) -> Recipient:
    """Return one participant of a session's reminder (`queue_emails_to_groups`): one key each.

    Made from the user's columns, not a User: the greeting is the first name as `User.first_name`
    has it (the full name up to its first space).
    """
    return Recipient(f"reminder:{session.id}:{user_id}", email, full_name.split(" ", 1)[0])


def queue_reminders(reminders: list[tuple[CourseSession, list[Recipient]]]) -> int:
    """Queue the reminders of many sessions: each session's rendered once, greeting each by name.

    The keys already queued are looked up and the new messages written for all sessions at once.
    """
    groups = [(reminder_context(session.run, session), recipients) for session, recipients in reminders]
    return queue_emails_to_groups("enrollment_reminder", groups)
