"""Who may read evaluation results, send the yearly survey and list quotable texts."""

from __future__ import annotations

from typing import Any

from coursehub.accounts.models import FIGURE_ROLES
from coursehub.accounts.permissions import is_staff


def _logged_in(user: Any) -> bool:
    return user is not None and bool(getattr(user, "is_authenticated", False))


def can_view_figures(user: Any) -> bool:
    """Staff and the steering group read results across runs, half-years and surveys."""
    return _logged_in(user) and bool(user.has_role(*FIGURE_ROLES))


def can_view_run_results(user: Any, run: Any) -> bool:
    """Staff, the steering group, and the run's own leaders read a run's results."""
    return can_view_figures(user) or (_logged_in(user) and bool(run.is_led_by(user)))


def can_view_results(user: Any, evaluation: Any) -> bool:
    """A survey's results are figures; a run's are also for the run's own leaders."""
    if evaluation.run is None:
        return can_view_figures(user)
    return can_view_run_results(user, evaluation.run)


def can_send_surveys(user: Any) -> bool:
    """Staff send the yearly survey."""
    return is_staff(user)


def can_read_quotes(user: Any) -> bool:
    """Staff pick the quotes the resource publishes."""
    return is_staff(user)
