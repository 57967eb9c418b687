"""Sign-ups: by a family, by a municipality, for a make-up session; approval by the municipality."""

from __future__ import annotations

import logging
from datetime import datetime

from flask_babel import gettext as _

from coursehub.accounts import services as account_services
from coursehub.accounts.models import Household, Role, User
from coursehub.courses.models import CourseRun, CourseSession, RunStatus, SessionStatus
from coursehub.enrollment import emails
from coursehub.enrollment.errors import (
    AlreadySignedUpError,
    CourseFullError,
    EnrollmentError,
    SignupClosedError,
)
from coursehub.enrollment.models import (
    ACTIVE,
    RUN_SCOPE,
    Enrollment,
    EnrollmentPerson,
    EnrollmentStatus,
    ParticipantKind,
)
from coursehub.enrollment.services import common
from coursehub.enrollment.services.waitlist import fill_free_seats
from coursehub.errors import NotFoundError
from coursehub.extensions import db
from coursehub.lib.checks import known

logger = logging.getLogger(__name__)


def makeup_scope(session_id: int) -> str:
    """Return the scope of a make-up sign-up for one session."""
    return f"session:{session_id}"


def _clip(value: str | None, length: int) -> str:
    return (value or "").strip()[:length]


def _prepare_row(
    run: CourseRun, scope: str, *, household: Household | None = None, professional: User | None = None
) -> Enrollment:
    """Return a fresh or reused (cancelled, declined) row; raise when the sign-up is active.

    The row is a family's (`household`) or a professional's (`professional`), never both.
    """
    if household is not None:
        existing = common.active_enrollment(run.id, household.id, scope)
        taken = _("Hushållet är redan anmält till kursomgången.")
    else:
        person = known(professional, "a sign-up is a family's or a professional's")
        existing = common.professional_enrollment(run.id, person.id, scope)
        taken = _("%(name)s är redan anmäld till kursomgången.", name=person.full_name)
    if existing is not None and existing.status in ACTIVE:
        raise AlreadySignedUpError(taken, field=None if household is not None else "persons")
    if existing is None:
        existing = Enrollment(run_id=run.id, scope=scope)
        if household is not None:
            existing.household_id = household.id
        else:
            existing.participant_kind = ParticipantKind.PROFESSIONAL
            existing.professional = professional
        db.session.add(existing)
    else:
        # The row of an earlier, ended sign-up is reused (one row per participant, run and scope).
        existing.persons.clear()
        existing.cancelled_at = existing.cancelled_by_id = existing.decided_at = None
        existing.decided_by_id = existing.confirmed_at = None
        existing.cancel_reason = ""
        db.session.flush()
    return existing


def _place(enrollment: Enrollment, seats: int, *, free: int, next_position: int, now: datetime) -> None:
    """Give the sign-up seats when they fit, else put it last on the waiting list."""
    enrollment.offer_expires_at = None
    if seats <= free:
        enrollment.waitlist_position = None
        if enrollment.needs_approval:
            enrollment.status = EnrollmentStatus.PENDING
        else:
            enrollment.status = EnrollmentStatus.CONFIRMED
            enrollment.confirmed_at = now
    else:
        enrollment.status = EnrollmentStatus.WAITLISTED
        enrollment.waitlist_position = next_position


def sign_up(
    run: CourseRun,
    household: Household,
    persons: list[User],
    *,
    actor: User,
    now: datetime,
    diet: str | None = "",
    accessibility: str | None = "",
    interpreter: str | None = "",
) -> Enrollment:
    """Sign up adults of `household` for `run`: confirmed, pending approval, or waitlisted."""
    common.check_may_act_for(actor, household)
    common.check_run_takes_signups(run, now)
    if not run.course_type.is_for_families:
        raise SignupClosedError(_("Kursomgången är till för yrkesverksamma och tar inte emot familjer."))
    common.check_in_audience(run, household.municipality)
    chosen = common.check_persons(household, persons)
    by_municipality = common.acts_for_municipality(actor, household)
    needs_approval = not by_municipality and (
        run.course_type.requires_municipal_approval or not household.is_confirmed
    )
    return _enrol(
        run,
        chosen,
        household=household,
        needs_approval=needs_approval,
        actor=actor,
        now=now,
        needs={"diet": diet, "accessibility": accessibility, "interpreter": interpreter},
    )


