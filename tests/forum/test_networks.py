"""Networks are seen by their members (and staff) only; a member of one sees nothing of another."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from flask_babel import force_locale
from markupsafe import escape

from coursehub.forum.queries import ThreadRow
from coursehub.forum.views.post_articles import PostArticles
from coursehub.forum.views.thread_rows import thread_list_words
from coursehub.lib.pagination import Page
from tests.factories import UserFactory
from tests.forum.factories import MembershipFactory, NetworkFactory, SubjectFactory


def html(response) -> str:
    return response.get_data(as_text=True)


def test_member_sees_own_network_and_its_subjects_but_not_another(db, client, login_as):
    mine = MembershipFactory(network=NetworkFactory(name="Familjehemsnätverket")).network
    member = mine.memberships[0].user
    SubjectFactory(network=mine, name="Rekrytering")
    other = NetworkFactory(name="Chefsnätverket")
    SubjectFactory(network=other, name="Budget")
    login_as(client, member)

    listing = html(client.get("/natverk/"))
    assert "Familjehemsnätverket" in listing
    assert "Chefsnätverket" not in listing
    page = client.get(f"/natverk/{mine.id}")
    assert "Rekrytering" in html(page)
    assert client.get(f"/natverk/{other.id}").status_code == 404


def test_non_member_gets_404_and_no_menu_item(db, client, login_as):
    network = NetworkFactory(name="Styrgruppen")
    login_as(client, UserFactory(member=True))
    response = client.get(f"/natverk/{network.id}")
    assert response.status_code == 404
    assert "Styrgruppen" not in html(response)
    assert 'href="/natverk/"' not in html(client.get("/"))


def test_member_has_the_menu_item_and_staff_see_every_network(db, client, login_as):
    membership = MembershipFactory()
    login_as(client, membership.user)
    assert 'href="/natverk/"' in html(client.get("/"))
    network = NetworkFactory(name="Kursledarna")
    login_as(client, UserFactory(staff=True))
    assert "Kursledarna" in html(client.get("/natverk/"))
    assert client.get(f"/natverk/{network.id}").status_code == 200


def test_demo_networks_hold_the_demo_members(app, db):
    from sqlalchemy import select

    from coursehub import clock
    from coursehub.accounts import demo as accounts_demo
    from coursehub.forum import demo
    from coursehub.forum.models import Network

    accounts_demo.seed(clock.now())
    demo.seed(clock.now())
    demo.seed(clock.now())  # idempotent
    by_name = {n.name: n for n in db.session.scalars(select(Network))}
    assert set(by_name) == {
        "Familjehemsnätverket",
        "Chefsnätverket barn och unga",
        "Styrgruppen",
        "Kursledarna",
    }
    members = {m.user.username for m in by_name["Familjehemsnätverket"].memberships}
    assert "maria.ek" in members


@pytest.mark.parametrize("locale", ["sv", "en"])
def test_thread_list_and_post_words_hold_nothing_that_escaping_changes(app, locale):
    # The thread list and the thread page fill these words in with `%` and escape the whole, where
    # `_()` in the template escaped only what was filled in: the same text only while this holds.
    threads = [SimpleNamespace(post_count=n) for n in (1, 2, 25)]
    page = Page(
        items=[ThreadRow(thread=t, author_name="", unread=t.post_count) for t in threads],
        page=1,
        per_page=25,
        total=3,
    )
    with app.test_request_context("/"), force_locale(locale):
        words = thread_list_words(page)
        texts = [words.started, words.latest, *words.posts.values(), *words.unread.values()]
        posts = PostArticles(1, 1, user_id=1, can_write=True, is_moderator=True, csrf="")
        texts += [posts.number, posts.post, posts.hide_post, posts.edited, posts.hidden]
    assert sorted(words.posts) == [1, 2, 25] and sorted(words.unread) == [1, 2, 25]
    for text in texts:
        assert str(escape(text)) == text, text
    if locale == "en":
        assert words.posts[1] == "1 post" and words.posts[2] == "2 posts"
        assert words.started % {"name": "Anna"} == "Started by Anna"
