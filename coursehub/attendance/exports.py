"""CSV and XLSX exports of attendance rates."""

from __future__ import annotations

import csv
import io
import warnings

from flask_babel import gettext as _

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _safe(value):
    """Keep spreadsheet programs from running text as a formula (CSV injection)."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def _table(rows, dimension_label: str) -> list[list]:
    header = [dimension_label, _("Närvarande"), _("Frånvarande"), _("Anmäld frånvaro"),
              _("Markeringar"), _("Närvaro (%)")]
    body = [[_safe(r.label), r.present, r.absent, r.excused, r.total, round(r.rate * 100, 1)]
            for r in rows]
    return [header, *body]


def rates_csv(rows, dimension_label: str) -> bytes:
    """Return the rates as CSV (semicolons and a BOM, as Swedish spreadsheet programs expect)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerows(_table(rows, dimension_label))
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def rates_xlsx(rows, dimension_label: str) -> bytes:
    """Return the rates as an XLSX workbook."""
    with warnings.catch_warnings():
        # openpyxl probes for numpy at import; an import hook of the test runner warns about it.
        warnings.simplefilter("ignore", ImportWarning)
        from openpyxl import Workbook
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Närvaro")[:31]
    for row in _table(rows, dimension_label):
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
