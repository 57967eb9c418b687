"""Who may read the half-year and yearly report."""

from __future__ import annotations

from coursehub.accounts.models import FIGURE_ROLES, Role


def can_view_report(user: object) -> bool:
    """Staff and the steering group read every scope; a municipal worker their own municipality's."""
    has_role = getattr(user, "has_role", None)
    if has_role is None:
        return False
    if has_role(*FIGURE_ROLES):
        return True
    return bool(has_role(Role.MUNICIPAL)) and getattr(user, "municipality_id", None) is not None
