"""Search: Swedish stemming, only the searcher's networks, escaped highlights, pages in SQL."""

from __future__ import annotations

import random

from markupsafe import Markup

from coursehub import clock
from coursehub.extensions import db
from coursehub.forum import documents, search
from coursehub.forum.stemming import stem
from tests.forum.docs_support import PDF, member, thread_with_post
from tests.forum.factories import NetworkFactory
from tests.forum.test_documents import user_network


def _titles(page) -> list[str]:
    return [str(hit.title) for hit in page.items]


def test_an_inflected_word_finds_a_thread_about_its_stem_in_ones_own_network_only(app):
    reader = member()
    network = user_network(reader)
    thread_with_post(network, title="Frågor om placering av syskon", body="Hur gör ni?")
    outsider = member()
    db.session.commit()

    found = search.search(reader.id, "placeringar", page=1)
    assert found.total == 1
    assert found.items[0].kind == "thread"
    assert str(found.items[0].title) == "Frågor om <mark>placering</mark> av syskon"
    assert search.search(outsider.id, "placeringar", page=1).total == 0
    assert search.search(outsider.id, "placering", page=1).total == 0


def test_posts_and_document_titles_are_found_and_hidden_posts_are_not(app):
    reader = member()
    network = user_network(reader)
    _thread, post = thread_with_post(network, title="Utbildning", body="Vi pratade om familjehemmens behov.")
    _thread2, hidden = thread_with_post(network, title="Annat", body="Familjehemmen i norra länet.")
    documents.add_document(
        network,
        folder_id=None,
        title="Familjehemmens handbok",
        filename="h.pdf",
        data=PDF,
        actor=reader,
        now=clock.now(),
    )
    db.session.flush()
    hidden.hidden_at = clock.now()
    db.session.commit()

    found = search.search(reader.id, "familjehemmen", page=1)
    kinds = sorted(hit.kind for hit in found.items)
    assert kinds == ["document", "post"]
    post_hit = next(hit for hit in found.items if hit.kind == "post")
    assert post_hit.post_id == post.id and str(post_hit.title) == "Utbildning"
    assert "<mark>familjehemmens</mark>" in str(post_hit.snippet)


def test_a_script_in_a_post_is_escaped_before_words_are_marked(app):
    reader = member()
    network = user_network(reader)
    thread_with_post(network, title="<b>Placering</b>", body='<script>alert("x")</script> placering')
    db.session.commit()
    hits = {hit.kind: hit for hit in search.search(reader.id, "placering", page=1).items}
    assert str(hits["thread"].title) == "&lt;b&gt;<mark>Placering</mark>&lt;/b&gt;"
    assert "<script>" not in str(hits["post"].snippet)
    assert "&lt;script&gt;" in str(hits["post"].snippet)
    assert "<mark>placering</mark>" in str(hits["post"].snippet)


def test_results_come_a_page_at_a_time(app):
    reader = member()
    network = user_network(reader)
    for n in range(25):
        thread_with_post(network, title=f"Placering {n}", body="text")
    db.session.commit()
    first = search.search(reader.id, "placeringen", page=1, per_page=20)
    second = search.search(reader.id, "placeringen", page=2, per_page=20)
    assert (first.total, len(first.items), len(second.items)) == (25, 20, 5)
    assert not set(_titles(first)) & set(_titles(second))


def test_a_common_word_ranks_the_newest_hits_and_the_page_says_there_may_be_more(
    client, login_as, monkeypatch
):
    monkeypatch.setattr(search, "MOST", 3)
    reader = member()
    network = user_network(reader)
    for n in range(5):  # the newest post, in "Syskon 4", says the word thrice: it ranks first
        body = "placering placering placering" if n == 4 else "placering"
        thread_with_post(network, title=f"Syskon {n}" if n else "Syskon i familjehem", body=body)
    db.session.commit()
    found = search.search(reader.id, "placering", page=1)
    assert found.total == 3 and search.capped(found)
    assert _titles(found)[0] == "Syskon 4"
    assert {str(hit.title) for hit in found.items} == {"Syskon 4", "Syskon 3", "Syskon 2"}
    login_as(client, reader)
    html = client.get("/natverk/sok?sok=placering").get_data(as_text=True)
    assert "Minst 3 träffar" in html and "de 3 senaste" in html
    few = client.get("/natverk/sok?sok=familjehem").get_data(as_text=True)
    assert "1 träff" in few and "Minst" not in few


def test_a_thread_moved_to_another_network_is_found_there_only(app):
    reader = member()
    network = user_network(reader)
    other = NetworkFactory()
    newcomer = member(other)
    thread, _post = thread_with_post(network, title="Placering", body="om placering")
    db.session.commit()
    thread.network = other
    thread.subject.network = other
    db.session.commit()
    assert search.search(reader.id, "placering", page=1).total == 0
    assert search.search(newcomer.id, "placering", page=1).total == 2


