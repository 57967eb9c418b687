"""Scheduled work of the forum: the daily digest."""

from __future__ import annotations

from datetime import datetime

from coursehub.forum.services import notify


def send_daily_digests(now: datetime) -> int:
    """Queue each member's digest of the posts waiting for it; a second run finds nothing left."""
    return notify.send_digests(now)
