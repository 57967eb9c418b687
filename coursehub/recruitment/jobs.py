"""Scheduled work of the recruitment area: plain functions of `now`, each safe to run twice."""

from __future__ import annotations

from datetime import datetime

from flask import current_app

from coursehub.recruitment.services import retention


def anonymise_ended_cases(now: datetime) -> int:
    """Retention: anonymise closed and withdrawn cases whose last entry is older than the period."""
    return retention.anonymise_ended_cases(
        now=now, batch=int(current_app.config["COURSEHUB_RETENTION_BATCH"])
    )


def blank_ended_requests(now: datetime) -> int:
    """Retention: blank the free text of matched and closed requests that ended before the period."""
    return retention.blank_ended_requests(now=now, batch=int(current_app.config["COURSEHUB_RETENTION_BATCH"]))