def sign_up_professional(
    run: CourseRun,
    person: User,
    *,
    actor: User,
    now: datetime,
    diet: str | None = "",
    accessibility: str | None = "",
    interpreter: str | None = "",
) -> Enrollment:
    """Sign a professional up for a run of a course for professionals (or for both).

    The same rules as a family's sign-up: seats or the waiting list, and the course type's
    approval (a network member's own sign-up waits for a municipal worker of their municipality;
    a municipal worker's, a colleague's or staff's is decided at once). `persons` of the sign-up is
    the professional alone.
    """
    if not common.may_sign_up_professional(actor, person):
        raise NotFoundError(_("Personen finns inte."))
    common.check_run_takes_signups(run, now)
    if not run.course_type.is_for_professionals:
        raise SignupClosedError(_("Kursomgången är till för familjer och tar inte emot yrkesverksamma."))
    municipality = person.municipality
    if not (run.is_open_to_all if municipality is None else common.is_in_audience(run, municipality)):
        where = municipality.name if municipality is not None else _("utan kommun")
        raise SignupClosedError(
            _("Kursomgången är inte öppen för yrkesverksamma från %(name)s.", name=where), field="persons"
        )
    needs_approval = run.course_type.requires_municipal_approval and not (
        actor.is_staff or (actor.has_role(Role.MUNICIPAL) and actor.municipality_id == person.municipality_id)
    )
    return _enrol(
        run,
        [person],
        professional=person,
        needs_approval=needs_approval,
        actor=actor,
        now=now,
        needs={"diet": diet, "accessibility": accessibility, "interpreter": interpreter},
    )


def sign_up_professionals(
    run: CourseRun, persons: list[User], *, actor: User, now: datetime, **needs: str | None
) -> list[Enrollment]:
    """Sign several professionals up for a run (oneself, colleagues): all of them or, on an error, none.

    Each gets a sign-up of their own (`sign_up_professional`); the caller's transaction holds them
    together, so an error for one leaves nothing half-saved once the caller rolls back.
    """
    chosen = {person.id: person for person in persons}
    if not chosen:
        raise EnrollmentError(_("Välj minst en person att anmäla."), field="persons")
    return [sign_up_professional(run, person, actor=actor, now=now, **needs) for person in chosen.values()]


def _enrol(
    run: CourseRun,
    chosen: list[User],
    *,
    household: Household | None = None,
    professional: User | None = None,
    needs_approval: bool,
    actor: User,
    now: datetime,
    needs: dict[str, str | None],
) -> Enrollment:
    """Take seats (or a place on the waiting list) for a checked sign-up, under the run's lock."""
    run = common.lock_run(run)
    # The run may have changed while we waited for the lock.
    common.check_run_takes_signups(run, now)
    # Counted before the new row exists (and under the lock), so autoflush cannot interfere.
    free = run.capacity - common.seats_taken(run.id)
    next_position = common.next_waitlist_position(run.id)
    enrollment = _prepare_row(run, RUN_SCOPE, household=household, professional=professional)
    enrollment.needs_approval = needs_approval
    enrollment.needs_diet = _clip(needs.get("diet"), 300)
    enrollment.needs_accessibility = _clip(needs.get("accessibility"), 300)
    enrollment.needs_interpreter = _clip(needs.get("interpreter"), 100)
    enrollment.signed_up_by_id = actor.id
    enrollment.created_at = now
    for person in chosen:
        enrollment.persons.append(EnrollmentPerson(user=person))
    _place(enrollment, len(chosen), free=free, next_position=next_position, now=now)
    db.session.flush()
    common.recount_seats(run)
    _announce(enrollment, now=now)
    logger.info(
        "sign-up %s run=%s kind=%s status=%s",
        enrollment.id,
        run.id,
        enrollment.participant_kind.value,
        enrollment.status.value,
    )
    return enrollment


