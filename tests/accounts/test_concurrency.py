"""Several tabs or clicks at once on an account form: one outcome, no 500 (SQLite and PostgreSQL)."""

from __future__ import annotations

import http.client
import threading
from urllib.parse import urlencode

from sqlalchemy import func, select

from coursehub.accounts import passwords, services
from coursehub.accounts.models import User
from coursehub.extensions import db
from tests.accounts.conftest import link_path, outbox_for
from tests.factories import UserFactory
from tests.support.browser import LiveServer
from tests.support.race import post_at_once, session_cookie

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
                connection.request(
                    "POST", path, body=body, headers={"Content-Type": "application/x-www-form-urlencoded"}
                )
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


def test_an_invitation_submitted_four_times_at_once_makes_one_account(app, clock):
    """A double (and quadruple) click on "create and invite": one account, the rest are told."""
    staff = UserFactory(staff=True)
    form = urlencode({"full_name": "Lars Holm", "email": "lars.holm@exempel.se", "roles": "leader"})
    cookie = session_cookie(app, staff)
    db.session.commit()

    replies = post_at_once(app, [("/admin/anvandare/ny", cookie, form)] * 4)

    assert sorted(reply.status for reply in replies) == [200, 200, 200, 302]
    for reply in replies:
        if reply.status == 200:  # the form again, with the reason beside the address
            assert "Det finns redan ett konto med den här e-postadressen." in reply.body
    db.session.rollback()
    assert (
        db.session.scalar(select(func.count()).select_from(User).where(User.email == "lars.holm@exempel.se"))
        == 1
    )
    assert len(outbox_for("lars.holm@exempel.se")) == 1
