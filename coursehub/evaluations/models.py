"""Evaluation forms and their versions, the askings, who is invited, and the anonymous answers.

Anonymity is built into the tables (SECURITY.md, Privacy): a Response and its Answers hold no user,
no invitation and no token, only the date of answering; a Response's key is random, so the order of
the rows says nothing about who answered when. Who has answered (Invitation) is kept apart, only to
stop a second answer and to send one reminder, and is deleted when the evaluation closes.
"""

from __future__ import annotations

import enum
import secrets
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy import func, select
from sqlalchemy.orm import Mapped, mapped_column, relationship

from coursehub.accounts.models import User
from coursehub.courses.models import CourseRun, CourseType
from coursehub.db import Base, created_at_column, intpk, partial_index, str_enum

NAME_MAX = 120
TITLE_MAX = 200
QUESTION_MAX = 500
LABEL_MAX = 80
CHOICE_MAX = 200
TEXT_ANSWER_MAX = 4000  # characters of one free-text answer
RATING_LOW = 1
RATING_HIGH = 5
RESPONSE_KEY_LENGTH = 32
UNCOUNTED = "response_count IS NULL"  # the partial indexes' conditions (Evaluation)
SURVEYS = "survey_year IS NOT NULL"


class FormPurpose(enum.StrEnum):
    COURSE = "course"  # a course evaluation, asked when a run ends
    SURVEY = "survey"  # the yearly survey of the networks and the steering group


class QuestionKind(enum.StrEnum):
    RATING = "rating"  # 1-5 with labelled ends
    YES_NO = "yes_no"
    CHOICE = "choice"  # one of the question's choices
    TEXT = "text"  # free text


class EvaluationForm(Base):
    """A named form; what is asked lives in its versions."""

    __tablename__ = "evaluation_forms"

    id: Mapped[intpk]
    name: Mapped[str] = mapped_column(sa.String(NAME_MAX), unique=True)
    purpose: Mapped[FormPurpose] = mapped_column(str_enum(FormPurpose, "evaluation_form_purpose"))
    created_at: Mapped[datetime] = created_at_column()

    versions: Mapped[list[FormVersion]] = relationship(
        back_populates="form", cascade="all, delete-orphan", order_by="FormVersion.number"
    )

    def __repr__(self) -> str:
        return f"<EvaluationForm {self.id}>"


class FormVersion(Base):
    """One version of a form: a draft is edited, a published version never changes."""

    __tablename__ = "evaluation_form_versions"

    id: Mapped[intpk]
    form_id: Mapped[int] = mapped_column(sa.ForeignKey("evaluation_forms.id", ondelete="CASCADE"))
    number: Mapped[int]  # 1, 2, 3 ... within the form
    created_at: Mapped[datetime] = created_at_column()
    published_at: Mapped[datetime | None]

    form: Mapped[EvaluationForm] = relationship(back_populates="versions")
    questions: Mapped[list[Question]] = relationship(
        back_populates="version",
        cascade="all, delete-orphan",
        order_by="(Question.position, Question.id)",
    )

    __table_args__ = (
        sa.UniqueConstraint("form_id", "number"),
        sa.CheckConstraint("number >= 1", name="number_positive"),
    )

    @property
    def is_published(self) -> bool:
        return self.published_at is not None

    def __repr__(self) -> str:
        return f"<FormVersion {self.id}>"


