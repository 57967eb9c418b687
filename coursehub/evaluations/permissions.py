"""Who may build forms, open evaluations and see response rates."""

from __future__ import annotations

from typing import Any

from coursehub.accounts.permissions import is_staff


def can_manage_evaluations(user: object) -> bool:
    """Staff and admins build forms and open evaluations."""
    return is_staff(user)


def can_view_run_evaluation(user: object, run: Any) -> bool:
    """Staff, and the run's own leaders, follow a run's evaluation (its response rate); `run` a CourseRun."""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    return is_staff(user) or run.is_led_by(user)
