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
from dataclasses import dataclass
from typing import Any

from babel.support import NullTranslations
from flask import current_app
from flask_babel import get_translations
from markupsafe import Markup, escape

from coursehub.lib.pagination import Page
from coursehub.lib.urls import id_urls

DATE_FORMAT = "d MMM y HH:mm"


@dataclass(frozen=True)
class ListWords:
    """The words of a thread list, the counts by number."""

    started: str
    latest: str
    posts: dict[int, str]
    unread: dict[int, str]


def thread_list_words(page: Page, translations: NullTranslations | None = None) -> ListWords:
    """The words of a thread list, translated once for the page from the request's translations
    (`translations`, when the caller has looked them up already).

    The counts are translated once per number the page shows, not once per thread (what
    Flask-Babel's `ngettext` does for each call: the plural for `n`, `%(num)d` filled in). Plain
    text: `thread_rows` fills in a name or a date with `%` and escapes the whole, where the macro
    before it escaped only what was filled in: the same while the words hold no character that
    escaping changes (tests/forum/test_networks.py checks it for every language).
    """
    if translations is None:
        translations = get_translations()
    # Named as the extraction keywords, so that `pybabel extract` still finds the words.
    _, ngettext = translations.ugettext, translations.ungettext
    posts = {row.thread.post_count for row in page.items}
    unread = {row.unread for row in page.items if row.unread}
    return ListWords(
        started=_("Startad av %(name)s"),
        latest=_("senast %(when)s"),
        posts={n: ngettext("%(num)d inlägg", "%(num)d inlägg", n) % {"num": n} for n in posts},
        unread={n: ngettext("%(num)d nytt", "%(num)d nya", n) % {"num": n} for n in unread},
    )


def thread_rows(page: Page) -> Markup:
    """Return the `<li>` of each thread on `page` (rows of forum.queries.ThreadRow)."""
    translations = get_translations()  # once for the page
    words = thread_list_words(page, translations)
    local_datetime: Callable[[Any, str], str] = current_app.jinja_env.filters["local_datetime"]
    url = id_urls("forum.thread", "thread_id")
    # Named as the extraction keyword, so that `pybabel extract` still finds the words.
    _ = translations.ugettext
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
