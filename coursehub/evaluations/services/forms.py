"""Staff build evaluation forms: a draft version is edited, publishing freezes it for good."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import select

from coursehub.courses.models import CourseType
from coursehub.evaluations.errors import EvaluationError
from coursehub.evaluations.models import (
    CHOICE_MAX,
    NAME_MAX,
    QUESTION_MAX,
    Choice,
    CourseTypeForm,
    EvaluationForm,
    FormPurpose,
    FormVersion,
    Question,
    QuestionKind,
)
from coursehub.extensions import db

logger = logging.getLogger(__name__)

MAX_CHOICES = 20


@dataclass(frozen=True)
class QuestionDetails:
    """What staff enter for one question."""

    kind: QuestionKind
    text: str
    is_required: bool = False
    low_label: str = ""
    high_label: str = ""
    is_indicator: bool = False
    choices: list[str] = field(default_factory=list)


def create_form(*, name: str, purpose: FormPurpose, actor: object, now: datetime) -> EvaluationForm:
    """Create a form with an empty draft version 1."""
    name = name.strip()
    if not name or len(name) > NAME_MAX:
        raise EvaluationError(_("Ange ett namn på högst %(n)d tecken.", n=NAME_MAX), field="name")
    if db.session.scalar(select(EvaluationForm.id).where(EvaluationForm.name == name)) is not None:
        raise EvaluationError(_("Det finns redan ett formulär med det namnet."), field="name")
    form = EvaluationForm(name=name, purpose=purpose, created_at=now)
    form.versions.append(FormVersion(number=1, created_at=now))
    db.session.add(form)
    db.session.flush()
    logger.info("evaluation form created form=%s", form.id)
    return form


def latest_version(form: EvaluationForm) -> FormVersion:
    """Return the form's newest version (a draft, or the last published one)."""
    return form.versions[-1]


def published_version(form: EvaluationForm) -> FormVersion | None:
    """Return the form's newest published version, the one new evaluations ask."""
    published = [v for v in form.versions if v.is_published]
    return published[-1] if published else None


def _draft(version: FormVersion) -> FormVersion:
    if version.is_published:
        raise EvaluationError(_("Versionen är publicerad och kan inte ändras. Gör ett nytt utkast."))
    return version


def _checked(details: QuestionDetails) -> QuestionDetails:
    text = details.text.strip()
    if not text or len(text) > QUESTION_MAX:
        raise EvaluationError(_("Skriv frågan, högst %(n)d tecken.", n=QUESTION_MAX), field="text")
    choices = [c.strip() for c in details.choices if c.strip()]
    if details.kind == QuestionKind.CHOICE:
        if len(choices) < 2 or len(choices) > MAX_CHOICES:
            raise EvaluationError(
                _("Ange mellan 2 och %(n)d svarsalternativ, ett per rad.", n=MAX_CHOICES), field="choices"
            )
        if any(len(c) > CHOICE_MAX for c in choices):
            raise EvaluationError(
                _("Ett svarsalternativ får vara högst %(n)d tecken.", n=CHOICE_MAX), field="choices"
            )
    else:
        choices = []
    if details.is_indicator and details.kind != QuestionKind.RATING:
        raise EvaluationError(_("Bara en skalfråga kan vara indikator."), field="is_indicator")
    is_rating = details.kind == QuestionKind.RATING
    return QuestionDetails(
        kind=details.kind,
        text=text,
        is_required=details.is_required,
        low_label=details.low_label.strip() if is_rating else "",
        high_label=details.high_label.strip() if is_rating else "",
        is_indicator=details.is_indicator,
        choices=choices,
    )


def _fill(question: Question, details: QuestionDetails) -> None:
    question.kind = details.kind
    question.text = details.text
    question.is_required = details.is_required
    question.low_label = details.low_label
    question.high_label = details.high_label
    question.is_indicator = details.is_indicator
    question.choices = [Choice(position=i, text=text) for i, text in enumerate(details.choices, start=1)]


