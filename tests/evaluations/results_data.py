"""Forms, evaluations and anonymous answers for the results and survey tests, built row by row."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

from coursehub import clock
from coursehub.evaluations.models import (
    Answer,
    Choice,
    Evaluation,
    EvaluationForm,
    FormPurpose,
    FormVersion,
    Question,
    QuestionKind,
    Response,
)
from coursehub.extensions import db

SURVEY_INDICATORS = (
    "Hur nöjd är du med resursens bidrag till kompetensen i länet?",
    "Hur nöjd är du med resursens bidrag till samverkan mellan kommunerna?",
    "Hur nöjd är du med hur resursen synliggör erfarenheter?",
)


def course_form(name: str = "Kursutvärdering") -> FormVersion:
    """A published course form: an indicator rating, yes/no, a choice, a free text."""
    form = EvaluationForm(name=name, purpose=FormPurpose.COURSE)
    version = FormVersion(form=form, number=1, published_at=clock.now() - timedelta(days=30))
    version.questions = [
        Question(
            position=1,
            kind=QuestionKind.RATING,
            text="Hur nöjd är du med kursen som helhet?",
            low_label="Inte alls nöjd",
            high_label="Mycket nöjd",
            is_indicator=True,
        ),
        Question(position=2, kind=QuestionKind.YES_NO, text="Skulle du rekommendera kursen?"),
        Question(
            position=3,
            kind=QuestionKind.CHOICE,
            text="Vilken träff var mest givande?",
            choices=[Choice(position=1, text="Den första"), Choice(position=2, text="Den sista")],
        ),
        Question(position=4, kind=QuestionKind.TEXT, text="Vad vill du säga till kursledarna?"),
    ]
    db.session.add(version)
    db.session.flush()
    return version


def survey_form(name: str = "Årsenkät", *, published: bool = True) -> FormVersion:
    """A survey form with the three indicator questions and a free text."""
    form = EvaluationForm(name=name, purpose=FormPurpose.SURVEY)
    version = FormVersion(
        form=form, number=1, published_at=clock.now() - timedelta(days=30) if published else None
    )
    version.questions = [
        Question(
            position=n,
            kind=QuestionKind.RATING,
            text=text,
            low_label="Inte alls",
            high_label="Mycket",
            is_indicator=True,
        )
        for n, text in enumerate(SURVEY_INDICATORS, start=1)
    ]
    version.questions.append(Question(position=9, kind=QuestionKind.TEXT, text="Övriga synpunkter?"))
    db.session.add(version)
    db.session.flush()
    return version


def evaluation(
    version: FormVersion,
    *,
    run: Any = None,
    year: int | None = None,
    title: str = "",
    still_open: bool = False,
) -> Evaluation:
    """An evaluation of a run, or a year's survey: closed by the closing job, or still open.

    Results are shown only once an evaluation has closed, so a test that reads them needs a
    closed one (the default); `still_open` gives one that takes answers for 20 more days.
    """
    now = clock.now()
    found = Evaluation(
        version=version,
        run=run,
        survey_year=year,
        title=title or (run.title if run is not None else f"Årsenkät {year}"),
        opens_at=now - timedelta(days=1),
        closes_at=now + timedelta(days=20),
        remind_at=now + timedelta(days=7),
        closed_at=None if still_open else now,
        invited_count=0,
    )
    db.session.add(found)
    db.session.flush()
    return found


def answer(found: Evaluation, answers: dict[int, Any], *, may_quote: bool = False) -> Response:
    """One anonymous response: question position -> a number, a Choice's position ("c1") or a text."""
    by_position = {q.position: q for q in found.version.questions}
    response = Response(evaluation=found, answered_on=clock.now().date(), may_quote=may_quote)
    for position, value in answers.items():
        question = by_position[position]
        if question.kind == QuestionKind.TEXT:
            response.answers.append(Answer(question=question, text=value))
        elif question.kind == QuestionKind.CHOICE:
            response.answers.append(Answer(question=question, choice=question.choices[value - 1]))
        else:
            response.answers.append(Answer(question=question, value=value))
    db.session.add(response)
    db.session.flush()
    return response


def answer_course(
    found: Evaluation, ratings: list[int], *, text: str | None = None, may_quote: bool = False
) -> None:
    """One response per rating: the rating, "yes", the first choice, and the text if given."""
    for n, rating in enumerate(ratings):
        answers: dict[int, Any] = {1: rating, 2: 1, 3: 1}
        if text is not None:
            answers[4] = f"{text} {n + 1}"
        answer(found, answers, may_quote=may_quote)


def answer_survey(found: Evaluation, ratings: list[tuple[int, int, int]]) -> None:
    """One survey response per triple of indicator ratings."""
    for triple in ratings:
        answer(found, dict(enumerate(triple, start=1)))


def html(response: Any) -> str:
    """Return a response's text with the white space between tags taken out (rows read as one line)."""
    return re.sub(r">\s+<", "><", response.get_data(as_text=True))
