"""Fire many HTTP requests at a live app at the same instant, as racing browsers would."""

from __future__ import annotations

import http.client
import threading
from dataclasses import dataclass
from typing import Any

from coursehub import clock
from tests.support.browser import LiveServer


@dataclass(frozen=True)
class Reply:
    """What one racing request got back."""

    status: int
    location: str
    body: str


def session_cookie(app: Any, user: Any) -> str:
    """Return a signed session cookie logging `user` in, as the login view would."""
    now = clock.now().timestamp()
    serializer = app.session_interface.get_signing_serializer(app)
    value = serializer.dumps(
        {"_user_id": user.session_token, "_fresh": True, "login_at": now, "seen_at": now}
    )
    return f"{app.config['SESSION_COOKIE_NAME']}={value}"


def post_at_once(app: Any, requests: list[tuple[str, str, str]]) -> list[Reply]:
    """POST every (path, cookie, urlencoded body) at once over real HTTP; return the replies.

    The test's own session must not hold a transaction open meanwhile (commit first): on SQLite it
    would hold the write lock the requests wait for.
    """
    replies: list[Reply | None] = [None] * len(requests)
    errors: list[BaseException] = []
    lock = threading.Lock()
    with LiveServer(app) as server:
        start = threading.Barrier(len(requests))

        def post(index: int, path: str, cookie: str, body: str) -> None:
            try:
                connection = http.client.HTTPConnection(server.host, server.port, timeout=60)
                headers = {"Content-Type": "application/x-www-form-urlencoded"}
                if cookie:
                    headers["Cookie"] = cookie
                start.wait()
                connection.request("POST", path, body=body, headers=headers)
                response = connection.getresponse()
                reply = Reply(
                    response.status,
                    response.getheader("Location") or "",
                    response.read().decode("utf-8", "replace"),
                )
                connection.close()
                replies[index] = reply
            except BaseException as error:  # noqa: BLE001 - reported by the assertion below
                with lock:
                    errors.append(error)

        threads = [
            threading.Thread(target=post, args=(index, *request)) for index, request in enumerate(requests)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
    assert not errors, errors
    assert all(reply is not None for reply in replies)
    return [reply for reply in replies if reply is not None]
