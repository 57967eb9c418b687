"""Full-text search over thread titles, posts and documents (networks' and the library's), Swedish stemming.

The entries table (`SearchEntry`) is kept in step as threads, posts and documents are flushed, by
whichever service writes them: `keep_index_in_step` listens to every flush and rewrites the entry
of each new or changed thread, post and document. A hidden or deleted post leaves the index; a
thread moved to another network takes its posts' entries along; deleting a row deletes its entry
(foreign keys cascade). Search returns only what the searcher's networks hold, filtered in SQL,
and pages in SQL; staff and admins search every network, and every library reader (municipal
workers, network members, staff) finds the shared library's documents too.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import Any, cast

import sqlalchemy as sa
from markupsafe import Markup, escape
from sqlalchemy import Select, bindparam, event, func, literal_column, select
from sqlalchemy.orm import Session, aliased

from coursehub import clock
from coursehub.extensions import db
from coursehub.forum.models import (
    Document,
    Network,
    NetworkMembership,
    Post,
    SearchEntry,
    SearchKind,
    Thread,
)
from coursehub.forum.search_schema import FTS_TABLE, PG_VECTOR
from coursehub.forum.stemming import stem, stem_text, words
from coursehub.lib.pagination import Page, paginate

logger = logging.getLogger(__name__)

QUERY_MAX = 200  # characters of a search
SNIPPET = 220  # characters of a post shown around the first hit
MOST = 1000  # hits ranked and counted: the newest that have every word (the page says "at least")
_entries = cast(sa.Table, SearchEntry.__table__)
_fts = sa.table(FTS_TABLE, sa.column("rowid"), sa.column("rank"))


# --- keeping the index in step -------------------------------------------------------------


def keep_index_in_step() -> None:
    """Listen to every session's flushes (once per process; create_app may run many times)."""
    if not event.contains(Session, "after_flush", _after_flush):
        event.listen(Session, "after_flush", _after_flush)


def _after_flush(session: Session, _flush_context: Any) -> None:
    changed = [*session.new, *session.dirty]
    if not any(isinstance(obj, Thread | Post | Document) for obj in changed):
        return
    connection = session.connection()
    now = clock.now()
    for obj in changed:
        if isinstance(obj, Thread):
            _index_thread(connection, obj, now)
        elif isinstance(obj, Post):
            _index_post(connection, obj, now)
        elif isinstance(obj, Document):
            _index_document(connection, obj, now)


def _replace(connection: sa.Connection, kind: SearchKind, ref_id: int, row: dict | None) -> None:
    same = (_entries.c.kind == kind.value, _entries.c.ref_id == ref_id)
    if row is None:
        connection.execute(sa.delete(_entries).where(*same))
        return
    values = row | {"stemmed": stem_text(f"{row.get('title', '')} {row.get('body', '')}")}
    if connection.execute(sa.update(_entries).where(*same).values(**values)).rowcount == 0:
        connection.execute(sa.insert(_entries).values(kind=kind.value, ref_id=ref_id, **values))


def _index_thread(connection: sa.Connection, thread: Thread, now: datetime) -> None:
    row = {"network_id": thread.network_id, "thread_id": thread.id, "title": thread.title, "body": ""}
    _replace(connection, SearchKind.THREAD, thread.id, row | {"written_at": now})
    # A thread moved to another network takes its posts' entries with it.
    connection.execute(
        sa.update(_entries)
        .where(_entries.c.thread_id == thread.id, _entries.c.network_id != thread.network_id)
        .values(network_id=thread.network_id)
    )


def _index_post(connection: sa.Connection, post: Post, now: datetime) -> None:
    if not post.is_visible:
        _replace(connection, SearchKind.POST, post.id, None)
        return
    network_id = connection.scalar(select(Thread.network_id).where(Thread.id == post.thread_id))
    row = {
        "network_id": network_id,
        "thread_id": post.thread_id,
        "post_id": post.id,
        "body": post.body_source,
        "written_at": now,
    }
    _replace(connection, SearchKind.POST, post.id, row)


def _index_document(connection: sa.Connection, document: Document, now: datetime) -> None:
    # A library document (no network) is indexed too: every library reader may find it.
    row = {
        "network_id": document.network_id,
        "document_id": document.id,
        "title": document.title,
        "written_at": now,
    }
    _replace(connection, SearchKind.DOCUMENT, document.id, row)


# --- searching -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Hit:
    """One search result, its text escaped and the searched words marked."""

    kind: str
    network_name: str | None  # None for a document of the shared library
    thread_id: int | None
    post_id: int | None
    post_number: int | None
    document_id: int | None
    network_id: int | None
    title: Markup
    snippet: Markup


