"""Shared pieces of the documents, library, meetings and search tests: files and members."""

from __future__ import annotations

import io
import zipfile

from coursehub import clock
from coursehub.extensions import db
from coursehub.forum.models import Post, Subject, Thread
from tests.forum.factories import MembershipFactory, NetworkFactory

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def office_file(main: str) -> bytes:
    """Return a minimal zip whose [Content_Types].xml names the OOXML `main` part type."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<Types><Override ContentType="application/vnd.openxmlformats-officedocument.'
            f'{main}.main+xml"/></Types>',
        )
    return buffer.getvalue()


def member(network=None, *, moderator: bool = False):
    """Return a new member (moderator) of `network` (a new network when None)."""
    network = network or NetworkFactory()
    return MembershipFactory(network=network, is_moderator=moderator).user


def thread_with_post(network, *, title: str, body: str, author=None) -> tuple[Thread, Post]:
    """Write a thread and its first post straight to the database (the search index hears it)."""
    now = clock.now()
    subject = Subject(network=network, name=f"Ämne för {title}"[:100], position=0, created_at=now)
    thread = Thread(
        network=network,
        subject=subject,
        title=title,
        author=author,
        created_at=now,
        last_post_at=now,
        post_count=1,
    )
    post = Post(
        thread=thread, number=1, author=author, body_source=body, body_html=f"<p>{body}</p>", created_at=now
    )
    db.session.add_all([subject, thread, post])
    db.session.flush()
    return thread, post
