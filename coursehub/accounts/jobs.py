"""Scheduled work of the accounts area: plain functions of `now`, each safe to run twice."""

from __future__ import annotations

from datetime import datetime

from flask import current_app

from coursehub.accounts import audit


def remove_expired_audit_entries(now: datetime) -> int:
    """Retention: delete audit rows older than the period the law asks them to be kept."""
    return audit.remove_expired_entries(now=now, batch=int(current_app.config["COURSEHUB_RETENTION_BATCH"]))
