"""Access rules of the forum area: a network and everything in it answer 404 to non-members.

A visitor of the "member" role is made a member of the network each rule builds (a moderator
where the route is a moderator's); the other roles are in no network. Staff and admins read every
network and manage memberships, but write and moderate only as members.
"""

import itertools

from tests.access import EVERYONE, LOGGED_IN, STAFF, Rule

READERS = STAFF | {"member"}
MEMBER = frozenset({"member"})

# Network names are unique: each network a rule builds gets the next number (an object's id() can
# repeat once the object is gone, as it does when the fuzzer builds one per example).
_NUMBERS = itertools.count(1)


def network_for(user, *, moderator: bool = False):
    """A network with one subject; a "member" visitor is in it (a moderator when asked)."""
    from coursehub import clock
    from coursehub.accounts.models import Role
    from coursehub.extensions import db
    from coursehub.forum.models import Subject
    from coursehub.forum.services import networks

    now = clock.now()
    network = networks.create_network(f"Nätverk {next(_NUMBERS)}", actor=None, now=now)
    db.session.add(Subject(network=network, name="Allmänt", position=1, created_at=now))
    if user is not None and user.has_role(Role.MEMBER):
        networks.add_member(network, user, is_moderator=moderator, actor=None, now=now)
    db.session.flush()
    return network


def thread_for(user, *, moderator: bool = False, own: bool = False):
    """A thread of one post in such a network; the post is the visitor's own when `own`."""
    from coursehub import clock
    from coursehub.extensions import db
    from coursehub.forum.models import Post, Thread
    from tests.factories import UserFactory

    network = network_for(user, moderator=moderator)
    author = user if own and user is not None else UserFactory(member=True)
    now = clock.now()
    thread = Thread(
        network_id=network.id, subject=network.subjects[0], title="En fråga", author_id=author.id,
        created_at=now, last_post_at=now, post_count=1,
    )  # fmt: skip
    db.session.add(thread)
    db.session.flush()
    post = Post(
        thread=thread,
        number=1,
        author_id=author.id,
        body_source="Hej",
        body_html="<p>Hej</p>",
        created_at=now,
    )
    db.session.add(post)
    db.session.flush()
    return thread


def _post(user, **kwargs):
    from coursehub.extensions import db
    from coursehub.forum.models import Post

    thread = thread_for(user, **kwargs)
    return db.session.query(Post).filter_by(thread_id=thread.id).one()


def _membership(user):
    from tests.factories import UserFactory
    from tests.forum.factories import MembershipFactory

    return MembershipFactory(network=network_for(user), user=UserFactory(member=True))


def _subscription(user):
    from coursehub import clock
    from coursehub.accounts.models import Role
    from coursehub.forum.models import Delivery
    from coursehub.forum.services import notify
    from tests.factories import UserFactory

    network = network_for(user)
    subscriber = user
    if user is None or not user.has_role(Role.MEMBER):
        subscriber = UserFactory(member=True)
        from coursehub.forum.services import networks

        networks.add_member(network, subscriber, actor=None, now=clock.now())
    return notify.follow(network, delivery=Delivery.INSTANT, actor=subscriber, now=clock.now())


def _token(user):
    from coursehub.forum.services import notify

    membership = _membership(user)
    return notify.unsubscribe_token(membership.user_id, "mentions", membership.id)


def _net(**kw):
    return lambda user: {"network_id": network_for(user, **kw).id}


def _subj(**kw):
    return lambda user: {"subject_id": network_for(user, **kw).subjects[0].id}


def _thr(**kw):
    return lambda user: {"thread_id": thread_for(user, **kw).id}


def _pst(**kw):
    return lambda user: {"post_id": _post(user, **kw).id}


RULES = [
    Rule("forum.networks", LOGGED_IN),
    Rule("forum.new_network", STAFF),
    Rule("forum.network", READERS, args=_net()),
    Rule("forum.edit_network", STAFF, args=_net()),
    Rule("forum.unread", READERS, args=_net()),
    Rule("forum.members", READERS, args=_net()),
    Rule("forum.add_member", STAFF, method="POST", args=_net()),
    Rule(
        "forum.remove_member", STAFF, method="POST", args=lambda user: {"membership_id": _membership(user).id}
    ),
    Rule(
        "forum.toggle_moderator",
        STAFF,
        method="POST",
        args=lambda user: {"membership_id": _membership(user).id},
    ),
    Rule("forum.subject", READERS, args=_subj()),
    Rule("forum.new_thread", MEMBER, args=_subj()),
    Rule("forum.thread", READERS, args=_thr()),
    Rule("forum.post", READERS, args=lambda user: {"thread_id": thread_for(user).id, "number": 1}),
    Rule("forum.reply", MEMBER, method="POST", args=_thr()),
    Rule("forum.mark_read", READERS, method="POST", args=_thr()),
    Rule("forum.edit_post", MEMBER, args=_pst(own=True)),
    Rule("forum.delete_post", READERS, method="POST", args=_pst(own=True)),
    Rule("forum.post_history", MEMBER, args=_pst(moderator=True)),
    Rule("forum.create_subject", MEMBER, method="POST", args=_net(moderator=True)),
    Rule("forum.rename_subject", MEMBER, method="POST", args=_subj(moderator=True)),
    Rule("forum.subject_up", MEMBER, method="POST", args=_subj(moderator=True)),
    Rule("forum.subject_down", MEMBER, method="POST", args=_subj(moderator=True)),
    Rule("forum.hide_post", MEMBER, method="POST", args=_pst(moderator=True)),
    Rule("forum.unhide_post", MEMBER, method="POST", args=_pst(moderator=True)),
    Rule("forum.toggle_lock", MEMBER, method="POST", args=_thr(moderator=True)),
    Rule("forum.toggle_pin", MEMBER, method="POST", args=_thr(moderator=True)),
    Rule("forum.move_thread", MEMBER, args=_thr(moderator=True)),
    Rule("forum.follows", MEMBER, args=_net()),
    Rule("forum.follow_network", MEMBER, method="POST", args=_net()),
    Rule("forum.follow_subject", MEMBER, method="POST", args=_subj()),
    Rule("forum.follow_thread", MEMBER, method="POST", args=_thr()),
    Rule("forum.set_notices", MEMBER, method="POST", args=_net()),
    Rule(
        "forum.unfollow", MEMBER, method="POST", args=lambda user: {"subscription_id": _subscription(user).id}
    ),
    # The link in a mail works logged out: the signed token is what lets it through.
    Rule("forum.unsubscribe", EVERYONE, args=lambda user: {"token": _token(user)}),
    Rule("forum.unsubscribe_one_click", EVERYONE, method="POST", args=lambda user: {"token": _token(user)}),
]