def query_stems(query: str) -> list[str]:
    """Return the distinct Swedish stems of the searched words, in order."""
    return list(dict.fromkeys(stem(word) for word in words(query[:QUERY_MAX])))


def search(
    user_id: int,
    query: str,
    *,
    page: int,
    per_page: int = 20,
    every_network: bool = False,
    library: bool = False,
) -> Page:
    """Return one page of hits for `query` among what `user_id` may read, filtered in SQL.

    That is the networks `user_id` is a member of, or every network when `every_network` (staff
    and admins read them all), and the shared library's documents when `library`. The hits are the
    newest MOST entries with every searched word, ranked best first; a total of MOST says there
    may be more (`capped`).
    """
    stems = query_stems(query)
    if not stems:
        return Page(items=[], page=1, per_page=per_page, total=0)
    dialect = db.session.get_bind().dialect.name
    stmt = _search_statement(dialect, every_network, library, MOST)
    values: dict[str, Any] = {} if every_network else {"user_id": user_id}
    if dialect == "postgresql":
        values["query"] = query[:QUERY_MAX]
    else:
        values["match"] = _fts_match(stems)
    number = max(1, page)
    paged = _search_page_statement(dialect, every_network, library, MOST)
    rows = db.session.execute(paged, {**values, "per_page": per_page, "skip": (number - 1) * per_page}).all()
    if rows or number == 1:
        found = Page(
            items=[row[:4] for row in rows], page=number, per_page=per_page, total=rows[0][4] if rows else 0
        )
    else:  # a page beyond the last (a hand-typed address): count, and show the last page
        found = paginate(stmt.params(values), page, per_page, scalars=False)
        found.items = [row[:4] for row in found.items]
    marking = _Stems(stems)  # one for the page: a word met in several hits is stemmed once
    found.items = [_hit(*row, stems=marking) for row in found.items]
    return found


def _fts_match(stems: list[str]) -> str:
    """The FTS5 query of the searched stems: every stem, each quoted (SQLite only)."""
    return " ".join('"' + s.replace('"', '""') + '"' for s in stems)


@cache
def _search_statement(dialect: str, every_network: bool, library: bool, most: int) -> Select[Any]:
    """Return the search's statement for a database, a reader's reach and `most` hits (MOST), built
    once per process.

    The searcher (`user_id`) and the words (`query` on PostgreSQL, `match` on SQLite) are bound
    per request: built anew each time, the statement cost more Python than running it.
    """
    readable: sa.ColumnElement[bool]
    if every_network:
        readable = SearchEntry.network_id.is_not(None)
    else:
        readable = SearchEntry.network_id.in_(
            select(NetworkMembership.network_id).where(NetworkMembership.user_id == bindparam("user_id"))
        )
    if library:
        readable = sa.or_(readable, SearchEntry.network_id.is_(None))
    # The newest MOST readable entries with every word, each with its rank, found through the index
    # (the planner walks the entries newest first for a common word, or the index for a rare one) ...
    newest: Select[Any]
    if dialect == "postgresql":
        vector: sa.ColumnElement[Any] = literal_column(f"{_entries.name}.{PG_VECTOR}")
        # The words are written into the SQL (literal_execute: rendered and quoted by SQLAlchemy at
        # execution), not bound: psycopg prepares a statement run five times, and PostgreSQL's
        # generic plan of a bound tsquery, blind to how common the words are, read every matching
        # entry (62,518 rows, 21,355 buffers, 0.7-3.8 s at national size for "handledning") where
        # the plan for the words walks the newest entries (876 buffers, 11 ms).
        wanted = func.plainto_tsquery(
            literal_column("'swedish'::regconfig"), bindparam("query", type_=sa.String, literal_execute=True)
        )
        newest = select(SearchEntry, (-func.ts_rank(vector, wanted)).label("rank")).where(
            vector.op("@@")(wanted)
        )
    else:  # FTS5's rank: the better the hit, the lower
        newest = (
            select(SearchEntry, _fts.c.rank.label("rank"))
            .join(_fts, _fts.c.rowid == SearchEntry.id)
            .where(sa.text(f"{FTS_TABLE} MATCH :match").bindparams(bindparam("match", type_=sa.String)))
        )
    chosen = newest.where(readable).order_by(SearchEntry.id.desc()).limit(most).subquery()
    # ... counted in the same statement (a window over the at most MOST rows chosen): a COUNT of its
    # own would find them all a second time ...
    counted = select(chosen, func.count().over().label("total")).subquery()
    entry = aliased(SearchEntry, counted)
    # ... and those ranked, the best first: the work is bounded whatever the forum's size. Names
    # and numbers are subqueries of the select list, looked up for the rows of the page only.
    return select(
        entry,
        select(Network.name).where(Network.id == entry.network_id).scalar_subquery(),
        select(Thread.title).where(Thread.id == entry.thread_id).scalar_subquery(),
        select(Post.number).where(Post.id == entry.post_id).scalar_subquery(),
        counted.c.total,
    ).order_by(counted.c.rank, entry.id.desc())


