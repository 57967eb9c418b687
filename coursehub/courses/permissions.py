"""Who may see and do what in the courses area."""

from __future__ import annotations

from coursehub.accounts.models import LEADER_ROLES, Role
from coursehub.accounts.permissions import is_staff
from coursehub.courses.models import CourseRun, RunStatus

PUBLIC_STATUSES = (RunStatus.PUBLISHED, RunStatus.COMPLETED)


def can_manage_courses(user) -> bool:
    """Staff and admins run the course programme: types, venues, runs and sessions."""
    return is_staff(user)


def can_lead_courses(user) -> bool:
    """Course leaders (and staff, who often lead too) have a leaders' start page."""
    return user is not None and user.has_role(*LEADER_ROLES)


def sees_professional_courses(user) -> bool:
    """Professionals (municipal workers, network members, leaders, staff) see courses for professionals.

    Families and visitors never do: a run of a course type for professionals only is left out of
    their catalogue and answers 404 on its page and calendar file.
    """
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    return user.has_role(Role.MUNICIPAL, Role.MEMBER, *LEADER_ROLES)


def can_view_run(user, run: CourseRun) -> bool:
    """Published and completed runs are public; drafts and cancelled runs only for staff and leaders.

    A run for professionals only is shown to professionals alone (`sees_professional_courses`).
    """
    if not run.course_type.is_for_families and not sees_professional_courses(user):
        return False
    if run.status in PUBLIC_STATUSES:
        return True
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    return is_staff(user) or run.is_led_by(user)
