"""The answering page: all questions, the quoting choice, thanks; bad links and bad answers."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from coursehub.evaluations.models import Answer, Invitation, QuestionKind, Response
from coursehub.evaluations.services import forms
from coursehub.extensions import db
from tests.evaluations.support import answers_for, open_evaluation, published_form, rating


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_a_person_answers_every_question_and_is_thanked(client, db):
    evaluation, (token,) = open_evaluation()
    page = client.get(f"/utvardering/{token}").get_data(as_text=True)
    for question in evaluation.version.questions:
        assert question.text in page
    assert "Fritextsvaren får citeras anonymt" in page

    reply = client.post(f"/utvardering/{token}", data={**answers_for(evaluation), "may_quote": "y"})
    assert reply.status_code == 302 and reply.location.endswith("/utvardering/tack")
    assert "Tack för era svar" in client.get(reply.location).get_data(as_text=True)

    response = db.session.scalars(select(Response)).one()
    assert response.may_quote is True
    values = {a.question.kind: (a.value, a.choice_id, a.text) for a in response.answers}
    assert values[QuestionKind.RATING] == (5, None, None)
    assert values[QuestionKind.YES_NO] == (1, None, None)
    assert values[QuestionKind.TEXT][2] == "Superbra föreläsare, tydliga, med humor."


def test_a_second_use_of_a_link_is_refused_politely_and_stores_nothing(client, db):
    evaluation, (token,) = open_evaluation()
    client.post(f"/utvardering/{token}", data=answers_for(evaluation))

    for reply in (
        client.get(f"/utvardering/{token}"),
        client.post(f"/utvardering/{token}", data=answers_for(evaluation)),
    ):
        assert reply.status_code == 404
        assert "Länken går inte att använda" in reply.get_data(as_text=True)
    assert _count(Response) == 1


@pytest.mark.parametrize("token", ["forged-token-abc", "x" * 5000, "tack2"])
def test_a_forged_link_gets_the_same_polite_page(client, db, token):
    open_evaluation()
    used, (real,) = open_evaluation()
    client.post(f"/utvardering/{real}", data=answers_for(used))
    forged = client.get(f"/utvardering/{token}")
    second = client.get(f"/utvardering/{real}")
    assert forged.status_code == second.status_code == 404
    assert _main(forged) == _main(second)  # no hint which link existed


def _main(reply) -> str:
    page = reply.get_data(as_text=True)
    return page[page.index("<main") : page.index("</main>")]


def test_a_closed_evaluation_refuses_its_links(app, client, db, clock):
    evaluation, (token,) = open_evaluation()
    clock.advance(days=app.config["COURSEHUB_EVALUATION_OPEN_DAYS"], seconds=1)
    reply = client.post(f"/utvardering/{token}", data=answers_for(evaluation))
    assert reply.status_code == 404 and "Länken går inte att använda" in reply.get_data(as_text=True)
    assert _count(Response) == 0


def _bad(evaluation, kind: QuestionKind, value: str) -> tuple[dict[str, str], str]:
    question = next(q for q in evaluation.version.questions if q.kind == kind)
    return answers_for(evaluation, **{f"q{question.id}": value}), f"q{question.id}"


@pytest.mark.parametrize(
    ("kind", "value", "message"),
    [
        (QuestionKind.RATING, "", "Svara på frågan."),
        (QuestionKind.RATING, "6", "Välj ett värde från 1 till 5."),
        (QuestionKind.RATING, "0", "Välj ett värde från 1 till 5."),
        (QuestionKind.RATING, "-1", "Välj ett värde från 1 till 5."),
        (QuestionKind.YES_NO, "kanske", "Välj ja eller nej."),
        (QuestionKind.CHOICE, "999999", "Välj ett av svarsalternativen."),
        (QuestionKind.TEXT, "å" * 20_000, "Svaret får vara högst 4000 tecken; ert är 20000."),
    ],
)
def test_bad_answers_get_a_message_beside_the_question_and_nothing_is_stored(
    client, db, kind, value, message
):
    evaluation, (token,) = open_evaluation()
    posted, name = _bad(evaluation, kind, value)
    reply = client.post(f"/utvardering/{token}", data=posted)

    page = reply.get_data(as_text=True)
    assert reply.status_code == 422
    assert f'<div id="{name}-error" class="invalid-feedback d-block">{message}</div>' in page
    assert "Svaren kunde inte sparas. Se meddelandena vid frågorna." in page
    assert _count(Response) == 0 and _count(Answer) == 0
    assert db.session.scalar(select(Invitation.answered_at)) is None  # the link still works
    assert client.post(f"/utvardering/{token}", data=answers_for(evaluation)).status_code == 302


def test_a_choice_or_question_of_another_form_or_version_is_refused(client, db):
    evaluation, (token,) = open_evaluation()
    other_form = published_form(name="Ett annat formulär")
    other_question = other_form.versions[0].questions[2]  # its choice question
    own_choice = next(q for q in evaluation.version.questions if q.kind == QuestionKind.CHOICE)
    draft = forms.new_draft(evaluation.version.form, actor=None, now=evaluation.opens_at)
    forms.add_question(draft, rating("En fråga i nästa version"), actor=None, now=evaluation.opens_at)
    later_question = draft.questions[-1]

    for extra in (
        {f"q{own_choice.id}": str(other_question.choices[0].id)},
        {f"q{other_question.id}": str(other_question.choices[0].id)},
        {f"q{later_question.id}": "5"},
    ):
        reply = client.post(f"/utvardering/{token}", data=answers_for(evaluation, **extra))
        assert reply.status_code == 422, extra
    assert _count(Response) == 0


def test_optional_questions_may_be_left_empty(client, db):
    evaluation, (token,) = open_evaluation()
    required_only = {f"q{q.id}": "3" for q in evaluation.version.questions if q.is_required}
    assert client.post(f"/utvardering/{token}", data=required_only).status_code == 302
    assert _count(Answer) == 1


def test_the_link_page_is_not_cached_and_sends_no_referer(client, db):
    _evaluation, (token,) = open_evaluation()
    reply = client.get(f"/utvardering/{token}")
    assert reply.headers["Cache-Control"] == "no-store"
    assert reply.headers["Referrer-Policy"] == "no-referrer"
