"""The certificate PDF, read back with a PDF text extractor, and the chart image."""

from __future__ import annotations

import io
from datetime import UTC, datetime

import pytest
from pypdf import PdfReader

from coursehub.attendance import certificates, charts
from coursehub.attendance.queries import RateRow


@pytest.fixture(autouse=True)
def _request_context(app):
    with app.test_request_context():
        yield


def content(name: str) -> certificates.CertificateContent:
    when = datetime(2026, 10, 6, 16, 0, tzinfo=UTC)
    return certificates.CertificateContent(
        name=name,
        course="Ett hem att växa i",
        completed_at=when,
        themes=[
            certificates.ThemeLine("Barnets behov av närhet", when, "Hösten 2026"),
            certificates.ThemeLine("Samarbete med föräldrar", None, ""),
        ],
        organisation="Familjehemsresursen i Jönköpings län",
        code="ABCD2345EFGH",
        verify_url="http://coursehub.test/intyg/ABCD2345EFGH",
        issued_at=datetime(2026, 10, 8, 9, 0, tzinfo=UTC),
        session_count=8,
        total_minutes=8 * 180,
    )


def text_of(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def test_core_fonts_carry_swedish_letters(monkeypatch):
    # fpdf2's built-in fonts are Latin-1, which holds å, ä and ö: no font file is needed for them.
    monkeypatch.setattr(certificates, "FONT_CANDIDATES", ())
    text = text_of(certificates.render_certificate_pdf(content("Åsa Ängström-Öhrn")))
    assert "Åsa Ängström-Öhrn" in text
    assert "Kursen slutfördes 6 oktober 2026." in text
    assert "Barnets behov av närhet: 6 oktober 2026" in text


def test_the_pdf_lists_what_was_done_with_issue_date_issuer_extent_and_a_plain_check_line():
    text = " ".join(text_of(certificates.render_certificate_pdf(content("Åsa Öberg"))).split())
    assert "Barnets behov av närhet: 6 oktober 2026" in text
    assert "Samarbete med föräldrar" not in text and "ej deltagit" not in text
    assert "Kursen omfattar 8 träffar, sammanlagt 24 timmar." in text
    assert "Utfärdat 8 oktober 2026 av Familjehemsresursen i Jönköpings län." in text
    assert (
        "Intyget kan kontrolleras på http://coursehub.test/intyg/ABCD2345EFGH med kontrollkoden ABCD2345EFGH."
        in text
    )


def test_names_beyond_latin_1_come_out_whole_with_a_system_font_and_never_fail():
    text = text_of(certificates.render_certificate_pdf(content("Łukasz Ødegård Åkesson")))
    if any(path.exists() for path in certificates.FONT_CANDIDATES):
        assert "Łukasz Ødegård Åkesson" in text
    else:  # core fonts only: the one letter outside Latin-1 is replaced, the rest is kept
        assert "?ukasz Ødegård Åkesson" in text


def test_the_chart_is_an_svg_without_scripts():
    svg = charts.rates_chart_svg([RateRow("Hösten 2026", 3, 1, 0)], title="Närvaro per kursomgång")
    assert svg.startswith("<?xml") and "<svg" in svg
    assert "<script" not in svg
    assert "Hösten 2026" in svg and "75 %" in svg
