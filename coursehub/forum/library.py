"""The shared library (material for every municipal social worker) and the staff's news list.

The library's documents are documents without a network (coursehub/forum/documents.py keeps
their files and versions); news items are short texts of the resource's joint development work.
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

from flask_babel import gettext as _

from coursehub.extensions import db
from coursehub.forum.errors import ForumError
from coursehub.forum.models import TITLE_MAX, NewsItem

logger = logging.getLogger(__name__)

NEWS_MAX = 5000  # characters of a news item


def publish_news(*, title: str, body: str, actor: Any, now: datetime) -> NewsItem:
    """Publish a news item to every network member's start page."""
    title, body = title.strip(), body.strip()
    if not title:
        raise ForumError(_("Skriv en rubrik."), field="title")
    if len(title) > TITLE_MAX:
        raise ForumError(_("Rubriken får vara högst %(n)s tecken.", n=TITLE_MAX), field="title")
    if not body:
        raise ForumError(_("Skriv en text."), field="body")
    if len(body) > NEWS_MAX:
        raise ForumError(_("Texten får vara högst %(n)s tecken.", n=NEWS_MAX), field="body")
    item = NewsItem(title=title, body=body, author_id=actor.id, published_at=now)
    db.session.add(item)
    db.session.flush()
    logger.info("news item %s published by user %s", item.id, actor.id)
    return item
