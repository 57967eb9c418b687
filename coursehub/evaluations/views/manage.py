"""A run's evaluation: its response rate for staff and the run's leaders; staff open it early."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response as WerkzeugResponse

from coursehub import clock
from coursehub.accounts.permissions import login_required
from coursehub.courses.models import CourseRun
from coursehub.evaluations import permissions, queries
from coursehub.evaluations.forms import ButtonForm
from coursehub.evaluations.services import course
from coursehub.evaluations.views import bp
from coursehub.lib.work import actor, attempt, load_or_404


@bp.get("/kursomgangar/<int:run_id>/utvardering")
@login_required
def run_evaluation(run_id: int) -> str:
    """Show whether a run's evaluation is open, how many were asked and how many have answered."""
    run = load_or_404(CourseRun, run_id, allowed=permissions.can_view_run_evaluation)
    evaluation = queries.run_evaluation(run.id)
    answered = queries.answered_count(evaluation.id) if evaluation is not None else 0
    return render_template(
        "evaluations/run.html",
        run=run,
        evaluation=evaluation,
        answered=answered,
        is_open=evaluation is not None and evaluation.is_open(clock.now()),
        can_open=evaluation is None and permissions.can_manage_evaluations(current_user),
        button=ButtonForm(),
    )


@bp.post("/kursomgangar/<int:run_id>/utvardering/oppna")
@login_required
def open_early(run_id: int) -> WerkzeugResponse:
    """Open the run's evaluation now, for answering at the last meeting; attendees get their links."""
    run = load_or_404(CourseRun, run_id, allowed=lambda user, _run: permissions.can_manage_evaluations(user))
    if ButtonForm().validate_on_submit():
        if attempt(lambda: course.open_early(run, actor=actor(), now=clock.now())).ok:
            flash(_("Utvärderingen är öppnad och deltagarna har fått sina länkar."), "success")
    return redirect(url_for("evaluations.run_evaluation", run_id=run_id))
