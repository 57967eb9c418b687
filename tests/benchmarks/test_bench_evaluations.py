"""`flask bench-seed`'s evaluations: finished runs evaluated, the answered lists, anonymous answers.

Loaded at a moment in December, when the year's survey is still open and, with seed 7, so is the
evaluation of a run that finished in late November: both kinds of evaluation are there open
(with their answered list) and closed (the list deleted by the closing job, as the app does).
"""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa
from flask import url_for

from coursehub.accounts.models import User
from coursehub.clock import to_local
from coursehub.courses.models import CourseRun, RunStatus
from coursehub.evaluations import queries
from coursehub.evaluations.models import (
    RATING_HIGH,
    RATING_LOW,
    Answer,
    Choice,
    Evaluation,
    Invitation,
    Question,
    QuestionKind,
    Response,
)
from coursehub.evaluations.queries_results import min_answers
from coursehub.extensions import db
from tests.benchmarks.loading import load, load_elsewhere

LOADED_AT = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)
SEED = 7  # with LOADED_AT: one run's evaluation still open; pick another if the generator changes
HEX = re.compile(r"[0-9a-f]+")


def _load(runner, tmp_path, seed: int = SEED) -> dict:
    return load(runner, tmp_path, seed)


@pytest.fixture
def loaded(app, runner, tmp_path, clock) -> dict:
    clock.set(LOADED_AT)
    targets = _load(runner, tmp_path)
    db.session.rollback()
    return targets


def _responses(evaluation_id: int) -> int:
    return db.session.scalar(
        sa.select(sa.func.count()).select_from(Response).where(Response.evaluation_id == evaluation_id)
    )


def _invitations(evaluation_id: int) -> list[Invitation]:
    return list(
        db.session.scalars(
            sa.select(Invitation)
            .where(Invitation.evaluation_id == evaluation_id)
            .order_by(Invitation.user_id)
        )
    )


def test_every_finished_run_is_evaluated_and_its_attendees_invited(loaded):
    runs = db.session.scalars(sa.select(CourseRun)).all()
    evaluations = {
        e.run_id: e for e in db.session.scalars(sa.select(Evaluation).where(Evaluation.run_id.is_not(None)))
    }
    finished = [run for run in runs if run.status == RunStatus.COMPLETED]
    assert finished and {run.id for run in finished} == set(evaluations)
    open_ones = 0
    for run in finished:
        evaluation = evaluations[run.id]
        attendees = [user.id for user in queries.run_attendees(run.id)]  # the app's own rule
        assert evaluation.invited_count == len(attendees) > 0
        assert evaluation.title == run.title and evaluation.opens_at >= run.ends_at
        invited = [i.user_id for i in _invitations(evaluation.id)]
        if evaluation.closes_at <= LOADED_AT:
            # Closed by the job (which deletes the answered list) once its time has passed.
            assert evaluation.closed_at is not None and evaluation.closed_at >= evaluation.closes_at
            assert invited == []
        else:
            open_ones += 1
            assert evaluation.closed_at is None
            assert invited == attendees
    assert open_ones, "no run's evaluation is open at LOADED_AT with this seed"


def test_one_survey_a_year_goes_to_the_networks_and_professionals(loaded):
    surveys = db.session.scalars(sa.select(Evaluation).where(Evaluation.survey_year.is_not(None))).all()
    assert sorted(s.survey_year for s in surveys) == [2025, 2026]
    this_year = next(s for s in surveys if s.survey_year == 2026)
    assert this_year.closed_at is None and this_year.opens_at <= LOADED_AT < this_year.closes_at
    invitations = _invitations(this_year.id)
    assert len(invitations) == this_year.invited_count > 0
    families = db.session.scalar(
        sa.select(sa.func.count())
        .select_from(User)
        .where(User.id.in_([i.user_id for i in invitations]), User.household_id.is_not(None))
    )
    assert families == 0


def _indicator_answers(evaluation_id: int) -> tuple[int, int]:
    """The evaluation's indicator answers giving the top of the scale, and all of them."""
    values = db.session.scalars(
        sa.select(Answer.value)
        .join(Response, Answer.response_id == Response.id)
        .join(Question, Answer.question_id == Question.id)
        .where(Response.evaluation_id == evaluation_id, Question.is_indicator, Answer.value.is_not(None))
    ).all()
    return sum(value == RATING_HIGH for value in values), len(values)


def _quotable(evaluation_id: int) -> int:
    """The evaluation's texts whose writers let them be quoted."""
    return db.session.scalar(
        sa.select(sa.func.count())
        .select_from(Answer)
        .join(Response, Answer.response_id == Response.id)
        .where(Response.evaluation_id == evaluation_id, Response.may_quote, Answer.text.is_not(None))
    )


