"""Every write of the attendance area: marks and corrections, absence notices, completion, certificates."""

from __future__ import annotations

import logging
import secrets
from datetime import datetime, timedelta

from flask import current_app
from flask_babel import format_datetime
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from coursehub import events
from coursehub.accounts.models import User
from coursehub.attendance import emails, permissions, queries
from coursehub.attendance.errors import (
    AttendanceError,
    CertificateError,
    NotSignedUpError,
    SessionNotStartedError,
)
from coursehub.attendance.models import (
    AbsenceNotice,
    AttendanceChange,
    AttendanceMark,
    AttendanceStatus,
    Certificate,
    Completion,
)
from coursehub.courses import services as courses_services
from coursehub.courses.models import CourseSession, CourseType, SessionStatus
from coursehub.enrollment import services as enrollment_services
from coursehub.errors import PermissionDeniedError
from coursehub.extensions import db
from coursehub.lib.database import lock_for_update

logger = logging.getLogger(__name__)

REMARK_MAX = 300
# No 0/O, 1/I/L: a code read aloud or typed from paper must not be mistaken.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 12


def sheet_opens_at(session: CourseSession) -> datetime:
    """Return when the session's sheet takes marks: the configured minutes before the start."""
    return session.starts_at - timedelta(minutes=current_app.config["COURSEHUB_SHEET_OPENS_MINUTES"])


def sheet_is_open(session: CourseSession, now: datetime) -> bool:
    """Return True when marks may be recorded at `session` (from a little before its start)."""
    return now >= sheet_opens_at(session)


def not_open_message(session: CourseSession) -> str:
    """Say, in words a leader at the door reads at a glance, when the sheet opens."""
    return str(
        _(
            "Träffen har inte börjat än. Närvarolistan öppnar %(when)s, %(n)d minuter före start.",
            when=format_datetime(sheet_opens_at(session), "EEEE d MMMM 'kl.' HH:mm"),
            n=current_app.config["COURSEHUB_SHEET_OPENS_MINUTES"],
        )
    )


def record_attendance(
    session: CourseSession,
    person: User,
    *,
    status: AttendanceStatus | str,
    remark: str = "",
    actor: User,
    now: datetime,
) -> AttendanceMark:
    """Mark `person` present, absent or absent with notice at `session`; log any correction.

    Re-evaluates the person's completion of the course type, which may issue a certificate.
    """
    if not permissions.can_record_attendance(actor, session):
        raise PermissionDeniedError(_("Du får inte föra närvaro för den här träffen."))
    try:
        status = AttendanceStatus(status)
    except ValueError:
        raise AttendanceError(
            _("Välj närvarande, frånvarande eller anmäld frånvaro."), field="status"
        ) from None
    remark = (remark or "").strip()
    if len(remark) > REMARK_MAX:
        raise AttendanceError(_("Anteckningen får vara högst %(n)d tecken.", n=REMARK_MAX), field="remark")
    if session.status == SessionStatus.CANCELLED:
        raise AttendanceError(_("Träffen är inställd. Det går inte att föra närvaro för den."))
    if not sheet_is_open(session, now):
        raise SessionNotStartedError(not_open_message(session))
    if not queries.is_participant(session, person.id):
        # No name here: the posted id may be anyone's, and a leader may only learn participants'.
        raise NotSignedUpError(_("Personen är inte anmäld till den här träffen."))
    # The session's first mark notes on its row that attendance is taken (the staff's lists of
    # meetings still to mark read that, not the marks). Before the person's lock: a transaction
    # that marks a household takes the session's row first, as every other one does.
    courses_services.note_attendance_taken(session, now=now)
    # One person's marks are evaluated one request at a time: two leaders marking the last two
    # themes at once must not both miss the other's mark (and leave the course unfinished), nor
    # race to insert the same mark. PostgreSQL holds this row lock until commit.
    _lock_person(person)
    mark = db.session.scalar(
        select(AttendanceMark).where(
            AttendanceMark.session_id == session.id, AttendanceMark.user_id == person.id
        )
    )
    if mark is None:
        mark = AttendanceMark(
            session_id=session.id,
            user_id=person.id,
            status=status,
            remark=remark,
            recorded_by_id=actor.id,
            recorded_at=now,
        )
        db.session.add(mark)
    elif mark.status != status or mark.remark != remark:
        db.session.add(
            AttendanceChange(
                mark=mark,
                changed_by_id=actor.id,
                changed_at=now,
                from_status=mark.status,
                to_status=status,
                from_remark=mark.remark,
                to_remark=remark,
            )
        )
        mark.status, mark.remark = status, remark
        mark.recorded_by_id, mark.recorded_at = actor.id, now
    db.session.flush()
    logger.info("attendance mark %s session=%s status=%s", mark.id, session.id, status.value)
    evaluate_completion(person, session.run.course_type, actor=actor, now=now)
    return mark


