"""Who hears of a new post: mentions, replies, followers; digests once; unsubscribing; closed accounts."""

from __future__ import annotations

from sqlalchemy import select

from coursehub import clock
from coursehub.forum import jobs
from coursehub.forum.models import Delivery, NetworkMembership, Subscription, Thread
from coursehub.forum.services import discussions, notify
from coursehub.notifications.models import OutboxMessage
from tests.factories import UserFactory
from tests.forum.conftest import html, start


def mails(db, to=None) -> list[OutboxMessage]:
    stmt = select(OutboxMessage).order_by(OutboxMessage.id)
    if to is not None:
        stmt = stmt.where(OutboxMessage.recipient == to.email)
    return list(db.session.scalars(stmt))


def test_a_mentioned_member_is_notified_and_a_non_member_is_not(db, forum):
    outsider = UserFactory(member=True, username="ute.staende")
    start(forum, forum.anna, body="Vad tycker @bo.lund och @ute.staende?")
    [mail] = mails(db, to=forum.bo)
    assert "Anna Ek nämnde dig" in mail.subject
    assert mails(db, to=outsider) == []
    assert mails(db, to=forum.anna) == []  # never one's own post


def test_the_thread_starter_hears_of_replies_but_not_twice(db, forum):
    post = start(forum, forum.anna)
    thread = db.session.get(Thread, post.thread_id)
    notify.follow(forum.network, thread=thread, delivery=Delivery.INSTANT, actor=forum.anna, now=clock.now())
    discussions.reply(thread, "Ett svar", actor=forum.bo, now=clock.now())
    [mail] = mails(db, to=forum.anna)
    assert "Nytt svar i din tråd" in mail.subject
    assert "Ett svar" in mail.body_text


def test_every_mail_has_an_unsubscribe_link_and_list_unsubscribe_headers(db, forum):
    start(forum, forum.anna, body="Hej @bo.lund")
    [mail] = mails(db, to=forum.bo)
    assert mail.headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    url = mail.headers["List-Unsubscribe"].strip("<>")
    assert "/natverk/avregistrera/" in url and url in mail.body_text


def test_one_click_unsubscribe_works_logged_out_and_get_only_asks(db, client, forum):
    start(forum, forum.anna, body="Hej @bo.lund")
    [mail] = mails(db, to=forum.bo)
    path = "/natverk/avregistrera/" + mail.headers["List-Unsubscribe"].strip("<>").rsplit("/", 1)[1]
    page = client.get(path)
    assert "Vill du sluta få e-post när någon nämner dig" in html(page)
    membership = db.session.scalars(
        select(NetworkMembership).where(NetworkMembership.user_id == forum.bo.id)
    ).one()
    assert membership.notify_mentions  # GET changed nothing
    done = client.post(path, data={"List-Unsubscribe": "One-Click"})
    assert done.status_code == 200 and "Klart" in html(done)
    db.session.refresh(membership)
    assert not membership.notify_mentions
    start(forum, forum.anna, title="Igen", body="Hej igen @bo.lund")
    assert len(mails(db, to=forum.bo)) == 1
    assert client.get(path[:-3] + "xyz").status_code == 404  # an altered token
    assert client.post(path[:-3] + "xyz").status_code == 404


def test_followers_get_mail_at_once_or_one_digest_sent_once(db, forum, clock):
    notify.follow(forum.network, delivery=Delivery.INSTANT, actor=forum.bo, now=clock.now)
    notify.follow(
        forum.network, subject=forum.subject, delivery=Delivery.DIGEST, actor=forum.moderator, now=clock.now
    )
    start(forum, forum.anna, title="Första")
    start(forum, forum.anna, title="Andra")
    assert len(mails(db, to=forum.bo)) == 2
    assert mails(db, to=forum.moderator) == []
    assert jobs.send_daily_digests(clock.now) == 1
    assert jobs.send_daily_digests(clock.now) == 0  # a second run sends nothing again
    [digest] = mails(db, to=forum.moderator)
    assert "2 nya inlägg" in digest.subject and "Första" in digest.body_text and "Andra" in digest.body_text
    assert digest.headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_a_digest_never_carries_a_network_to_someone_who_left_it(db, forum, clock):
    notify.follow(forum.network, delivery=Delivery.DIGEST, actor=forum.bo, now=clock.now)
    start(forum, forum.anna, title="Internt")
    membership = db.session.scalars(
        select(NetworkMembership).where(NetworkMembership.user_id == forum.bo.id)
    ).one()
    from coursehub.forum.services import networks

    networks.remove_member(membership, actor=None)
    assert jobs.send_daily_digests(clock.now) == 0
    assert mails(db, to=forum.bo) == []


def test_deactivating_a_user_ends_their_forum_notifications(db, forum, clock):
    from coursehub.accounts import services as accounts

    notify.follow(forum.network, delivery=Delivery.INSTANT, actor=forum.bo, now=clock.now)
    accounts.deactivate_user(forum.bo, actor=UserFactory(admin=True), now=clock.now)
    assert db.session.scalars(select(Subscription).where(Subscription.user_id == forum.bo.id)).all() == []
    start(forum, forum.anna, body="Hej @bo.lund")
    assert mails(db, to=forum.bo) == []


def test_a_mail_is_queued_once_per_post_and_member(db, forum):
    notify.follow(forum.network, delivery=Delivery.INSTANT, actor=forum.bo, now=clock.now())
    notify.follow(
        forum.network, subject=forum.subject, delivery=Delivery.INSTANT, actor=forum.bo, now=clock.now()
    )
    start(forum, forum.anna, body="Hej @bo.lund")
    assert len(mails(db, to=forum.bo)) == 1
