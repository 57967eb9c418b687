"""The report's satisfaction section: the course evaluations' indicator and the yearly survey's.

Three queries whatever the data and the number of periods: the course evaluations grouped by
period (evaluations.queries_figures), and the survey's two (evaluations.queries_results.survey_trend).
Evaluations are anonymous and carry no municipality, so nothing is split per municipality: a part
or a municipality gets the runs aimed only at its own municipalities (beside the county's figure),
and the yearly survey, answered by the county's networks and steering group, is the county's.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

from flask_babel import gettext as _

from coursehub.evaluations.queries_figures import IndicatorTotals, course_indicator_by_period
from coursehub.evaluations.queries_results import SurveyTrend, min_answers, survey_trend
from coursehub.lib.spans import Span
from coursehub.reports.figures import HIDDEN, Figure, Row, Section, Value
from coursehub.reports.periods import Period
from coursehub.reports.scope import Scope


def build_satisfaction(where: Scope, periods: Sequence[Period], now: datetime) -> Section:
    """Return the satisfaction section for `where` over `periods` (three queries).

    Only evaluations closed at `now` give figures: one still open counts only as a number of
    answers (results read before and after one more answer would give that answer away).
    """
    spans = [Span(period.key, period.starts_at(), period.ends_before()) for period in periods]
    county = where.kind == "county"
    courses = course_indicator_by_period(
        spans, municipality_ids=None if county else where.municipality_ids, now=now
    )
    threshold = min_answers()
    figures = [
        _course_share(where, [p.in_scope for p in courses], [p.all_runs for p in courses], threshold),
        _course_answers(where, [p.in_scope for p in courses], threshold),
    ]
    figures += _survey_figures(where, periods, survey_trend(now=now), threshold)
    return Section(key="satisfaction", title=_("Nöjdhet"), figures=tuple(figures))


def _hidden_note(threshold: int) -> str:
    return _(
        "– betyder att värdet bygger på färre än %(n)s svar och därför inte visas, "
        "så att ingen kan pekas ut.",
        n=threshold,
    )


def _share(totals: IndicatorTotals) -> Value:
    if not totals.answered:
        return None
    if not totals.shown:
        return HIDDEN
    return totals.very_satisfied


def _runs_clause(where: Scope) -> str:
    if where.kind == "county":
        return _("kursomgångar")
    if where.kind == "part":
        return _("kursomgångar som bara riktade sig till kommuner i %(name)s", name=where.label)
    return _("kursomgångar som bara riktade sig till %(name)s", name=where.label)


def _course_share(
    where: Scope, in_scope: list[IndicatorTotals], all_runs: list[IndicatorTotals], threshold: int
) -> Figure:
    definition = _(
        "Andelen svar på kursutvärderingens indikatorfråga (betyg 1–5) som gav högsta betyget, 5, "
        "i utvärderingar av %(runs)s vars första träff låg i perioden; en kursomgång räknas bara "
        "när dess utvärdering har stängt och minst %(n)s har svarat på den.",
        runs=_runs_clause(where),
        n=threshold,
    )
    note = (
        _hidden_note(threshold)
        + " "
        + _("Svaren är anonyma och bär ingen kommun, så de delas inte upp per kommun.")
    )
    rows = [Row(_("Mycket nöjda"), tuple(_share(t) for t in in_scope))]
    if where.kind != "county":
        note += " " + _(
            "Kursomgångar öppna för hela länet eller för kommuner utanför %(name)s räknas bara i "
            "raden för alla kursomgångar i länet.",
            name=where.label,
        )
        rows.append(Row(_("Alla kursomgångar i länet"), tuple(_share(t) for t in all_runs)))
    return Figure(
        key="course_very_satisfied",
        title=_("Mycket nöjda med kurserna"),
        definition=definition,
        unit="share",
        rows=tuple(rows),
        note=note,
    )


def _course_answers(where: Scope, in_scope: list[IndicatorTotals], threshold: int) -> Figure:
    definition = _(
        "Antalet inskickade kursutvärderingar för %(runs)s vars första träff låg i perioden, "
        "uppdelat på kursomgångar med minst %(n)s svar (de räknas i andelen mycket nöjda) och med färre; "
        "svar på en utvärdering som fortfarande är öppen räknas för sig tills den har stängt.",
        runs=_runs_clause(where),
        n=threshold,
    )
    rows = [
        Row(_("Antal svar"), tuple(t.responses + t.kept_back + t.still_open for t in in_scope)),
        Row(_("i kursomgångar med minst %(n)s svar", n=threshold), tuple(t.responses for t in in_scope)),
        Row(_("i kursomgångar med färre än %(n)s svar", n=threshold), tuple(t.kept_back for t in in_scope)),
    ]
    if any(t.still_open for t in in_scope):  # the row appears only while an evaluation is open
        rows.append(
            Row(
                _("i kursomgångar vars utvärdering fortfarande är öppen"),
                tuple(t.still_open for t in in_scope),
            )
        )
    return Figure(
        key="course_answers",
        title=_("Svar på kursutvärderingar"),
        definition=definition,
        unit="count",
        rows=tuple(rows),
    )


def _survey_period(periods: Sequence[Period], survey_year: int) -> int | None:
    """Return the index of the period holding the end of `survey_year` (the survey is yearly, at its end)."""
    last_day = date(survey_year, 12, 31)
    for index, period in enumerate(periods):
        if period.first <= last_day <= period.last:
            return index
    return None


def _survey_figures(
    where: Scope, periods: Sequence[Period], trend: SurveyTrend, threshold: int
) -> list[Figure]:
    """One figure per indicator of the yearly survey (the share very satisfied), and one of its answers."""
    years: list[int | None] = [None] * len(periods)
    by_year = {survey.year: survey for survey in trend.years}
    for survey in trend.years:
        index = _survey_period(periods, survey.year)
        if index is not None:
            years[index] = survey.year
    note = (
        _hidden_note(threshold)
        + " "
        + _(
            "Årsenkäten görs en gång om året, i slutet av året: "
            "dess värden står under höstterminen eller året."
        )
    )
    if where.kind != "county":
        note += " " + _("Enkätens svar bär ingen kommun: värdena gäller hela länet.")
    figures = []
    answers_rows = [Row(_("Antal svar"), tuple(None if y is None else by_year[y].responses for y in years))]
    for number, indicator in enumerate(trend.indicators, start=1):
        values: list[Value] = []
        answered: list[int | None] = []
        for year in years:
            top, count = (0, 0) if year is None else by_year[year].indicators.get(indicator, (0, 0))
            answered.append(None if year is None else count)
            if year is None or count == 0:
                values.append(None)
            elif count < threshold:
                values.append(HIDDEN)
            else:
                values.append(top / count)
        figures.append(
            Figure(
                key=f"survey_indicator_{number}",
                title=indicator,
                definition=_(
                    "Andelen av dem som besvarade frågan i årsenkäten till nätverkens medlemmar och "
                    "styrgruppen som gav högsta betyget, 5; värdet visas bara om minst %(n)s "
                    "har svarat på frågan.",
                    n=threshold,
                ),
                unit="share",
                rows=(Row(_("Mycket nöjda"), tuple(values)),),
                note=note,
            )
        )
        answers_rows.append(Row(_("svar på fråga %(number)s", number=number), tuple(answered)))
    figures.append(
        Figure(
            key="survey_answers",
            title=_("Svar på årsenkäten"),
            definition=_(
                "Antalet som besvarade årsenkäten det året, och hur många av dem som besvarade var och en "
                "av indikatorfrågorna (numrerade i den ordning de står ovan)."
            ),
            unit="count",
            rows=tuple(answers_rows),
            note=note,
        )
    )
    return figures
