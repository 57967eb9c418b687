"""What the forum does when other areas' events happen."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from coursehub.forum.services import notify


def end_notifications(user: Any, *, actor: Any, now: datetime, **kwargs: Any) -> None:
    """A closed account gets no more forum mail: subscriptions, mention and reply notices, digests."""
    notify.end_notifications(user, now=now)
