"""The report as an XLSX workbook: a sheet per section, each figure with its definition and table.

The cells hold the same values the page shows (shares as per cent with one decimal, days with one
decimal), so a number read off the page can be found in the workbook.
"""

from __future__ import annotations

from flask_babel import gettext as _
from markupsafe import Markup, escape

from coursehub.lib.spreadsheets import Sheet, workbook_bytes
from coursehub.reports.figures import HIDDEN_MARK, Figure, HiddenType, Value
from coursehub.reports.report import Report

XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def cell(value: Value, unit: str) -> int | float | str:
    """Return a value as the page shows it: a share in per cent, days and shares to one decimal."""
    if isinstance(value, HiddenType):
        return HIDDEN_MARK
    if value is None:
        return ""
    if unit == "share":
        return round(float(value) * 100, 1)
    if unit == "days":
        return round(float(value), 1)
    return value


def cell_html(value: Value, unit: str) -> Markup:
    """Return a table cell's content as the page writes it: "12", "12,5 %", "3,0", or a dot.

    Written here rather than by a template macro called for every cell (290 municipalities by
    the periods at national size): a macro call costs Jinja ten times this.
    """
    if isinstance(value, HiddenType):  # a share or days kept back is the mark, not a number
        return escape(HIDDEN_MARK)
    shown = cell(value, unit)
    if shown == "":
        return Markup('<span aria-label="%s">·</span>') % _("inget att räkna")
    if unit == "share":
        return escape(f"{shown:.1f}".replace(".", ",")) + Markup(" %")
    if unit == "days":
        return escape(f"{shown:.1f}".replace(".", ","))
    return escape(shown)


def unit_label(figure: Figure) -> str:
    """Return what a figure's numbers are, for its table's heading."""
    return {"count": _("antal"), "share": _("procent"), "days": _("dagar")}[figure.unit]


def _rows(report: Report, figures: tuple[Figure, ...]) -> list[list[object]]:
    rows: list[list[object]] = []
    for figure in figures:
        rows.append([figure.title])
        rows.append([figure.definition])
        if figure.note:
            rows.append([figure.note])
        rows.append([f"({unit_label(figure)})", *(period.label for period in report.periods)])
        for row in figure.rows:
            rows.append([row.label, *(cell(value, figure.unit) for value in row.values)])
        rows.append([])
    return rows


def report_xlsx(report: Report, *, title: str) -> bytes:
    """Return the whole report as a workbook with a sheet per section."""
    sheets = [
        Sheet(section.title, (), _rows(report, section.figures), caption=title) for section in report.sections
    ]
    return workbook_bytes(sheets, title=title)
