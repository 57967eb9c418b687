"""Who may record, read and manage attendance, progress and certificates."""

from __future__ import annotations

from coursehub.accounts.models import FIGURE_ROLES, LEADER_ROLES, Role
from coursehub.accounts.permissions import is_staff


def can_lead_run(user, run) -> bool:
    """Staff, and the run's own leaders."""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    return is_staff(user) or run.is_led_by(user)


def can_record_attendance(user, session) -> bool:
    """The run's leaders and staff mark attendance at a session."""
    return can_lead_run(user, session.run)


def can_view_run_attendance(user, run) -> bool:
    """The run's leaders and staff see attendance per run and theme."""
    return can_lead_run(user, run)


def is_leader(user) -> bool:
    """A course leader (the role itself, not staff): their start is the attendance page."""
    return user is not None and user.has_role(Role.LEADER)


def can_list_attendance_runs(user) -> bool:
    """Leaders and staff have a list of runs to mark attendance for."""
    return user is not None and user.has_role(*LEADER_ROLES)


def can_view_own_progress(user) -> bool:
    """A family sees its own progress and certificates."""
    return user is not None and user.has_role(Role.FAMILY) and user.household_id is not None


def can_report_absence(actor, person) -> bool:
    """A person reports their own absence, or that of an adult in their household."""
    if actor is None or person is None:
        return False
    return actor.id == person.id or (
        actor.household_id is not None and actor.household_id == person.household_id
    )


def can_view_municipal_progress(user) -> bool:
    """A municipal worker sees the progress of the families of their own municipality."""
    return user is not None and user.has_role(Role.MUNICIPAL) and user.municipality_id is not None


def can_view_attendance_rates(user) -> bool:
    """Staff and the steering group read attendance figures."""
    return user is not None and user.has_role(*FIGURE_ROLES)


def can_download_certificate(user, certificate) -> bool:
    """The person themself, and staff."""
    return user is not None and (is_staff(user) or certificate.user_id == user.id)


def can_manage_certificates(user) -> bool:
    """Staff revoke and reissue certificates."""
    return is_staff(user)


def can_sign_up_own_makeup(actor, person) -> bool:
    """A family signs up one of its own adults for a make-up session."""
    return can_view_own_progress(actor) and person is not None and person.household_id == actor.household_id


def can_view_household_progress(user, household) -> bool:
    """Staff, and municipal workers of the household's own municipality."""
    if user is None or household is None or not getattr(user, "is_authenticated", False):
        return False
    if is_staff(user):
        return True
    return can_view_municipal_progress(user) and user.municipality_id == household.municipality_id


def can_sign_up_household_makeup(user, household) -> bool:
    """Staff, and the household's municipal workers, sign its adults up for make-up sessions."""
    return can_view_household_progress(user, household)


def can_withdraw_absence(actor, notice) -> bool:
    """The family that reported it (any adult of the person's household) withdraws a notice."""
    return can_view_own_progress(actor) and can_report_absence(actor, notice.user)


def can_invite_group(user, run) -> bool:
    """Staff invite families to a published run; a municipal worker their own municipality's,
    when the run is open to it."""
    from coursehub.courses.models import RunStatus
    from coursehub.enrollment.services.common import is_in_audience

    if user is None or run.status != RunStatus.PUBLISHED:
        return False
    if is_staff(user):
        return True
    return (
        user.has_role(Role.MUNICIPAL)
        and user.municipality is not None
        and is_in_audience(run, user.municipality)
    )


def can_invite_own_families(user) -> bool:
    """A municipal worker has a page of the runs they may invite their families to."""
    return user is not None and user.has_role(Role.MUNICIPAL) and user.municipality_id is not None
