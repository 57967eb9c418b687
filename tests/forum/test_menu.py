"""The menu's "Nätverk": shown to network members, decided from the statement that loads the user."""

from __future__ import annotations

import re

import pytest

from coursehub.accounts.models import Role
from tests.factories import UserFactory
from tests.support.sql import count_traffic


def _menu(page: str) -> list[str]:
    nav = re.search(r"<nav[^>]*>(.*?)</nav>", page, re.S)
    assert nav is not None
    return re.findall(r">\s*([^<>]+?)\s*</a>", nav.group(1))


@pytest.mark.parametrize("who", ["member", "family"])
def test_the_menu_knows_a_network_member_without_a_statement_of_its_own(db, client, login_as, forum, who):
    person = forum.bo if who == "member" else UserFactory(roles=[Role.FAMILY])
    db.session.commit()
    login_as(client, person)
    with count_traffic(db.engine) as traffic:
        response = client.get("/profil")
    assert response.status_code == 200
    assert ("Nätverk" in _menu(response.get_data(as_text=True))) == (who == "member")
    # The only statement that reads the memberships is the one that loads the user by the session.
    reads = [s for s in traffic.statements if "forum_memberships" in s]
    assert len(reads) == 1 and "session_token" in reads[0], traffic.statements
