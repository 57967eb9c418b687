"""Helpers shared by the enrollment services: the run lock, seat counts, audience, actors."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import Select, func, select

from coursehub.accounts.models import Household, Municipality, Role, User, UserRole
from coursehub.courses.models import CourseRun, RunStatus
from coursehub.enrollment import permissions
from coursehub.enrollment.errors import EnrollmentError, SignupClosedError
from coursehub.enrollment.models import SEAT_HOLDING, Enrollment, EnrollmentPerson, EnrollmentStatus
from coursehub.errors import NotFoundError
from coursehub.extensions import db
from coursehub.lib.database import lock_for_update


def lock_run(run: CourseRun) -> CourseRun:
    """Lock the run's row until the transaction ends and reload it.

    Every change that takes or frees seats goes through here first, so that two sign-ups for the
    last seats are decided one after the other, on PostgreSQL and SQLite alike
    (`coursehub.lib.database.lock_for_update`).
    """
    return lock_for_update(CourseRun, run.id)


def _persons_holding_seats(run_id: int) -> Select[int]:
    return (
        select(func.count(EnrollmentPerson.id))
        .join(Enrollment, Enrollment.id == EnrollmentPerson.enrollment_id)
        .where(Enrollment.run_id == run_id, Enrollment.status.in_(SEAT_HOLDING))
    )


def _whole_run_seats(run_id: int) -> int:
    """Return the persons of whole-run sign-ups holding seats in the run."""
    stmt = _persons_holding_seats(run_id).where(Enrollment.makeup_session_id.is_(None))
    return db.session.execute(stmt).scalar_one()


def makeup_seats_taken(run_id: int, session_id: int) -> int:
    """Return the persons holding a make-up seat at one session of the run."""
    stmt = _persons_holding_seats(run_id).where(Enrollment.makeup_session_id == session_id)
    return db.session.execute(stmt).scalar_one()


def seats_taken(run_id: int) -> int:
    """Return the seats a whole-run sign-up cannot have: what `CourseRun.seats_taken` stores.

    A whole-run sign-up (pending, confirmed, offered) holds a seat at every session; a make-up
    holds one at its one session only. A newcomer to the whole run needs a seat at every session,
    so the count is the whole-run seat holders plus the most make-ups any one session has. A
    make-up's own free seats are `capacity - whole-run holders - make-ups of that session`
    (`free_makeup_seats`).
    """
    per_session = (
        _persons_holding_seats(run_id)
        .add_columns(Enrollment.makeup_session_id)
        .where(Enrollment.makeup_session_id.is_not(None))
        .group_by(Enrollment.makeup_session_id)
    )
    busiest = max((row[0] for row in db.session.execute(per_session)), default=0)
    return _whole_run_seats(run_id) + busiest


def free_makeup_seats(run: CourseRun, session_id: int) -> int:
    """Return the seats left for make-ups at one session of `run`."""
    return run.capacity - _whole_run_seats(run.id) - makeup_seats_taken(run.id, session_id)


def recount_seats(run: CourseRun) -> int:
    """Store the persons holding seats in `run.seats_taken`, and return it; call under lock_run.

    Every service that changes a sign-up's status or persons calls it after its change. A recount,
    not an increment: the column cannot drift from the sign-up rows, whatever path changed them.
    """
    db.session.flush()  # the count must see the caller's changes
    run.seats_taken = seats_taken(run.id)
    db.session.flush()
    return run.seats_taken


def next_waitlist_position(run_id: int) -> int:
    """Return the position after the last one on the run's waiting list."""
    last = db.session.scalar(
        select(func.max(Enrollment.waitlist_position)).where(
            Enrollment.run_id == run_id, Enrollment.status == EnrollmentStatus.WAITLISTED
        )
    )
    return (last or 0) + 1


def is_in_audience(run: CourseRun, municipality: Municipality) -> bool:
    """Return True when families of `municipality` may come to `run`.

    The whole county (every member municipality), or the chosen municipalities together with those
    of the chosen county parts.
    """
    if run.is_open_to_all and municipality.is_member:
        return True
    if any(m.id == municipality.id for m in run.municipalities):
        return True
    return any(m.id == municipality.id for part in run.county_parts for m in part.municipalities)


def check_in_audience(run: CourseRun, municipality: Municipality) -> None:
    """Raise SignupClosedError, saying whom the run is for, unless `municipality` is in its audience."""
    if is_in_audience(run, municipality):
        return
    where = [part.name for part in run.county_parts] + [m.name for m in run.municipalities]
    if where:
        raise SignupClosedError(
            _(
                "Kursomgången är till för familjer i %(where)s och är inte öppen för familjer från %(name)s.",
                where=", ".join(where),
                name=municipality.name,
            )
        )
    raise SignupClosedError(
        _("Kursomgången är inte öppen för familjer från %(name)s.", name=municipality.name)
    )


