"""Facts about the logged-in user that a higher area needs on every page, read with the user.

The layout asks some things of every logged-in person on every page (is this person in a network:
the menu's "Nätverk"; how many sign-ups wait for a municipal worker's decision). Asked by the area
itself, each is one more round trip to the database per page. Instead an area adds the fact's SQL
in its `init_app` (`add_user_fact`: an expression correlated with the `users` row, such as an
EXISTS or a count), the statement that loads the session's user selects it too, once per request
whatever the user's roles (web.py), and the area reads the answer with `loaded_fact`. A fact that
costs something for everyone should answer NULL, counting nothing, for those it is not about
(enrollment's count does). A user loaded some other
way (the login itself, a job) has no facts loaded: `loaded_fact` answers None, and the area asks
the database as before.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Flask, g, has_app_context
from sqlalchemy import ColumnElement

USER_FACTS_KEY = "coursehub_user_facts"
# Set when the facts are read to build the user statement: a fact added after that is refused.
FACTS_READ_KEY = "coursehub_user_facts_read"

# Builds the fact's expression (called once per app, when the user statement is first built).
UserFact = Callable[[], ColumnElement[Any]]


def add_user_fact(app: Flask, name: str, fact: UserFact) -> None:
    """Have the session's user loaded with `fact` (its name must be unique across the areas).

    Only from an area's `init_app`: once `user_facts` has been read (the user statement is built
    on the first request) a fact could no longer be selected, so adding one then is an error.
    """
    if app.extensions.get(FACTS_READ_KEY):
        raise RuntimeError(f"the user fact {name!r} is added after the user statement was built")
    known = app.extensions.get(USER_FACTS_KEY, {})
    if name in known:
        raise ValueError(f"a user fact named {name!r} is already added")
    app.extensions[USER_FACTS_KEY] = {**known, name: fact}


def user_facts(app: Flask) -> dict[str, UserFact]:
    """Return the facts the areas added, by name, in the order they were added; no fact may be
    added after this (the caller builds the one statement that selects them)."""
    app.extensions[FACTS_READ_KEY] = True
    return dict(app.extensions.get(USER_FACTS_KEY, {}))


def remember_facts(user_id: int, facts: dict[str, Any]) -> None:
    """Keep the facts loaded with the session's user for the rest of the request."""
    g.coursehub_user_facts = (user_id, facts)


def loaded_fact(user: Any, name: str) -> Any | None:
    """Return the fact `name` loaded with `user` in this request, or None when it was not loaded."""
    if not has_app_context():
        return None
    loaded = g.get("coursehub_user_facts")
    user_id = getattr(user, "id", None)
    if loaded is None or user_id is None or loaded[0] != user_id:
        return None
    return loaded[1].get(name)
