"""The course evaluations' indicator over a series of periods, for the reports, in one query.

As in queries_results.terms_figures, a run counts in the period its first meeting is in, and only
runs whose own evaluation has closed and reached the anonymity threshold are added up: a period's
figure less the figures of its runs shown one by one must not give away a run with too few
answers, and a figure read before and after one more answer to an evaluation still open must not
give that answer away (the answers of open evaluations are counted apart). Answers carry
no municipality, so there is no split per municipality; a scope narrower than the county counts
the runs aimed only at that scope's municipalities (the run's audience), never the answerers'.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy import func, select

from coursehub.accounts.models import county_part_municipalities
from coursehub.courses.models import CourseRun, run_county_parts, run_municipalities
from coursehub.evaluations.models import Evaluation, tallies, uncounted
from coursehub.evaluations.queries_results import min_answers
from coursehub.extensions import db
from coursehub.lib.spans import Span, bucket, within


@dataclass(frozen=True)
class IndicatorTotals:
    """A period's course evaluations: answers counted and kept back, and the indicator's answers."""

    responses: int  # answers of the closed runs that reached the threshold (the counted ones)
    kept_back: int  # answers of closed evaluations below the threshold (counted nowhere)
    top: int  # indicator answers giving the top of the scale, in the counted runs
    indicator_answers: int  # indicator answers in the counted runs
    threshold: int
    still_open: int = 0  # answers of evaluations still open (counted once they have closed)

    @property
    def answered(self) -> bool:
        """Whether anyone answered a course evaluation of the period at all."""
        return self.responses + self.kept_back + self.still_open > 0

    @property
    def shown(self) -> bool:
        """Whether the indicator has enough answers to be shown."""
        return self.indicator_answers >= self.threshold

    @property
    def very_satisfied(self) -> float | None:
        """Return the share giving the top answer, or None when kept back or nothing to count."""
        return self.top / self.indicator_answers if self.shown else None


@dataclass(frozen=True)
class PeriodIndicator:
    """One period's totals: over every run, and over the runs aimed at the scope (the same for the county)."""

    all_runs: IndicatorTotals
    in_scope: IndicatorTotals


def _aimed_within(municipality_ids: Sequence[int]) -> sa.ColumnElement[bool]:
    """Return SQL true for a run whose audience is chosen municipalities, all of them in `ids`.

    A run open to the whole county is aimed at no narrower scope; nor is one whose audience
    reaches outside it (its answers could come from anywhere in that audience).
    """
    ids = list(municipality_ids)
    named = run_municipalities.c
    parts = run_county_parts.join(
        county_part_municipalities,
        county_part_municipalities.c.county_part_id == run_county_parts.c.county_part_id,
    )

    def audience(inside: bool) -> sa.ColumnElement[bool]:
        direct = select(named.run_id).where(
            named.run_id == CourseRun.id,
            named.municipality_id.in_(ids) if inside else named.municipality_id.not_in(ids),
        )
        member = county_part_municipalities.c.municipality_id
        via_parts = (
            select(run_county_parts.c.run_id)
            .select_from(parts)
            .where(
                run_county_parts.c.run_id == CourseRun.id, member.in_(ids) if inside else member.not_in(ids)
            )
        )
        return sa.or_(direct.exists(), via_parts.exists())

    return sa.and_(CourseRun.is_open_to_all.is_(False), audience(True), sa.not_(audience(False)))


def course_indicator_by_period(
    spans: Sequence[Span], *, municipality_ids: Sequence[int] | None, now: datetime
) -> list[PeriodIndicator]:
    """Return per span of `spans` the course evaluations' indicator totals: one query.

    `municipality_ids` None is the county (every run); otherwise `in_scope` holds the runs aimed
    only at those municipalities, and `all_runs` every run, for comparison. Evaluations still
    open at `now` give only their number of answers (`still_open`).
    """
    threshold = min_answers()
    live = uncounted()
    responses, top, answered = tallies(live)  # stored when each closed: one row per run
    per_run = (
        select(
            bucket(CourseRun.starts_at, spans).label("period"),
            (sa.true() if municipality_ids is None else _aimed_within(municipality_ids)).label("in_scope"),
            responses.label("n"),
            top.label("top"),
            answered.label("answered"),
            Evaluation.closed_clause(now).label("closed"),
        )
        .select_from(Evaluation)
        .join(CourseRun, Evaluation.run_id == CourseRun.id)
        .outerjoin(live, live.c.evaluation_id == Evaluation.id)
        .where(within(CourseRun.starts_at, spans))
        .subquery()
    )
    closed = per_run.c.closed.is_(True)
    counted = sa.and_(closed, per_run.c.n >= threshold)
    kept_back = sa.and_(closed, per_run.c.n < threshold)

    def counted_sum(column: Any, when: Any) -> Any:
        return func.coalesce(func.sum(sa.case((when, column), else_=0)), 0)

    rows = db.session.execute(
        select(
            per_run.c.period,
            per_run.c.in_scope,
            counted_sum(per_run.c.n, counted),
            counted_sum(per_run.c.n, kept_back),
            counted_sum(per_run.c.top, counted),
            counted_sum(per_run.c.answered, counted),
            counted_sum(per_run.c.n, sa.not_(closed)),
        )
        .where(per_run.c.period.is_not(None))
        .group_by(per_run.c.period, per_run.c.in_scope)
    ).all()
    sums: dict[tuple[str, bool], tuple[int, int, int, int, int]] = {
        (str(period), bool(in_scope)): (int(n), int(kept), int(top), int(answered), int(still_open))
        for period, in_scope, n, kept, top, answered, still_open in rows
    }
    result = []
    for span in spans:
        mine = sums.get((span.key, True), (0, 0, 0, 0, 0))
        other = sums.get((span.key, False), (0, 0, 0, 0, 0))
        in_scope = IndicatorTotals(mine[0], mine[1], mine[2], mine[3], threshold, still_open=mine[4])
        both = [a + b for a, b in zip(mine, other, strict=True)]
        every_run = IndicatorTotals(both[0], both[1], both[2], both[3], threshold, still_open=both[4])
        result.append(PeriodIndicator(every_run, in_scope))
    return result
