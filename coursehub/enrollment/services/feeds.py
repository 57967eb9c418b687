"""Private calendar feeds: create (or renew) and revoke."""

from __future__ import annotations

import logging
import secrets
from datetime import datetime

from sqlalchemy import select

from coursehub.accounts.models import User
from coursehub.enrollment.models import CalendarFeed
from coursehub.extensions import db

logger = logging.getLogger(__name__)


def create_calendar_feed(user: User, *, now: datetime) -> CalendarFeed:
    """Give `user` a new private feed address; an earlier address stops working."""
    feed = db.session.get(CalendarFeed, user.id)
    if feed is None:
        feed = CalendarFeed(user_id=user.id)
        db.session.add(feed)
    feed.token = secrets.token_urlsafe(32)
    feed.created_at = now
    db.session.flush()
    logger.info("calendar feed created user=%s", user.id)
    return feed


def revoke_calendar_feed(user: User) -> bool:
    """Remove `user`'s feed address; return False when there was none."""
    feed = db.session.scalar(select(CalendarFeed).where(CalendarFeed.user_id == user.id))
    if feed is None:
        return False
    db.session.delete(feed)
    db.session.flush()
    logger.info("calendar feed revoked user=%s", user.id)
    return True
