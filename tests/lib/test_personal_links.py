"""Personal links: an address that keeps opening links that lead nowhere is slowed down.

Flask-Limiter is on here, with the limit the product ships (coursehub.config).
"""

from __future__ import annotations

import pytest

from coursehub.config import Defaults
from tests.evaluations.support import open_evaluation

LIMIT = 20
SHIPPED = f"{LIMIT} per 10 minutes"

# Every page a personal link opens, with a token nobody was sent: (method, path).
LINK_PAGES = [
    ("GET", "/utvardering/{token}"),
    ("POST", "/utvardering/{token}"),
    ("GET", "/aterstall-losenord/{token}"),
    ("POST", "/aterstall-losenord/{token}"),
    ("GET", "/inbjudan/{token}"),
    ("POST", "/inbjudan/{token}"),
    ("GET", "/bli-familjehem/avbryt/{token}"),
    ("POST", "/bli-familjehem/avbryt/{token}"),
    ("GET", "/presentation/{token}"),
    ("POST", "/presentation/{token}"),
    ("GET", "/natverk/avregistrera/{token}"),
    ("POST", "/natverk/avregistrera/{token}"),
]


@pytest.fixture
def app_config():
    return {"RATELIMIT_ENABLED": True, "COURSEHUB_LINK_LIMIT_ADDRESS": SHIPPED}


def test_the_shipped_limit_is_the_one_tested():
    assert Defaults.COURSEHUB_LINK_LIMIT_ADDRESS == SHIPPED


def _open(client, method: str, path: str, number: int, address: str = "10.2.2.2"):
    url = path.format(token=f"gissning-{number}-Xk3vQ9pL")
    return client.open(url, method=method, environ_base={"REMOTE_ADDR": address})


@pytest.mark.parametrize(("method", "path"), LINK_PAGES)
def test_wrong_links_on_every_link_page_count_together(client, db, method, path):
    # The other pages use up all but one try; the page under test refuses the last wrong link
    # as before, and then answers "too many" even to a further wrong link.
    others = [page for page in LINK_PAGES if page != (method, path)]
    for number in range(LIMIT - 1):
        other_method, other_path = others[number % len(others)]
        assert _open(client, other_method, other_path, number).status_code != 429
    last = _open(client, method, path, LIMIT)
    assert last.status_code != 429
    refused = _open(client, method, path, LIMIT + 1)
    assert refused.status_code == 429
    assert "För många försök" in refused.get_data(as_text=True)
    # Another address is not affected.
    assert _open(client, method, path, LIMIT + 2, address="10.3.3.3").status_code != 429


def test_a_family_opening_its_own_link_again_and_again_is_never_stopped(client, db):
    _evaluation, (token,) = open_evaluation()
    db.session.commit()
    for _time in range(LIMIT + 5):
        reply = client.get(f"/utvardering/{token}", environ_base={"REMOTE_ADDR": "10.4.4.4"})
        assert reply.status_code == 200
        assert "Utvärdering" in reply.get_data(as_text=True)


def test_after_too_many_wrong_links_even_a_right_one_waits(client, db):
    _evaluation, (token,) = open_evaluation()
    db.session.commit()
    for number in range(LIMIT):
        _open(client, "GET", "/utvardering/{token}", number)
    assert client.get(f"/utvardering/{token}", environ_base={"REMOTE_ADDR": "10.2.2.2"}).status_code == 429
