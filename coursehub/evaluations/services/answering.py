"""Answering by a personal link: check every answer, store them without a name, once per link."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import or_, select, update

from coursehub import clock
from coursehub.evaluations.errors import AnswersInvalidError, LinkUnusableError
from coursehub.evaluations.models import (
    RATING_HIGH,
    RATING_LOW,
    TEXT_ANSWER_MAX,
    Answer,
    Evaluation,
    Invitation,
    Question,
    QuestionKind,
    Response,
)
from coursehub.evaluations.services.asking import hash_token
from coursehub.extensions import db

logger = logging.getLogger(__name__)

FIELD_PREFIX = "q"  # the answer to question 12 is posted as q12
YES, NO = "ja", "nej"
TOKEN_MAX = 100  # a real token is 43 characters; anything far longer is not one


def field_name(question: Question) -> str:
    """Return the name a question's answer is posted under."""
    return f"{FIELD_PREFIX}{question.id}"


@dataclass(frozen=True)
class Parsed:
    """One checked answer, ready to store."""

    question: Question
    value: int | None = None
    choice_id: int | None = None
    text: str | None = None


def usable_invitation(token: str, *, now: datetime) -> Invitation | None:
    """Return the invitation of a link that may still answer; None for a used, closed or forged one."""
    if not token or len(token) > TOKEN_MAX:
        return None
    hashed = hash_token(token)
    invitation = db.session.scalar(
        select(Invitation).where(
            or_(Invitation.token_hash == hashed, Invitation.reminder_token_hash == hashed)
        )
    )
    if invitation is None or invitation.answered_at is not None:
        return None
    return invitation if invitation.evaluation.is_open(now) else None


def _parse_one(question: Question, raw: str) -> Parsed | str | None:
    """Return the parsed answer, an error message, or None for no answer."""
    raw = raw.strip()
    if question.kind == QuestionKind.TEXT:
        if len(raw) > TEXT_ANSWER_MAX:
            return str(
                _("Svaret får vara högst %(max)d tecken; ert är %(n)d.", max=TEXT_ANSWER_MAX, n=len(raw))
            )
        return Parsed(question, text=raw) if raw else None
    if not raw:
        return None
    if question.kind == QuestionKind.RATING:
        if not raw.isdigit() or not RATING_LOW <= int(raw) <= RATING_HIGH:
            return str(_("Välj ett värde från %(low)d till %(high)d.", low=RATING_LOW, high=RATING_HIGH))
        return Parsed(question, value=int(raw))
    if question.kind == QuestionKind.YES_NO:
        if raw not in (YES, NO):
            return str(_("Välj ja eller nej."))
        return Parsed(question, value=1 if raw == YES else 0)
    choices = {str(choice.id): choice.id for choice in question.choices}
    if raw not in choices:
        return str(_("Välj ett av svarsalternativen."))
    return Parsed(question, choice_id=choices[raw])


def check_answers(questions: list[Question], posted: Mapping[str, str]) -> list[Parsed]:
    """Check posted answers against the version's questions; raise with a message per field."""
    errors: dict[str, str] = {}
    known = {field_name(q) for q in questions}
    strays = [k for k in posted if k.startswith(FIELD_PREFIX) and k[1:].isdigit() and k not in known]
    if strays:
        errors[""] = _("Svaret innehöll en fråga som inte hör till den här utvärderingen. Försök igen.")
    parsed: list[Parsed] = []
    for question in questions:
        outcome = _parse_one(question, posted.get(field_name(question), ""))
        if isinstance(outcome, str):
            errors[field_name(question)] = outcome
        elif outcome is None and question.is_required:
            errors[field_name(question)] = _("Svara på frågan.")
        elif outcome is not None:
            parsed.append(outcome)
    if errors:
        raise AnswersInvalidError(_("Svaren kunde inte sparas. Se meddelandena vid frågorna."), errors=errors)
    return parsed


def submit_answers(token: str, posted: Mapping[str, str], *, may_quote: bool, now: datetime) -> Response:
    """Store one anonymous response for a link, once: a second submit of the link is refused.

    The invitation is marked answered by a conditional UPDATE (only while unanswered): of two
    simultaneous submits one changes the row, the other finds nothing to change and stores nothing.
    """
    invitation = usable_invitation(token, now=now)
    if invitation is None:
        raise LinkUnusableError(_("Länken går inte att använda."))
    evaluation: Evaluation = invitation.evaluation
    parsed = check_answers(list(evaluation.version.questions), posted)
    marked = db.session.execute(
        update(Invitation)
        .where(Invitation.id == invitation.id, Invitation.answered_at.is_(None))
        .values(answered_at=now)
        .execution_options(synchronize_session=False)
    )
    if marked.rowcount != 1:  # type: ignore[attr-defined]
        raise LinkUnusableError(_("Länken går inte att använda."))
    response = Response(
        evaluation_id=evaluation.id, answered_on=clock.to_local(now).date(), may_quote=may_quote
    )
    response.answers = [
        Answer(question_id=p.question.id, value=p.value, choice_id=p.choice_id, text=p.text) for p in parsed
    ]
    db.session.add(response)
    db.session.flush()
    logger.info("evaluation answered evaluation=%s", evaluation.id)
    return response