def mark_everyone_present(
    session: CourseSession, *, household_id: int | None = None, actor: User, now: datetime
) -> int:
    """Mark every participant not yet marked (of one household, or all) present, in one go.

    A person who reported absence in advance is marked "anmäld frånvaro" instead. Marks already
    made stay as they are; single corrections are made afterwards, one tap each. Returns the
    number of marks made.
    """
    if not permissions.can_record_attendance(actor, session):
        raise PermissionDeniedError(_("Du får inte föra närvaro för den här träffen."))
    groups = queries.attendance_sheet(session)
    if household_id is not None:
        groups = [g for g in groups if g.household is not None and g.household.id == household_id]
        if not groups:
            raise NotSignedUpError(_("Familjen är inte anmäld till den här träffen."))
    unmarked = [row for group in groups for row in group.rows if row.mark is None]
    people = {
        u.id: u for u in db.session.scalars(select(User).where(User.id.in_([r.user.id for r in unmarked])))
    }
    made = 0
    for row in unmarked:
        status = AttendanceStatus.EXCUSED if row.notice is not None else AttendanceStatus.PRESENT
        record_attendance(session, people[row.user.id], status=status, actor=actor, now=now)
        made += 1
    logger.info("marked everyone present session=%s marks=%s", session.id, made)
    return made


def sign_up_for_makeup(session: CourseSession, person: User, *, actor: User, now: datetime) -> None:
    """Sign `person` up for `session` to make up a theme they lack and have not planned.

    The theme rules live here, where progress is known; enrollment checks the run's audience,
    the approval rule and the session's seats.
    """
    household = person.household
    if household is None:
        raise AttendanceError(_("Personen hör inte till något hushåll."))
    reason = queries.makeup_refusal(person, session, now=now)
    if reason is not None:
        raise AttendanceError(reason)
    enrollment_services.sign_up_for_makeup(session, household, [person], actor=actor, now=now)
    logger.info("make-up checked session=%s", session.id)


def _lock_person(person: User) -> None:
    """Serialise attendance writes and the completion evaluation per person."""
    lock_for_update(User, person.id)


def completion_no_longer_met(person: User, course_type: CourseType) -> bool:
    """Return True when `person` has a completion of `course_type` that their marks no longer meet.

    The rule of the house: a correction never withdraws a completion or its certificate by itself
    (a tap at the door must not revoke a public proof). The leader is warned on the sheet and
    staff see the certificate flagged, so that staff can revoke it with a reason.
    """
    progress = queries.progress_for_users([person.id], course_type_ids=[course_type.id])[person.id]
    return bool(progress) and progress[0].rule_no_longer_met


def report_absence(
    session: CourseSession, person: User, *, reason: str = "", actor: User, now: datetime
) -> AbsenceNotice:
    """Record a family's advance notice that `person` will miss `session`."""
    if not permissions.can_report_absence(actor, person):
        raise PermissionDeniedError(_("Ni kan bara anmäla frånvaro för er egen familj."))
    reason = (reason or "").strip()
    if len(reason) > REMARK_MAX:
        raise AttendanceError(_("Meddelandet får vara högst %(n)d tecken.", n=REMARK_MAX), field="reason")
    if session.has_started(now) or session.status == SessionStatus.CANCELLED:
        raise AttendanceError(_("Frånvaro kan bara anmälas i förväg, före träffen."), field="session_id")
    if not queries.is_participant(session, person.id):
        raise NotSignedUpError(
            _("%(name)s är inte anmäld till den här träffen.", name=person.full_name),
            field="session_id",
        )
    notice = db.session.scalar(
        select(AbsenceNotice).where(
            AbsenceNotice.session_id == session.id, AbsenceNotice.user_id == person.id
        )
    )
    if notice is None:
        notice = AbsenceNotice(session_id=session.id, user_id=person.id)
        db.session.add(notice)
    notice.reason, notice.reported_by_id, notice.reported_at = reason, actor.id, now
    db.session.flush()
    logger.info("absence notice %s session=%s", notice.id, session.id)
    return notice


