"""forum.views.thread_rows: a thread list's threads written in Python are the HTML the macro wrote
for them, on every kind of thread, escaped the same way."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path
from types import SimpleNamespace

import pytest
from flask_babel import force_locale

from coursehub.forum.queries import ThreadRow
from coursehub.forum.views.thread_rows import thread_list_words, thread_rows
from coursehub.lib.pagination import Page

# The macro's own loop over a page of threads, as forum/_macros.html wrote it before thread_rows.
TEMPLATE_ROWS = (Path(__file__).parent / "data" / "thread_rows_template.html").read_text("utf-8")

LATEST = datetime(2026, 10, 25, 1, 30, tzinfo=UTC)


def _thread(ident: int, **fields) -> SimpleNamespace:
    values = {
        "id": ident,
        "title": f"Tråd nummer {ident}",
        "is_pinned": False,
        "is_locked": False,
        "post_count": 3,
        "last_post_at": LATEST,
    }
    return SimpleNamespace(**(values | fields))


def _page() -> Page:
    odd = 'Åsa "Lill-Å" <Öberg> & Co'
    rows = [
        ThreadRow(_thread(1), "Anna Andersson", 0),
        ThreadRow(_thread(2, title=odd, is_pinned=True, post_count=1), odd, 1),
        ThreadRow(_thread(3, is_locked=True, post_count=25), "", 2),  # started by a former member
        ThreadRow(_thread(4, is_pinned=True, is_locked=True, post_count=2), "Bo Berg", 25),
    ]
    return Page(items=rows, page=1, per_page=25, total=len(rows))


def _normal(html: str) -> str:
    return re.sub(r"\s+", " ", str(html)).strip()


@pytest.mark.parametrize("locale", ["sv", "en"])
def test_the_threads_are_written_as_the_macro_wrote_them(app, locale):
    page = _page()
    with app.test_request_context("/"), force_locale(locale):
        words = thread_list_words(page)
        expected = app.jinja_env.from_string(TEMPLATE_ROWS).render(rows=page.items, words=words)
        written = thread_rows(page)
    assert _normal(written) == _normal(expected)
    # The checks the comparison rests on: the odd title and name escaped, every badge there.
    assert written.count("<li ") == len(page.items)
    assert written.count("&lt;Öberg&gt; &amp; Co") == 2 and "<Öberg>" not in written
    assert written.count("text-bg-secondary") == 2 and written.count("text-bg-dark") == 2
    assert written.count("text-bg-primary") == 3
