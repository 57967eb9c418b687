"""Who may read and manage the outbox. Imports no area: roles are compared by their values."""

from __future__ import annotations

# Role is a StrEnum, so these plain values compare (and hash) equal to Role.STAFF and Role.ADMIN.
OUTBOX_ROLES = ("staff", "admin")


def _is_staff(user) -> bool:
    return user is not None and getattr(user, "is_authenticated", False) and user.has_role(*OUTBOX_ROLES)


def can_read_outbox(user) -> bool:
    """Staff and admins read the outbox: what waits, what failed, and each message's text."""
    return _is_staff(user)


def can_retry_message(user) -> bool:
    """Staff and admins put an unsent message back in line."""
    return _is_staff(user)


def can_correct_recipient(user) -> bool:
    """Staff and admins give a failed message a corrected recipient address."""
    return _is_staff(user)