class Question(Base):
    """A question of a form version, in its place; a rating question may be the indicator."""

    __tablename__ = "evaluation_questions"

    id: Mapped[intpk]
    version_id: Mapped[int] = mapped_column(
        sa.ForeignKey("evaluation_form_versions.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(default=0)
    kind: Mapped[QuestionKind] = mapped_column(str_enum(QuestionKind, "evaluation_question_kind"))
    text: Mapped[str] = mapped_column(sa.String(QUESTION_MAX))
    is_required: Mapped[bool] = mapped_column(default=False)
    # The words at the two ends of a rating scale ("Inte alls nöjd" ... "Mycket nöjd").
    low_label: Mapped[str] = mapped_column(sa.String(LABEL_MAX), default="")
    high_label: Mapped[str] = mapped_column(sa.String(LABEL_MAX), default="")
    # A rating question whose top answer counts as "very satisfied" in the indicators.
    is_indicator: Mapped[bool] = mapped_column(default=False)

    version: Mapped[FormVersion] = relationship(back_populates="questions")
    choices: Mapped[list[Choice]] = relationship(
        back_populates="question", cascade="all, delete-orphan", order_by="(Choice.position, Choice.id)"
    )

    __table_args__ = (sa.CheckConstraint("NOT is_indicator OR kind = 'rating'", name="indicator_is_rating"),)

    def __repr__(self) -> str:
        return f"<Question {self.id}>"


class Choice(Base):
    """One of the answers a single-choice question offers."""

    __tablename__ = "evaluation_choices"

    id: Mapped[intpk]
    question_id: Mapped[int] = mapped_column(
        sa.ForeignKey("evaluation_questions.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(default=0)
    text: Mapped[str] = mapped_column(sa.String(CHOICE_MAX))

    question: Mapped[Question] = relationship(back_populates="choices")

    def __repr__(self) -> str:
        return f"<Choice {self.id}>"


class CourseTypeForm(Base):
    """The evaluation form a course type's runs are evaluated with (kept here: courses sits lower)."""

    __tablename__ = "evaluation_course_type_forms"

    course_type_id: Mapped[int] = mapped_column(
        sa.ForeignKey("course_types.id", ondelete="CASCADE"), primary_key=True
    )
    form_id: Mapped[int] = mapped_column(sa.ForeignKey("evaluation_forms.id", ondelete="CASCADE"), index=True)

    course_type: Mapped[CourseType] = relationship()
    form: Mapped[EvaluationForm] = relationship()


class Evaluation(Base):
    """One asking of a published form version: of a run's participants, or a year's survey."""

    __tablename__ = "evaluations"

    id: Mapped[intpk]
    version_id: Mapped[int] = mapped_column(sa.ForeignKey("evaluation_form_versions.id"), index=True)
    # A course evaluation has its run; a survey has its year. One evaluation per run.
    run_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("course_runs.id", ondelete="CASCADE"), unique=True
    )
    survey_year: Mapped[int | None]
    title: Mapped[str] = mapped_column(sa.String(TITLE_MAX))
    created_at: Mapped[datetime] = created_at_column()
    opens_at: Mapped[datetime]
    closes_at: Mapped[datetime]
    # When the one reminder is due, and when it went out.
    remind_at: Mapped[datetime]
    reminded_at: Mapped[datetime | None]
    # Set by the closing job, which also deletes the invitations (the answered list).
    closed_at: Mapped[datetime | None]
    # How many were invited: the response rate outlives the answered list.
    invited_count: Mapped[int] = mapped_column(default=0)
    # Counted by the closing job, when the answers can no longer change (`tallies` below): the
    # responses, the indicator answers giving the top of the scale, all indicator answers, and
    # the texts that may be quoted. None until then; the results pages count those still
    # uncounted from their answers.
    response_count: Mapped[int | None]
    indicator_top: Mapped[int | None]
    indicator_answered: Mapped[int | None]
    quote_count: Mapped[int | None]

    version: Mapped[FormVersion] = relationship()
    run: Mapped[CourseRun | None] = relationship()

    __table_args__ = (
        sa.CheckConstraint("run_id IS NOT NULL OR survey_year IS NOT NULL", name="run_or_year"),
        sa.CheckConstraint("closes_at > opens_at", name="closes_after_opening"),
        sa.CheckConstraint("invited_count >= 0", name="invited_not_negative"),
        sa.Index("ix_evaluations_open_closes_at", "closed_at", "closes_at"),
        sa.Index("ix_evaluations_open_remind_at", "reminded_at", "remind_at"),
        # The few the closing job has not counted yet (models.uncounted), and the one survey a
        # year (the survey list, its indicators over the years), each found without reading the
        # evaluation of every run ever held.
        partial_index(
            "ix_evaluations_uncounted",
            "id",
            where=UNCOUNTED,
        ),
        partial_index(
            "ix_evaluations_surveys",
            "survey_year",
            "id",
            where=SURVEYS,
        ),
    )

    def is_open(self, now: datetime) -> bool:
        """Return True while answers are taken."""
        return self.closed_at is None and self.opens_at <= now < self.closes_at

    def has_closed(self, now: datetime) -> bool:
        """Return True once no more answers are taken: closed by the job, or past its closing time.

        Results are read only then (queries_results): results read at 5 answers and again at 6
        would give away the sixth person's answers. `closed_clause` is the same rule in SQL.
        """
        return self.closed_at is not None or self.closes_at <= now

    @classmethod
    def closed_clause(cls, now: datetime) -> sa.ColumnElement[bool]:
        """Return SQL true for an evaluation that `has_closed(now)`."""
        return sa.or_(cls.closed_at.is_not(None), cls.closes_at <= now)

    def __repr__(self) -> str:
        return f"<Evaluation {self.id}>"


class Invitation(Base):
    """The answered list: who was asked, by which link (its hash), whether they answered."""

    __tablename__ = "evaluation_invitations"

    id: Mapped[intpk]
    evaluation_id: Mapped[int] = mapped_column(sa.ForeignKey("evaluations.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    # The reminder carries a link of its own (only hashes are kept, so the first cannot be sent
    # again); either link answers once.
    reminder_token_hash: Mapped[str | None] = mapped_column(sa.String(64), unique=True)
    created_at: Mapped[datetime] = created_at_column()
    answered_at: Mapped[datetime | None]
    reminded_at: Mapped[datetime | None]

    evaluation: Mapped[Evaluation] = relationship()
    user: Mapped[User] = relationship()

    __table_args__ = (sa.UniqueConstraint("evaluation_id", "user_id"),)

    def __repr__(self) -> str:
        return f"<Invitation {self.id}>"


def new_response_key() -> str:
    """Return a random key for a Response (insertion order must not show who answered when)."""
    return secrets.token_hex(RESPONSE_KEY_LENGTH // 2)


class Response(Base):
    """One anonymous set of answers: no user, no link, only the date."""

    __tablename__ = "evaluation_responses"

    id: Mapped[str] = mapped_column(
        sa.String(RESPONSE_KEY_LENGTH), primary_key=True, default=new_response_key
    )
    evaluation_id: Mapped[int] = mapped_column(
        sa.ForeignKey("evaluations.id", ondelete="CASCADE"), index=True
    )
    answered_on: Mapped[date] = mapped_column(sa.Date)
    may_quote: Mapped[bool] = mapped_column(default=False)  # "får citeras anonymt"

    evaluation: Mapped[Evaluation] = relationship()
    answers: Mapped[list[Answer]] = relationship(back_populates="response", cascade="all, delete-orphan")

    def __repr__(self) -> str:
        return f"<Response {self.id}>"


class Answer(Base):
    """The answer to one question: a number (rating 1-5, yes 1 / no 0), a choice, or a text."""

    __tablename__ = "evaluation_answers"

    response_id: Mapped[str] = mapped_column(
        sa.ForeignKey("evaluation_responses.id", ondelete="CASCADE"), primary_key=True
    )
    question_id: Mapped[int] = mapped_column(
        sa.ForeignKey("evaluation_questions.id"), primary_key=True, index=True
    )
    value: Mapped[int | None]
    choice_id: Mapped[int | None] = mapped_column(sa.ForeignKey("evaluation_choices.id"))
    text: Mapped[str | None] = mapped_column(sa.Text)

    response: Mapped[Response] = relationship(back_populates="answers")
    question: Mapped[Question] = relationship()
    choice: Mapped[Choice | None] = relationship()

    __table_args__ = (
        sa.CheckConstraint(
            "value IS NOT NULL OR choice_id IS NOT NULL OR text IS NOT NULL", name="has_an_answer"
        ),
        sa.CheckConstraint(f"value IS NULL OR value BETWEEN 0 AND {RATING_HIGH}", name="value_in_scale"),
    )

    def __repr__(self) -> str:
        return f"<Answer {self.response_id}:{self.question_id}>"


class IndicatorTally(Base):
    """One indicator question's figures in a closed evaluation, stored by the closing job beside
    the evaluation's own (`Evaluation.indicator_top`, `tallies` below): the answers giving the
    top of the scale and all its answers. The survey's indicators over the years read these, one
    row per year and question, not every answer of every year."""

    __tablename__ = "evaluation_indicator_tallies"

    evaluation_id: Mapped[int] = mapped_column(
        sa.ForeignKey("evaluations.id", ondelete="CASCADE"), primary_key=True
    )
    question_id: Mapped[int] = mapped_column(
        sa.ForeignKey("evaluation_questions.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    top: Mapped[int]
    answered: Mapped[int]

    __table_args__ = (sa.CheckConstraint("top >= 0 AND answered >= top", name="top_within_answered"),)

    def __repr__(self) -> str:
        return f"<IndicatorTally {self.evaluation_id}:{self.question_id}>"


# -- the tallies: an evaluation's figures, counted once when it closes ------------------------------


def is_text() -> sa.ColumnElement[bool]:
    """Return SQL true for an answer that is a written text."""
    return sa.and_(Answer.text.is_not(None), Answer.text != "")


def is_indicator_answer() -> sa.ColumnElement[bool]:
    """Return SQL true for an answer that counts for the indicator: a number given to an
    indicator question (its figures: `uncounted`, `indicator_counts`)."""
    return sa.and_(Question.is_indicator, Answer.value.is_not(None))


def is_quote() -> sa.ColumnElement[bool]:
    """Return SQL true for an answer that may be quoted: a text, in a response that allows it."""
    return sa.and_(Response.may_quote, is_text())


def uncounted(which: sa.ColumnElement[bool] | None = None) -> sa.Subquery:
    """Return a subquery of the figures of the evaluations the closing job has not counted yet
    (those still open, and those past their time before the job has run), counted from their
    answers: evaluation_id, responses, top, answered, quotes; an evaluation nobody answered has
    no row. Outer-join it on the evaluation and read the figures through `tallies`: the closed
    years' answers are not read again. `which` narrows the evaluations counted (those closed by
    now, for a reader that leaves open ones out; the surveys; those the closing job counts).

    A join rather than a correlated subquery per row: PostgreSQL's planner costs one of those as
    if run for every evaluation in the list, and past `jit_above_cost` it compiles the query
    first, for a quarter of a second.
    """
    indicator = is_indicator_answer()
    per_answer = (
        select(
            Answer.response_id,
            sa.case((indicator, Answer.value), else_=sa.null()).label("indicator_value"),
            sa.case((is_text(), 1), else_=0).label("has_text"),
        )
        .join(Question, Answer.question_id == Question.id)
        .subquery()
    )
    return (
        select(
            Response.evaluation_id.label("evaluation_id"),
            func.count(sa.distinct(Response.id)).label("responses"),
            func.coalesce(
                func.sum(sa.case((per_answer.c.indicator_value == RATING_HIGH, 1), else_=0)), 0
            ).label("top"),
            func.count(per_answer.c.indicator_value).label("answered"),
            func.coalesce(func.sum(sa.case((Response.may_quote, per_answer.c.has_text), else_=0)), 0).label(
                "quotes"
            ),
        )
        .join(Evaluation, Response.evaluation_id == Evaluation.id)
        .outerjoin(per_answer, per_answer.c.response_id == Response.id)
        .where(Evaluation.response_count.is_(None), sa.true() if which is None else which)
        .group_by(Response.evaluation_id)
        .subquery("uncounted")
    )


def indicator_counts(which: sa.ColumnElement[bool]) -> sa.Select[Any]:
    """Return a select of each indicator question's figures in the evaluations `which` selects,
    counted from their answers: evaluation_id, question_id, top, answered (`IndicatorTally`'s
    columns). A question nobody answered has no row."""
    return (
        select(
            Response.evaluation_id.label("evaluation_id"),
            Answer.question_id.label("question_id"),
            func.coalesce(func.sum(sa.case((Answer.value == RATING_HIGH, 1), else_=0)), 0).label("top"),
            func.count().label("answered"),
        )
        .join(Response, Answer.response_id == Response.id)
        .join(Question, Answer.question_id == Question.id)
        .join(Evaluation, Response.evaluation_id == Evaluation.id)
        .where(which, is_indicator_answer())
        .group_by(Response.evaluation_id, Answer.question_id)
    )


def indicator_tallies(which: sa.ColumnElement[bool]) -> sa.Subquery:
    """Return a subquery of each indicator question's figures in the evaluations `which` selects
    (`indicator_counts`' columns): as the closing job stored them, or counted from the answers of
    those it has not counted yet (`uncounted`'s few)."""
    stored = (
        select(
            IndicatorTally.evaluation_id,
            IndicatorTally.question_id,
            IndicatorTally.top,
            IndicatorTally.answered,
        )
        .join(Evaluation, IndicatorTally.evaluation_id == Evaluation.id)
        .where(which, Evaluation.response_count.is_not(None))
    )
    live = indicator_counts(sa.and_(which, Evaluation.response_count.is_(None)))
    return sa.union_all(stored, live).subquery("indicator_tallies")


def tallies(live: sa.Subquery) -> tuple[sa.ColumnElement[int], sa.ColumnElement[int], sa.ColumnElement[int]]:
    """Return SQL for an evaluation's responses, top indicator answers and indicator answers:
    as the closing job stored them, or as `live` (`uncounted()`, outer-joined) counts them now.

    A results page reads one row per evaluation, not every answer of every year behind it.
    """
    return (
        func.coalesce(Evaluation.response_count, live.c.responses, 0),
        func.coalesce(Evaluation.indicator_top, live.c.top, 0),
        func.coalesce(Evaluation.indicator_answered, live.c.answered, 0),
    )


def quote_tally(live: sa.Subquery) -> sa.ColumnElement[int]:
    """Return SQL for an evaluation's quotable texts, as `tallies` gives its other figures."""
    return func.coalesce(Evaluation.quote_count, live.c.quotes, 0)