def check_run_takes_signups(run: CourseRun, now: datetime) -> None:
    """Raise SignupClosedError unless `run` takes sign-ups at `now`."""
    if run.status == RunStatus.CANCELLED:
        raise SignupClosedError(_("Kursomgången är inställd och tar inte emot anmälningar."))
    if run.status == RunStatus.DRAFT:
        raise SignupClosedError(_("Kursomgången är inte publicerad och tar inte emot anmälningar."))
    if run.status == RunStatus.COMPLETED or (run.starts_at is not None and run.starts_at <= now):
        raise SignupClosedError(_("Kursomgången har redan börjat eller är avslutad."))
    if now < run.signup_opens_at:
        raise SignupClosedError(_("Anmälan till kursomgången har inte öppnat ännu."))
    if now >= run.signup_closes_at:
        raise SignupClosedError(_("Anmälan till kursomgången har stängt."))


def check_persons(household: Household, persons: Iterable[User]) -> list[User]:
    """Return the chosen adults, each once; raise unless all belong to `household`."""
    chosen: dict[int, User] = {}
    for person in persons:
        if person.household_id != household.id:
            # No name here: the ids are posted, and a name would tell who any id belongs to.
            raise EnrollmentError(_("En av de valda personerna hör inte till hushållet."), field="persons")
        chosen[person.id] = person
    if not chosen:
        raise EnrollmentError(_("Välj minst en vuxen att anmäla."), field="persons")
    return list(chosen.values())


def acts_for_municipality(actor: User | None, household: Household) -> bool:
    """Return True for staff and for municipal workers of the household's municipality."""
    if actor is None:
        return False
    if actor.is_staff:
        return True
    return actor.has_role(Role.MUNICIPAL) and actor.municipality_id == household.municipality_id


def check_may_act_for(actor: User | None, household: Household) -> None:
    """Raise NotFoundError unless `actor` is an adult of the household or acts for it."""
    if actor is not None and actor.household_id == household.id and actor.has_role(Role.FAMILY):
        return
    if acts_for_municipality(actor, household):
        return
    raise NotFoundError(_("Hushållet finns inte."))


def acts_for_enrollment(actor: User | None, enrollment: Enrollment) -> bool:
    """Return True for those who act for the sign-up's family or professional (and staff).

    For a professional's sign-up: staff, and municipal workers of the professional's municipality.
    """
    if enrollment.household is not None:
        return acts_for_municipality(actor, enrollment.household)
    if actor is None:
        return False
    return actor.is_staff or _is_colleague(actor, enrollment.professional)


def check_may_act_for_enrollment(actor: User | None, enrollment: Enrollment) -> None:
    """Raise NotFoundError unless `actor` is in the sign-up (an adult, the professional) or acts for it."""
    if enrollment.household is not None:
        check_may_act_for(actor, enrollment.household)
        return
    if actor is not None and actor.id == enrollment.professional_id:
        return
    if acts_for_enrollment(actor, enrollment):
        return
    raise NotFoundError(_("Anmälan finns inte."))


def _is_colleague(actor: User, person: User | None) -> bool:
    """Return True when `actor` is a municipal worker of `person`'s municipality."""
    return (
        person is not None
        and person.municipality_id is not None
        and actor.has_role(Role.MUNICIPAL)
        and actor.municipality_id == person.municipality_id
    )


def may_sign_up_professional(actor: User | None, person: User) -> bool:
    """Return True when `actor` may sign `person` up for a course for professionals.

    A professional signs themselves up; a municipal worker signs up municipal workers of the same
    municipality; staff sign up anyone.
    """
    if actor is None:
        return False
    if actor.is_staff:
        return True
    if actor.id == person.id:
        return person.is_active and permissions.is_professional(person)
    return _is_colleague(actor, person) and person.has_role(Role.MUNICIPAL)


def municipal_workers(municipality_id: int) -> list[User]:
    """Return the active municipal workers of a municipality."""
    return list(
        db.session.scalars(
            select(User)
            .join(UserRole, UserRole.user_id == User.id)
            .where(
                UserRole.role == Role.MUNICIPAL,
                User.municipality_id == municipality_id,
                User.deactivated_at.is_(None),
            )
            .order_by(User.id)
        )
    )


def professional_enrollment(run_id: int, user_id: int, scope: str) -> Enrollment | None:
    """Return the professional's sign-up row for the run and scope, whatever its status."""
    return db.session.scalar(
        select(Enrollment)
        .where(Enrollment.run_id == run_id, Enrollment.professional_id == user_id, Enrollment.scope == scope)
        .execution_options(populate_existing=True)
    )


def active_enrollment(run_id: int, household_id: int, scope: str) -> Enrollment | None:
    """Return the household's sign-up row for the run and scope, whatever its status."""
    return db.session.scalar(
        select(Enrollment)
        .where(
            Enrollment.run_id == run_id, Enrollment.household_id == household_id, Enrollment.scope == scope
        )
        .execution_options(populate_existing=True)
    )
