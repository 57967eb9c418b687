"""Navigation entries that each area declares beside its blueprint."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class NavItem:
    """A menu link shown to the users for whom `visible(user)` is true."""

    label: object  # a lazy_gettext string, rendered per request in the user's language
    endpoint: str
    visible: Callable[[object], bool]
    order: int = 100


def visible_items(items, user) -> list[NavItem]:
    """Return the menu items `user` may use, in order."""
    return [item for item in items if item.visible(user)]


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
