"""CSV and XLSX exports of evaluation results; while open or below the threshold only a notice."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from flask_babel import format_date
from flask_babel import gettext as _

from coursehub import clock
from coursehub.evaluations.models import Evaluation
from coursehub.evaluations.queries_results import EvaluationResults, Figures, SurveyTrend
from coursehub.lib import spreadsheets

XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_MIMETYPE = "text/csv; charset=utf-8"
# The most runs an export lists (a course type has a few runs a term).
EXPORT_LIMIT = 10_000


def too_few() -> str:
    """Return the one notice a selection with too few answers shows."""
    return str(_("För få svar för att visa resultat"))


def still_open(closes_at: datetime) -> str:
    """Return the notice of an evaluation still open: its closing date, and when results come."""
    return str(
        _(
            "Öppen till %(when)s. Resultaten visas när utvärderingen har stängt.",
            when=format_date(clock.to_local(closes_at).date(), "d MMMM y"),
        )
    )


def _percent(value: float | None) -> Any:
    return round(value * 100, 1) if value is not None else ""


def evaluation_table(results: EvaluationResults, evaluation: Evaluation) -> list[list[Any]]:
    """Return one evaluation's results as rows: the counts per option, then the free texts."""
    if results.is_open:
        return [[_("Antal svarande"), results.responses], [still_open(evaluation.closes_at)]]
    if not results.shown:
        return [[too_few()]]
    rows: list[list[Any]] = [[_("Fråga"), _("Svar"), _("Antal"), _("Andel (%)")]]
    for question in results.questions:
        for option in question.options:
            rows.append([question.text, option.label, option.count, _percent(question.option_share(option))])
        if question.very_satisfied is not None:
            rows.append([question.text, _("Andel mycket nöjda"), "", _percent(question.very_satisfied)])
        for text in question.texts:
            rows.append([question.text, text, "", ""])
    rows.append([_("Antal svarande"), "", results.responses, ""])
    return rows


def figures_table(rows: Sequence[Figures], label: str) -> list[list[Any]]:
    """Return figures per run or half-year: responses and share very satisfied, or the notice."""
    table: list[list[Any]] = [[label, _("Antal svarande"), _("Andel mycket nöjda (%)")]]
    for row in rows:
        if row.closes_at is not None:
            table.append([row.label, still_open(row.closes_at), ""])
        elif row.shown:
            table.append([row.label, row.responses, _percent(row.very_satisfied)])
        else:
            table.append([row.label, too_few(), ""])
    return table


def trend_table(trend: SurveyTrend) -> list[list[Any]]:
    """Return the yearly survey's indicators per year (a year with too few answers: the notice)."""
    table: list[list[Any]] = [[_("År"), _("Antal svarande"), *trend.indicators]]
    for year in trend.years:
        if year.shown:
            table.append(
                [year.year, year.responses, *(_percent(year.very_satisfied(i)) for i in trend.indicators)]
            )
        else:
            table.append([year.year, too_few(), *("" for _i in trend.indicators)])
    return table


def as_download(rows: list[list[Any]], fmt: str, *, sheet_title: str, caption: str) -> tuple[bytes, str]:
    """Return (body, mimetype) of `rows` as CSV or as an XLSX workbook."""
    if fmt == "csv":
        return spreadsheets.to_csv(rows), CSV_MIMETYPE
    return spreadsheets.to_xlsx(rows, sheet_title=sheet_title, caption=caption), XLSX_MIMETYPE
