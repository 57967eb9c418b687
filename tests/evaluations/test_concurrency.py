"""Once per person: simultaneous submits of one link store one response, on both databases."""

from __future__ import annotations

from urllib.parse import urlencode

from sqlalchemy import func, select

from coursehub.evaluations.models import Answer, Response
from coursehub.extensions import db
from tests.evaluations.support import answers_for, open_evaluation
from tests.support.race import post_at_once


def test_two_simultaneous_submits_of_one_link_store_one_response(app):
    evaluation, (token,) = open_evaluation()
    body = urlencode(answers_for(evaluation))
    questions = len(evaluation.version.questions)
    db.session.commit()

    replies = post_at_once(app, [(f"/utvardering/{token}", "", body)] * 4)

    assert sorted(reply.status for reply in replies) == [302, 404, 404, 404]
    for reply in replies:
        if reply.status == 404:
            assert "Länken går inte att använda" in reply.body
    db.session.expire_all()
    assert db.session.scalar(select(func.count()).select_from(Response)) == 1
    assert db.session.scalar(select(func.count()).select_from(Answer)) == questions
