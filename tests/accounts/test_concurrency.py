"""One reset link used from several tabs at once changes the password once (SQLite and PostgreSQL)."""

from __future__ import annotations

import http.client
import threading
from urllib.parse import urlencode

from coursehub.accounts import passwords, services
from coursehub.extensions import db
from tests.accounts.conftest import link_path, outbox_for
from tests.factories import UserFactory
from tests.support.browser import LiveServer

RACERS = 8


def test_a_reset_link_used_at_once_from_many_tabs_works_once(app, clock):
    user = UserFactory(email="anna@exempel.se")
    services.request_password_reset(user.email, now=clock.now)
    path = link_path(outbox_for(user.email)[0].body_text)
    db.session.commit()  # after the reads: on SQLite an open transaction holds the write lock
    wanted = [f"lösenord-nummer-{n:02d}-långt" for n in range(RACERS)]
    statuses: dict[str, int] = {}
    errors: list[BaseException] = []
    lock = threading.Lock()
    with LiveServer(app) as server:
        start = threading.Barrier(RACERS)

        def post(password: str) -> None:
            try:
                connection = http.client.HTTPConnection(server.host, server.port, timeout=60)
                body = urlencode({"password": password, "confirm": password})
                start.wait()
                connection.request("POST", path, body=body, headers={
                    "Content-Type": "application/x-www-form-urlencoded"})
                status = connection.getresponse().status
                connection.close()
                with lock:
                    statuses[password] = status
            except BaseException as error:  # noqa: BLE001 - reported by the assertion below
                with lock:
                    errors.append(error)

        threads = [threading.Thread(target=post, args=(p,)) for p in wanted]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
    assert errors == []
    winners = [p for p, status in statuses.items() if status == 302]
    assert len(winners) == 1, statuses
    assert sorted(statuses.values()) == [200] * (RACERS - 1) + [302]
    db.session.rollback()
    db.session.refresh(user)
    assert passwords.verify_password(user.password_hash, winners[0])
