"""lib.user_facts: an area's fact comes with the session's user, and only for that user."""

from __future__ import annotations

import pytest
from flask import Flask
from sqlalchemy import literal

from coursehub.lib.user_facts import (
    add_user_fact,
    fact_values,
    loaded_fact,
    remember_facts,
    role_bound_facts,
    statement_facts,
    user_facts,
)


class _Person:
    def __init__(self, id_: int) -> None:
        self.id = id_


def test_a_fact_name_is_added_once():
    app = Flask(__name__)
    add_user_fact(app, "in_network", lambda: literal(True))
    with pytest.raises(ValueError, match="in_network"):
        add_user_fact(app, "in_network", lambda: literal(False))
    assert list(user_facts(app)) == ["in_network"]


def test_a_loaded_fact_answers_for_the_session_user_only_and_only_in_its_request():
    app = Flask(__name__)
    assert loaded_fact(_Person(1), "in_network") is None  # no request at all: the area asks
    with app.test_request_context():
        remember_facts(1, {"in_network": False})
        assert loaded_fact(_Person(1), "in_network") is False
        assert loaded_fact(_Person(2), "in_network") is None  # another user: not known
        assert loaded_fact(_Person(1), "other") is None
    with app.test_request_context():
        assert loaded_fact(_Person(1), "in_network") is None  # the next request loads its own


def test_a_fact_added_after_the_user_statement_was_built_is_refused():
    # The statement that loads the session's user is built once, on the first request (web.py),
    # from `user_facts`: a fact added later would never be selected, and its area would silently
    # ask the database on every page. Refused at once instead.
    app = Flask(__name__)
    add_user_fact(app, "in_network", lambda: literal(True))
    assert list(user_facts(app)) == ["in_network"]
    with pytest.raises(RuntimeError, match="late_fact"):
        add_user_fact(app, "late_fact", lambda: literal(False))
    assert list(user_facts(app)) == ["in_network"]


def test_the_values_of_the_facts_own_parameters_are_given_per_request_and_their_names_once():
    app = Flask(__name__)
    asked: list[int] = []

    def moment() -> dict[str, int]:
        asked.append(1)
        return {"moment": len(asked)}

    add_user_fact(app, "plain", lambda: literal(True))
    add_user_fact(app, "counted", lambda: literal(1), values=moment)
    assert fact_values(app, ["plain", "counted"]) == {"moment": 1}
    assert fact_values(app, ["plain", "counted"]) == {"moment": 2}  # asked again: a value of the request
    assert fact_values(app, ["plain"]) == {}  # a fact not selected is not asked
    add_user_fact(app, "alike", lambda: literal(3), values=moment)  # the same moment: asked once
    assert fact_values(app, ["counted", "alike"]) == {"moment": 3}
    add_user_fact(app, "again", lambda: literal(2), values=lambda: {"moment": 0})
    with pytest.raises(ValueError, match="moment"):
        fact_values(app, ["counted", "again"])


def test_a_role_bound_fact_is_selected_for_the_sessions_whose_hint_names_it():
    app = Flask(__name__)
    add_user_fact(app, "in_network", lambda: literal(True))
    add_user_fact(app, "staff_count", lambda: literal(1), roles=["staff", "admin"])
    add_user_fact(app, "municipal_count", lambda: literal(2), roles=["municipal"])
    assert statement_facts(app, []) == ("in_network",)
    assert statement_facts(app, ["staff_count"]) == ("in_network", "staff_count")
    assert statement_facts(app, ["gone", "municipal_count"]) == ("in_network", "municipal_count")
    # The hint for the next request: from the roles just loaded.
    assert role_bound_facts(app, ["family"]) == ()
    assert role_bound_facts(app, ["admin", "municipal"]) == ("staff_count", "municipal_count")
