"""CSV and XLSX downloads: the Swedish CSV dialect, workbooks of one or more sheets, no formula injection."""

from __future__ import annotations

import csv
import io
import warnings
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from coursehub.lib.checks import known

# A cell starting with one of these would be run as a formula by spreadsheet programs.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
MAX_SHEET_TITLE = 31  # Excel's limit


def safe_cell(value):
    """Return `value` so that no spreadsheet program reads it as a formula (text gets a ')."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def to_csv(rows) -> bytes:
    """Return rows as CSV the way Swedish spreadsheet programs expect: semicolons, UTF-8 with BOM."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerows([safe_cell(cell) for cell in row] for row in rows)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


@dataclass(frozen=True)
class Sheet:
    """One sheet of a workbook: its title (cut to Excel's 31 characters), a header row and rows."""

    title: str
    header: Sequence
    rows: Iterable[Sequence]


def workbook_bytes(sheets: Sequence[Sheet]) -> bytes:
    """Return an XLSX workbook with one sheet per `Sheet`, in order, every cell formula-safe."""
    with warnings.catch_warnings():
        # openpyxl probes for numpy at import, which a legacy import hook (pygal's) turns into an
        # ImportWarning; the test suite makes warnings errors.
        warnings.simplefilter("ignore", ImportWarning)
        from openpyxl import Workbook
    workbook = Workbook()
    workbook.remove(known(workbook.active, "a new Workbook has its one default sheet, active"))
    for sheet in sheets:
        worksheet = workbook.create_sheet(sheet.title[:MAX_SHEET_TITLE])
        for row in ([sheet.header] if sheet.header else []) + list(sheet.rows):
            worksheet.append([safe_cell(cell) for cell in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def to_xlsx(rows, *, sheet_title: str) -> bytes:
    """Return rows (the header first) as an XLSX workbook with one sheet."""
    rows = list(rows)
    return workbook_bytes([Sheet(sheet_title, rows[0] if rows else (), rows[1:])])
