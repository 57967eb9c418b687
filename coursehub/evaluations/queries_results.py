"""Reads of evaluation results: counted in SQL, only of closed evaluations, hidden below the threshold.

Every function here runs a fixed number of queries whatever the number of answers: answers are
counted with GROUP BY (question and value, or evaluation), never loaded one by one. Comparisons
across evaluations read the figures the closing job stored on each (models.tallies), so they read
one row per evaluation and not the answers of every year. A selection
(a run, a course type, a half-year, a survey) with fewer answers than the threshold
(COURSEHUB_EVALUATION_MIN_ANSWERS) gives its count only, and the pages show no results for it.

Results come only from evaluations that have closed (`Evaluation.has_closed(now)`, in SQL
`Evaluation.closed_clause(now)`): results read at 5 answers and again at 6, while answers still
come in, would give away the sixth person's answers. An evaluation still open gives its count and
its closing time only; a selection of several (a half-year, a year's survey, the quotes) leaves
the open ones out. This is the one place that rule lives: every function here that reads answers
takes `now` and applies it (so does queries_figures, for the reports).
There is nothing per municipality here: answers carry none, and in small municipalities a
figure per municipality would point at people.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import ColumnElement, Select, func, select
from sqlalchemy.orm import selectinload

from coursehub.courses.models import CourseRun, CourseType
from coursehub.evaluations.models import (
    RATING_HIGH,
    RATING_LOW,
    Answer,
    Evaluation,
    Question,
    QuestionKind,
    Response,
    indicator_tallies,
    is_quote,
    quote_tally,
    tallies,
    uncounted,
)
from coursehub.extensions import db
from coursehub.lib.pagination import Page, page_number, paginate
from coursehub.lib.spans import Span, bucket, within
from coursehub.lib.terms import FIRST_YEAR, Half, Term, term_of

DEFAULT_MIN_ANSWERS = 5
QUOTES_PER_PAGE = 25


def min_answers() -> int:
    """Return the anonymity threshold: the fewest answers a selection needs to show results."""
    return int(current_app.config.get("COURSEHUB_EVALUATION_MIN_ANSWERS", DEFAULT_MIN_ANSWERS))


def share(part: int, whole: int) -> float | None:
    """Return part / whole, or None when there is nothing to divide."""
    return part / whole if whole else None


# -- one evaluation: a run's or a year's survey -------------------------------------------------


@dataclass(frozen=True)
class OptionCount:
    """How many chose one answer option of a question."""

    label: str
    count: int


@dataclass(frozen=True)
class QuestionResult:
    """One question's results: the distribution (or the free texts), and the indicator share."""

    id: int
    text: str
    kind: QuestionKind
    is_indicator: bool
    options: list[OptionCount] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)  # free texts, unattributed, in random order

    @property
    def answered(self) -> int:
        """Return how many answered this question."""
        return len(self.texts) if self.kind == QuestionKind.TEXT else sum(o.count for o in self.options)

    @property
    def very_satisfied(self) -> float | None:
        """Return the share giving the top answer, for an indicator question (else None)."""
        if not self.is_indicator or not self.options:
            return None
        return share(self.options[-1].count, self.answered)

    def option_share(self, option: OptionCount) -> float | None:
        """Return the share of this question's answers that chose `option`."""
        return share(option.count, self.answered)


@dataclass(frozen=True)
class EvaluationResults:
    """The results of one evaluation; `questions` is empty while it is open or too few have answered."""

    responses: int
    threshold: int
    questions: list[QuestionResult]
    is_open: bool = False  # still taking answers: results wait until it has closed

    @property
    def shown(self) -> bool:
        """Whether the evaluation has closed and enough have answered for results to be shown."""
        return not self.is_open and self.responses >= self.threshold


def option_labels(question: Question) -> list[tuple[str, Any]]:
    """Return (label, stored key) of each answer option of a question, in the form's order."""
    if question.kind == QuestionKind.RATING:
        labels = []
        for value in range(RATING_LOW, RATING_HIGH + 1):
            end = (
                question.low_label
                if value == RATING_LOW
                else question.high_label
                if value == RATING_HIGH
                else ""
            )
            labels.append((f"{value} – {end}" if end else str(value), value))
        return labels
    if question.kind == QuestionKind.YES_NO:
        return [(_("Ja"), 1), (_("Nej"), 0)]
    if question.kind == QuestionKind.CHOICE:
        return [(choice.text, choice.id) for choice in question.choices]
    return []


def _response_count(condition: ColumnElement[bool]) -> int:
    return db.session.scalar(select(func.count()).select_from(Response).where(condition)) or 0


