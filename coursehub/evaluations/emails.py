"""E-mails of the evaluations area, written into the outbox: the invitation and the reminder."""

from __future__ import annotations

from typing import Any

from flask import current_app

from coursehub.accounts.models import User
from coursehub.evaluations.models import Evaluation
from coursehub.notifications.services import link, queue_email


def _path(endpoint: str, **values: Any) -> str:
    """Build a path without a request (jobs queue these mails too)."""
    path: str = current_app.url_map.bind("localhost").build(endpoint, values)
    return path


def _context(evaluation: Evaluation, user: User, token: str) -> dict[str, Any]:
    return {
        "recipient": user.email,
        "greeting_name": user.first_name,
        "title": evaluation.title,
        "closes_at": evaluation.closes_at,
        "answer_url": link(_path("evaluations.answer", token=token)),
    }


def queue_invitation_email(evaluation: Evaluation, user: User, token: str) -> None:
    """Ask a person to answer, with their personal single-use link."""
    queue_email(
        dedupe_key=f"evaluations.invitation:{evaluation.id}:{user.id}",
        template="evaluation_invitation",
        **_context(evaluation, user, token),
    )


def queue_reminder_email(evaluation: Evaluation, user: User, token: str) -> None:
    """Remind a person who has not answered, once, with a link of its own."""
    queue_email(
        dedupe_key=f"evaluations.reminder:{evaluation.id}:{user.id}",
        template="evaluation_reminder",
        **_context(evaluation, user, token),
    )
