"""Who may see and do what in the courses area."""

from __future__ import annotations

from coursehub.accounts.models import LEADER_ROLES
from coursehub.accounts.permissions import is_staff
from coursehub.courses.models import CourseRun, RunStatus

PUBLIC_STATUSES = (RunStatus.PUBLISHED, RunStatus.COMPLETED)


def can_manage_courses(user) -> bool:
    """Staff and admins run the course programme: types, venues, runs and sessions."""
    return is_staff(user)


def can_lead_courses(user) -> bool:
    """Course leaders (and staff, who often lead too) have a leaders' start page."""
    return user is not None and user.has_role(*LEADER_ROLES)


def can_view_run(user, run: CourseRun) -> bool:
    """Published and completed runs are public; drafts and cancelled runs only for staff and leaders."""
    if run.status in PUBLIC_STATUSES:
        return True
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    return is_staff(user) or run.is_led_by(user)