def test_the_search_page_links_hits_and_a_member_of_no_network_cannot_search(client, login_as):
    reader = member()
    network = user_network(reader)
    thread, _post = thread_with_post(network, title="Placering av syskon", body="text")
    db.session.commit()
    login_as(client, reader)
    html = client.get("/natverk/sok?sok=placeringar").get_data(as_text=True)
    assert "1 träff" in html and "<mark>Placering</mark> av syskon" in html
    assert f'href="/natverk/trad/{thread.id}"' in html
    posts = client.get("/natverk/sok?sok=text").get_data(as_text=True)
    assert f'href="/natverk/trad/{thread.id}/inlagg/1"' in posts
    assert client.get("/natverk/sok?sok=").status_code == 200

    from tests.factories import UserFactory

    login_as(client, UserFactory(family=True))
    assert client.get("/natverk/sok?sok=placering").status_code == 403


def test_the_stemmer_joins_the_forms_of_a_word():
    assert stem("placeringar") == stem("placering") == stem("placeringen")
    assert stem("dokumenten") == stem("dokument")
    assert stem("barnens") == stem("barn")


def _library_poster(author):
    return documents.add_document(
        None,
        folder_id=None,
        title="Affisch om att bli familjehem",
        filename="affisch.pdf",
        data=PDF,
        actor=author,
        now=clock.now(),
    )


def test_a_library_document_is_found_by_an_inflected_word_by_every_library_reader(app):
    from tests.factories import UserFactory

    reader = member()
    network_a = user_network(reader)
    network_b = NetworkFactory(name="Chefsnätverket")
    thread_with_post(network_b, title="Affischer för chefer", body="Bara för chefsnätverket.")
    thread_with_post(network_a, title="Affischen i väntrummet", body="Den syns bra.")
    poster = _library_poster(UserFactory(staff=True))
    db.session.commit()

    found = search.search(reader.id, "affischerna", page=1, library=True)
    by_kind = {hit.kind: hit for hit in found.items}
    assert found.total == 2  # the library's poster and the thread of network A; nothing of B
    assert by_kind["document"].document_id == poster.id
    assert by_kind["document"].network_id is None
    assert str(by_kind["document"].title) == "<mark>Affisch</mark> om att bli familjehem"
    assert by_kind["thread"].network_id == network_a.id
    # Without the right to read the library, its documents are not among the hits.
    assert search.search(reader.id, "affischerna", page=1).total == 1


def test_staff_get_hits_from_every_network_and_the_library(app):
    from tests.factories import UserFactory

    staff = UserFactory(staff=True)
    for name in ("Styrgruppen", "Kursledarna"):
        thread_with_post(NetworkFactory(name=name), title=f"Placeringar i {name}", body="text")
    _library_poster(staff)
    db.session.commit()

    assert search.search(staff.id, "placering", page=1).total == 0  # staff are in no network
    everything = search.search(staff.id, "placering", page=1, every_network=True, library=True)
    assert sorted(hit.network_name for hit in everything.items) == ["Kursledarna", "Styrgruppen"]
    library = search.search(staff.id, "affischen", page=1, every_network=True, library=True)
    assert [hit.kind for hit in library.items] == ["document"]


def test_the_search_page_shows_library_documents_to_a_municipal_worker_and_links_them(app, client, login_as):
    from tests.factories import UserFactory

    worker = UserFactory(municipal=True)
    hidden = NetworkFactory(name="Familjehemsnätverket")
    thread_with_post(hidden, title="Affischer till mässan", body="Internt.")
    poster = _library_poster(UserFactory(staff=True))
    db.session.commit()
    login_as(client, worker)

    page = client.get("/natverk/sok?sok=affischerna").get_data(as_text=True)
    assert f'href="/natverk/bibliotek/{poster.id}"' in page
    assert "Biblioteket" in page
    assert "Affischer till mässan" not in page
    assert "1 träff" in page


def test_staff_find_threads_of_a_network_they_are_not_in_on_the_search_page(app, client, login_as):
    from tests.factories import UserFactory

    staff = UserFactory(staff=True)
    thread, _post = thread_with_post(NetworkFactory(name="Styrgruppen"), title="Placeringar", body="text")
    db.session.commit()
    login_as(client, staff)
    page = client.get("/natverk/sok?sok=placering").get_data(as_text=True)
    assert f'href="/natverk/trad/{thread.id}"' in page


