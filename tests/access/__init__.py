"""The expected access of every route for every role.

One table, kept as one small module per area (`tests/access/<area>.py`, each with `RULES`) so that
areas can be worked on side by side. `test_access_table.py` joins them and walks `app.url_map`.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass, field

ANONYMOUS = "anonymous"
ROLES = (ANONYMOUS, "admin", "staff", "leader", "municipal", "member", "family", "steering")
EVERYONE = frozenset(ROLES)
LOGGED_IN = frozenset(ROLES) - {ANONYMOUS}
STAFF = frozenset({"admin", "staff"})


@dataclass(frozen=True)
class Rule:
    """Who may use `endpoint`; `args(user)` builds URL arguments (user is None when anonymous)."""

    endpoint: str
    allowed: frozenset[str]
    method: str = "GET"
    args: Callable[[object], dict] = field(default=lambda user: {})
    # Data to post, for POST routes whose allowed use needs some (most accept an empty form).
    data: Callable[[object], dict] = field(default=lambda user: {})
    # Status codes that mean "refused" for a logged-in role: 403 for role pages, 404 for records.
    denied_status: tuple[int, ...] = (403, 404)


def all_rules() -> dict[str, Rule]:
    """Return every rule of every area, by endpoint; an endpoint listed twice is an error."""
    import tests.access as package

    table: dict[str, Rule] = {}
    for info in pkgutil.iter_modules(package.__path__):
        if info.name.startswith("test_"):
            continue
        module = importlib.import_module(f"tests.access.{info.name}")
        for rule in module.RULES:
            assert rule.endpoint not in table, f"{rule.endpoint} is listed twice"
            table[rule.endpoint] = rule
    return table


def user_for(role: str):
    """Return a new user holding only `role` (None for anonymous), with what the role needs."""
    from tests.factories import UserFactory

    if role == ANONYMOUS:
        return None
    if role == "municipal":
        return UserFactory(municipal=True)
    if role == "family":
        return UserFactory(family=True)
    return UserFactory(roles=[role])
