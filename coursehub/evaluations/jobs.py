"""Scheduled work of the evaluations area: the one reminder, and closing with the answered list."""

from __future__ import annotations

from datetime import datetime

from coursehub.evaluations.services import asking


def send_evaluation_reminders(now: datetime) -> int:
    """Queue the one reminder of each evaluation now due one; return how many were queued."""
    return asking.send_reminders(now)


def close_evaluations(now: datetime) -> int:
    """Close the evaluations past their time and delete who answered; return how many closed."""
    return asking.close_due(now)