def evaluation_results(
    evaluation: Evaluation, *, now: datetime, question_id: int | None = None
) -> EvaluationResults:
    """Return the results of one evaluation, or only its count while open or when too few have answered.

    Four queries when shown: the count, the questions (with their choices), the answers counted
    per question and value, and the free texts in random order. With `question_id` only that
    question (a chart) is read, and no free texts.
    """
    threshold = min_answers()
    in_evaluation = Response.evaluation_id == evaluation.id
    responses = _response_count(in_evaluation)
    if not evaluation.has_closed(now):
        return EvaluationResults(responses, threshold, [], is_open=True)
    if responses < threshold:
        return EvaluationResults(responses, threshold, [])
    questions_stmt = (
        select(Question)
        .where(Question.version_id == evaluation.version_id)
        .options(selectinload(Question.choices))
        .order_by(Question.position, Question.id)
    )
    if question_id is not None:
        questions_stmt = questions_stmt.where(Question.id == question_id)
    questions = list(db.session.scalars(questions_stmt))
    counts = _answer_counts(in_evaluation, question_id)
    texts = _free_texts(in_evaluation) if question_id is None else {}
    results = []
    for question in questions:
        options = [
            OptionCount(label, counts.get((question.id, key), 0)) for label, key in option_labels(question)
        ]
        results.append(
            QuestionResult(
                question.id,
                question.text,
                question.kind,
                question.is_indicator,
                options,
                texts.get(question.id, []),
            )
        )
    return EvaluationResults(responses, threshold, results)


def _answer_counts(in_selection: ColumnElement[bool], question_id: int | None) -> dict[tuple[int, Any], int]:
    """Count the answers of the selection per question and value (a choice's id for choices)."""
    key = sa.func.coalesce(Answer.choice_id, Answer.value)
    stmt = (
        select(Answer.question_id, key, func.count())
        .join(Response, Answer.response_id == Response.id)
        .where(in_selection, key.is_not(None))
        .group_by(Answer.question_id, key)
    )
    if question_id is not None:
        stmt = stmt.where(Answer.question_id == question_id)
    return {(qid, value): int(n) for qid, value, n in db.session.execute(stmt)}


def _free_texts(in_selection: ColumnElement[bool]) -> dict[int, list[str]]:
    """Return the free texts per question, each question's in its own random order.

    Random per row (not by the response's key), so that the n-th text of one question and the
    n-th of another cannot be told to come from the same person.
    """
    stmt = (
        select(Answer.question_id, Answer.text)
        .join(Response, Answer.response_id == Response.id)
        .where(in_selection, Answer.text.is_not(None), Answer.text != "")
        .order_by(func.random())
    )
    texts: dict[int, list[str]] = {}
    for qid, text in db.session.execute(stmt):
        texts.setdefault(qid, []).append(str(text))
    return texts


# -- comparisons: the runs of a course type, half-years -----------------------------------------


@dataclass(frozen=True)
class Figures:
    """Responses of a selection and its indicator answers (top answers of all indicator answers)."""

    label: str
    responses: int
    top: int
    indicator_answers: int
    threshold: int
    evaluation_id: int | None = None  # a run's row links to its results
    closes_at: datetime | None = None  # set on a run's row while its evaluation is still open

    @property
    def is_open(self) -> bool:
        """Whether this is a run whose evaluation still takes answers (its figures wait)."""
        return self.closes_at is not None

    @property
    def shown(self) -> bool:
        """Whether the evaluation has closed and enough have answered for the figures to be shown."""
        return not self.is_open and self.responses >= self.threshold

    @property
    def very_satisfied(self) -> float | None:
        """Return the share very satisfied, or None when hidden or no indicator was answered."""
        return share(self.top, self.indicator_answers) if self.shown else None


def _of_type(course_type_id: int | None) -> list[ColumnElement[bool]]:
    """The condition for the runs of one course type, or none for every type."""
    return [] if course_type_id is None else [CourseRun.course_type_id == course_type_id]


def _course_rows_stmt(
    course_type_id: int | None, now: datetime
) -> Select[int, str, datetime | None, int, int, int, bool, datetime]:
    """One row per evaluated run with its figures: stored at closing, one row each (models.tallies).
    An evaluation still open has none yet (0): its figures are not shown."""
    live = uncounted(Evaluation.closed_clause(now))
    responses, top, answered = tallies(live)
    return (
        select(
            Evaluation.id,
            CourseRun.title,
            CourseRun.starts_at,
            responses,
            top,
            answered,
            Evaluation.closed_clause(now),
            Evaluation.closes_at,
        )
        .join(CourseRun, Evaluation.run_id == CourseRun.id)
        .outerjoin(live, live.c.evaluation_id == Evaluation.id)
        .where(*_of_type(course_type_id))
    )


