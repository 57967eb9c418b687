"""Small helpers shared by the enrollment views."""

from __future__ import annotations

from flask import current_app, flash, redirect, request, url_for
from flask_babel import gettext as _

from coursehub.accounts.permissions import is_staff
from coursehub.courses.models import CourseRun, RunStatus
from coursehub.courses.permissions import sees_professional_courses
from coursehub.lib.forms import show_domain_error
from coursehub.lib.urls import safe_next
from coursehub.lib.work import ERROR, load_or_404


def _may_see(user, run: CourseRun) -> bool:
    if not run.course_type.is_for_families and not sees_professional_courses(user):
        return False  # a family never learns of a run for professionals only
    return run.status != RunStatus.DRAFT or is_staff(user)


def load_run(run_id: int) -> CourseRun:
    """Load a run or 404; drafts exist only for staff, runs for professionals only for professionals."""
    return load_or_404(CourseRun, run_id, allowed=_may_see)


def show_error(form):
    """Return how a domain error is shown on `form`: beside its field (the adults' checkbox group
    included), else flashed."""

    def show(error) -> None:
        if error.field == "adults":
            form.adults_error = error.message
        elif error.field in form._fields:
            show_domain_error(form, error)
        else:
            flash(error.message, ERROR)

    return show


def back(default_endpoint: str, **values):
    """Redirect to the posted `next` page (same site only) or to a default page."""
    target = request.form.get("next")
    return redirect(safe_next(target) if target else url_for(default_endpoint, **values))


def calendar_name() -> str:
    """Return the name a subscribed calendar shows: the organisation's courses."""
    return _("Kurser hos %(organisation)s", organisation=current_app.config["COURSEHUB_ORGANISATION"])
