"""CSV and XLSX exports of attendance rates."""

from __future__ import annotations

from flask_babel import gettext as _

from coursehub.lib import spreadsheets


def _table(rows, dimension_label: str) -> list[list]:
    header = [
        dimension_label,
        _("Närvarande"),
        _("Frånvarande"),
        _("Anmäld frånvaro"),
        _("Markeringar"),
        _("Närvaro (%)"),
    ]
    body = [[r.label, r.present, r.absent, r.excused, r.total, round(r.rate * 100, 1)] for r in rows]
    return [header, *body]


def rates_csv(rows, dimension_label: str) -> bytes:
    """Return the rates as CSV."""
    return spreadsheets.to_csv(_table(rows, dimension_label))


def rates_xlsx(rows, dimension_label: str) -> bytes:
    """Return the rates as an XLSX workbook."""
    return spreadsheets.to_xlsx(_table(rows, dimension_label), sheet_title=_("Närvaro"))
