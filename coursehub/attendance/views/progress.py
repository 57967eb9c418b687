"""A family's own progress (and advance absence notices), and a municipal worker's view."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf.csrf import generate_csrf

from coursehub import clock
from coursehub.accounts.models import Role, User
from coursehub.accounts.permissions import roles_required
from coursehub.attendance import permissions, queries, services
from coursehub.attendance.forms import AbsenceForm, status_labels
from coursehub.attendance.views import bp
from coursehub.attendance.views.progress_rows import ProgressRows
from coursehub.courses.models import CourseSession
from coursehub.errors import CoursehubError
from coursehub.lib.params import get_or_none, page_arg
from coursehub.lib.work import actor, attempt


def _render_my_progress(*, error: str | None = None, status: int = 200):
    now = clock.now()
    adults, upcoming = queries.adults_and_upcoming(current_user.household_id, now=now)
    progress = queries.progress_for_users([a.id for a in adults])
    return render_template(
        "attendance/my_progress.html",
        adults=adults,
        progress=progress,
        upcoming=upcoming,
        error=error,
        makeup=queries.makeup_candidates(adults, progress, now=now),
        rows=ProgressRows(
            status_labels(), csrf=generate_csrf(), makeup_action=url_for("attendance.family_makeup")
        ),
    ), status


@bp.get("/mina-framsteg")
@roles_required(Role.FAMILY)
def my_progress():
    """Show the family's themes, completions and certificates, and its coming sessions."""
    if not permissions.can_view_own_progress(current_user):
        abort(404)
    return _render_my_progress()


@bp.post("/mina-framsteg/franvaro")
@roles_required(Role.FAMILY)
def report_absence():
    """Report in advance that an adult of the family will miss a session."""
    if not permissions.can_view_own_progress(current_user):
        abort(404)
    form = AbsenceForm()
    if not form.validate():
        return _render_my_progress(error=next(iter(form.errors.values()))[0], status=422)
    session = get_or_none(CourseSession, form.session_id.data)
    person = get_or_none(User, form.user_id.data)

    def report() -> None:
        if session is None or person is None or not permissions.can_report_absence(current_user, person):
            raise CoursehubError(_("Välj en av era kommande träffar."), field="session_id")
        services.report_absence(
            session, person, reason=form.reason.data or "", actor=actor(), now=clock.now()
        )

    outcome = attempt(report, quiet=True)
    if outcome.error is not None:
        return _render_my_progress(error=outcome.error.message, status=422)
    flash(_("Frånvaron är anmäld. Kursledarna ser den på närvarolistan."), "success")
    return redirect(url_for("attendance.my_progress", _anchor="kommande"), code=303)


@bp.get("/kommun/framsteg")
@roles_required(Role.MUNICIPAL)
def municipal_progress():
    """Show the progress of the families of the worker's own municipality, a page at a time."""
    if not permissions.can_view_municipal_progress(current_user):
        abort(404)
    page = queries.municipality_households_page(current_user.municipality_id, page=page_arg())
    adults = [adult for household in page.items for adult in household.adults]
    progress = queries.progress_for_users([adult.id for adult in adults])
    return render_template(
        "attendance/municipal_progress.html",
        page=page,
        progress=progress,
        makeup=queries.makeup_candidates(adults, progress, now=clock.now()),
        rows=ProgressRows(
            status_labels(),
            csrf=generate_csrf(),
            makeup_action=url_for("attendance.household_makeup"),
            page=page.page,
        ),
    )
