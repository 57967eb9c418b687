"""The attendance sheet of a session, the leader's list of runs, and attendance per run."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from coursehub import clock
from coursehub.accounts.models import LEADER_ROLES, User
from coursehub.accounts.permissions import is_staff, roles_required
from coursehub.attendance import permissions, queries, services
from coursehub.attendance.forms import STATUS_LABELS, MarkAllForm, MarkForm, status_labels
from coursehub.attendance.models import AttendanceStatus
from coursehub.attendance.views import bp, sheet_rows
from coursehub.clock import to_local
from coursehub.courses import queries as course_queries
from coursehub.courses.models import CourseRun, CourseSession
from coursehub.lib.params import get_or_none, page_arg
from coursehub.lib.work import actor, attempt, load_or_404


@bp.get("/narvaro")
@roles_required(*LEADER_ROLES)
def runs():
    """The leader's start: tonight's and the coming meetings, sheets left empty, every run led."""
    if not permissions.can_list_attendance_runs(current_user):
        abort(403)
    now = clock.now()
    page = queries.runs_for_attendance(current_user, is_staff=is_staff(current_user), page=page_arg())
    coming = course_queries.next_sessions_for_leader(actor(), now=now)
    today = to_local(now).date()
    return render_template(
        "attendance/runs.html",
        page=page,
        tonight=[s for s in coming if to_local(s.starts_at).date() == today],
        coming=[s for s in coming if to_local(s.starts_at).date() != today],
        missing=queries.sessions_without_attendance([run.id for run in page.items], now),
    )


def _load_session(session_id: int) -> CourseSession:
    return load_or_404(
        CourseSession,
        session_id,
        allowed=permissions.can_record_attendance,
        options=queries.SHEET_SESSION_OPTIONS,
    )


def _search_arg() -> str:
    """Return the sheet's name filter (`?sok=`), kept short and plain."""
    return " ".join(request.args.get("sok", "").split())[:100]


def _render_sheet(
    session: CourseSession,
    *,
    error: str | None = None,
    error_user_id: int | None = None,
    status: int = 200,
):
    now = clock.now()
    search = _search_arg()
    is_open = services.sheet_is_open(session, now)
    return render_template(
        "attendance/sheet.html",
        session=session,
        run=session.run,
        households=queries.attendance_sheet(session, search=search),
        changes=queries.session_changes(session.id),
        is_open=is_open,
        not_open_message=None if is_open else services.not_open_message(session),
        search=search,
        status_labels=status_labels(),
        error=error,
        error_user_id=error_user_id,
        person_rows=sheet_rows.PersonRows,
    ), status


def _back_to_sheet(session: CourseSession, anchor: str | None = None):
    """Go back to the sheet, with its name filter, at `anchor` (POST/redirect/GET)."""
    search = _search_arg()
    if search:
        return redirect(
            url_for("attendance.sheet", session_id=session.id, sok=search, _anchor=anchor), code=303
        )
    return redirect(url_for("attendance.sheet", session_id=session.id, _anchor=anchor), code=303)


@bp.get("/traffar/<int:session_id>/narvaro")
@roles_required(*LEADER_ROLES)
def sheet(session_id: int):
    """Show the attendance sheet: the confirmed participants by household, three buttons each."""
    return _render_sheet(_load_session(session_id))


@bp.post("/traffar/<int:session_id>/narvaro/alla")
@roles_required(*LEADER_ROLES)
def mark_all(session_id: int):
    """Mark everyone not yet marked present (of one household, or the whole list) in one tap."""
    session = _load_session(session_id)
    form = MarkAllForm()
    if not form.validate():
        return _render_sheet(session, error=_("Välj en familj eller hela listan."), status=422)
    household_id = form.household_id.data
    outcome = attempt(
        lambda: services.mark_everyone_present(
            session, household_id=household_id, actor=actor(), now=clock.now()
        ),
        quiet=True,
    )
    if outcome.error is not None:
        return _render_sheet(session, error=outcome.error.message, status=422)
    made = outcome.value or 0
    flash(ngettext("Sparat: %(num)d markering.", "Sparat: %(num)d markeringar.", made), "success")
    return _back_to_sheet(session, f"household-{household_id}" if household_id else None)


@bp.post("/traffar/<int:session_id>/narvaro")
@roles_required(*LEADER_ROLES)
def mark(session_id: int):
    """Save one person's attendance (one tap), then go back to the sheet at that person."""
    session = _load_session(session_id)
    form = MarkForm()
    if not form.validate():
        message = next(iter(form.errors.values()))[0]
        return _render_sheet(session, error=message, status=422)
    person = get_or_none(User, form.user_id.data)
    if person is None:
        return _render_sheet(session, status=422, error=_("Personen är inte anmäld till den här träffen."))
    person_id, course_type = person.id, session.run.course_type
    status = form.chosen_status()

    def record() -> bool:
        """Record the mark; say whether it undoes a completion already recorded."""
        services.record_attendance(
            session, person, status=status, remark=form.remark.data or "", actor=actor(), now=clock.now()
        )
        return status != AttendanceStatus.PRESENT and services.completion_no_longer_met(person, course_type)

    outcome = attempt(record, quiet=True)
    if outcome.error is not None:
        return _render_sheet(session, error=outcome.error.message, error_user_id=person_id, status=422)
    lapsed = outcome.value
    flash(_("Sparat: %(name)s – %(status)s.", name=person.full_name, status=STATUS_LABELS[status]), "success")
    if lapsed:
        # The completion stands; staff see the certificate flagged and decide (see services).
        if course_type.issues_certificate:
            flash(
                _(
                    "Obs! %(name)s har redan slutfört kursen och fått intyg. Med den här ändringen "
                    "uppfyller närvaron inte längre kursens krav. Personalen ser det i listan över "
                    "intyg och avgör om intyget ska återkallas.",
                    name=person.full_name,
                ),
                "warning",
            )
        else:
            flash(
                _(
                    "Obs! %(name)s har redan slutfört kursen. Med den här ändringen uppfyller "
                    "närvaron inte längre kursens krav. Kontakta personalen.",
                    name=person.full_name,
                ),
                "warning",
            )
    return _back_to_sheet(session, f"person-{person.id}")


@bp.get("/admin/kurser/<int:run_id>/narvaro")
@roles_required(*LEADER_ROLES)
def run_attendance(run_id: int):
    """Show attendance per participant and theme for a run."""
    run = load_or_404(CourseRun, run_id, allowed=permissions.can_view_run_attendance)
    matrix = queries.run_matrix(run, page=page_arg())
    return render_template(
        "attendance/run.html",
        run=run,
        missing=queries.sessions_without_attendance([run.id], clock.now()).get(run.id, []),
        matrix=matrix,
        page=matrix.page,
        pages=matrix.pages,
        status_labels=status_labels(),
        links_households=permissions.is_staff(current_user),
    )
