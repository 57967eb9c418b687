"""Navigation entries that each area declares beside its blueprint and adds in its `init_app`."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from flask import Flask
from flask_babel import lazy_gettext as _l
from markupsafe import Markup

NAV_KEY = "coursehub_nav"
RUN_LINKS_KEY = "coursehub_run_links"
SESSION_WARNINGS_KEY = "coursehub_session_warnings"

# Warnings a higher area adds to a run's sessions on staff's run page: (run, now) -> {session id: texts}.
SessionWarnings = Callable[[Any, datetime], dict[int, list[str]]]


# The disclosure that holds the staff's administration pages in the menu.
ADMINISTRATION = _l("Administration")
# The disclosure that holds a municipal worker's pages about the municipality's families.
MUNICIPALITY = _l("Kommunen")
# The disclosure that holds the figures pages (the report, attendance rates, participants per
# municipality, evaluation results), so that staff's menu keeps to one line at 1280 px.
FIGURES = _l("Uppföljning")


@dataclass(frozen=True)
class NavItem:
    """A menu link shown to the users for whom `visible(user)` is true."""

    label: object  # a lazy_gettext string, rendered per request in the user's language
    endpoint: str
    visible: Callable[[object], bool]
    order: int = 100
    # What waits for the user there (one query); the label then carries it, "Godkännanden (3)".
    count: Callable[[object], int] | None = None
    # Items with a group sit together under one disclosure in the menu (templates/base.html), so
    # that the staff's many pages keep the menu on one line; the rest stand on their own.
    group: object | None = None


@dataclass(frozen=True, slots=True)
class MenuLink:
    """One link of the menu as the layout shows it: its text in the request's language, its URL."""

    label: str  # Markup for a declared label (a lazy string is not escaped either), else plain text
    endpoint: str
    href: str
    group: str | None


def menu_links(
    items: list[NavItem], text: Callable[[object], str], url: Callable[[str], str]
) -> list[MenuLink]:
    """Return `items` (from `visible_items`) as the layout's links, with `text` and `url` resolved.

    `text` translates a lazy label and `url` builds an endpoint's URL; the layout passes cached
    ones (coursehub/web.py): both are the same for every request in a language, and a lazy string
    looks its translations up anew each time it is read (the staff's menu read 47 a page).
    """
    # A declared label is our own text from the catalogues, and the lazy string gave it to the
    # template unescaped (its __html__): Markup keeps the page as it was. A label with its count
    # is a plain string, escaped as before.
    return [
        MenuLink(
            label=item.label if isinstance(item.label, str) else Markup(text(item.label)),  # noqa: S704  # nosec B704
            endpoint=item.endpoint,
            href=url(item.endpoint),
            group=None if item.group is None else text(item.group),
        )
        for item in items
    ]


def menu_groups(links: list[MenuLink]) -> list[tuple[str, list[MenuLink]]]:
    """Return the grouped menu links as (group label, links), groups in the order they first appear."""
    groups: dict[str, list[MenuLink]] = {}
    for link in links:
        if link.group is not None:
            groups.setdefault(link.group, []).append(link)
    return list(groups.items())


def visible_items(items, user) -> list[NavItem]:
    """Return the menu items `user` may use, in order, their labels with what waits there."""
    shown = []
    for item in items:
        if not item.visible(user):
            continue
        waiting = item.count(user) if item.count is not None else 0
        shown.append(replace(item, label=f"{item.label} ({waiting})") if waiting else item)
    return shown


@dataclass(frozen=True)
class RunLink:
    """A link about one course run that a higher area offers on the course pages.

    Courses may not import the areas built on it; they declare these beside their blueprint
    (`run_links` in their views module), and the run pages show the ones the user may use.
    The endpoint takes `run_id`.
    """

    label: object  # a lazy_gettext string
    endpoint: str
    visible: Callable[[object, object], bool]  # (user, run)
    order: int = 100


def visible_run_links(items, user, run) -> list[RunLink]:
    """Return the run links `user` may use for `run`, in order."""
    return [item for item in items if user is not None and item.visible(user, run)]


def add_nav_items(app: Flask, items: Iterable[NavItem]) -> None:
    """Add an area's menu items to `app`'s menu (kept in order)."""
    _add_sorted(app, NAV_KEY, items)


def add_run_links(app: Flask, links: Iterable[RunLink]) -> None:
    """Add an area's links about a run to the course pages of `app` (kept in order)."""
    _add_sorted(app, RUN_LINKS_KEY, links)


def add_session_warnings(app: Flask, source: SessionWarnings) -> None:
    """Let an area warn about a run's sessions on the staff's run page (courses cannot ask it)."""
    app.extensions[SESSION_WARNINGS_KEY] = [*app.extensions.get(SESSION_WARNINGS_KEY, ()), source]


def session_warnings(app: Flask, run: object, now: datetime) -> dict[int, list[str]]:
    """Return every area's warnings about `run`'s sessions, per session id."""
    merged: dict[int, list[str]] = {}
    for source in app.extensions.get(SESSION_WARNINGS_KEY, ()):
        for session_id, texts in source(run, now).items():
            merged.setdefault(session_id, []).extend(texts)
    return merged


OWN_STATUS_KEY = "coursehub_own_run_status"

# A higher area tells a person their own standing on a run's page: (user, run) -> text or None.
OwnStatus = Callable[[Any, Any], str | None]


def add_own_run_status(app: Flask, source: OwnStatus) -> None:
    """Let an area say, on a run's public page, where the logged-in person stands (signed up...)."""
    app.extensions[OWN_STATUS_KEY] = [*app.extensions.get(OWN_STATUS_KEY, ()), source]


def own_run_status(app: Flask, user: object, run: object) -> str | None:
    """Return the first area's text about `user`'s own standing on `run`, or None."""
    if user is None:
        return None
    for source in app.extensions.get(OWN_STATUS_KEY, ()):
        text = source(user, run)
        if text:
            return text
    return None


def _add_sorted(app: Flask, key: str, entries: Iterable) -> None:
    merged = [*app.extensions.get(key, ()), *entries]
    # A stable sort: entries of equal order keep the order in which the areas were set up.
    app.extensions[key] = sorted(merged, key=lambda entry: entry.order)
