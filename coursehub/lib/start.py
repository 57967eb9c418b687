"""Where each person lands after login: the start page an area offers to the users it serves.

Each area declares its start pages beside its blueprint and adds them in its `init_app`; the login
view asks `start_endpoint(user)` and never needs to know the areas. The first visible page (lowest
order) wins, so a person with several roles lands on the most personal one.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from flask import Flask

START_KEY = "coursehub_start_pages"
DEFAULT_ENDPOINT = "pages.index"


@dataclass(frozen=True)
class StartPage:
    """A page (an endpoint without arguments) that is the start for users where `visible(user)`."""

    endpoint: str
    visible: Callable[[object], bool]
    order: int = 100


def add_start_pages(app: Flask, pages: Iterable[StartPage]) -> None:
    """Add an area's start pages to `app` (kept in order)."""
    merged = [*app.extensions.get(START_KEY, ()), *pages]
    app.extensions[START_KEY] = sorted(merged, key=lambda page: page.order)


def start_endpoint(app: Flask, user: object) -> str:
    """Return the endpoint where `user` starts: the first start page meant for them."""
    for page in app.extensions.get(START_KEY, ()):
        if page.visible(user):
            return page.endpoint
    return DEFAULT_ENDPOINT
