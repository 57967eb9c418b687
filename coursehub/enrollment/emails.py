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
from coursehub.courses.ical import session_info
from coursehub.courses.models import CourseSession, SessionStatus
from coursehub.enrollment.models import Enrollment
from coursehub.enrollment.sequences import calendar_offset
from coursehub.lib import ical
from coursehub.lib.typed_text import inert
from coursehub.notifications.models import OutboxMessage
from coursehub.notifications.services import link
from coursehub.notifications.services import queue_email as _queue_email

# Paths of the pages that e-mails link to (mails are written outside requests too, by jobs).
MY_COURSES_PATH = "/mina-kurser"
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


def _invite(
    enrollment: Enrollment,
    user: User,
    *,
    now: datetime,
    cancel: bool = False,
    sessions: list[CourseSession] | None = None,
) -> bytes | None:
    sessions = _sessions_of(enrollment) if sessions is None else sessions
    if not sessions:
        return None
    infos = [session_info(s) for s in sessions]
    return ical.build_invite(
        infos,
        organizer=organizer(),
        attendee=ical.Person(user.full_name, user.email),
        now=now,
        cancel=cancel,
        sequence_offset=calendar_offset(user.id, enrollment.run_id),
    )


def _my_courses_link() -> str:
    return link(MY_COURSES_PATH)


def _context(enrollment: Enrollment, user: User) -> dict[str, Any]:
    return {
        "enrollment": enrollment,
        "run": enrollment.run,
        "user": user,
        "household": enrollment.household,
        "sessions": _sessions_of(enrollment),
        "makeup_session": enrollment.makeup_session,
        "my_courses_url": _my_courses_link(),
        "persons": [p.user for p in enrollment.persons],
    }


def queue_confirmed_email(enrollment: Enrollment, *, now: datetime) -> None:
    """Tell every person of a confirmed sign-up, with a calendar invite for all sessions."""
    for person in enrollment.persons:
        user = person.user
        ics = _invite(enrollment, user, now=now)
        stamp = _stamp(enrollment.confirmed_at or now)
        # The offset grows at each CANCEL, so a new sign-up's invite is never taken for an
        # earlier one, even within the same second.
        offset = calendar_offset(user.id, enrollment.run_id)
        queue_email(
            dedupe_key=f"enrollment-confirmed:{enrollment.id}:{user.id}:{offset}:{stamp}",
            recipient=user.email,
            template="enrollment_confirmed",
            calendar_ics=ics,
            calendar_method="REQUEST" if ics else None,
            **_context(enrollment, user),
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
    """Tell every person that the sign-up (or the whole run) is cancelled; withdraw the invite.

    Return the users whose mail carries a CANCEL: the caller advances their calendar offsets
    (sequences.advance_after_cancel), so that a later invite is above this CANCEL.
    """
    template = "enrollment_run_cancelled" if run_cancelled else "enrollment_cancelled"
    withdrawn = []
    for person in enrollment.persons:
        user = person.user
        ics = _invite(enrollment, user, now=now, cancel=True) if was_confirmed else None
        if run_cancelled and was_confirmed and ics is None:
            sessions = [enrollment.makeup_session] if enrollment.makeup_session else enrollment.run.sessions
            ics = _invite(enrollment, user, now=now, cancel=True, sessions=list(sessions))
        offset = calendar_offset(user.id, enrollment.run_id)
        message = queue_email(
            dedupe_key=f"{template}:{enrollment.id}:{user.id}:{offset}:{_stamp(now)}",
            recipient=user.email,
            template=template,
            calendar_ics=ics,
            calendar_method="CANCEL" if ics else None,
            **_context(enrollment, user),
        )
        if ics is not None and message is not None:
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
        is_new_household=not household.is_confirmed,
        typed_household=inert(household.name),
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
    ics = _invite(enrollment, user, now=now, cancel=cancelled, sessions=[session])
    message = queue_email(
        dedupe_key=f"session-changed:{session.id}:{session.revision}:{session.status}:{user.id}",
        recipient=user.email,
        template="enrollment_session_changed",
        calendar_ics=ics,
        calendar_method="CANCEL" if cancelled else "REQUEST",
        session=session,
        is_cancelled=cancelled,
        **_context(enrollment, user),
    )
    return cancelled and message is not None


def queue_reminder_email(enrollment: Enrollment, session: CourseSession, user: User) -> bool:
    """Remind one participant of a session; returns False when the reminder was already queued."""
    message = queue_email(
        dedupe_key=f"reminder:{session.id}:{user.id}",
        recipient=user.email,
        template="enrollment_reminder",
        session=session,
        **_context(enrollment, user),
    )
    return message is not None