def runs_page(course_type_id: int, *, now: datetime, page: int, per_page: int = 25) -> Page:
    """Return a page of the course type's evaluated runs (Figures), the latest first.

    A run whose evaluation is still open gives no figures, only its closing time.
    """
    stmt = _course_rows_stmt(course_type_id, now).order_by(
        CourseRun.starts_at.desc().nulls_last(), CourseRun.id.desc()
    )
    result = paginate(stmt, page, per_page, scalars=False)
    threshold = min_answers()
    items = [
        Figures(title, int(n), int(top), int(answered), threshold, evaluation_id=eid)
        if closed
        else Figures(title, 0, 0, 0, threshold, evaluation_id=eid, closes_at=closes_at)
        for eid, title, _starts, n, top, answered, closed, closes_at in result.items
    ]
    return replace(result, items=items)


# The half-years a comparison page shows at a time: five years. The older ones are a link away,
# so that a page adds up the runs of ten half-years whatever the years of history behind them
# (issue 24); the exports hold every half-year.
TERMS_SHOWN = 10


@dataclass(frozen=True)
class TermsWindow:
    """Ten half-years of course evaluations (`TERMS_SHOWN`), as a comparison page shows them."""

    figures: list[Figures]  # the half-years that have evaluated runs, oldest first
    number: int  # 1: the ten up to the current half-year; 2: the ten before those; ...
    first: Term
    last: Term
    has_older: bool  # runs evaluated before `first`

    @property
    def has_newer(self) -> bool:
        return self.number > 1


