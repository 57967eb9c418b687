"""Anonymity by construction: nothing stored with an answer leads to a person or a link."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy import func, select

from coursehub.db import Base
from coursehub.evaluations.models import Answer, Invitation, Response
from tests.evaluations.support import answers_for, open_evaluation

PERSONAL_TABLES = {"users", "households", "evaluation_invitations", "account_tokens"}
PERSONAL_WORDS = ("user", "token", "invitation", "email", "person", "household", "ip", "_at")


def _reachable(table: sa.Table) -> set[str]:
    """Every table reached from `table` by following foreign keys, transitively."""
    seen: set[str] = set()
    todo = [table]
    while todo:
        current = todo.pop()
        for key in current.foreign_keys:
            target = key.column.table
            if target.name not in seen:
                seen.add(target.name)
                todo.append(target)
    return seen


def test_no_column_of_an_answer_table_names_a_person_a_link_or_a_moment():
    for table in (Response.__table__, Answer.__table__):
        for column in table.columns:
            assert not any(word in column.name for word in PERSONAL_WORDS), f"{table.name}.{column.name}"
        assert str(Response.__table__.c.answered_on.type) == "DATE"


def test_no_join_from_an_answer_leads_to_a_person_or_a_link():
    metadata = Base.metadata
    for name in ("evaluation_responses", "evaluation_answers"):
        reached = _reachable(metadata.tables[name])
        assert not reached & PERSONAL_TABLES, (name, reached & PERSONAL_TABLES)
    # Nor does any table point at a response: nothing can hold "who wrote response X".
    for table in metadata.tables.values():
        for key in table.foreign_keys:
            if key.column.table.name == "evaluation_responses":
                assert table.name == "evaluation_answers", table.name


def test_responses_keep_no_order_of_answering(client, db):
    """Random keys: sorting responses by key says nothing about who answered first."""
    evaluation, tokens = open_evaluation(people=6)
    for token in tokens:
        client.post(f"/utvardering/{token}", data=answers_for(evaluation))
    keys = list(db.session.scalars(select(Response.id)))
    assert len(set(keys)) == 6 and all(len(key) == 32 for key in keys)
    assert not all(key.isdigit() for key in keys)


def test_the_answered_list_is_gone_after_closing(app, client, db, clock):
    from coursehub.evaluations import jobs

    evaluation, tokens = open_evaluation(people=3)
    client.post(f"/utvardering/{tokens[0]}", data=answers_for(evaluation))
    assert db.session.scalar(select(func.count()).select_from(Invitation)) == 3

    clock.advance(days=app.config["COURSEHUB_EVALUATION_OPEN_DAYS"])
    jobs.close_evaluations(clock.now)

    assert db.session.scalar(select(func.count()).select_from(Invitation)) == 0
    assert db.session.scalar(select(func.count()).select_from(Response)) == 1  # the answers stay