def _announce(enrollment: Enrollment, *, now: datetime) -> None:
    if enrollment.status == EnrollmentStatus.CONFIRMED:
        emails.queue_confirmed_email(enrollment, now=now)
        return
    if enrollment.status == EnrollmentStatus.WAITLISTED:
        emails.queue_status_email(enrollment, "waitlisted", now=now)
    else:
        emails.queue_status_email(enrollment, "pending", now=now)
    if enrollment.needs_approval and enrollment.municipality_id is not None:
        for worker in common.municipal_workers(enrollment.municipality_id):
            emails.queue_approval_request_email(enrollment, worker, now=now)


def sign_up_for_makeup(
    session: CourseSession, household: Household, persons: list[User], *, actor: User, now: datetime
) -> Enrollment:
    """Sign up adults for one session of another run of their course type, to make up a theme.

    The rules of `sign_up` hold: the run's audience, and the course type's approval (a family's
    make-up of a type that needs it waits, holding its seat; the municipality's own is confirmed).
    The make-up holds a seat at its one session only (`common.seats_taken`).
    """
    common.check_may_act_for(actor, household)
    run = session.run
    if not run.course_type.allows_makeup:
        raise EnrollmentError(_("Den här kursen går inte att ta igen i en annan kursomgång."))
    if run.status != RunStatus.PUBLISHED or session.status != SessionStatus.SCHEDULED:
        raise SignupClosedError(_("Träffen tar inte emot anmälningar."))
    if session.has_started(now):
        raise SignupClosedError(_("Träffen har redan börjat."))
    common.check_in_audience(run, household.municipality)
    if not _attends_other_run(household, run):
        raise EnrollmentError(
            _("Hushållet går inte någon annan omgång av den här kursen och kan inte ta igen en träff.")
        )
    chosen = common.check_persons(household, persons)
    run = common.lock_run(run)
    whole = common.active_enrollment(run.id, household.id, RUN_SCOPE)
    if whole is not None and whole.status in ACTIVE:
        raise AlreadySignedUpError(_("Hushållet är redan anmält till hela kursomgången."))
    if common.free_makeup_seats(run, session.id) < len(chosen):
        raise CourseFullError(_("Det finns inte tillräckligt många platser kvar på träffen."))
    # Decided before the row exists: the check reads the database, and an autoflush of a row
    # without its status yet would break the NOT NULL constraint.
    needs_approval = not common.acts_for_municipality(actor, household) and (
        run.course_type.requires_municipal_approval or not household.is_confirmed
    )
    enrollment = _prepare_row(run, makeup_scope(session.id), household=household)
    enrollment.makeup_session_id = session.id
    enrollment.makeup_session = session
    enrollment.needs_approval = needs_approval
    enrollment.signed_up_by_id = actor.id
    enrollment.created_at = now
    for person in chosen:
        enrollment.persons.append(EnrollmentPerson(user=person))
    # Seats were checked above: a make-up is never waitlisted.
    _place(enrollment, len(chosen), free=len(chosen), next_position=0, now=now)
    db.session.flush()
    common.recount_seats(run)
    _announce(enrollment, now=now)
    logger.info("make-up sign-up %s session=%s", enrollment.id, session.id)
    return enrollment


