"""Benchmark data of the notifications area: the outbox history of the last months' sign-ups."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

from coursehub.lib.bench import BenchContext
from coursehub.notifications.models import OutboxMessage

HISTORY_DAYS = 180  # sent mail is kept this long in the outbox (and no longer in the bench set)


def seed(ctx: BenchContext) -> None:
    """Add a sent confirmation for each person of a run that starts within the kept history."""
    ctx.insert(OutboxMessage.__table__, _messages(ctx))


def _messages(ctx: BenchContext) -> Iterator[dict]:
    emails = ctx.made["emails"]
    since = ctx.now - timedelta(days=HISTORY_DAYS)
    for run, people in ctx.made["attendees"]:
        if run.starts_at < since:
            continue
        for user_id in people:
            sent = min(run.starts_at - timedelta(days=30), ctx.now - timedelta(minutes=5))
            yield {
                "dedupe_key": f"bench-confirmed:{run.id}:{user_id}",
                "recipient": emails[user_id],
                "subject": "Ni är anmälda till kursen",
                "body_text": "Hej!\n\nNi är anmälda. Välkomna till första träffen.\n",
                "body_html": None,
                "calendar_ics": None,
                "calendar_method": None,
                "created_at": sent,
                "attempts": 1,
                "next_attempt_at": None,
                "last_error": None,
                "sent_at": sent,
                "failed_at": None,
            }
