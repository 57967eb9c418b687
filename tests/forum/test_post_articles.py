"""forum.views.post_articles: a thread page's posts written in Python are the HTML the template
wrote for them, for every kind of post and reader, escaped the same way."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path
from types import SimpleNamespace

import pytest
from flask import url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_wtf.csrf import generate_csrf

from coursehub.forum.queries import PostRow
from coursehub.forum.views.post_articles import PostArticles

# The template's own loop over a page's posts, as forum/thread.html wrote it before PostArticles.
TEMPLATE_POSTS = (Path(__file__).parent / "data" / "post_articles_template.html").read_text(encoding="utf-8")

READER = 7
WRITTEN = datetime(2026, 3, 28, 23, 30, tzinfo=UTC)  # the night summer time begins
EDITED = datetime(2026, 11, 2, 8, 5, tzinfo=UTC)


def _post(number: int, author_id: int | None, **fields) -> SimpleNamespace:
    values = {
        "id": 100 + number,
        "number": number,
        "author_id": author_id,
        "body_html": f"<p>Inlägg nummer {number} med <strong>fetstil</strong> &amp; en länk.</p>",
        "created_at": WRITTEN,
        "edited_at": None,
        "deleted_at": None,
        "hidden_at": None,
        "hidden_reason": "",
    }
    return SimpleNamespace(**(values | fields))


def _rows() -> list[PostRow]:
    odd = 'Åsa "Lill-Å" <Öberg> & Co'
    return [
        PostRow(_post(1, 3), "Anna Andersson", "anna", is_new=True),
        PostRow(_post(2, READER, edited_at=EDITED), "Läsaren Själv", "jag", is_new=True),
        PostRow(_post(3, 3, deleted_at=EDITED), "Anna Andersson", "anna", is_new=False),
        PostRow(
            _post(4, 4, hidden_at=EDITED, hidden_reason='Namn på ett <barn> & "skola"'),
            odd,
            "asa",
            is_new=True,
        ),
        PostRow(_post(5, None), "", "", is_new=True),  # a former member
        PostRow(_post(6, 4, edited_at=EDITED), odd, "asa", is_new=False),
        PostRow(_post(7, READER, hidden_at=EDITED, hidden_reason="Fel tråd"), "Läsaren Själv", "jag", False),
    ]


def _normal(html: str) -> str:
    return re.sub(r"\s+", " ", str(html)).strip()


@pytest.mark.parametrize("locale", ["sv", "en"])
@pytest.mark.parametrize(
    ("can_write", "is_moderator"), [(True, False), (False, False), (True, True), (False, True)]
)
def test_the_posts_are_written_as_the_template_wrote_them(app, locale, can_write, is_moderator):
    rows = _rows()
    with app.test_request_context("/"), force_locale(locale):
        links = {
            row.post.id: SimpleNamespace(
                quote=url_for("forum.thread", thread_id=9, sida=2, citera=row.post.id),
                edit=url_for("forum.edit_post", post_id=row.post.id),
                delete=url_for("forum.delete_post", post_id=row.post.id),
                history=url_for("forum.post_history", post_id=row.post.id),
                hide=url_for("forum.hide_post", post_id=row.post.id),
                unhide=url_for("forum.unhide_post", post_id=row.post.id),
            )
            for row in rows
        }
        words = {
            "number": _("Inlägg %(n)d"),
            "post": _("inlägg %(n)d"),
            "hide": _("Dölj inlägg %(n)d"),
            "edited": _("ändrat %(when)s"),
            "hidden": _("Inlägget är dolt av en moderator: %(reason)s"),
        }
        expected = app.jinja_env.from_string(TEMPLATE_POSTS).render(
            rows=rows,
            links=links,
            words=words,
            user_id=READER,
            can_write=can_write,
            is_moderator=is_moderator,
        )
        written = PostArticles(
            9, 2, user_id=READER, can_write=can_write, is_moderator=is_moderator, csrf=generate_csrf()
        )(rows)
    assert _normal(written) == _normal(expected)
    # The checks the comparison rests on: the odd name and reason escaped, the parts there.
    assert written.count("<article ") == len(rows)
    assert "&lt;Öberg&gt; &amp; Co" in written and "<Öberg>" not in written
    assert "&lt;barn&gt; &amp; &#34;skola&#34;" in written and "<barn>" not in written
    assert "<strong>fetstil</strong>" in written  # the cleaned text goes in as it is
    assert ("#svar" in written) is can_write
    assert ('name="reason"' in written) is is_moderator
    assert (f'href="{links[106].history}"' in written) is is_moderator  # post 6 is edited
    assert (f'action="{links[102].delete}"' in written) is can_write  # the reader's own post
