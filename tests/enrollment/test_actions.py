"""enrollment.views.actions and badges: the accept and cancel forms and the status badge that the
household page, the approvals and a professional's courses print are the HTML the macros wrote."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from flask import url_for
from flask_babel import force_locale
from markupsafe import Markup

from coursehub.courses.models import CourseRun, RunStatus
from coursehub.enrollment.models import Enrollment, EnrollmentStatus
from coursehub.enrollment.views.actions import EnrollmentActions
from coursehub.enrollment.views.badges import status_badge

# The macros status_label and enrollment_actions, as templates/enrollment/_macros.html held them.
TEMPLATE = (Path(__file__).parent / "data" / "actions_template.html").read_text(encoding="utf-8")

NOW = datetime(2027, 1, 20, 12, 0, tzinfo=UTC)
TOKEN = Markup('<input name="csrf_token" type="hidden" value="t&amp;k">')
BACK = '/kommun/hushall/7?sida=2&x="y"'


def _enrollment(ident: int, status: EnrollmentStatus, run_status=RunStatus.PUBLISHED, **fields) -> Enrollment:
    run = CourseRun(id=100 + ident, title=f"Kurs {ident}", status=run_status)
    run.starts_at = NOW + timedelta(days=ident)
    values = {"waitlist_position": None, "offer_expires_at": None, "needs_approval": False}
    return Enrollment(id=ident, run_id=run.id, run=run, status=status, **(values | fields))


def _rows() -> list[Enrollment]:
    soon = NOW + timedelta(days=2)
    return [
        _enrollment(1, EnrollmentStatus.CONFIRMED),
        _enrollment(2, EnrollmentStatus.WAITLISTED, waitlist_position=2, needs_approval=True),
        _enrollment(3, EnrollmentStatus.WAITLISTED, waitlist_position=5),
        _enrollment(4, EnrollmentStatus.OFFERED, offer_expires_at=soon, needs_approval=True),
        _enrollment(5, EnrollmentStatus.OFFERED, offer_expires_at=NOW - timedelta(days=1)),  # too late
        _enrollment(6, EnrollmentStatus.CONFIRMED, RunStatus.COMPLETED),
        _enrollment(7, EnrollmentStatus.PENDING, needs_approval=True),
        _enrollment(8, EnrollmentStatus.CANCELLED),
        _enrollment(9, EnrollmentStatus.DECLINED),
        _enrollment(10, EnrollmentStatus.UNVERIFIED),
    ]


def _normal(html: str) -> str:
    """Runs of white space made one, and none beside a tag (where the macros left some)."""
    return re.sub(r"\s*([<>])\s*", r"\1", re.sub(r"\s+", " ", str(html))).strip()


@pytest.mark.parametrize("locale", ["sv", "en"])
def test_the_badges_and_forms_are_written_as_the_macros_wrote_them(app, locale):
    rows = _rows()
    with app.test_request_context("/"), force_locale(locale):
        macros = app.jinja_env.from_string(TEMPLATE).module
        form = type("Form", (), {"csrf_token": TOKEN})()  # the macro prints only a form's token
        actions = EnrollmentActions(now=NOW, csrf_field=TOKEN, back=BACK)
        written = [(status_badge(e), actions(e)) for e in rows]
        expected = [
            (macros.status_label(e), macros.enrollment_actions(e, NOW, form, form, BACK)) for e in rows
        ]
        accept = url_for("enrollment.accept_offer", enrollment_id=4)
        cancel = url_for("enrollment.cancel", enrollment_id=1)
    for (badge, forms), (macro_badge, macro_forms) in zip(written, expected, strict=True):
        assert _normal(badge) == _normal(macro_badge)
        assert _normal(forms) == _normal(macro_forms)
    # The checks the comparison rests on: every kind of badge and form there, the address escaped.
    badges = "".join(badge for badge, _forms in written)
    html = "".join(forms for _badge, forms in written)
    assert badges.count('<span class="badge') == len(rows) + 2  # two await the municipality
    for colour in ("success", "warning", "secondary", "info"):
        assert f"text-bg-{colour}" in badges
    # One offer still open to accept; six sign-ups of runs to come that can be cancelled.
    assert html.count("<form ") == 1 + 6 and f'action="{accept}"' in html and f'action="{cancel}"' in html
    assert html.count('value="/kommun/hushall/7?sida=2&amp;x=&#34;y&#34;"') == 7


def test_a_badge_follows_the_language_within_one_request(app):
    waiting = _enrollment(1, EnrollmentStatus.WAITLISTED, waitlist_position=2)
    with app.test_request_context("/"):
        with force_locale("sv"):
            swedish = status_badge(waiting)
        with force_locale("en"):
            english = status_badge(waiting)
    assert "Reservlista" in swedish and "Reservlista" not in english
