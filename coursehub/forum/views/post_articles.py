"""A thread page's posts, written in one loop: each post's author, number, time, text and buttons.

A page holds 25 posts. Written by the template, each post cost some 220 Python calls (every
printed value an escape, every attribute and dict a lookup, each button a macro call): a third
of the page's request. Here each post is one f-string, every value from the database or a
translation escaped as the template escaped it, and what all posts share (the words, the
addresses around each id, the forms' token) made once for the page. The text of a post is
HTML already cleaned by nh3 when it was written (`coursehub/forum/text.py`) and goes in as it is.

`tests/forum/test_post_articles.py` holds this output to the template's loop it replaces
(`tests/forum/data/post_articles_template.html`) on every kind of post and reader.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from flask import current_app
from flask_babel import get_translations
from markupsafe import Markup, escape

from coursehub.forum.queries import PostRow
from coursehub.lib.urls import id_urls

DATE_FORMAT = "d MMM y HH:mm"
BUTTON = "btn btn-outline-secondary btn-sm"


class PostArticles:
    """Writes a page of a thread's posts as `<article>`s, for one reader."""

    def __init__(
        self, thread_id: int, page: int, *, user_id: int, can_write: bool, is_moderator: bool, csrf: str
    ) -> None:
        """`can_write`: the reader may reply (a member, the thread open); `csrf`: the forms' token."""
        self.local_datetime: Callable[[Any, str], str] = current_app.jinja_env.filters["local_datetime"]
        self.user_id, self.can_write, self.is_moderator = user_id, can_write, is_moderator
        self.quote = id_urls("forum.thread", "citera", thread_id=thread_id, sida=page)
        self.edit = id_urls("forum.edit_post", "post_id")
        self.delete = id_urls("forum.delete_post", "post_id")
        self.history = id_urls("forum.post_history", "post_id")
        self.hide = id_urls("forum.hide_post", "post_id")
        self.unhide = id_urls("forum.unhide_post", "post_id")
        self.token = escape(csrf)
        # The request's translations looked up once (Flask-Babel's gettext does it for each word);
        # named as the extraction keyword, so that `pybabel extract` still finds the words.
        _ = get_translations().ugettext
        # Words with a number or a value put in are filled in first and escaped whole.
        self.number, self.post = _("Inlägg %(n)d"), _("inlägg %(n)d")
        self.hide_post, self.edited = _("Dölj inlägg %(n)d"), _("ändrat %(when)s")
        self.hidden = _("Inlägget är dolt av en moderator: %(reason)s")
        words = {
            "former": _("En tidigare medlem"),
            "new": _("Nytt"),
            "deleted": _("Inlägget är borttaget av den som skrev det."),
            "unhide": _("Visa inlägget igen"),
            "quote": _("Citera"),
            "edit": _("Ändra"),
            "remove": _("Ta bort"),
            "history": _("Historik"),
            "reason": _("Skäl (visas för medlemmarna)"),
            "hide": _("Dölj inlägget"),
        }
        self.t = {key: escape(value) for key, value in words.items()}

    def _button(self, url: str, label: str) -> str:
        """A button that posts to `url` (forum/_macros.html's `button`); `label` is HTML, escaped."""
        return (
            f'\n<form method="post" action="{escape(url)}" class="d-inline">\n'
            f'<input type="hidden" name="csrf_token" value="{self.token}">\n'
            f'<button class="{BUTTON}">{label}</button>\n</form>\n'
        )

    def __call__(self, rows: Sequence[PostRow]) -> Markup:
        """Return the `<article>` of each of `rows` as the thread page shows them."""
        t, html = self.t, []
        for row in rows:
            post = row.post
            number, ident = int(post.number), int(post.id)
            n = {"n": number}
            which = escape(self.post % n)
            parts = [
                f'\n<article id="inlagg-{number}" class="border rounded p-3 mb-3" '
                f'aria-labelledby="inlagg-{number}-rubrik">\n'
                f'<h2 id="inlagg-{number}-rubrik" class="h6 mb-1">\n'
                f"{escape(row.author_name) if row.author_name else t['former']}\n",
                f'<span class="badge text-bg-primary">{t["new"]}</span>'
                if row.is_new and post.author_id != self.user_id
                else "",
                '\n</h2>\n<p class="small text-body-secondary mb-2">\n',
                f"{escape(self.number % n)} · {escape(self.local_datetime(post.created_at, DATE_FORMAT))}\n",
            ]
            if post.edited_at:
                when = self.local_datetime(post.edited_at, DATE_FORMAT)
                parts.append(f" · {escape(self.edited % {'when': when})}")
            parts.append("\n</p>\n")
            if post.deleted_at:
                parts.append(f'\n<p class="fst-italic">{t["deleted"]}</p>\n')
            elif post.hidden_at:
                reason = escape(self.hidden % {"reason": post.hidden_reason})
                parts.append(f'\n<p class="fst-italic">{reason}</p>\n')
                if self.is_moderator:
                    parts += [
                        '\n<div class="forum-post text-body-secondary border-start ps-2">',
                        f"{post.body_html}</div>\n",
                        self._button(self.unhide(ident), t["unhide"]),
                    ]
            else:
                parts.append(
                    f'\n<div class="forum-post text-break">{post.body_html}</div>\n'
                    '<div class="d-flex flex-wrap gap-2 align-items-start">\n'
                )
                hidden_which = f'<span class="visually-hidden"> {which}</span></a>\n'
                if self.can_write:
                    quote = escape(self.quote(ident))
                    parts.append(f'\n<a class="{BUTTON}" href="{quote}#svar">{t["quote"]}{hidden_which}')
                if self.can_write and post.author_id == self.user_id:
                    parts += [
                        f'\n<a class="{BUTTON}" href="{escape(self.edit(ident))}">{t["edit"]}{hidden_which}',
                        self._button(self.delete(ident), f"{t['remove']} – {which}"),
                    ]
                if self.is_moderator and post.edited_at:
                    history = escape(self.history(ident))
                    parts.append(f'\n<a class="{BUTTON}" href="{history}">{t["history"]}{hidden_which}')
                parts.append("\n</div>\n")
                if self.is_moderator:
                    parts.append(
                        f'\n<details class="mt-2">\n<summary>{escape(self.hide_post % n)}</summary>\n'
                        f'<form method="post" action="{escape(self.hide(ident))}" class="mt-2">\n'
                        f'<input type="hidden" name="csrf_token" value="{self.token}">\n'
                        f'<label class="form-label" for="skal-{ident}">{t["reason"]}</label>\n'
                        f'<input class="form-control mb-2" id="skal-{ident}" name="reason" maxlength="300" '
                        "required>\n"
                        f'<button class="btn btn-warning btn-sm">{t["hide"]}</button>\n</form>\n</details>\n'
                    )
            parts.append("\n</article>")
            html.append("".join(parts))
        # Every value above went through escape() but the post's text, cleaned when it was written.
        return Markup("".join(html))  # noqa: S704  # nosec B704
