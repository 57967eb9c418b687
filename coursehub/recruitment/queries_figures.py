"""The steering group's recruitment figures, per half-year and per municipality (issue 21, point 7).

Every figure is one aggregate query over the whole period, grouped by half-year (and by
municipality), so `figures` runs the same eleven queries for one half-year or for ten years:

- registrations: interest registrations that came in (by the time they came in, and the family's
  municipality), and the total since the start up to each half-year's end;
- presentable: families judged possible to present — cases that reached step 6, Presentation
  (by when they reached it, once per case);
- requests, offers and matches: by when they were made, and the requesting municipality;
- median days in each step: from entering a step to leaving it, for the stays that ended in the
  half-year (an open case still in its step does not count yet);
- past the deadline: cases registered in the half-year whose first contact came after the
  deadline day, or has not come and the deadline day has passed while the case was open (a
  family that withdrew before its deadline does not count; days in UTC);
- registrations per channel: where the families heard of the resource.

A half-year is Stockholm's (lib.terms): the bucket of a moment is chosen in SQL by comparing it
with the terms' bounds, the same on SQLite and PostgreSQL.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy import ColumnElement, and_, func, literal, or_, select
from sqlalchemy.orm import aliased

from coursehub.accounts.models import Municipality
from coursehub.clock import to_local
from coursehub.extensions import db
from coursehub.lib.database import is_postgres
from coursehub.lib.spans import Span, bucket, of_ids, per_span, within
from coursehub.lib.terms import Term
from coursehub.recruitment.models import Case, Channel, Match, Offer, Request, Step, StepChange

# Ten years and a little more; a longer period is asked for in parts.
MAX_TERMS = 24
COUNTS = ("registrations", "presentable", "requests", "offers", "matches", "past_deadline")


@dataclass
class TermFigures:
    """The figures of one half-year for the whole region."""

    term: Term
    registrations: int = 0
    registrations_total: int = 0  # since the start, up to the end of this half-year
    presentable: int = 0
    requests: int = 0
    offers: int = 0
    matches: int = 0
    past_deadline: int = 0
    median_days: dict[Step, float] = field(default_factory=dict)
    channels: dict[str, int] = field(default_factory=dict)


@dataclass
class MunicipalityFigures:
    """The figures of one municipality in one half-year (only municipalities with something)."""

    term: Term
    municipality_id: int
    municipality: str
    registrations: int = 0
    presentable: int = 0
    requests: int = 0
    offers: int = 0
    matches: int = 0
    past_deadline: int = 0
    median_days: dict[Step, float] = field(default_factory=dict)


@dataclass
class Figures:
    """The figures of a period: per half-year, and per municipality and half-year."""

    terms: list[TermFigures]
    municipalities: list[MunicipalityFigures]

    def term(self, term: Term) -> TermFigures:
        """Return the figures of one half-year of the period."""
        return next(row for row in self.terms if row.term == term)

    def of(self, term: Term, municipality_id: int) -> MunicipalityFigures | None:
        """Return one municipality's figures in one half-year, or None when it had none."""
        return next(
            (r for r in self.municipalities if r.term == term and r.municipality_id == municipality_id),
            None,
        )


def terms_between(first: Term, last: Term) -> list[Term]:
    """Return the half-years from `first` to `last`, both included (at most MAX_TERMS)."""
    terms = [first]
    while terms[-1] < last and len(terms) < MAX_TERMS:
        terms.append(terms[-1].next())
    return terms


def spans_of(terms: Sequence[Term]) -> list[Span]:
    """Return the half-years as spans keyed "2026-HT"."""
    return [Span(str(term), term.starts_at, term.ends_at) for term in terms]


def _grouped(term_col: ColumnElement[Any], municipality_col: Any, value: Any, stmt: Any) -> dict:
    """Run `stmt` (already joined and filtered) grouped by half-year and municipality."""
    rows = db.session.execute(
        stmt.add_columns(term_col.label("term"), municipality_col.label("m"), value.label("n")).group_by(
            term_col, municipality_col
        )
    ).all()
    return {(row.term, row.m): int(row.n) for row in rows}


