"""Who may build forms, open evaluations and see response rates."""

from __future__ import annotations

from coursehub.accounts.permissions import is_staff


def can_manage_evaluations(user: object) -> bool:
    """Staff and admins build forms and open evaluations."""
    return is_staff(user)
