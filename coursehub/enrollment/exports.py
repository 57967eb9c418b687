"""Participant lists as CSV and XLSX: pure functions returning bytes."""

from __future__ import annotations

from flask_babel import gettext as _

from coursehub.enrollment.labels import participant_kind_label, status_label
from coursehub.lib import spreadsheets


def participant_rows(enrollments) -> list[list[str]]:
    """Return one row per person: name, e-mail, phone, household, municipality, status, needs, kind.

    The kind says whether the person takes part as a family (familj) or as a professional
    (yrkesverksam); a professional has no household, and their own municipality (if any).

    The phone number is there for the leaders, who call a family that is late or must be told of
    a change at short notice.
    """
    rows = []
    for enrollment in enrollments:
        household = enrollment.household
        municipality = enrollment.municipality
        for person in enrollment.persons:
            rows.append(
                [
                    person.user.full_name,
                    person.user.email,
                    person.user.phone or "",
                    household.name if household is not None else "",
                    municipality.name if municipality is not None else "",
                    status_label(enrollment.status),
                    enrollment.makeup_session.title if enrollment.makeup_session else "",
                    enrollment.needs_diet,
                    enrollment.needs_accessibility,
                    enrollment.needs_interpreter,
                    participant_kind_label(enrollment.participant_kind),
                ]
            )
    return rows


def headings() -> list[str]:
    return [
        _("Namn"),
        _("E-postadress"),
        _("Telefon"),
        _("Hushåll"),
        _("Kommun"),
        _("Status"),
        _("Tar igen träff"),
        _("Kost"),
        _("Tillgänglighet"),
        _("Tolk (språk)"),
        _("Deltar som"),
    ]


def to_csv(rows: list[list[str]]) -> bytes:
    """Return the rows under their headings as CSV."""
    return spreadsheets.to_csv([headings(), *rows])


def to_xlsx(rows: list[list[str]], *, title: str) -> bytes:
    """Return the run's title, the headings and the rows as an XLSX workbook."""
    return spreadsheets.workbook_bytes(
        [spreadsheets.Sheet(_("Deltagare"), headings(), rows, caption=title)],
        title=_("Deltagare: %(title)s", title=title),
    )
