"""E-mails of the accounts area, written into the outbox."""

from __future__ import annotations

from coursehub.notifications.services import link, queue_email


def reset_path(token: str) -> str:
    """Return the path of a password reset link."""
    return f"/aterstall-losenord/{token}"


def invitation_path(token: str) -> str:
    """Return the path of an invitation link."""
    return f"/inbjudan/{token}"


def queue_password_reset_email(user, *, token: str, token_row, hours: int):
    """Queue the mail with a single-use link to choose a new password."""
    return queue_email(
        dedupe_key=f"accounts.password_reset:{token_row.id}",
        recipient=user.email,
        template="password_reset",
        first_name=user.first_name,
        url=link(reset_path(token)),
        hours=hours,
    )


def queue_invitation_email(user, *, token: str, token_row, inviter, days: int):
    """Queue the mail inviting a new user to choose a password."""
    return queue_email(
        dedupe_key=f"accounts.invitation:{token_row.id}",
        recipient=user.email,
        template="invitation",
        first_name=user.first_name,
        username=user.username,
        inviter=inviter.full_name,
        url=link(invitation_path(token)),
        days=days,
    )