def _counts(spans: Sequence[Span], now: datetime) -> dict[str, dict[tuple[str, int], int]]:
    """Each count per (half-year, municipality): six queries."""
    registered = bucket(Case.registered_at, spans)
    counts: dict[str, dict[tuple[str, int], int]] = {}
    counts["registrations"] = _grouped(
        registered,
        Case.municipality_id,
        func.count(Case.id),
        select().select_from(Case).where(within(Case.registered_at, spans)),
    )
    reached = bucket(StepChange.at, spans)
    counts["presentable"] = _grouped(
        reached,
        Case.municipality_id,
        func.count(sa.distinct(StepChange.case_id)),
        select()
        .select_from(StepChange)
        .join(Case, Case.id == StepChange.case_id)
        .where(StepChange.to_step == Step.PRESENTATION, within(StepChange.at, spans)),
    )
    counts["requests"] = _grouped(
        bucket(Request.created_at, spans),
        Request.municipality_id,
        func.count(Request.id),
        select().select_from(Request).where(within(Request.created_at, spans)),
    )
    counts["offers"] = _grouped(
        bucket(Offer.offered_at, spans),
        Request.municipality_id,
        func.count(Offer.id),
        select()
        .select_from(Offer)
        .join(Request, Request.id == Offer.request_id)
        .where(within(Offer.offered_at, spans)),
    )
    counts["matches"] = _grouped(
        bucket(Match.matched_at, spans),
        Match.municipality_id,
        func.count(Match.id),
        select().select_from(Match).where(within(Match.matched_at, spans)),
    )
    counts["past_deadline"] = _grouped(
        registered,
        Case.municipality_id,
        func.count(Case.id),
        select().select_from(Case).where(within(Case.registered_at, spans), _late_first_contact(now)),
    )
    return counts


def _utc_day(moment: Any) -> ColumnElement[Any]:
    """The UTC calendar day of a stored moment, comparable with a date column."""
    if is_postgres():
        return sa.cast(func.timezone("UTC", moment), sa.Date)
    return func.date(moment)


def _late_first_contact(now: datetime) -> ColumnElement[bool]:
    """A case that waited past its deadline day: for its first contact, or until it ended without one."""
    waited_until = func.coalesce(Case.first_contact_at, Case.closed_at, Case.withdrawn_at)
    today = to_local(now).date()
    return or_(
        and_(waited_until.is_(None), Case.first_contact_due_on < today),
        and_(waited_until.is_not(None), _utc_day(waited_until) > Case.first_contact_due_on),
    )


def _days_between(start: Any, end: Any) -> ColumnElement[Any]:
    if is_postgres():
        return func.extract("epoch", end - start) / 86400.0
    return func.julianday(end) - func.julianday(start)


