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
