"""CSV and XLSX downloads: the Swedish CSV dialect, workbooks of one or more sheets, no formula injection.

CSV is what Swedish Excel opens with a double click: semicolons, UTF-8 with a BOM, and numbers
with a decimal comma (87,5). Workbooks open ready to read: a bold header row that stays in view
and has filters, columns wide enough for their text, and a title and creator in the properties.
"""

from __future__ import annotations

import csv
import io
import warnings
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from flask import current_app, has_app_context

from coursehub.lib.checks import known

# A cell starting with one of these would be run as a formula by spreadsheet programs.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
MAX_SHEET_TITLE = 31  # Excel's limit
MAX_COLUMN_WIDTH = 60  # wider columns push the rest of the sheet off a laptop screen


def safe_cell(value):
    """Return `value` so that no spreadsheet program reads it as a formula (text gets a ')."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def _csv_cell(value: Any) -> Any:
    """Return a cell for Swedish CSV: a decimal comma in fractions, text made formula-safe."""
    if isinstance(value, float | Decimal) and not isinstance(value, bool):
        return str(value).replace(".", ",")
    return safe_cell(value)


def to_csv(rows) -> bytes:
    """Return rows as CSV the way Swedish spreadsheet programs expect: semicolons, UTF-8 with BOM."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerows([_csv_cell(cell) for cell in row] for row in rows)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


@dataclass(frozen=True)
class Sheet:
    """One sheet of a workbook: its title (cut to Excel's 31 characters), a header row and rows."""

    title: str
    header: Sequence
    rows: Iterable[Sequence]
    caption: str = ""  # a line above the header, such as the run's title


def _width(value: Any) -> int:
    return max((len(line) for line in str(value).splitlines()), default=0) if value is not None else 0


def _fill(worksheet: Any, sheet: Sheet, bold: Any) -> None:
    """Write one sheet: caption, a bold frozen header with filters, the rows, column widths."""
    from openpyxl.utils import get_column_letter

    if sheet.caption:
        worksheet.append([safe_cell(sheet.caption)])
        worksheet.cell(row=1, column=1).font = bold
    header_row = worksheet.max_row + 1 if sheet.caption else 1
    rows = [list(sheet.header)] if sheet.header else []
    rows += [list(row) for row in sheet.rows]
    for row in rows:
        worksheet.append([safe_cell(cell) for cell in row])
    if not sheet.header:
        return
    for cell in worksheet[header_row]:
        cell.font = bold
    worksheet.freeze_panes = worksheet.cell(row=header_row + 1, column=1).coordinate
    columns = len(sheet.header)
    last_row = header_row + len(rows) - 1
    worksheet.auto_filter.ref = f"A{header_row}:{get_column_letter(columns)}{max(last_row, header_row)}"
    for index in range(columns):
        widest = max((_width(row[index]) for row in rows if index < len(row)), default=0)
        # Room for the filter button beside the heading.
        worksheet.column_dimensions[get_column_letter(index + 1)].width = min(widest + 4, MAX_COLUMN_WIDTH)


def workbook_bytes(sheets: Sequence[Sheet], *, title: str = "", creator: str | None = None) -> bytes:
    """Return an XLSX workbook with one sheet per `Sheet`, in order, every cell formula-safe.

    `creator` defaults to the organisation's name (COURSEHUB_ORGANISATION) inside the app.
    """
    with warnings.catch_warnings():
        # openpyxl probes for numpy at import, which a legacy import hook (pygal's) turns into an
        # ImportWarning; the test suite makes warnings errors.
        warnings.simplefilter("ignore", ImportWarning)
        from openpyxl import Workbook
        from openpyxl.styles import Font
    workbook = Workbook()
    workbook.remove(known(workbook.active, "a new Workbook has its one default sheet, active"))
    if creator is None and has_app_context():
        creator = current_app.config.get("COURSEHUB_ORGANISATION")
    workbook.properties.creator = creator or ""
    workbook.properties.title = title or (sheets[0].caption or sheets[0].title if sheets else "")
    bold = Font(bold=True)
    for sheet in sheets:
        _fill(workbook.create_sheet(sheet.title[:MAX_SHEET_TITLE]), sheet, bold)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def to_xlsx(rows, *, sheet_title: str, caption: str = "") -> bytes:
    """Return rows (the header first) as an XLSX workbook with one sheet, `caption` above them."""
    rows = list(rows)
    return workbook_bytes([Sheet(sheet_title, rows[0] if rows else (), rows[1:], caption=caption)])