def _medians(
    spans: Sequence[Span], *, by_municipality: bool, municipality_ids: Sequence[int] | None = None
) -> dict[tuple[str, int, Step], float]:
    """The median days of a stay in each step, per half-year (and municipality): one query.

    A stay runs from a step change to the case's next one; the median is taken in SQL (the
    middle row, or the mean of the two middle rows, by row_number over the stays sorted).
    With `municipality_ids`, only the cases of families living in those municipalities count.
    """
    changed = aliased(StepChange)
    left_at = func.lead(StepChange.at).over(
        partition_by=StepChange.case_id, order_by=(StepChange.at, StepChange.id)
    )
    stays = (
        select(
            StepChange.to_step.label("step"),
            StepChange.at.label("entered_at"),
            left_at.label("left_at"),
            Case.municipality_id.label("m"),
        )
        .join(Case, Case.id == StepChange.case_id)
        .where(
            of_ids(Case.municipality_id, municipality_ids),
            # Only the changes that can end a stay in the spans, or begin one: those of cases
            # changed within the spans, up to the spans' end. Without this every change of every
            # year is sorted for lead() (104,000 at national scale, a quarter of them needed).
            StepChange.case_id.in_(select(changed.case_id).where(within(changed.at, spans))),
            StepChange.at < spans[-1].ends_at,
        )
        .subquery()
    )
    term_col = bucket(stays.c.left_at, spans)
    m_col = stays.c.m if by_municipality else literal(0)
    durations = (
        select(
            term_col.label("term"),
            m_col.label("m"),
            stays.c.step,
            _days_between(stays.c.entered_at, stays.c.left_at).label("days"),
        )
        .where(stays.c.left_at.is_not(None), within(stays.c.left_at, spans))
        .subquery()
    )
    groups = (durations.c.term, durations.c.m, durations.c.step)
    if is_postgres():
        # One ordered-set aggregate per group instead of two window functions over every stay:
        # the lower middle value (ascending) and the upper one (descending), averaged.
        lower = func.percentile_disc(0.5).within_group(durations.c.days)
        upper = func.percentile_disc(0.5).within_group(durations.c.days.desc())
        medians = db.session.execute(select(*groups, (lower + upper) / 2).group_by(*groups)).all()
        return {(term, int(m), Step(step)): round(float(days), 1) for term, m, step, days in medians}
    ranked = select(
        durations.c.term,
        durations.c.m,
        durations.c.step,
        durations.c.days,
        func.row_number().over(partition_by=groups, order_by=durations.c.days).label("rn"),
        func.count().over(partition_by=groups).label("n"),
    ).subquery()
    middle = or_(ranked.c.rn == (ranked.c.n + 1) // 2, ranked.c.rn == (ranked.c.n + 2) // 2)
    rows = db.session.execute(
        select(ranked.c.term, ranked.c.m, ranked.c.step, func.avg(ranked.c.days))
        .where(middle)
        .group_by(ranked.c.term, ranked.c.m, ranked.c.step)
    ).all()
    return {(term, int(m), Step(step)): round(float(days), 1) for term, m, step, days in rows}


def _channels(spans: Sequence[Span]) -> dict[str, dict[str, int]]:
    registered = bucket(Case.registered_at, spans)
    rows = db.session.execute(
        select(registered, Channel.name, func.count(Case.id))
        .select_from(Case)
        .outerjoin(Channel, Channel.id == Case.channel_id)
        .where(within(Case.registered_at, spans))
        .group_by(registered, Channel.name)
    ).all()
    result: dict[str, dict[str, int]] = defaultdict(dict)
    for term, name, n in rows:
        result[term][name or ""] = int(n)
    return result


def figures(first: Term, last: Term, *, now: datetime) -> Figures:
    """Return the recruitment figures of every half-year from `first` to `last` (eleven queries)."""
    terms = terms_between(first, last)
    spans = spans_of(terms)
    counts = _counts(spans, now)
    before = (
        db.session.scalar(select(func.count(Case.id)).where(Case.registered_at < terms[0].starts_at)) or 0
    )
    medians = _medians(spans, by_municipality=False)
    local_medians = _medians(spans, by_municipality=True)
    channels = _channels(spans)
    per_term = []
    running = before
    for term in terms:
        key = str(term)
        row = TermFigures(term=term, channels=channels.get(key, {}))
        for name in COUNTS:
            setattr(row, name, sum(n for (t, _m), n in counts[name].items() if t == key))
        running += row.registrations
        row.registrations_total = running
        row.median_days = {step: days for (t, _m, step), days in medians.items() if t == key}
        per_term.append(row)
    return Figures(per_term, _per_municipality(terms, counts, local_medians))


def _per_municipality(
    terms: list[Term],
    counts: dict[str, dict[tuple[str, int], int]],
    medians: dict[tuple[str, int, Step], float],
) -> list[MunicipalityFigures]:
    keys = {key for by_key in counts.values() for key in by_key} | {(t, m) for t, m, _s in medians}
    names = dict(
        db.session.execute(
            select(Municipality.id, Municipality.name).where(
                Municipality.id.in_({m for _t, m in keys} or {-1})
            )
        ).all()
    )
    order = {str(term): term for term in terms}
    rows = []
    for term_key, municipality_id in sorted(keys, key=lambda k: (order[k[0]], names.get(k[1], ""))):
        row = MunicipalityFigures(order[term_key], municipality_id, names.get(municipality_id, ""))
        for name in COUNTS:
            setattr(row, name, counts[name].get((term_key, municipality_id), 0))
        row.median_days = {
            step: days for (t, m, step), days in medians.items() if t == term_key and m == municipality_id
        }
        rows.append(row)
    return rows


# -- a series of periods for one group of municipalities (the report, issue 22) -----------------


@dataclass
class SeriesFigures:
    """The recruitment figures of a series of spans for the families of some municipalities.

    Every list holds one value per span, in the spans' order.
    """

    registrations: list[int]
    registrations_total: list[int]  # every registration up to the span's end
    presentable: list[int]
    requests: list[int]
    offers: list[int]
    matches: list[int]
    median_days: dict[Step, list[float | None]]
    channels: list[tuple[str, list[int]]]  # (channel name, "" for none given), in the form's order


def _span_counts(stmt: Any, moment: Any, value: Any, spans: Sequence[Span]) -> list[int]:
    """Run `stmt` (joined and filtered) counting `value` per span of `moment`: one query."""
    span = bucket(moment, spans)
    rows = db.session.execute(
        stmt.add_columns(span.label("span"), value.label("n")).where(within(moment, spans)).group_by(span)
    ).all()
    return per_span(spans, rows)


def _series_channels(spans: Sequence[Span], municipality_ids: Sequence[int]) -> list[tuple[str, list[int]]]:
    registered = bucket(Case.registered_at, spans)
    rows = db.session.execute(
        select(registered, Channel.name, func.min(Channel.position), func.count(Case.id))
        .select_from(Case)
        .outerjoin(Channel, Channel.id == Case.channel_id)
        .where(within(Case.registered_at, spans), of_ids(Case.municipality_id, municipality_ids))
        .group_by(registered, Channel.name)
    ).all()
    order: dict[str, tuple[int, str]] = {}
    counts: dict[tuple[str, str], int] = {}
    for span_key, name, position, n in rows:
        # No channel given sorts last.
        order[name or ""] = (position if name else 1 << 30, name or "")
        counts[(name or "", span_key)] = int(n)
    names = sorted(order, key=order.__getitem__)
    return [(name, [counts.get((name, span.key), 0) for span in spans]) for name in names]


def series_figures(spans: Sequence[Span], municipality_ids: Sequence[int]) -> SeriesFigures:
    """Return the recruitment figures of each span, for families living in `municipality_ids`.

    Requests count by the requesting municipality (a request has no family yet); everything
    else by the family's own municipality, offers and matches included. Seven queries, whatever
    the number of spans or the data size.
    """
    family_in = of_ids(Case.municipality_id, municipality_ids)
    channels = _series_channels(spans, municipality_ids)
    registrations = [sum(values[i] for _name, values in channels) for i in range(len(spans))]
    before = (
        db.session.scalar(
            select(func.count(Case.id)).where(Case.registered_at < spans[0].starts_at, family_in)
        )
        or 0
    )
    totals = []
    for n in registrations:
        before += n
        totals.append(before)
    presentable = _span_counts(
        select()
        .select_from(StepChange)
        .join(Case, Case.id == StepChange.case_id)
        .where(StepChange.to_step == Step.PRESENTATION, family_in),
        StepChange.at,
        func.count(sa.distinct(StepChange.case_id)),
        spans,
    )
    requests = _span_counts(
        select().select_from(Request).where(of_ids(Request.municipality_id, municipality_ids)),
        Request.created_at,
        func.count(Request.id),
        spans,
    )
    offers = _span_counts(
        select().select_from(Offer).join(Case, Case.id == Offer.case_id).where(family_in),
        Offer.offered_at,
        func.count(Offer.id),
        spans,
    )
    matches = _span_counts(
        select().select_from(Match).join(Case, Case.id == Match.case_id).where(family_in),
        Match.matched_at,
        func.count(Match.id),
        spans,
    )
    medians = _medians(spans, by_municipality=False, municipality_ids=municipality_ids)
    return SeriesFigures(
        registrations=registrations,
        registrations_total=totals,
        presentable=presentable,
        requests=requests,
        offers=offers,
        matches=matches,
        median_days={step: [medians.get((span.key, 0, step)) for span in spans] for step in Step},
        channels=channels,
    )