def test_the_answered_lists_and_the_responses_agree(loaded):
    hashes = []
    total_invited = total_responses = 0
    for evaluation in db.session.scalars(sa.select(Evaluation)):
        responses = _responses(evaluation.id)
        total_invited += evaluation.invited_count
        total_responses += responses
        assert responses <= evaluation.invited_count
        invitations = _invitations(evaluation.id)
        if evaluation.closed_at is not None:  # the closing job counted its figures
            assert evaluation.response_count == responses
            assert (evaluation.indicator_top, evaluation.indicator_answered) == _indicator_answers(
                evaluation.id
            )
            assert evaluation.quote_count == _quotable(evaluation.id)
        else:
            assert evaluation.response_count is None
        if evaluation.closed_at is None:
            answered = [i for i in invitations if i.answered_at is not None]
            assert responses == len(answered)
            assert all(
                evaluation.opens_at <= i.answered_at < min(evaluation.closes_at, LOADED_AT) for i in answered
            )
            reminded = [i for i in invitations if i.reminded_at is not None]
            assert all(
                i.reminder_token_hash and (i.answered_at is None or i.answered_at > i.reminded_at)
                for i in reminded
            )
        for invitation in invitations:
            hashes += [h for h in (invitation.token_hash, invitation.reminder_token_hash) if h]
        days = db.session.scalars(
            sa.select(Response.answered_on).where(Response.evaluation_id == evaluation.id)
        )
        first, last = to_local(evaluation.opens_at).date(), to_local(evaluation.closes_at).date()
        assert all(first <= day <= last for day in days)
    assert all(len(h) == 64 and HEX.fullmatch(h) for h in hashes) and len(set(hashes)) == len(hashes)
    assert 0.45 * total_invited <= total_responses <= 0.7 * total_invited
    keys = db.session.scalars(sa.select(Response.id)).all()
    assert all(len(key) == 32 and HEX.fullmatch(key) for key in keys)


def test_every_answer_keeps_to_its_question(loaded):
    rows = db.session.execute(
        sa.select(Answer, Question, Choice.question_id, Evaluation.version_id)
        .join(Question, Answer.question_id == Question.id)
        .join(Response, Answer.response_id == Response.id)
        .join(Evaluation, Response.evaluation_id == Evaluation.id)
        .outerjoin(Choice, Answer.choice_id == Choice.id)
    ).all()
    assert rows
    kinds = set()
    for answer, question, choice_question, version_id in rows:
        kinds.add(question.kind)
        assert question.version_id == version_id  # a question of the version the evaluation asks
        if question.kind == QuestionKind.RATING:
            assert RATING_LOW <= answer.value <= RATING_HIGH and answer.choice_id is None
        elif question.kind == QuestionKind.YES_NO:
            assert answer.value in (0, 1)
        elif question.kind == QuestionKind.CHOICE:
            assert answer.value is None and choice_question == question.id
        else:
            assert answer.text and answer.value is None and answer.choice_id is None
    assert kinds == set(QuestionKind)
    # A required question is answered in every response.
    missing = db.session.scalar(
        sa.select(sa.func.count())
        .select_from(Response)
        .join(Evaluation, Response.evaluation_id == Evaluation.id)
        .join(Question, sa.and_(Question.version_id == Evaluation.version_id, Question.is_required))
        .outerjoin(Answer, sa.and_(Answer.response_id == Response.id, Answer.question_id == Question.id))
        .where(Answer.response_id.is_(None))
    )
    assert missing == 0


def test_the_results_page_shows_a_closed_evaluation_s_figures(app, client, login_as, loaded):
    closed = db.session.scalars(
        sa.select(Evaluation).where(Evaluation.closed_at.is_not(None), Evaluation.run_id.is_not(None))
    ).all()
    evaluation = max(closed, key=lambda e: (_responses(e.id), -e.id))
    responses = _responses(evaluation.id)
    assert responses >= min_answers()
    with app.test_request_context():
        page = url_for("evaluations.results", evaluation_id=evaluation.id)
        overview = url_for("evaluations.results_overview")
    staff = db.session.scalars(sa.select(User).where(User.username == loaded["logins"]["staff"])).one()
    login_as(client, staff)
    response = client.get(page)
    assert response.status_code == 200
    text = response.get_data(as_text=True)
    assert f"{responses} av {evaluation.invited_count} tillfrågade har svarat" in text
    assert "Andel mycket nöjda" in text  # the indicator's share: figures, not the notice
    assert client.get(overview).status_code == 200


def _fingerprint() -> list:
    return [
        db.session.execute(
            sa.select(
                Evaluation.id,
                Evaluation.run_id,
                Evaluation.survey_year,
                Evaluation.opens_at,
                Evaluation.closed_at,
                Evaluation.invited_count,
            ).order_by(Evaluation.id)
        ).all(),
        db.session.execute(
            sa.select(Invitation.user_id, Invitation.token_hash, Invitation.answered_at).order_by(
                Invitation.id
            )
        ).all(),
        db.session.execute(
            sa.select(Response.id, Response.evaluation_id, Response.answered_on, Response.may_quote).order_by(
                Response.id
            )
        ).all(),
        db.session.execute(
            sa.select(
                Answer.response_id, Answer.question_id, Answer.value, Answer.choice_id, Answer.text
            ).order_by(Answer.response_id, Answer.question_id)
        ).all(),
    ]


def test_the_same_seed_gives_the_same_evaluation_data(app, runner, tmp_path, template_database, clock):
    clock.set(LOADED_AT)
    _load(runner, tmp_path, seed=11)
    first = _fingerprint()
    again = load_elsewhere(app, template_database, tmp_path, 11, _fingerprint)
    assert all(first) and again == first
