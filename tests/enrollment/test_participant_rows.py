"""enrollment.views.participant_rows: the participant list's rows written in Python are the HTML the
template wrote for them, on every kind of row, for a leader and for staff, escaped the same way."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path
from types import SimpleNamespace

import pytest
from flask import url_for
from flask_babel import force_locale
from markupsafe import Markup

from coursehub.enrollment.models import EnrollmentStatus, ParticipantKind
from coursehub.enrollment.queries import ParticipantRow
from coursehub.enrollment.views.participant_rows import ParticipantRows
from coursehub.lib.urls import id_urls

# The template's own loop over a page of rows, as enrollment/participants.html wrote it before.
DATA = Path(__file__).parent / "data"
# The status macro as it was comes from the frozen copy test_actions.py compares with.
TEMPLATE_ROWS = (DATA / "actions_template.html").read_text("utf-8") + (
    DATA / "participant_rows_template.html"
).read_text("utf-8")

ODD = 'Åsa "Lill-Å" <Öberg> & Co'
EXPIRES = datetime(2027, 2, 1, 22, 0, tzinfo=UTC)
TOKEN = Markup('<input id="csrf_token" name="csrf_token" type="hidden" value="t&amp;k">')


def _row(ident: int, **fields) -> ParticipantRow:
    values = {
        "id": ident,
        "names": ["Anna Andersson", "Bo Berg"],
        "household_name": "Familjen Andersson Berg",
        "participant_kind": ParticipantKind.FAMILY,
        "municipality_name": "Jönköping",
        "status": EnrollmentStatus.CONFIRMED,
        "waitlist_position": None,
        "offer_expires_at": None,
        "needs_approval": False,
        "makeup_title": None,
        "needs_diet": "",
        "needs_accessibility": "",
        "needs_interpreter": "",
    }
    return ParticipantRow(**(values | fields))


def _rows() -> list[ParticipantRow]:
    return [
        _row(1),
        _row(2, names=[ODD], household_name=ODD, municipality_name=ODD, needs_diet="Gluten & <nötter>"),
        _row(
            3,
            names=["Cia Ek"],
            household_name=None,
            participant_kind=ParticipantKind.PROFESSIONAL,
            municipality_name=None,
            status=EnrollmentStatus.PENDING,
            needs_accessibility="Rullstol",
            needs_interpreter="arabiska",
        ),
        _row(4, status=EnrollmentStatus.WAITLISTED, waitlist_position=3, needs_approval=True),
        _row(5, status=EnrollmentStatus.OFFERED, offer_expires_at=EXPIRES, needs_approval=True),
        _row(6, status=EnrollmentStatus.OFFERED, offer_expires_at=EXPIRES, makeup_title=f"Tema 3 {ODD}"),
        _row(7, status=EnrollmentStatus.CANCELLED, needs_approval=True),
        _row(8, status=EnrollmentStatus.UNVERIFIED, needs_diet="Vegetarisk", needs_interpreter="<tigrinja>"),
    ]


def _normal(html: str) -> str:
    return re.sub(r"\s+", " ", str(html)).strip()


@pytest.mark.parametrize("locale", ["sv", "en"])
@pytest.mark.parametrize("can_cancel", [False, True])
def test_the_rows_are_written_as_the_template_wrote_them(app, locale, can_cancel):
    rows = _rows()
    with app.test_request_context("/"), force_locale(locale):
        back = url_for("enrollment.participants", run_id=9)
        expected = app.jinja_env.from_string(TEMPLATE_ROWS).render(
            rows=rows,
            can_cancel=can_cancel,
            cancel_form=SimpleNamespace(csrf_token=lambda: TOKEN),
            run=SimpleNamespace(id=9),
            cancel_url=lambda ident: url_for("enrollment.cancel", enrollment_id=ident),
        )
        cancel = (id_urls("enrollment.cancel", "enrollment_id"), str(TOKEN), back) if can_cancel else None
        written = ParticipantRows(cancel=cancel)(rows)
    assert _normal(written) == _normal(expected)
    # The checks the comparison rests on: the odd texts escaped, every kind of row there.
    assert written.count("<tr>") == len(rows)
    assert written.count("&lt;Öberg&gt; &amp; Co") == 4 and "<Öberg>" not in written
    assert "Gluten &amp; &lt;nötter&gt;" in written
    assert written.count("text-bg-light border") == 4  # two not yet approved, the cancelled, the unverified
    assert ('name="reason"' in written) is can_cancel
