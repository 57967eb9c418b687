"""E-mails of the accounts area, written into the outbox."""

from __future__ import annotations

from babel.dates import format_date
from flask import current_app
from flask_babel import force_locale

from coursehub.notifications.services import Recipient, link, queue_email, queue_emails_to_many


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


def queue_family_invitation_email(user, *, token: str, run_title: str | None = None):
    """Queue the mail inviting a new family adult to choose a password (always in Swedish).

    With `run_title` it says the family signed up for that run, else that its municipality made
    the account.
    """
    with force_locale("sv"):
        return queue_email(
            dedupe_key=f"enrollment-invitation:{user.id}:{token[:12]}",
            recipient=user.email,
            template="enrollment_invitation",
            user=user,
            run_title=run_title,
            confirm_hours=current_app.config["COURSEHUB_REGISTER_CONFIRM_HOURS"],
            invitation_url=link(invitation_path(token)),
        )


def queue_registration_attempt_email(user, *, run_title: str, signup_path: str, now):
    """Tell the owner of an address that someone tried to register a family with it.

    At most one such mail per account and day (the dedupe key holds the date), whoever tries.
    """
    with force_locale("sv"):
        return queue_email(
            dedupe_key=f"accounts.registration_attempt:{user.id}:{now:%Y-%m-%d}",
            recipient=user.email,
            template="registration_attempt",
            first_name=user.first_name,
            run_title=run_title,
            login_url=link(f"/logga-in?next={signup_path}"),
        )


def queue_unusual_reads_emails(admins, readers, *, day, rules) -> int:
    """Queue one mail per admin listing `day`'s unusual readers, with links; return how many.

    One mail per admin and day, whoever runs the job and however often (the dedupe key holds the
    day). Names of the readers only: no record, no content.
    """
    day_text = format_date(day, "d MMMM y", locale="sv")
    lines = [
        {
            "name": reader.name,
            "off_hours": reader.off_hours,
            "burst": reader.most_records >= rules.burst_reads,
            "most_records": reader.most_records,
            "url": link(
                f"/admin/logg?utforare={reader.actor_id}&fran={day:%Y-%m-%d}&till={day:%Y-%m-%d}&avvikande=j"
            ),
        }
        for reader in readers
    ]
    recipients = [
        Recipient(f"accounts.unusual_reads:{day:%Y-%m-%d}:{admin.id}", admin.email, admin.first_name)
        for admin in admins
    ]
    return queue_emails_to_many(
        "audit_unusual_reads",
        {"day_text": day_text, "readers": lines, "minutes": rules.burst_minutes, "hours": rules.hours},
        recipients,
    )