def _attends_other_run(household: Household, run: CourseRun) -> bool:
    from sqlalchemy import select

    return (
        db.session.scalar(
            select(Enrollment.id)
            .join(CourseRun, CourseRun.id == Enrollment.run_id)
            .where(
                Enrollment.household_id == household.id,
                Enrollment.run_id != run.id,
                Enrollment.status == EnrollmentStatus.CONFIRMED,
                CourseRun.course_type_id == run.course_type_id,
            )
            .limit(1)
        )
        is not None
    )


def _check_decidable(enrollment: Enrollment, actor: User) -> None:
    if not common.acts_for_enrollment(actor, enrollment):
        raise NotFoundError(_("Anmälan finns inte."))
    if not enrollment.needs_approval or enrollment.status not in ACTIVE:
        raise EnrollmentError(_("Anmälan väntar inte på något beslut."))


def approve_enrollment(enrollment: Enrollment, *, actor: User, now: datetime) -> Enrollment:
    """Approve a family's sign-up (confirming its household) or a professional's; pending is confirmed."""
    _check_decidable(enrollment, actor)
    run = common.lock_run(enrollment.run)
    db.session.refresh(enrollment)
    _check_decidable(enrollment, actor)
    household = enrollment.household
    if household is not None and not household.is_confirmed:
        account_services.confirm_household(household, actor=actor, now=now)
    enrollment.needs_approval = False
    enrollment.decided_by_id = actor.id
    enrollment.decided_at = now
    if enrollment.status == EnrollmentStatus.PENDING:
        enrollment.status = EnrollmentStatus.CONFIRMED
        enrollment.confirmed_at = now
        common.recount_seats(run)  # pending held its seats already: the count stays
        emails.queue_confirmed_email(enrollment, now=now)
    else:
        db.session.flush()
        emails.queue_status_email(enrollment, "approved", now=now)
    logger.info("approved enrollment %s", enrollment.id)
    return enrollment


def decline_enrollment(enrollment: Enrollment, *, actor: User, now: datetime, reason: str = "") -> Enrollment:
    """Decline a family's sign-up; its seats go to the waiting list."""
    _check_decidable(enrollment, actor)
    run = common.lock_run(enrollment.run)
    db.session.refresh(enrollment)
    _check_decidable(enrollment, actor)
    held = enrollment.holds_seats
    enrollment.status = EnrollmentStatus.DECLINED
    enrollment.needs_approval = False
    enrollment.waitlist_position = enrollment.offer_expires_at = None
    enrollment.decided_by_id = actor.id
    enrollment.decided_at = now
    enrollment.cancel_reason = _clip(reason, 300)
    db.session.flush()
    common.recount_seats(run)
    emails.queue_status_email(enrollment, "declined", now=now, reason=enrollment.cancel_reason)
    if held:
        fill_free_seats(run, now=now)
    logger.info("declined enrollment %s", enrollment.id)
    return enrollment


NEEDS_LIMITS = {"diet": 300, "accessibility": 300, "interpreter": 100}


def update_needs(
    enrollment: Enrollment, *, diet: str, accessibility: str, interpreter: str, actor: User, now: datetime
) -> Enrollment:
    """Change what a household told at sign-up about diet, accessibility and an interpreter."""
    if not enrollment.can_cancel(now):  # active, and the run has not ended or been cancelled
        raise EnrollmentError(_("Anmälan är inte längre aktiv. Behoven kan inte ändras."))
    values = {"diet": diet, "accessibility": accessibility, "interpreter": interpreter}
    cleaned = {name: " ".join((value or "").split()) for name, value in values.items()}
    for name, value in cleaned.items():
        if len(value) > NEEDS_LIMITS[name]:
            raise EnrollmentError(_("Högst %(n)d tecken.", n=NEEDS_LIMITS[name]), field=name)
    enrollment.needs_diet = cleaned["diet"]
    enrollment.needs_accessibility = cleaned["accessibility"]
    enrollment.needs_interpreter = cleaned["interpreter"]
    db.session.flush()
    logger.info("needs updated enrollment=%s by=%s", enrollment.id, actor.id)
    return enrollment
