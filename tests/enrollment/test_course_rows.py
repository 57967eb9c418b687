"""enrollment.views.course_rows: a family's sign-ups written in Python are the HTML the template wrote
for them on "Mina kurser", on every kind of row, escaped the same way."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import SimpleNamespace

import pytest
from flask import url_for
from flask_babel import force_locale
from markupsafe import Markup

from coursehub.courses.models import CourseRun, CourseSession, RunStatus
from coursehub.enrollment.labels import status_labels
from coursehub.enrollment.models import Enrollment, EnrollmentStatus
from coursehub.enrollment.queries import Progress
from coursehub.enrollment.views.course_rows import CourseRows
from coursehub.lib.urls import id_urls

# The template's own loop over the sign-ups, as enrollment/my_courses.html wrote it before.
TEMPLATE_ROWS = (Path(__file__).parent / "data" / "course_rows_template.html").read_text("utf-8")

NOW = datetime(2027, 1, 20, 12, 0, tzinfo=UTC)
ODD = 'Åsa "Lill-Å" <Öberg> & Co'
TOKEN = Markup('<input id="csrf_token" name="csrf_token" type="hidden" value="t&amp;k">')


def _enrollment(ident: int, status: EnrollmentStatus, run_status=RunStatus.PUBLISHED, **fields) -> Enrollment:
    run = CourseRun(id=100 + ident, title=f"Ett hem att växa i ({ident})", status=run_status)
    run.starts_at = NOW + timedelta(days=ident)
    values = {"waitlist_position": None, "offer_expires_at": None, "needs_approval": False}
    return Enrollment(id=ident, run_id=run.id, run=run, status=status, **(values | fields))


def _rows() -> tuple[list[Enrollment], dict, dict]:
    makeup = CourseSession(title=f"Tema 3: {ODD}", starts_at=NOW + timedelta(days=9))
    rows = [
        _enrollment(1, EnrollmentStatus.CONFIRMED),
        _enrollment(2, EnrollmentStatus.WAITLISTED, waitlist_position=2, needs_approval=True),
        _enrollment(
            3, EnrollmentStatus.OFFERED, offer_expires_at=NOW + timedelta(days=2), needs_approval=True
        ),
        _enrollment(4, EnrollmentStatus.OFFERED, offer_expires_at=NOW - timedelta(days=1)),  # too late
        _enrollment(5, EnrollmentStatus.CONFIRMED, RunStatus.COMPLETED),
        _enrollment(6, EnrollmentStatus.PENDING, makeup_session=makeup),
        _enrollment(7, EnrollmentStatus.CANCELLED),
        _enrollment(8, EnrollmentStatus.CONFIRMED),
    ]
    rows[5].run.title = ODD
    names = {row.id: ["Fia Familj", "Fia Familj 1"] for row in rows} | {6: [ODD]}
    next_one = SimpleNamespace(starts_at=NOW + timedelta(days=3, hours=5))
    progress = {
        1: Progress(held=3, total=8, next_session=next_one, is_finished=False),
        5: Progress(held=8, total=8, next_session=None, is_finished=True),
        8: Progress(held=0, total=0, next_session=None, is_finished=False),
    }
    return rows, names, progress


def _normal(html: str) -> str:
    return re.sub(r"\s+", " ", str(html)).strip()


@pytest.mark.parametrize("locale", ["sv", "en"])
def test_the_sign_ups_are_written_as_the_template_wrote_them(app, locale):
    rows, names, progress = _rows()
    with app.test_request_context("/"), force_locale(locale):
        urls = {
            "run": id_urls("courses.detail", "run_id"),
            "accept": id_urls("enrollment.accept_offer", "enrollment_id"),
            "cancel": id_urls("enrollment.cancel", "enrollment_id"),
            "needs": id_urls("enrollment.edit_needs", "enrollment_id"),
        }
        labels = status_labels(row.status for row in rows)
        shown = {"names": names, "progress": progress, "status_labels": labels, "urls": urls}
        expected = app.jinja_env.from_string(TEMPLATE_ROWS).render(
            rows=rows, now=NOW, csrf_input=TOKEN, **shown
        )
        accept = [urls["accept"](3), urls["accept"](4)]
        back = url_for("enrollment.my_courses")
        written = CourseRows(now=NOW, labels=labels, urls=urls, csrf_field=str(TOKEN), back=back)(
            rows, names, progress
        )
    assert _normal(written) == _normal(expected)
    # The checks the comparison rests on: the odd texts escaped, every kind of row there.
    assert written.count("<tr>") == len(rows)
    assert written.count("&lt;Öberg&gt; &amp; Co") == 4 and "<Öberg>" not in written  # title twice
    assert f'action="{accept[0]}"' in written and f'action="{accept[1]}"' not in written  # 4: too late
    assert written.count('name="reason"') == 6  # the active sign-ups of runs not ended
    assert written.count("<progress ") == 1 and written.count("run-finished") == 1
