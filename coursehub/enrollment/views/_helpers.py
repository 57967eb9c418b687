"""Small helpers shared by the enrollment views."""

from __future__ import annotations

from flask import abort, flash, redirect, request, url_for
from flask_login import current_user

from coursehub.accounts.models import User
from coursehub.accounts.permissions import is_staff
from coursehub.courses.models import CourseRun, RunStatus
from coursehub.enrollment.models import Enrollment
from coursehub.extensions import db
from coursehub.lib.forms import show_domain_error
from coursehub.lib.urls import safe_next


def actor():
    """Return the logged-in user object (not the proxy) to pass to a service."""
    return current_user._get_current_object()


def load_run(run_id: int, *, allow_draft: bool = False) -> CourseRun:
    """Load a run or 404; drafts exist only for staff."""
    run = db.get_or_404(CourseRun, run_id)
    if run.status == RunStatus.DRAFT and not (allow_draft or is_staff(current_user)):
        abort(404)
    return run


def load_enrollment(enrollment_id: int, predicate) -> Enrollment:
    """Load a sign-up the user may act on, or 404 (its existence must not leak)."""
    enrollment = db.session.get(Enrollment, enrollment_id)
    if enrollment is None or not predicate(current_user, enrollment):
        abort(404)
    return enrollment


def chosen_adults(ids) -> list[User]:
    """Load the users whose ids were posted; the service checks they belong to the household."""
    wanted = [int(i) for i in ids or () if str(i).isdigit()]
    if not wanted:
        return []
    from sqlalchemy import select

    return list(db.session.scalars(select(User).where(User.id.in_(wanted)).order_by(User.id)))


def show_error(form, error) -> None:
    """Put a domain error beside its field (the adults' checkbox group included), else flash it."""
    if error.field == "adults":
        form.adults_error = error.message
    elif error.field in form._fields:
        show_domain_error(form, error)
    else:
        flash(error.message, "error")


def back(default_endpoint: str, **values):
    """Redirect to the posted `next` page (same site only) or to a default page."""
    target = request.form.get("next")
    return redirect(safe_next(target) if target else url_for(default_endpoint, **values))
