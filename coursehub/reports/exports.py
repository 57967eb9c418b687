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
    # _cell_text escapes what it writes.
    return Markup(_cell_text(value, unit))  # noqa: S704  # nosec B704


def _nothing() -> str:
    return str(Markup('<span aria-label="%s">·</span>') % _("inget att räkna"))


def _cell_text(value: Value, unit: str, nothing: str | None = None) -> str:
    """A cell as safe HTML text, the value as `cell` shows it; `nothing`: the dot, when the caller has it."""
    shown = cell(value, unit)
    if shown == "":
        return nothing if nothing is not None else _nothing()
    if isinstance(shown, float) and unit in ("share", "days"):  # not the mark of a value kept back
        text = f"{shown:.1f}".replace(".", ",")
        return text + " %" if unit == "share" else text
    return str(escape(shown))


def rows_html(figure: Figure) -> Markup:
    """Return the body rows of a figure's table, the first row marked as the figure itself.

    Written as the template's loop wrote them (its indentation included), so that the page stays
    byte for byte what it was, but in one Python loop: the per-municipality figures have 290 rows
    at national size, and Jinja's per-row and per-cell work was most of the page's template time.
    """
    nothing = _nothing()
    unit = figure.unit
    written = []
    for index, row in enumerate(figure.rows):
        main = ' class="report-main-row"' if index == 0 else ""
        cells = "".join([f'<td class="text-end">{_cell_text(v, unit, nothing)}</td>' for v in row.values])
        label = escape(row.label)
        written.append(f'\n            <tr{main}><th scope="row">{label}</th>{cells}</tr>\n          ')
    # The labels are escaped above, the cells by _cell_text.
    return Markup("".join(written))  # noqa: S704  # nosec B704


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
