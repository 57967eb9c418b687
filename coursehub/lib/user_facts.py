"""Facts about the logged-in user that a higher area needs on every page, read with the user.

The layout asks some things of every logged-in person on every page (is this person in a network:
the menu's "Nätverk"; how many sign-ups wait for a municipal worker's decision). Asked by the area
itself, each is one more round trip to the database per page. Instead an area adds the fact's SQL
in its `init_app` (`add_user_fact`: an expression correlated with the `users` row, such as an
EXISTS or a count), the statement that loads the session's user selects it too, once per request
whatever the user's roles (web.py), and the area reads the answer with `loaded_fact`. A fact that
costs something for everyone should answer NULL, counting nothing, for those it is not about
(enrollment's count does). A fact whose SQL holds parameters of its own (the staff's count of
what needs action holds the moment it counts at) names them with `values`, which gives their
values for the request; the user statement is run with them.

A fact about some roles only (`roles`) is selected only for a session whose user held one of them
when the session's user was last loaded (`statement_facts`, kept in the session as the names of
the facts that applied, never as roles: the roles themselves are always read from the database).
Everyone else's statement leaves it out, so its SQL costs them nothing, not even the planning and
the start of an executor; a session whose roles changed misses the fact once and its area asks
the database, as for a user loaded some other way, until the next request. A user loaded some other
way (the login itself, a job) has no facts loaded: `loaded_fact` answers None, and the area asks
the database as before.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from flask import Flask, g, has_app_context
from sqlalchemy import ColumnElement

USER_FACTS_KEY = "coursehub_user_facts"
USER_FACT_VALUES_KEY = "coursehub_user_fact_values"
USER_FACT_ROLES_KEY = "coursehub_user_fact_roles"
# Set when the facts are read to build the user statement: a fact added after that is refused.
FACTS_READ_KEY = "coursehub_user_facts_read"

# Builds the fact's expression (called once per app, when the user statement is first built).
UserFact = Callable[[], ColumnElement[Any]]
# Gives the values of a fact's own parameters for this request (called on every user load).
FactValues = Callable[[], dict[str, Any]]


def add_user_fact(
    app: Flask,
    name: str,
    fact: UserFact,
    *,
    values: FactValues | None = None,
    roles: Iterable[str] | None = None,
) -> None:
    """Have the session's user loaded with `fact` (its name must be unique across the areas).

    `values`, for a fact with parameters of its own, gives their values in each request; their
    names must be unique across the facts that do not share `values` (`fact_values` refuses a
    name given twice).
    `roles`: select the fact only for a session whose user holds one of these (see above).
    Only from an area's `init_app`: once `user_facts` has been read (the user statement is built
    on the first request) a fact could no longer be selected, so adding one then is an error.
    """
    if app.extensions.get(FACTS_READ_KEY):
        raise RuntimeError(f"the user fact {name!r} is added after the user statement was built")
    known = app.extensions.get(USER_FACTS_KEY, {})
    if name in known:
        raise ValueError(f"a user fact named {name!r} is already added")
    app.extensions[USER_FACTS_KEY] = {**known, name: fact}
    if values is not None:
        app.extensions[USER_FACT_VALUES_KEY] = {**app.extensions.get(USER_FACT_VALUES_KEY, {}), name: values}
    if roles is not None:
        app.extensions[USER_FACT_ROLES_KEY] = {
            **app.extensions.get(USER_FACT_ROLES_KEY, {}),
            name: frozenset(str(role) for role in roles),
        }


def user_facts(app: Flask) -> dict[str, UserFact]:
    """Return the facts the areas added, by name, in the order they were added; no fact may be
    added after this (the caller builds the one statement that selects them)."""
    app.extensions[FACTS_READ_KEY] = True
    return dict(app.extensions.get(USER_FACTS_KEY, {}))


def statement_facts(app: Flask, hint: Iterable[str]) -> tuple[str, ...]:
    """Return the names of the facts to select for a session whose hint (the role-bound facts
    that applied when its user was last loaded) is `hint`: every fact for all, and those of the
    hint's that are still added, in the order they were added."""
    bound = app.extensions.get(USER_FACT_ROLES_KEY, {})
    wanted = set(hint)
    # Asked on every user load: the facts are read where they are kept, not copied (`user_facts`).
    return tuple(
        name for name in app.extensions.get(USER_FACTS_KEY, {}) if name not in bound or name in wanted
    )


def role_bound_facts(app: Flask, roles: Iterable[str]) -> tuple[str, ...]:
    """Return the names of the role-bound facts for a user with `roles`: the session's next hint."""
    held = {str(role) for role in roles}
    bound = app.extensions.get(USER_FACT_ROLES_KEY, {})
    return tuple(name for name, for_roles in bound.items() if for_roles & held)


def fact_values(app: Flask, names: Iterable[str]) -> dict[str, Any]:
    """Return the values of the own parameters of the facts `names` for this request, in one
    mapping; facts that share their `values` (the counts of one moment) ask it once."""
    found: dict[str, Any] = {}
    known = app.extensions.get(USER_FACT_VALUES_KEY, {})
    for values in dict.fromkeys(known[name] for name in names if name in known):
        given = values()
        if given.keys() & found.keys():
            raise ValueError(f"two user facts name the parameters {sorted(given.keys() & found.keys())}")
        found.update(given)
    return found


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