def add_question(version: FormVersion, details: QuestionDetails, *, actor: object, now: datetime) -> Question:
    """Add a question at the end of a draft version."""
    _draft(version)
    details = _checked(details)
    question = Question(position=max((q.position for q in version.questions), default=0) + 1)
    _fill(question, details)
    version.questions.append(question)
    db.session.flush()
    logger.info("evaluation question added version=%s question=%s", version.id, question.id)
    return question


def update_question(
    question: Question, details: QuestionDetails, *, actor: object, now: datetime
) -> Question:
    """Change a question of a draft version (its choices are replaced)."""
    _draft(question.version)
    _fill(question, _checked(details))
    db.session.flush()
    logger.info("evaluation question changed question=%s", question.id)
    return question


def remove_question(question: Question, *, actor: object, now: datetime) -> FormVersion:
    """Remove a question from a draft version; return the version."""
    version = _draft(question.version)
    version.questions.remove(question)
    db.session.flush()
    logger.info("evaluation question removed version=%s", version.id)
    return version


def move_question(question: Question, *, up: bool, actor: object, now: datetime) -> Question:
    """Move a question of a draft one place up or down (nothing at either end)."""
    version = _draft(question.version)
    ordered = list(version.questions)
    index = ordered.index(question)
    other = index - 1 if up else index + 1
    if 0 <= other < len(ordered):
        ordered[index], ordered[other] = ordered[other], ordered[index]
        for position, each in enumerate(ordered, start=1):
            each.position = position
        db.session.flush()
        db.session.expire(version, ["questions"])
    logger.info("evaluation question moved question=%s", question.id)
    return question


def publish_version(version: FormVersion, *, actor: object, now: datetime) -> FormVersion:
    """Publish a draft: from now on it never changes, and new evaluations ask it."""
    _draft(version)
    if not version.questions:
        raise EvaluationError(_("Lägg till minst en fråga innan ni publicerar."))
    version.published_at = now
    db.session.flush()
    logger.info("evaluation form version published version=%s", version.id)
    return version


def new_draft(form: EvaluationForm, *, actor: object, now: datetime) -> FormVersion:
    """Start a new draft version as a copy of the last one (there is at most one draft)."""
    last = latest_version(form)
    if not last.is_published:
        raise EvaluationError(_("Formuläret har redan ett utkast."))
    draft = FormVersion(number=last.number + 1, created_at=now)
    for question in last.questions:
        copy = Question(position=question.position)
        _fill(
            copy,
            QuestionDetails(
                kind=question.kind,
                text=question.text,
                is_required=question.is_required,
                low_label=question.low_label,
                high_label=question.high_label,
                is_indicator=question.is_indicator,
                choices=[c.text for c in question.choices],
            ),
        )
        draft.questions.append(copy)
    form.versions.append(draft)
    db.session.flush()
    logger.info("evaluation form draft started form=%s version=%s", form.id, draft.id)
    return draft


def set_course_type_form(
    course_type: CourseType, form: EvaluationForm | None, *, actor: object, now: datetime
) -> CourseTypeForm | None:
    """Name the form a course type's runs are evaluated with (None: they are not evaluated)."""
    current = db.session.get(CourseTypeForm, course_type.id)
    if form is not None and form.purpose != FormPurpose.COURSE:
        raise EvaluationError(_("Välj ett formulär för kursutvärderingar."), field="form_id")
    if form is None:
        if current is not None:
            db.session.delete(current)
        db.session.flush()
        logger.info("course type form removed type=%s", course_type.id)
        return None
    if current is None:
        current = CourseTypeForm(course_type_id=course_type.id, form_id=form.id)
        db.session.add(current)
    else:
        current.form_id = form.id
    db.session.flush()
    logger.info("course type form set type=%s form=%s", course_type.id, form.id)
    return current
