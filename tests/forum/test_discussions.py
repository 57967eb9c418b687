"""Threads and posts as members see them: writing, quoting, editing, moderation, bad input."""

from __future__ import annotations

from sqlalchemy import func, select

from coursehub import clock
from coursehub.forum.models import Post, PostRevision, Thread
from coursehub.forum.services import discussions
from tests.factories import UserFactory
from tests.forum.conftest import html, start
from tests.forum.factories import MembershipFactory, NetworkFactory, SubjectFactory
from tests.support.sql import count_traffic


def count(db, model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_a_member_starts_a_thread_in_markdown_and_another_replies_quoting_it(db, client, login_as, forum):
    login_as(client, forum.anna)
    response = client.post(
        f"/natverk/amne/{forum.subject.id}/ny-trad",
        data={"title": "Matchning", "body": "Hur gör ni med **matchning**?\n\n- steg ett\n- steg två"},
    )
    thread = db.session.scalars(select(Thread)).one()
    assert response.status_code == 302
    page = html(client.get(response.location))
    assert "<strong>matchning</strong>" in page and "<li>steg ett</li>" in page

    login_as(client, forum.bo)
    first = db.session.scalars(select(Post)).one()
    form_page = html(client.get(f"/natverk/trad/{thread.id}?citera={first.id}"))
    assert "&gt; **Anna Ek:**" in form_page  # the quote is prefilled in the reply box
    client.post(
        f"/natverk/trad/{thread.id}/svar",
        data={
            "body": "> **Anna Ek:**\n> Hur gör ni?\n\nVi använder en checklista.",
            "quoted_post_id": first.id,
        },
    )
    page = html(client.get(f"/natverk/trad/{thread.id}"))
    assert "<blockquote>" in page and "Vi använder en checklista." in page
    reply = db.session.scalars(select(Post).where(Post.number == 2)).one()
    assert reply.quoted_post_id == first.id


def test_script_and_event_handler_payloads_never_run(db, client, login_as, forum):
    login_as(client, forum.anna)
    payload = '<script>alert(1)</script><img src=x onerror="alert(2)"> [klick](javascript:alert(3))'
    client.post(
        f"/natverk/amne/{forum.subject.id}/ny-trad",
        data={"title": "<script>alert(4)</script>", "body": payload},
    )
    thread = db.session.scalars(select(Thread)).one()
    page = html(client.get(f"/natverk/trad/{thread.id}"))
    assert "<script>alert" not in page
    assert "<img" not in page and 'href="javascript' not in page
    assert "&lt;script&gt;alert(4)&lt;/script&gt;" in page
    login_as(client, forum.moderator)
    client.post(f"/natverk/amne/{forum.subject.id}/namn", data={"name": '<b onmouseover="alert(5)">Ämne</b>'})
    page = html(client.get(f"/natverk/{forum.network.id}"))
    assert 'onmouseover="alert' not in page and "&lt;b onmouseover=" in page


def test_empty_and_too_long_posts_get_a_message_and_save_nothing(db, client, login_as, forum):
    login_as(client, forum.anna)
    empty = client.post(f"/natverk/amne/{forum.subject.id}/ny-trad", data={"title": "Fråga", "body": "   "})
    assert empty.status_code == 422 and "Skriv ett inlägg." in html(empty)
    long = client.post(
        f"/natverk/amne/{forum.subject.id}/ny-trad", data={"title": "Fråga", "body": "x" * 20_001}
    )
    assert long.status_code == 422 and "Inlägget får vara högst 20000 tecken" in html(long)
    assert count(db, Thread) == 0 and count(db, Post) == 0


def test_an_identity_number_is_stopped_beside_the_field_but_a_phone_number_is_not(
    db, client, login_as, forum
):
    login_as(client, forum.anna)
    for title, body in (("Fråga", "Barnet har nummer 20121212-1212"), ("Om 121212-1212", "text")):
        response = client.post(
            f"/natverk/amne/{forum.subject.id}/ny-trad", data={"title": title, "body": body}
        )
        assert response.status_code == 422
        assert "personnummer eller samordningsnummer" in html(response)
    coordination = client.post(
        f"/natverk/amne/{forum.subject.id}/ny-trad", data={"title": "A", "body": "nr 701263-2399"}
    )
    assert "samordningsnummer" in html(coordination)  # day + 60: a coordination number
    assert count(db, Thread) == 0
    ok = client.post(
        f"/natverk/amne/{forum.subject.id}/ny-trad",
        data={"title": "Ring", "body": "Ring 070-123 45 67 eller 036-10 50 00."},
    )
    assert ok.status_code == 302 and count(db, Thread) == 1


def test_the_compose_form_reminds_writers_not_to_identify_a_child(db, client, login_as, forum):
    login_as(client, forum.anna)
    page = html(client.get(f"/natverk/amne/{forum.subject.id}/ny-trad"))
    assert "Skriv aldrig något som kan identifiera ett barn" in page


def test_a_forged_quote_from_another_network_gets_a_message_and_nothing_is_saved(db, client, login_as, forum):
    other = NetworkFactory(name="Chefsnätverket")
    stranger = UserFactory(member=True)
    MembershipFactory(network=other, user=stranger)
    secret = discussions.start_thread(
        SubjectFactory(network=other), "Hemligt", "Budget 2027", actor=stranger, now=clock.now()
    )
    mine = start(forum, forum.anna)  # commits the other network too
    login_as(client, forum.bo)
    response = client.post(
        f"/natverk/trad/{mine.thread_id}/svar", data={"body": "Svar", "quoted_post_id": secret.id}
    )
    assert response.status_code == 422
    assert "Inlägget du citerar finns inte i den här tråden." in html(response)
    assert "Budget 2027" not in html(response)
    assert db.session.get(Thread, mine.thread_id).post_count == 1
    assert client.get(f"/natverk/trad/{mine.thread_id}?citera={secret.id}").status_code == 200
    assert "Budget 2027" not in html(client.get(f"/natverk/trad/{mine.thread_id}?citera={secret.id}"))


def test_a_member_of_one_network_sees_nothing_of_another(db, client, login_as, forum):
    other = NetworkFactory(name="Chefsnätverket")
    stranger = UserFactory(member=True)
    MembershipFactory(network=other, user=stranger)
    subject = SubjectFactory(network=other)
    post = discussions.start_thread(subject, "Hemligt", "Budget", actor=stranger, now=clock.now())
    db.session.commit()
    login_as(client, forum.anna)
    for url in (
        f"/natverk/{other.id}",
        f"/natverk/{other.id}/nytt",
        f"/natverk/{other.id}/medlemmar",
        f"/natverk/{other.id}/bevakning",
        f"/natverk/amne/{subject.id}",
        f"/natverk/amne/{subject.id}/ny-trad",
        f"/natverk/trad/{post.thread_id}",
        f"/natverk/trad/{post.thread_id}/inlagg/1",
        f"/natverk/inlagg/{post.id}/andra",
        f"/natverk/inlagg/{post.id}/historik",
    ):
        response = client.get(url)
        assert response.status_code == 404, url
        assert "Hemligt" not in html(response)
    assert client.post(f"/natverk/trad/{post.thread_id}/svar", data={"body": "in"}).status_code == 404
    assert db.session.get(Thread, post.thread_id).post_count == 1


def test_editing_ones_own_post_marks_it_and_keeps_the_history_for_moderators(
    db, client, login_as, forum, clock
):
    post = start(forum, forum.anna, body="Första versionen")
    clock.advance(minutes=5)
    login_as(client, forum.bo)
    assert client.get(f"/natverk/inlagg/{post.id}/andra").status_code == 404  # not his
    login_as(client, forum.anna)
    client.post(f"/natverk/inlagg/{post.id}/andra", data={"body": "Andra versionen"})
    page = html(client.get(f"/natverk/trad/{post.thread_id}"))
    assert "Andra versionen" in page and "ändrat" in page and "Första versionen" not in page
    assert count(db, PostRevision) == 1
    assert client.get(f"/natverk/inlagg/{post.id}/historik").status_code == 404  # members do not see it
    login_as(client, forum.moderator)
    assert "Första versionen" in html(client.get(f"/natverk/inlagg/{post.id}/historik"))


def test_deleting_ones_own_post_leaves_a_mark_in_its_place(db, client, login_as, forum):
    post = start(forum, forum.anna, body="Ångrar mig")
    login_as(client, forum.bo)
    client.post(f"/natverk/inlagg/{post.id}/ta-bort")
    assert db.session.get(Post, post.id).deleted_at is None  # not his own
    login_as(client, forum.anna)
    client.post(f"/natverk/inlagg/{post.id}/ta-bort")
    page = html(client.get(f"/natverk/trad/{post.thread_id}"))
    assert "Ångrar mig" not in page and "Inlägget är borttaget" in page


def test_moderators_hide_with_a_reason_lock_pin_and_move(db, client, login_as, forum):
    post = start(forum, forum.anna, body="Olämpligt")
    other_subject = SubjectFactory(network=forum.network, name="Utbildning")
    db.session.commit()
    login_as(client, forum.bo)
    client.post(f"/natverk/inlagg/{post.id}/dolj", data={"reason": "nej"})
    assert db.session.get(Post, post.id).hidden_at is None  # members cannot
    login_as(client, forum.moderator)
    client.post(f"/natverk/inlagg/{post.id}/dolj", data={"reason": "Innehöll uppgifter om ett barn"})
    client.post(f"/natverk/trad/{post.thread_id}/las")
    client.post(f"/natverk/trad/{post.thread_id}/fast")
    client.post(f"/natverk/trad/{post.thread_id}/flytta", data={"subject_id": other_subject.id})
    thread = db.session.get(Thread, post.thread_id)
    assert thread.is_locked and thread.is_pinned and thread.subject_id == other_subject.id
    login_as(client, forum.bo)
    page = html(client.get(f"/natverk/trad/{post.thread_id}"))
    assert "Olämpligt" not in page and "Innehöll uppgifter om ett barn" in page
    refused = client.post(f"/natverk/trad/{post.thread_id}/svar", data={"body": "Men..."})
    assert "Tråden är låst" in html(refused) and thread.post_count == 1


def test_a_thread_cannot_be_moved_to_a_subject_of_another_network(db, client, login_as, forum):
    post = start(forum, forum.anna)
    foreign = SubjectFactory(network=NetworkFactory())
    db.session.commit()
    login_as(client, forum.moderator)
    response = client.post(f"/natverk/trad/{post.thread_id}/flytta", data={"subject_id": foreign.id})
    # Shown again with the reason beside the list, nothing moved.
    assert response.status_code == 422
    assert (
        '<div id="subject_id-error" class="invalid-feedback">Välj ett ämnesområde i det här nätverket.</div>'
        in html(response)
    )
    assert db.session.get(Thread, post.thread_id).subject_id == forum.subject.id
    nothing = client.post(f"/natverk/trad/{post.thread_id}/flytta", data={"subject_id": ""})
    assert nothing.status_code == 422 and 'id="subject_id-error"' in html(nothing)


def test_a_moderator_moves_a_thread_on_a_page_of_its_own(db, client, login_as, forum):
    post = start(forum, forum.anna)
    other_subject = SubjectFactory(network=forum.network, name="Handledning")
    foreign = SubjectFactory(network=NetworkFactory(), name="Annat nätverks ämne")
    db.session.commit()
    login_as(client, forum.moderator)
    thread_page = html(client.get(f"/natverk/trad/{post.thread_id}"))
    assert f'href="/natverk/trad/{post.thread_id}/flytta"' in thread_page
    page = html(client.get(f"/natverk/trad/{post.thread_id}/flytta"))
    # The network's own subjects, the thread's present one chosen; no other network's.
    assert f'<option selected value="{forum.subject.id}">{forum.subject.name}</option>' in page
    assert f'<option value="{other_subject.id}">Handledning</option>' in page
    assert foreign.name not in page
    moved = client.post(f"/natverk/trad/{post.thread_id}/flytta", data={"subject_id": other_subject.id})
    assert moved.status_code == 302 and moved.location.endswith(f"/natverk/trad/{post.thread_id}")
    assert "Tråden är flyttad." in html(client.get(moved.location))
    assert db.session.get(Thread, post.thread_id).subject_id == other_subject.id
    login_as(client, forum.anna)
    assert 'flytta"' not in html(client.get(f"/natverk/trad/{post.thread_id}"))
    assert client.get(f"/natverk/trad/{post.thread_id}/flytta").status_code == 404


def test_a_moderator_reads_a_thread_with_as_many_statements_as_a_member(db, client, login_as, forum):
    post = start(forum, forum.anna)
    db.session.commit()
    counts = {}
    for who in (forum.anna, forum.moderator):
        login_as(client, who)
        client.get(f"/natverk/trad/{post.thread_id}")  # the first page after login notes the facts
        with count_traffic(db.engine) as traffic:
            page = html(client.get(f"/natverk/trad/{post.thread_id}"))
        counts[who.full_name] = len(traffic.statements)
        assert ("Moderera tråden" in page) is (who is forum.moderator)
    assert counts[forum.moderator.full_name] == counts[forum.anna.full_name]


def test_moderators_create_and_arrange_subjects(db, client, login_as, forum):
    login_as(client, forum.moderator)
    client.post(f"/natverk/{forum.network.id}/amnen", data={"name": "Handledning"})
    duplicate = client.post(
        f"/natverk/{forum.network.id}/amnen", data={"name": "Handledning"}, follow_redirects=True
    )
    assert "redan ett ämnesområde med det namnet" in html(duplicate)
    from coursehub.forum.models import Subject

    newest = db.session.scalars(select(Subject).where(Subject.name == "Handledning")).one()
    client.post(f"/natverk/amne/{newest.id}/flytta-upp")
    names = [s.name for s in db.session.scalars(select(Subject).order_by(Subject.position))]
    assert names == ["Handledning", "Rekrytering"]
    login_as(client, forum.anna)
    client.post(f"/natverk/{forum.network.id}/amnen", data={"name": "Eget"})
    assert db.session.scalar(select(Subject).where(Subject.name == "Eget")) is None


def test_unread_markers_and_the_new_since_last_visit_view(db, client, login_as, forum):
    post = start(forum, forum.anna, title="Tråd A")
    start(forum, forum.anna, title="Tråd B")
    login_as(client, forum.bo)
    page = html(client.get(f"/natverk/{forum.network.id}/nytt"))
    assert "Tråd A" in page and "Tråd B" in page
    thread_page = html(client.get(f"/natverk/trad/{post.thread_id}"))
    assert "Nytt" in thread_page and "Markera som läst" in thread_page
    client.post(f"/natverk/trad/{post.thread_id}/last", data={"value": 1})
    page = html(client.get(f"/natverk/{forum.network.id}/nytt"))
    assert "Tråd A" not in page and "Tråd B" in page
    discussions.reply(db.session.get(Thread, post.thread_id), "Ett svar", actor=forum.anna, now=clock.now())
    db.session.commit()
    page = html(client.get(f"/natverk/{forum.network.id}/nytt"))
    assert "Tråd A" in page and "1 nytt" in page


def test_staff_manage_members_and_a_removed_member_loses_access(db, client, login_as, forum):
    newcomer = UserFactory(member=True, username="ny.medlem")
    staff = UserFactory(staff=True)
    admin = UserFactory(admin=True)
    db.session.commit()
    login_as(client, staff)
    client.post(f"/natverk/{forum.network.id}/medlemmar", data={"who": "ny.medlem", "is_moderator": "y"})
    unknown = client.post(f"/natverk/{forum.network.id}/medlemmar", data={"who": "finns.inte"})
    assert unknown.status_code == 422 and "Det finns ingen användare" in html(unknown)
    from coursehub.forum.models import NetworkMembership

    membership = db.session.scalars(
        select(NetworkMembership).where(NetworkMembership.user_id == newcomer.id)
    ).one()
    assert membership.is_moderator
    login_as(client, newcomer)
    assert client.get(f"/natverk/{forum.network.id}").status_code == 200
    login_as(client, admin)
    client.post(f"/natverk/medlemskap/{membership.id}/ta-bort")
    login_as(client, newcomer)
    assert client.get(f"/natverk/{forum.network.id}").status_code == 404


def test_nul_bytes_are_dropped_on_both_databases(db, client, login_as, forum):
    login_as(client, forum.anna)
    response = client.post(
        f"/natverk/amne/{forum.subject.id}/ny-trad", data={"title": "Fr\x00åga", "body": "Hej\x00 alla"}
    )
    assert response.status_code == 302
    post = db.session.scalars(select(Post)).one()
    assert post.body_source == "Hej alla" and post.thread.title == "Fråga"
    staff = UserFactory(staff=True)
    db.session.commit()
    login_as(client, staff)
    refused = client.post(f"/natverk/{forum.network.id}/medlemmar", data={"who": "anna\x00.ek"})
    assert refused.status_code == 422 and "redan medlem" in html(refused)