def test_a_page_of_hits_and_their_number_come_in_one_statement_and_a_page_beyond_the_last_shows_the_last(app):
    from tests.support.sql import count_traffic

    reader = member()
    network = user_network(reader)
    for n in range(25):
        thread_with_post(network, title=f"Placering {n}", body="text")
    db.session.commit()
    reader_id = reader.id
    with count_traffic(db.engine) as traffic:
        second = search.search(reader_id, "placeringen", page=2, per_page=20)
    assert len(traffic.statements) == 1
    assert (second.page, second.total, len(second.items)) == (2, 25, 5)
    beyond = search.search(reader_id, "placeringen", page=9, per_page=20)
    assert (beyond.page, beyond.total, _titles(beyond)) == (2, 25, _titles(second))
    assert search.search(reader_id, "ingenting", page=3, per_page=20).total == 0


def test_the_marked_words_are_those_a_word_by_word_stemming_finds():
    # search._searched_words stems only the words that begin with a stem; every word stemmed
    # (`_searched`, the rule) must mark the same words, also where lower-casing is not one to one.
    rng = random.Random(24)
    pieces = [
        *["Handledning", "handledningen", "HANDLEDARE", "handla", "hand", "händer", "Händelse"],
        *["placering", "Placeringar", "syskon", "SYSKONEN", "barn", "barnen", "ÖVER", "över"],
        "İstanbul",
        "ΟΔΟΣ",
        "Ⅰ",
        "Ⓐ",
        "ß",
        "ﬁn",
        "a_b",
        "12",
        "x1handledning",
    ]
    separators = [" ", "  ", ", ", ". ", "-", "'", "’", "\n", "_", "…", "<b>", "&"]
    queries = ["handledning", "placering syskon", "barn hand", "över", "istanbul ΟΔΟΣ", "fin", "a_b 12"]
    for _ in range(400):
        text = "".join(rng.choice(pieces) + rng.choice(separators) for _ in range(rng.randint(0, 12)))
        wanted = frozenset(search.query_stems(rng.choice(queries)))
        rule = [f.span() for f in search._TOKEN.finditer(text) if search._searched(f.group(1), wanted)]
        assert [f.span() for f in search._searched_words(text, search._Stems(sorted(wanted)))] == rule, (
            text,
            wanted,
        )
    assert [
        f.group(1)
        for f in search._searched_words("Handledare och handledning", search._Stems(["handledning"]))
    ] == ["handledning"]


def test_the_search_page_links_every_kind_of_hit_where_url_for_does(app):
    from flask import url_for

    from coursehub.forum.views.search import _links

    def hit(**ids) -> search.Hit:
        fields = {
            "thread_id": None,
            "post_id": None,
            "post_number": None,
            "document_id": None,
            "network_id": None,
        }
        return search.Hit(kind="", network_name=None, title=Markup(""), snippet=Markup(""), **(fields | ids))

    hits = [
        hit(document_id=7),
        hit(document_id=8, network_id=3),
        hit(thread_id=12, post_id=5, post_number=40),
        hit(thread_id=13, post_id=6, post_number=2),
        hit(thread_id=14),
        hit(network_id=9),
    ]
    with app.test_request_context("/"):
        assert _links(hits) == [
            url_for("forum.library_detail", document_id=7),
            url_for("forum.document_detail", network_id=3, document_id=8),
            url_for("forum.post", thread_id=12, number=40),
            url_for("forum.post", thread_id=13, number=2),
            url_for("forum.thread", thread_id=14),
            url_for("forum.network", network_id=9),
        ]
        assert _links([]) == []


def test_words_with_quotes_and_percent_signs_are_searched_as_typed_and_postgresql_plans_for_them(app):
    """On PostgreSQL the words are written into the statement (quoted by SQLAlchemy), so that the
    plan of a statement psycopg has prepared is made for them, never a generic one blind to how
    common they are; quotes, percent signs and backslashes stay the searcher's text."""
    from tests.support.sql import count_traffic

    reader = member()
    network = user_network(reader)
    thread_with_post(network, title="Placering hos O'Brien", body="Rabatt 50% på kursen \\ kväll")
    db.session.commit()
    reader_id = reader.id
    with count_traffic(db.engine) as traffic:
        found = search.search(reader_id, "O'Brien placeringar", page=1)
    assert [hit.kind for hit in found.items] == ["thread"]
    assert "&#39;<mark>Brien</mark>" in _titles(found)[0]
    assert search.search(reader_id, "50% rabatt", page=1).total == 1
    assert search.search(reader_id, "kväll \\ rabatt", page=1).total == 1
    assert search.search(reader_id, "O'Brien'; select 1; --", page=1).total == 0
    if db.engine.dialect.name == "postgresql":
        assert "'O''Brien placeringar'" in traffic.statements[0]
