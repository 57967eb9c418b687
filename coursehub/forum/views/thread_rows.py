"""A thread list's threads, written in one loop: each thread's title, badges, starter, count and time.

A network's, a subject's and the unread list show 25 threads a page. Written by the template's
macro, each thread cost some 150 Python calls; here each is one f-string, every value from the
database or a translation escaped as the template escaped it, the words (thread_list_words) and
the address around each id made once for the page. The macro in templates/forum/_macros.html
keeps the list around them: the empty list's sentence and the pages.

`tests/forum/test_thread_rows.py` holds this output to the macro's loop it replaces
(`tests/forum/data/thread_rows_template.html`) on every kind of thread.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import current_app
from flask_babel import get_translations
from markupsafe import Markup, escape

from coursehub.forum.views.common import thread_list_words
from coursehub.lib.pagination import Page
from coursehub.lib.urls import id_urls

DATE_FORMAT = "d MMM y HH:mm"


def thread_rows(page: Page) -> Markup:
    """Return the `<li>` of each thread on `page` (rows of forum.queries.ThreadRow)."""
    words = thread_list_words(page)
    local_datetime: Callable[[Any, str], str] = current_app.jinja_env.filters["local_datetime"]
    url = id_urls("forum.thread", "thread_id")
    # The request's translations looked up once; named as the extraction keyword, so that
    # `pybabel extract` still finds the words.
    _ = get_translations().ugettext
    pinned = f'\n<span class="badge text-bg-secondary">{escape(_("Fäst"))}</span>'
    locked = f'\n<span class="badge text-bg-dark">{escape(_("Låst"))}</span>'
    former = _("en tidigare medlem")
    html = []
    for row in page.items:
        thread = row.thread
        unread = ""
        if row.unread:
            unread = f'\n<span class="badge text-bg-primary">{escape(words.unread[row.unread])}</span>'
        when = local_datetime(thread.last_post_at, DATE_FORMAT)
        html.append(
            f'\n<li class="border-bottom py-2">\n'
            f'<a class="fw-semibold" href="{escape(url(int(thread.id)))}">{escape(thread.title)}</a>'
            f"{pinned if thread.is_pinned else ''}{locked if thread.is_locked else ''}{unread}\n"
            '<div class="small text-body-secondary">\n'
            f"{escape(words.started % {'name': row.author_name or former})} ·\n"
            f"{escape(words.posts[thread.post_count])} ·\n"
            f"{escape(words.latest % {'when': when})}\n</div>\n</li>"
        )
    # Every value above went through escape(), as the macro's printing of it did.
    return Markup("".join(html))  # noqa: S704  # nosec B704
