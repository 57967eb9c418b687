"""Invite a chosen group of families to a run: count them first, then send."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from coursehub import clock
from coursehub.accounts.models import Role
from coursehub.accounts.permissions import roles_required
from coursehub.attendance import invites, permissions
from coursehub.attendance.forms import InviteGroupForm
from coursehub.attendance.views import bp
from coursehub.courses.models import CourseRun
from coursehub.enrollment.queries import open_runs_for
from coursehub.lib.checks import known
from coursehub.lib.work import actor, attempt, load_or_404


def _choice(form: InviteGroupForm) -> invites.Choice:
    return invites.Choice(
        home_kind_ids=invites.ids(form.home_kinds.data),
        municipality_ids=invites.ids(form.municipalities.data),
        county_part_ids=invites.ids(form.county_parts.data),
        without_basic_training=bool(form.without_basic_training.data),
    )


@bp.route("/kurser/<int:run_id>/bjud-in", methods=["GET", "POST"])
@roles_required(Role.STAFF, Role.ADMIN, Role.MUNICIPAL)
def invite_group(run_id: int):
    """Choose families by kind of home, place or basic training; see how many; send the invitation."""
    run = load_or_404(CourseRun, run_id, allowed=permissions.can_invite_group)
    lists = invites.choice_lists(run, actor())
    form = InviteGroupForm(lists=lists)
    preview = None
    if request.method == "POST" and form.validate_on_submit():
        choice = _choice(form)
        if form.sending:
            outcome = attempt(
                lambda: invites.send_group_invite(run, choice, actor=actor(), now=clock.now()), form=form
            )
            if outcome.ok:
                sent = known(outcome.value, "send_group_invite returns how many it queued")
                if sent:
                    flash(_("Inbjudan är skickad till %(n)d vuxna.", n=sent), "success")
                else:
                    flash(_("Alla i urvalet har redan fått inbjudan. Inget skickades en gång till."), "info")
                return redirect(url_for("attendance.invite_group", run_id=run.id))
        else:
            preview = invites.preview_group_invite(run, choice, actor=actor())
    return render_template(
        "attendance/invite_group.html",
        run=run,
        form=form,
        preview=preview,
        is_staff=current_user.is_staff,
        municipality=current_user.municipality,
    )


@bp.get("/kommun/bjud-in")
@roles_required(Role.MUNICIPAL)
def municipal_invites():
    """A municipal worker's list of runs open to their municipality, to invite its families to."""
    if not permissions.can_invite_own_families(current_user):
        abort(404)
    runs = open_runs_for(current_user.municipality, clock.now(), limit=50)
    return render_template("attendance/municipal_invites.html", runs=runs)