def _window_terms(now: datetime, number: int) -> tuple[int, list[Term]]:
    """Return the window `number`, made to fit between 1 and the oldest window (terms begin in
    FIRST_YEAR), and its terms, oldest first: window 1 ends with the half-year `now` is in."""
    newest = term_of(now)
    reach = (newest.year - FIRST_YEAR) * 2 + (newest.half == Half.AUTUMN) + 1  # terms since FIRST_YEAR
    number = min(max(1, number), -(-reach // TERMS_SHOWN))
    last = newest
    for _step in range((number - 1) * TERMS_SHOWN):
        last = last.previous()
    terms = [last]
    while len(terms) < TERMS_SHOWN and terms[0] != Term(FIRST_YEAR, Half.SPRING):
        terms.insert(0, terms[0].previous())
    return number, terms


def terms_window(course_type_id: int | None = None, *, now: datetime, number: int = 1) -> TermsWindow:
    """Return ten half-years of the course evaluations (of a type, or all): window 1 the ten up
    to the current half-year, 2 the ten before them, and so on. Two queries: the half-years'
    sums (`_terms_sums`), and the latest run evaluated before the first of them, if any.

    A run that starts after the current half-year is in no window (the exports have it)."""
    number, terms = _window_terms(now, number)
    of_type = _of_type(course_type_id)
    # The latest evaluated run before the window: read back from its first half-year through the
    # runs' start index, one run and its evaluation. As an EXISTS, PostgreSQL was free to walk
    # the evaluations from the first made, past every run of the window, until one was older.
    older = (
        select(CourseRun.id)
        .join(Evaluation, Evaluation.run_id == CourseRun.id)
        .where(*of_type, CourseRun.starts_at < terms[0].starts_at)
        .order_by(CourseRun.starts_at.desc().nulls_last())  # the start index read backwards
        .limit(1)
    )
    has_older = db.session.scalar(older) is not None
    return TermsWindow(_terms_sums(of_type, terms, now), number, terms[0], terms[-1], has_older)


def terms_figures(course_type_id: int | None = None, *, now: datetime) -> list[Figures]:
    """Return the course evaluations of every half-year (of a type, or all), oldest first: the
    exports' table, which holds all the years. Two queries: the first and last half-year, then
    the sums per half-year. The pages show ten half-years at a time (`terms_window`)."""
    of_type = _of_type(course_type_id)
    first, last = db.session.execute(
        select(func.min(CourseRun.starts_at), func.max(CourseRun.starts_at))
        .join(Evaluation, Evaluation.run_id == CourseRun.id)
        .where(*of_type)
    ).one()
    if first is None or last is None:
        return []
    terms = [term_of(first)]
    while terms[-1] < term_of(last):
        terms.append(terms[-1].next())
    return _terms_sums(of_type, terms, now)


def _terms_sums(of_type: list[ColumnElement[bool]], terms: list[Term], now: datetime) -> list[Figures]:
    """Return the course evaluations per half-year of `terms`, of the runs `of_type` selects.

    A run counts in the half-year its first meeting is in; a half-year with an evaluated run has
    its row. Only runs whose evaluation has closed and reached the threshold are added up: a
    half-year's figure less the figures of its runs shown one by one would otherwise give away a
    run with too few answers, and a half-year's figure read before and after one more answer to
    an open run would give that answer away. The threshold then holds for each half-year's total.
    One query, of the runs that start in `terms` (lib.spans).
    """
    threshold = min_answers()
    spans = [Span(str(term), term.starts_at, term.ends_at) for term in terms]
    live = uncounted(Evaluation.closed_clause(now))
    responses, top, answered = tallies(live)
    per_run = (
        select(
            bucket(CourseRun.starts_at, spans).label("term"),
            sa.and_(Evaluation.closed_clause(now), responses >= threshold).label("counted"),
            responses.label("n"),
            top.label("top"),
            answered.label("answered"),
        )
        .join(CourseRun, Evaluation.run_id == CourseRun.id)
        .outerjoin(live, live.c.evaluation_id == Evaluation.id)
        .where(*of_type, within(CourseRun.starts_at, spans))
        .subquery()
    )

    def counted_sum(column: Any) -> Any:
        return func.coalesce(func.sum(sa.case((per_run.c.counted, column), else_=0)), 0)

    rows = db.session.execute(
        select(
            per_run.c.term,
            counted_sum(per_run.c.n),
            counted_sum(per_run.c.top),
            counted_sum(per_run.c.answered),
        ).group_by(per_run.c.term)
    )
    sums = {str(key): (int(n), int(top_n), int(answered_n)) for key, n, top_n, answered_n in rows}
    return [Figures(term.label, *sums[str(term)], threshold) for term in terms if str(term) in sums]


def course_types_evaluated() -> list[CourseType]:
    """Return the course types that have at least one evaluated run, by name.

    Each type's runs are read until the first with an evaluation (LIMIT 1: nearly every run has
    one, so a handful each). As an EXISTS, PostgreSQL built a hash of every run of each type
    and probed it with the evaluations (national set: 833 runs a type, hashed six times)."""
    first_evaluated = (
        select(Evaluation.id)
        .join(CourseRun, Evaluation.run_id == CourseRun.id)
        .where(CourseRun.course_type_id == CourseType.id)
        .limit(1)
        .correlate(CourseType)
        .scalar_subquery()
    )
    return list(
        db.session.scalars(select(CourseType).where(first_evaluated.is_not(None)).order_by(CourseType.name))
    )


# -- the yearly survey ---------------------------------------------------------------------------


@dataclass(frozen=True)
class SurveyYear:
    """One year's survey: its responses and the share very satisfied on each indicator."""

    year: int
    responses: int
    threshold: int
    # Indicator question text -> (top answers, answers); a question's text names the indicator
    # across the years, since each form version has its own copy of its questions.
    indicators: dict[str, tuple[int, int]]

    @property
    def shown(self) -> bool:
        """Whether enough have answered for the year's figures to be shown."""
        return self.responses >= self.threshold

    def very_satisfied(self, indicator: str) -> float | None:
        """Return the share very satisfied on `indicator`, or None when hidden or not asked."""
        if not self.shown:
            return None
        top, answered = self.indicators.get(indicator, (0, 0))
        return share(top, answered)


@dataclass(frozen=True)
class SurveyTrend:
    """The yearly survey's indicators over the years, oldest year first."""

    indicators: list[str]
    years: list[SurveyYear]


def survey_trend(*, now: datetime) -> SurveyTrend:
    """Return the survey's indicators per year: two queries (responses, indicator answers).

    Only surveys that have closed count: a year whose survey is still open is left out. Both read
    the figures the closing job stored, one row per survey and one per survey and indicator
    question (models.tallies, models.indicator_tallies), and count from the answers only a survey
    past its closing time that the job has not counted yet: not every answer of every year.
    """
    is_survey = sa.and_(Evaluation.survey_year.is_not(None), Evaluation.closed_clause(now))
    live = uncounted(is_survey)
    responses = tallies(live)[0]
    per_year = db.session.execute(
        select(Evaluation.survey_year, func.sum(responses))
        .outerjoin(live, live.c.evaluation_id == Evaluation.id)
        .where(is_survey)
        .group_by(Evaluation.survey_year)
        .having(func.sum(responses) > 0)  # a year nobody answered has no row, as before any answer
    ).all()
    figures = indicator_tallies(is_survey)
    rows = db.session.execute(
        select(
            Evaluation.survey_year,
            Question.text,
            func.min(Question.position),
            func.sum(figures.c.top),
            func.sum(figures.c.answered),
        )
        .select_from(figures)
        .join(Evaluation, figures.c.evaluation_id == Evaluation.id)
        .join(Question, figures.c.question_id == Question.id)
        .group_by(Evaluation.survey_year, Question.text)
    ).all()
    threshold = min_answers()
    by_year: dict[int, dict[str, tuple[int, int]]] = {}
    order: dict[str, tuple[int, int]] = {}  # indicator -> (latest year, its position): the newest order
    for year, text, position, top_n, n in rows:
        by_year.setdefault(year, {})[text] = (int(top_n), int(n))
        if text not in order or year > order[text][0]:
            order[text] = (year, position)
    indicators = sorted(order, key=lambda text: (-order[text][0], order[text][1]))
    counts = {int(year): int(n) for year, n in per_year if year is not None}
    years = [SurveyYear(year, counts[year], threshold, by_year.get(year, {})) for year in sorted(counts)]
    return SurveyTrend(indicators, years)


@dataclass(frozen=True)
class SurveyRow:
    """A yearly survey in the staff's list."""

    evaluation: Evaluation
    responses: int


def surveys_page(*, page: int, per_page: int = 25) -> Page:
    """Return a page of the yearly surveys, the latest year first, with their response counts."""
    # Only the number of responses: the stored one, or for this year's survey its responses
    # counted (a few hundred rows by their index; `uncounted` would read their answers too).
    counted = (
        select(func.count())
        .where(Response.evaluation_id == Evaluation.id)
        .correlate(Evaluation)
        .scalar_subquery()
    )
    stmt = (
        select(Evaluation, func.coalesce(Evaluation.response_count, counted))
        .where(Evaluation.survey_year.is_not(None))
        .order_by(Evaluation.survey_year.desc(), Evaluation.id.desc())
    )
    result = paginate(stmt, page, per_page, scalars=False)
    items = [SurveyRow(evaluation, int(n)) for evaluation, n in result.items]
    return replace(result, items=items)


# -- quotable free texts -------------------------------------------------------------------------


@dataclass(frozen=True)
class Quote:
    """A free text its writer let be quoted anonymously, with what it answered."""

    source: str  # the evaluation's title
    question: str
    text: str


def quotes_page(*, now: datetime, page: int, per_page: int = QUOTES_PER_PAGE) -> Page:
    """Return a page of quotable free texts from closed evaluations with enough answers.

    Ordered by evaluation (latest first), question, then the text itself: the alphabet says
    nothing about who wrote what, and a page number keeps its meaning between visits.

    Three queries, none reading the texts of the years behind the page: the number of texts
    (each evaluation's `quote_count`, models.tallies), the evaluations the page's texts are in
    (a running sum of those counts), then those evaluations' texts.
    """
    live = uncounted(Evaluation.closed_clause(now))
    quotes = quote_tally(live)
    newest_first = (Evaluation.closes_at.desc(), Evaluation.id.desc())
    quoted = (
        select(
            Evaluation.id.label("id"),
            quotes.label("quotes"),
            (func.sum(quotes).over(order_by=newest_first) - quotes).label("before"),
        )
        .outerjoin(live, live.c.evaluation_id == Evaluation.id)
        .where(Evaluation.closed_clause(now), tallies(live)[0] >= min_answers(), quotes > 0)
        .subquery()
    )
    total = int(db.session.scalar(select(func.coalesce(func.sum(quoted.c.quotes), 0))) or 0)
    page = page_number(page, total, per_page)
    first = (page - 1) * per_page
    spanned = db.session.execute(
        select(quoted.c.id, quoted.c.before)
        .where(quoted.c.before < first + per_page, quoted.c.before + quoted.c.quotes > first)
        .order_by(quoted.c.before)
    ).all()
    rows: list[Any] = []
    if spanned:
        rows = list(
            db.session.execute(
                select(Evaluation.title, Question.text, Answer.text)
                .select_from(Answer)
                .join(Response, Answer.response_id == Response.id)
                .join(Evaluation, Response.evaluation_id == Evaluation.id)
                .join(Question, Answer.question_id == Question.id)
                .where(Evaluation.id.in_([eid for eid, _before in spanned]), is_quote())
                .order_by(*newest_first, Question.position, Question.id, Answer.text)
                .offset(first - int(spanned[0].before))
                .limit(per_page)
            )
        )
    items = [Quote(source, question, text) for source, question, text in rows]
    return Page(items=items, page=page, per_page=per_page, total=total)