@cache
def _search_page_statement(dialect: str, every_network: bool, library: bool, most: int) -> Select[Any]:
    """`_search_statement` paged by the bound `per_page` and `skip`, built once per process: paged
    anew on each search, the statement was a new one whose cache key SQLAlchemy worked out again
    on every request (0.1 ms of Python)."""
    return (
        _search_statement(dialect, every_network, library, most)
        .limit(bindparam("per_page", type_=sa.Integer))
        .offset(bindparam("skip", type_=sa.Integer))
    )


def capped(found: Page) -> bool:
    """Whether a search's hits stopped at MOST (there may be more; the page asks for more words)."""
    return found.total >= MOST


def _hit(
    entry: SearchEntry,
    network_name: str | None,
    thread_title: str | None,
    post_number: int | None,
    *,
    stems: _Stems,
) -> Hit:
    title = entry.title if entry.kind != SearchKind.POST else (thread_title or "")
    return Hit(
        kind=entry.kind.value,
        network_name=network_name,
        network_id=entry.network_id,
        thread_id=entry.thread_id,
        post_id=entry.post_id,
        post_number=post_number,
        document_id=entry.document_id,
        title=highlight(title, stems),
        snippet=highlight(_snippet(entry.body, stems), stems),
    )


_TOKEN = re.compile(r"(\w+)", re.UNICODE)


def _searched(word: str, wanted: frozenset[str]) -> bool:
    """Whether `word` has one of the `wanted` stems.

    A Swedish stem is the start of its word (Snowball's Swedish algorithm only shortens endings),
    so a word that begins with none of them is not stemmed at all: most words of a hit.
    """
    lower = word.lower()
    return any(lower.startswith(s) for s in wanted) and stem(lower) in wanted


class _Stems:
    """The searched stems, and which words met so far have one of them (`_searched`)."""

    def __init__(self, stems: list[str]) -> None:
        self.wanted = frozenset(stems)
        self._seen: dict[str, bool] = {}

    def searched(self, word: str) -> bool:
        """`_searched(word, self.wanted)`, each word stemmed once."""
        found = self._seen.get(word)
        if found is None:
            found = self._seen[word] = _searched(word, self.wanted)
        return found


def _searched_words(text: str, stems: _Stems) -> Iterator[re.Match[str]]:
    """The words of `text` (`_TOKEN` matches, in order) that have one of the `wanted` stems.

    Only words that begin with a stem can have it (`_searched`), so the lower-cased text is
    searched for the stems and only the words starting where one is found are stemmed: a few
    words of a hit, not every word. That holds while lower-casing keeps each character in its
    place and does not look at its neighbours (no character grows, no capital sigma) and the
    stems are whole words; otherwise every word is tried, as `_searched` says.
    """
    wanted = stems.wanted
    lower = text.lower()
    if len(lower) != len(text) or "Σ" in text or not all(_TOKEN.fullmatch(s) for s in wanted):
        yield from (found for found in _TOKEN.finditer(text) if stems.searched(found.group(1)))
        return
    # A stem is made of word characters, so a found stem never reaches past its word: the
    # non-overlapping search misses no word's start.
    for place in re.finditer("|".join(map(re.escape, sorted(wanted))), lower):
        start = place.start()
        if start and _TOKEN.match(text, start - 1):
            continue  # within a word, not at its start
        found = _TOKEN.match(text, start)
        if found is not None and stems.searched(found.group(1)):
            yield found


def _snippet(text: str, stems: _Stems) -> str:
    """Return about SNIPPET characters of `text` around its first searched word."""
    if len(text) <= SNIPPET:
        return text
    for found in _searched_words(text, stems):
        start = max(0, found.start() - SNIPPET // 3)
        return ("…" if start else "") + text[start : start + SNIPPET] + "…"
    return text[:SNIPPET] + "…"


def highlight(text: str, stems: list[str] | _Stems) -> Markup:
    """Escape `text`, then wrap each word whose stem was searched for in <mark>."""
    marking = stems if isinstance(stems, _Stems) else _Stems(stems)
    parts = []
    done = 0  # escaped up to here; the text between marked words is escaped in one piece
    for found in _searched_words(text, marking):
        parts.append(escape(text[done : found.start()]))
        parts.append(Markup("<mark>%s</mark>") % found.group(1))
        done = found.end()
    parts.append(escape(text[done:]))
    return Markup("").join(parts)
