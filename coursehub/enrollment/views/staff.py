"""Pages of staff and course leaders: participants, exports, waiting list, counts per municipality."""

from __future__ import annotations

from flask import Response, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from coursehub import clock
from coursehub.accounts import county
from coursehub.accounts.models import FIGURE_ROLES, LEADER_ROLES, STAFF_ROLES
from coursehub.accounts.permissions import roles_required
from coursehub.courses.models import CourseRun
from coursehub.enrollment import exports, permissions, queries, services
from coursehub.enrollment.forms import ReasonForm, ReorderForm
from coursehub.enrollment.models import Enrollment
from coursehub.enrollment.views import bp
from coursehub.enrollment.views.participant_rows import ParticipantRows
from coursehub.lib.forms import first_error, hidden_token
from coursehub.lib.params import page_arg
from coursehub.lib.terms import parse_term, term_of, terms_around
from coursehub.lib.urls import id_urls
from coursehub.lib.work import ERROR, actor, attempt, load_or_404

# Rows (run × municipality) on one page of the participants per municipality; a national term
# has thousands.
MUNICIPALITY_ROWS_PER_PAGE = 50


def _visible_run(run_id: int):
    return load_or_404(
        CourseRun, run_id, allowed=permissions.can_see_participants, options=queries.RUN_WITH_LEADERS
    )


@bp.get("/kurser/<int:run_id>/deltagare")
@roles_required(*LEADER_ROLES)
def participants(run_id: int):
    """The run's participants with municipality and needs, a page at a time."""
    run = _visible_run(run_id)
    page = queries.participant_page(run.id, page=page_arg())
    taken = run.seats_taken
    can_cancel = permissions.is_staff(current_user)
    cancel = None
    if can_cancel:
        back = url_for("enrollment.participants", run_id=run.id)
        # One url_for for every row's cancel address.
        cancel = (id_urls("enrollment.cancel", "enrollment_id"), hidden_token(ReasonForm()), back)
    return render_template(
        "enrollment/participants.html",
        run=run,
        page=page,
        taken=taken,
        can_cancel=can_cancel,
        rows=ParticipantRows(cancel=cancel)(page.items),
    )


@bp.get("/kurser/<int:run_id>/deltagare/utskrift")
@roles_required(*LEADER_ROLES)
def participants_print(run_id: int):
    """A printable list of every participant (bounded by the run's capacity)."""
    run = _visible_run(run_id)
    rows = exports.participant_rows(queries.participants(run.id, page=None))
    return render_template(
        "enrollment/participants_print.html", run=run, rows=rows, headings=exports.headings()
    )


def _download(body: bytes, mimetype: str, filename: str) -> Response:
    response = Response(body, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@bp.get("/kurser/<int:run_id>/deltagare.csv")
@roles_required(*LEADER_ROLES)
def participants_csv(run_id: int):
    """Download the participants as CSV."""
    run = _visible_run(run_id)
    rows = exports.participant_rows(queries.participants(run.id, page=None))
    return _download(exports.to_csv(rows), "text/csv", f"deltagare-{run.id}.csv")


@bp.get("/kurser/<int:run_id>/deltagare.xlsx")
@roles_required(*LEADER_ROLES)
def participants_xlsx(run_id: int):
    """Download the participants as an Excel workbook."""
    run = _visible_run(run_id)
    rows = exports.participant_rows(queries.participants(run.id, page=None))
    return _download(
        exports.to_xlsx(rows, title=run.title),
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        f"deltagare-{run.id}.xlsx",
    )


@bp.get("/kurser/<int:run_id>/reservlista")
@roles_required(*STAFF_ROLES)
def waitlist(run_id: int):
    """The run's waiting list, in order, with a form to move a household."""
    run = load_or_404(CourseRun, run_id)
    return render_template(
        "enrollment/waitlist.html", run=run, rows=queries.waitlist(run.id), form=ReorderForm()
    )


@bp.post("/anmalan/<int:enrollment_id>/flytta")
@roles_required(*STAFF_ROLES)
def reorder(enrollment_id: int):
    """Move a household on the waiting list, with a reason (audited)."""
    enrollment = load_or_404(
        Enrollment, enrollment_id, allowed=lambda user, e: permissions.can_manage_waitlist(user)
    )
    form = ReorderForm()
    if form.validate_on_submit():
        position, reason = form.move()
        if attempt(
            lambda: services.reorder_waitlist(
                enrollment, position, actor=actor(), now=clock.now(), reason=reason
            )
        ).ok:
            flash(_("Reservlistan är ändrad."), "success")
            return redirect(url_for("enrollment.waitlist", run_id=enrollment.run_id))
    else:
        flash(first_error(form) or _("Kontrollera uppgifterna."), ERROR)
    return redirect(url_for("enrollment.waitlist", run_id=enrollment.run_id))


@bp.get("/kurser/deltagare-per-kommun")
@roles_required(*FIGURE_ROLES)
def municipality_counts():
    """Confirmed participants per run and municipality in a term."""
    term = parse_term(request.args.get("termin")) or term_of(clock.now())
    participation = queries.term_participation(term, page=page_arg(), per_page=MUNICIPALITY_ROWS_PER_PAGE)
    page, totals = participation.page, participation.totals
    membership = county.part_membership()
    counted = {row.municipality for row in totals}
    terms = terms_around(term)
    # Staff (not the steering group) are warned of a flood of unconfirmed self-registrations.
    busy = (
        queries.busy_unconfirmed_municipalities(
            now=clock.now(), more_than=current_app.config["COURSEHUB_REGISTER_WARN_UNCONFIRMED"]
        )
        if current_user.is_staff
        else []
    )
    return render_template(
        "enrollment/municipality_counts.html",
        page=page,
        part_sums=queries.sums_per_part(totals, membership.parts_of),
        # Only those with participants this term: they are the ones counted twice.
        shared={name: membership.parts_of[name] for name in membership.shared() if name in counted},
        has_parts=bool(membership.parts_of),
        term=term,
        terms=terms,
        busy=busy,
        busy_threshold=current_app.config["COURSEHUB_REGISTER_WARN_UNCONFIRMED"],
        confirm_hours=current_app.config["COURSEHUB_REGISTER_CONFIRM_HOURS"],
    )
