"""Access rules of the forum area: a network and everything in it answer 404 to non-members."""

from tests.access import LOGGED_IN, STAFF, Rule

# A test user of the "member" role is made a member of the network the rule builds.
MEMBERS = STAFF | {"member"}


def network_for(user, *, moderator: bool = False):
    """A network with one subject; a "member" visitor is in it (a moderator when asked)."""
    from coursehub import clock
    from coursehub.accounts.models import Role
    from coursehub.forum.models import Subject
    from coursehub.forum.services import networks

    now = clock.now()
    network = networks.create_network(f"Nätverk {id(object())}", actor=None, now=now)
    from coursehub.extensions import db

    db.session.add(Subject(network=network, name="Allmänt", position=1, created_at=now))
    if user is not None and user.has_role(Role.MEMBER):
        networks.add_member(network, user, is_moderator=moderator, actor=None, now=now)
    db.session.flush()
    return network


RULES = [
    Rule("forum.networks", LOGGED_IN),
    Rule("forum.network", MEMBERS, args=lambda user: {"network_id": network_for(user).id}),
]
