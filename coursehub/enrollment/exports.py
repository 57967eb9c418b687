"""Participant lists as CSV (csv module) and XLSX (openpyxl): pure functions returning bytes."""

from __future__ import annotations

import csv
import io

from flask_babel import gettext as _

from coursehub.enrollment.labels import status_label


def participant_rows(enrollments) -> list[list[str]]:
    """Return one row per person: name, e-mail, household, municipality, status and needs."""
    rows = []
    for enrollment in enrollments:
        household = enrollment.household
        for person in enrollment.persons:
            rows.append([
                person.user.full_name,
                person.user.email,
                household.name,
                household.municipality.name,
                status_label(enrollment.status),
                enrollment.makeup_session.title if enrollment.makeup_session else "",
                enrollment.needs_diet,
                enrollment.needs_accessibility,
                enrollment.needs_interpreter,
            ])
    return rows


def headings() -> list[str]:
    return [_("Namn"), _("E-postadress"), _("Hushåll"), _("Kommun"), _("Status"),
            _("Tar igen träff"), _("Kost"), _("Tillgänglighet"), _("Tolk (språk)")]


def _safe_cell(value: str) -> str:
    # A cell starting with = + - @ would be read as a formula by spreadsheet programs.
    if value and value[0] in "=+-@\t\r":
        return "'" + value
    return value


def to_csv(rows: list[list[str]]) -> bytes:
    """Return the rows as CSV (semicolon-separated, UTF-8 with BOM, as Swedish Excel expects)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(headings())
    for row in rows:
        writer.writerow([_safe_cell(cell) for cell in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def to_xlsx(rows: list[list[str]], *, title: str) -> bytes:
    """Return the rows as an XLSX workbook with one sheet."""
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Deltagare")
    sheet.append([_safe_cell(title)])
    sheet.append(headings())
    for row in rows:
        sheet.append([_safe_cell(cell) for cell in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
