"""CSV and XLSX downloads: the Swedish CSV dialect, one workbook sheet, no formula injection."""

from __future__ import annotations

import csv
import io
import warnings

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


def to_xlsx(rows, *, sheet_title: str) -> bytes:
    """Return rows as an XLSX workbook with one sheet."""
    with warnings.catch_warnings():
        # openpyxl probes for numpy at import, which a legacy import hook (pygal's) turns into an
        # ImportWarning; the test suite makes warnings errors.
        warnings.simplefilter("ignore", ImportWarning)
        from openpyxl import Workbook
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = sheet_title[:MAX_SHEET_TITLE]
    for row in rows:
        sheet.append([safe_cell(cell) for cell in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