def withdraw_absence(notice: AbsenceNotice, *, actor: User, now: datetime) -> None:
    """Withdraw an advance absence notice before the session; the sheet no longer shows it."""
    if not permissions.can_report_absence(actor, notice.user):
        raise PermissionDeniedError(_("Ni kan bara ändra frånvaro för er egen familj."))
    session = notice.session
    if session.has_started(now):
        raise AttendanceError(_("Träffen har redan börjat. Frånvaroanmälan går inte att ta tillbaka nu."))
    notice_id, session_id = notice.id, session.id
    db.session.delete(notice)
    db.session.flush()
    logger.info("absence notice %s withdrawn session=%s", notice_id, session_id)


def evaluate_completion(
    user: User, course_type: CourseType, *, now: datetime, actor: User | None = None
) -> Completion | None:
    """Create the person's completion of `course_type` once the rule is met (exactly once).

    When the type issues certificates, a certificate is issued and an e-mail queued with it.
    A new completion is sent as `events.completion_recorded` (`actor`: who recorded the
    attendance that completed it). Returns the completion, or None while the rule is not met.
    """
    existing = db.session.scalar(
        select(Completion).where(Completion.user_id == user.id, Completion.course_type_id == course_type.id)
    )
    if existing is not None:
        return existing
    progress = queries.progress_for_users([user.id], course_type_ids=[course_type.id])[user.id]
    if not progress or progress[0].completed_at is None:
        return None
    done = progress[0]
    completion = Completion(
        user_id=user.id,
        course_type_id=course_type.id,
        completed_at=done.completed_at,
        completing_session_id=done.completing_session_id,
        created_at=now,
    )
    try:
        with db.session.begin_nested():
            db.session.add(completion)
    except IntegrityError:
        # Another request completed it at the same moment: its completion stands.
        return db.session.scalar(
            select(Completion).where(
                Completion.user_id == user.id, Completion.course_type_id == course_type.id
            )
        )
    logger.info("completion %s course_type=%s", completion.id, course_type.id)
    if course_type.issues_certificate:
        issue_certificate(completion, now=now)
    events.completion_recorded.send(completion, actor=actor, now=now)
    return completion


def new_certificate_code() -> str:
    """Return a fresh random verification code without look-alike characters."""
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def issue_certificate(completion: Completion, *, now: datetime) -> Certificate:
    """Issue a certificate for `completion` and queue the e-mail that tells the person."""
    certificate = Certificate(
        user_id=completion.user_id,
        course_type_id=completion.course_type_id,
        completion=completion,
        code=new_certificate_code(),
        issued_at=now,
    )
    db.session.add(certificate)
    db.session.flush()
    emails.queue_certificate_issued_email(certificate)
    logger.info("certificate %s issued", certificate.id)
    return certificate


def revoke_certificate(certificate: Certificate, *, reason: str, actor: User, now: datetime) -> Certificate:
    """Revoke a certificate (staff), with a reason; the public page then says it is not valid."""
    if not permissions.can_manage_certificates(actor):
        raise PermissionDeniedError(_("Du får inte återkalla intyg."))
    reason = (reason or "").strip()
    if not reason:
        raise CertificateError(_("Skriv varför intyget återkallas."), field="reason")
    if len(reason) > REMARK_MAX:
        raise CertificateError(_("Anledningen får vara högst %(n)d tecken.", n=REMARK_MAX), field="reason")
    lock_for_update(Certificate, certificate.id)  # two revocations at once: one wins
    if not certificate.is_valid:
        raise CertificateError(_("Intyget är redan återkallat."))
    certificate.revoked_at, certificate.revoked_by_id = now, actor.id
    certificate.revoke_reason = reason
    db.session.flush()
    logger.info("certificate %s revoked", certificate.id)
    return certificate


def reissue_certificate(
    certificate: Certificate, *, reason: str = "", actor: User, now: datetime
) -> Certificate:
    """Issue a new certificate (new code) for the same completion; the old one is revoked."""
    if not permissions.can_manage_certificates(actor):
        raise PermissionDeniedError(_("Du får inte utfärda intyg."))
    # Two staff (or a double click) reissuing at once: the second waits and then finds the
    # first one's new certificate, instead of breaking the one-valid-certificate index.
    lock_for_update(Certificate, certificate.id)
    if certificate.is_valid:
        revoke_certificate(certificate, reason=reason or _("Ersatt av ett nytt intyg."), actor=actor, now=now)
    else:
        current = db.session.scalar(
            select(Certificate).where(
                Certificate.completion_id == certificate.completion_id, Certificate.revoked_at.is_(None)
            )
        )
        if current is not None:
            raise CertificateError(_("Det finns redan ett giltigt intyg för den här kursen."))
    return issue_certificate(certificate.completion, now=now)
