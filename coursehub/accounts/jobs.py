"""Scheduled work of the accounts area: plain functions of `now`, each safe to run twice."""

from __future__ import annotations

from datetime import datetime, timedelta

from flask import current_app

from coursehub import clock
from coursehub.accounts import audit, audit_review, emails


def remove_expired_audit_entries(now: datetime) -> int:
    """Retention: delete audit rows older than the period the law asks them to be kept."""
    return audit.remove_expired_entries(now=now, batch=int(current_app.config["COURSEHUB_RETENTION_BATCH"]))


def mail_unusual_reads(now: datetime) -> int:
    """Mail each admin yesterday's unusual reads (Stockholm days); a second run queues nothing more."""
    yesterday = clock.to_local(now).date() - timedelta(days=1)
    rules = audit_review.FlagRules.from_config(current_app.config)
    readers = audit_review.unusual_readers(yesterday, yesterday, rules)
    if not readers:
        return 0
    return emails.queue_unusual_reads_emails(audit_review.admins(), readers, day=yesterday, rules=rules)
