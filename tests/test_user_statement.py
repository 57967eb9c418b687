"""The statement that loads the session's user selects the areas' facts once, whatever the roles."""

from __future__ import annotations

import pytest
from sqlalchemy import Integer, bindparam, event, func, text

from coursehub.accounts.models import Role, User
from coursehub.lib.user_facts import add_user_fact
from tests.factories import MunicipalityFactory, UserFactory


def _counted_calls(db):
    """Give the database a function `coursehub_probe(int)` that counts its calls; return a reader."""
    if db.engine.dialect.name == "sqlite":
        calls: list[int] = []

        @event.listens_for(db.engine, "connect")
        def _add_probe(connection, _record):
            connection.create_function("coursehub_probe", 1, lambda value: calls.append(value) or 1)

        db.session.remove()
        db.engine.dispose()  # the connections made from now on have the function
        return lambda: len(calls)
    # On PostgreSQL a sequence counts: nextval is not undone when a reading request rolls back.
    db.session.execute(text("CREATE SEQUENCE probe_calls"))
    db.session.execute(
        text(
            "CREATE FUNCTION coursehub_probe(integer) RETURNS integer VOLATILE LANGUAGE sql "
            "AS $$ SELECT nextval('probe_calls')::integer $$"
        )
    )
    db.session.commit()
    # Starting at 1, its last value is the number of calls once it has been called at all.
    return lambda: db.session.scalar(
        text("SELECT CASE WHEN is_called THEN last_value ELSE 0 END FROM probe_calls")
    )


@pytest.mark.own_app
def test_a_fact_is_selected_once_for_a_user_with_several_roles(app, db, client, login_as):
    # A municipal worker who is also a network member has two role rows joined to the user; a
    # fact selected beside them was evaluated for each (the menu's count of approvals twice).
    add_user_fact(app, "probe", lambda: func.coursehub_probe(User.id, type_=Integer))
    calls = _counted_calls(db)
    person = UserFactory(roles=[Role.MUNICIPAL, Role.MEMBER], municipality=MunicipalityFactory())
    db.session.commit()
    before = calls()
    login_as(client, person)
    assert client.get("/profil").status_code == 200
    assert calls() - before == 1


@pytest.mark.own_app
def test_a_fact_with_a_parameter_of_its_own_is_selected_with_its_value_in_the_request(
    app, db, client, login_as
):
    # The staff's count of what needs action is taken at the request's moment: a fact names its
    # parameters (`values`), and the statement that loads the user is run with them.
    factors: list[int] = []
    add_user_fact(
        app,
        "doubled",
        lambda: bindparam("factor", type_=Integer) * 2,
        values=lambda: {"factor": factors[0] if factors else 0},
    )
    seen = []

    @app.get("/__fact")
    def _show_fact():
        from flask_login import current_user

        from coursehub.lib.user_facts import loaded_fact

        seen.append(loaded_fact(current_user, "doubled"))
        return "ok"

    person = UserFactory(roles=[Role.FAMILY])
    db.session.commit()
    login_as(client, person)
    factors[:] = [3]
    assert client.get("/__fact").status_code == 200
    factors[:] = [5]
    assert client.get("/__fact").status_code == 200
    assert seen == [6, 10]
