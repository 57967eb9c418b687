"""The certificate as a PDF, made on demand with fpdf2 (nothing is stored on disk)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from flask_babel import format_date, ngettext
from flask_babel import gettext as _

from coursehub import clock

if TYPE_CHECKING:
    from fpdf import FPDF

# A Unicode TTF font covers names beyond Latin-1 (e.g. ł, ő); fpdf2's core fonts are Latin-1 only.
FONT_CANDIDATES = (
    Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"),
    Path("/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf"),
)
BOLD_CANDIDATES = (
    Path("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"),
    Path("/usr/share/fonts/truetype/liberation/LiberationSans-Bold.ttf"),
)


@dataclass(frozen=True)
class ThemeLine:
    title: str
    attended_at: datetime | None
    run_title: str


@dataclass(frozen=True)
class CertificateContent:
    name: str
    course: str
    completed_at: datetime
    themes: list[ThemeLine]
    organisation: str
    code: str
    verify_url: str
    issued_at: datetime
    session_count: int  # the course's extent: its meetings (one per theme) ...
    total_minutes: int  # ... and their planned length together


def _hours(minutes: int) -> str:
    """Return hours as Swedes write them: 24, or 7,5."""
    hours = minutes / 60
    return str(int(hours)) if hours == int(hours) else f"{hours:.1f}".replace(".", ",")


def _set_up_fonts(pdf: FPDF) -> tuple[str, bool]:
    """Return the font family to use and whether it is a Unicode font."""
    regular = next((p for p in FONT_CANDIDATES if p.exists()), None)
    bold = next((p for p in BOLD_CANDIDATES if p.exists()), None)
    if regular is None:
        return "helvetica", False
    pdf.add_font("cert", "", str(regular))
    pdf.add_font("cert", "B", str(bold or regular))
    return "cert", True


def _date(value: datetime | None) -> str:
    return format_date(clock.to_local(value), "d MMMM y") if value else ""


def render_certificate_pdf(content: CertificateContent) -> bytes:
    """Return the certificate as PDF bytes."""
    # Imported on the first certificate, not with the app: fpdf2 brings fontTools, about 28 MB of
    # resident memory in every worker that never makes a certificate (issue 24: workers < 150 MB).
    from fpdf import FPDF

    pdf = FPDF(orientation="portrait", unit="mm", format="A4")
    pdf.set_title(_("Intyg") + f" {content.code}")
    pdf.set_author(content.organisation)
    pdf.set_lang("sv")
    family, unicode_font = _set_up_fonts(pdf)

    def text(value: str) -> str:
        # Core fonts are Latin-1; characters outside it become "?" rather than failing.
        return value if unicode_font else value.encode("latin-1", "replace").decode("latin-1")

    pdf.add_page()
    pdf.set_margins(25, 25, 25)
    width = pdf.w - 50
    pdf.set_font(family, "", 12)
    pdf.cell(width, 8, text(content.organisation), new_x="LMARGIN", new_y="NEXT", align="C")
    pdf.ln(12)
    pdf.set_font(family, "B", 28)
    pdf.cell(width, 14, text(_("Intyg")), new_x="LMARGIN", new_y="NEXT", align="C")
    pdf.ln(8)
    pdf.set_font(family, "", 13)
    pdf.cell(width, 8, text(_("Härmed intygas att")), new_x="LMARGIN", new_y="NEXT", align="C")
    pdf.set_font(family, "B", 20)
    pdf.multi_cell(width, 11, text(content.name), new_x="LMARGIN", new_y="NEXT", align="C")
    pdf.set_font(family, "", 13)
    pdf.multi_cell(width, 8, text(_("har genomgått kursen")), new_x="LMARGIN", new_y="NEXT", align="C")
    pdf.set_font(family, "B", 16)
    pdf.multi_cell(width, 9, text(content.course), new_x="LMARGIN", new_y="NEXT", align="C")
    pdf.set_font(family, "", 12)
    pdf.multi_cell(
        width,
        8,
        text(_("Kursen slutfördes %(date)s.", date=_date(content.completed_at))),
        new_x="LMARGIN",
        new_y="NEXT",
        align="C",
    )
    if content.session_count:
        pdf.multi_cell(
            width,
            8,
            text(
                ngettext(
                    "Kursen omfattar %(num)d träff, sammanlagt %(hours)s timmar.",
                    "Kursen omfattar %(num)d träffar, sammanlagt %(hours)s timmar.",
                    content.session_count,
                    hours=_hours(content.total_minutes),
                )
            ),
            new_x="LMARGIN",
            new_y="NEXT",
            align="C",
        )
    pdf.ln(8)
    # Only what the person did: a certificate never lists what they missed.
    done = [line for line in content.themes if line.attended_at is not None]
    if done:
        pdf.set_font(family, "B", 12)
        pdf.cell(width, 8, text(_("Genomförda träffar")), new_x="LMARGIN", new_y="NEXT")
        pdf.set_font(family, "", 11)
        for line in done:
            pdf.multi_cell(
                width, 6, text(f"{line.title}: {_date(line.attended_at)}"), new_x="LMARGIN", new_y="NEXT"
            )
    pdf.ln(10)
    pdf.set_font(family, "", 11)
    issued = _(
        "Utfärdat %(date)s av %(organisation)s.",
        date=_date(content.issued_at),
        organisation=content.organisation,
    )
    pdf.multi_cell(width, 7, text(issued), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    pdf.set_font(family, "", 10)
    check = _(
        "Intyget kan kontrolleras på %(url)s med kontrollkoden %(code)s.",
        url=content.verify_url,
        code=content.code,
    )
    pdf.multi_cell(width, 6, text(check), new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def certificate_content(certificate, *, organisation: str, verify_url: str) -> CertificateContent:
    """Gather what the certificate shows: the person, the course and each theme with its date."""
    from coursehub.attendance import queries

    progress = queries.progress_for_users(
        [certificate.user_id], course_type_ids=[certificate.course_type_id]
    )[certificate.user_id]
    themes = []
    minutes = 0
    if progress:
        minutes = sum(row.theme.suggested_minutes for row in progress[0].themes)
        themes = [
            ThemeLine(
                row.theme.title,
                row.attended.starts_at if row.attended else None,
                row.attended.run_title if row.attended else "",
            )
            for row in progress[0].themes
        ]
    return CertificateContent(
        name=certificate.user.full_name,
        course=certificate.course_type.name,
        completed_at=certificate.completion.completed_at,
        themes=themes,
        organisation=organisation,
        code=certificate.code,
        verify_url=verify_url,
        issued_at=certificate.issued_at,
        session_count=len(themes),
        total_minutes=minutes,
    )
