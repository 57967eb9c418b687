"""Staff pages for course runs and their sessions."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Protocol, TypedDict, TypeVar

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import format_datetime
from flask_babel import gettext as _

from coursehub import clock
from coursehub.accounts.models import STAFF_ROLES, CountyPart, Municipality, User
from coursehub.accounts.permissions import roles_required
from coursehub.clock import to_local
from coursehub.courses import queries, services
from coursehub.courses.forms import (
    ActionForm,
    CancelRunForm,
    CancelSessionForm,
    CopyRunForm,
    NewRunForm,
    RunForm,
    SessionForm,
)
from coursehub.courses.models import CourseRun, CourseSession, CourseTheme, RunStatus, Venue
from coursehub.courses.views import bp, url_prefix
from coursehub.lib import nav
from coursehub.lib.checks import known
from coursehub.lib.forms import required
from coursehub.lib.localtime import local_moment
from coursehub.lib.params import page_arg
from coursehub.lib.work import actor, attempt

staff_only = roles_required(*STAFF_ROLES)


class _HasId(Protocol):
    @property
    def id(self) -> int: ...


RowT = TypeVar("RowT", bound=_HasId)
RunFormT = TypeVar("RunFormT", bound=RunForm)


class _RunLists(TypedDict):
    """What a run form offers to choose from."""

    venues: list[Venue]
    leaders: list[User]
    municipalities: list[Municipality]
    county_parts: list[CountyPart]


def _load_run(run_id: int) -> CourseRun:
    return queries.load_run_for_staff(run_id) or abort(404)


def _load_session(run: CourseRun, session_id: int) -> CourseSession:
    session = next((s for s in run.sessions if s.id == session_id), None)
    return session or abort(404)


def _by_id(items: Iterable[RowT], wanted: Iterable[int | None] | None) -> list[RowT]:
    index = {item.id: item for item in items}
    return [index[i] for i in wanted or () if i in index]


def _run_form(
    form_class: type[RunFormT], obj: CourseRun | None = None, **extra: object
) -> tuple[RunFormT, _RunLists]:
    lists = _RunLists(
        venues=queries.all_venues(),
        leaders=queries.leader_candidates(),
        municipalities=queries.member_municipalities(),
        county_parts=queries.all_county_parts(),
    )
    form = form_class(obj=obj, **lists, **extra)
    return form, lists


def _run_details(form: RunForm, lists: _RunLists) -> services.RunDetails:
    venue = _by_id(lists["venues"], [form.venue.data])
    return services.RunDetails(
        title=required(form.title),
        capacity=form.capacity.data,
        min_participants=form.min_participants.data,
        signup_opens_at=local_moment(
            required(form.signup_opens_date), required(form.signup_opens_time), field="signup_opens_time"
        ),
        signup_closes_at=local_moment(
            required(form.signup_closes_date), required(form.signup_closes_time), field="signup_closes_time"
        ),
        edition=form.edition.data or "",
        description=form.description.data or "",
        contact_name=form.contact_name.data or "",
        contact_email=form.contact_email.data or "",
        is_open_to_all=form.is_open_to_all.data,
        municipalities=_by_id(lists["municipalities"], form.municipalities.data),
        county_parts=_by_id(lists["county_parts"], form.county_parts.data),
        venue=venue[0] if venue else None,
        online_url=(form.online_url.data or None) if not venue else None,
        leaders=_by_id(lists["leaders"], form.leaders.data),
    )


@bp.get("/admin/kurser")
@staff_only
def admin_runs():
    """List every run for staff, filtered by status."""
    wanted = request.args.get("status", "")
    status = RunStatus(wanted) if wanted in {s.value for s in RunStatus} else None
    page = queries.admin_runs_page(status=status, page=page_arg())
    return render_template(
        "courses/admin_runs.html",
        page=page,
        status=status,
        statuses=list(RunStatus),
        # Each row's link is this plus the run's id: one url_for per page, not one per row.
        manage_url=url_prefix("courses.manage_run", "run_id"),
    )


@bp.route("/admin/kurser/ny", methods=["GET", "POST"])
@staff_only
def new_run():
    """Create a draft run from a course type, with one proposed session per theme, weekly."""
    types = [t for t in queries.all_course_types() if t.active_themes]
    form, lists = _run_form(NewRunForm, course_types=types)
    if request.method == "GET":
        form.course_type.data = request.args.get("typ", type=int)
    if form.validate_on_submit():
        course_type = _by_id(types, [form.course_type.data])[0]
        if not form.title.data:
            form.title.data = course_type.name
        outcome = attempt(
            lambda: services.create_run(
                course_type,
                actor=actor(),
                now=clock.now(),
                details=_run_details(form, lists),
                first_date=required(form.first_date),
                start_time=required(form.start_time),
                end_time=required(form.end_time),
            ),
            form=form,
        )
        if outcome.ok:
            run = known(outcome.value, "create_run returns the run it made")
            flash(_("Kursomgången är sparad som utkast. Kontrollera träffarna och publicera."), "success")
            return redirect(url_for("courses.manage_run", run_id=run.id))
    return render_template("courses/run_form.html", form=form, run=None)


@bp.get("/admin/kurser/<int:run_id>")
@staff_only
def manage_run(run_id: int):
    """Show a run to staff: its sessions, warnings and what can be done next."""
    run = _load_run(run_id)
    return _render_manage(run)


def _warnings(run: CourseRun) -> dict[int, list[str]]:
    """The run's own warnings per session, then those the areas built on courses add."""
    warnings = queries.session_warnings(run)
    for session_id, texts in nav.session_warnings(current_app, run, clock.now()).items():
        warnings.setdefault(session_id, []).extend(texts)
    return warnings


def _render_manage(run: CourseRun, publish_error: str | None = None, status: int = 200):
    return render_template(
        "courses/manage_run.html",
        run=run,
        warnings=_warnings(run),
        seats_left=run.seats_left,
        action_form=ActionForm(),
        publish_error=publish_error,
        is_editable=run.status in (RunStatus.DRAFT, RunStatus.PUBLISHED),
    ), status


@bp.route("/admin/kurser/<int:run_id>/redigera", methods=["GET", "POST"])
@staff_only
def edit_run(run_id: int):
    """Change a run's details."""
    run = _load_run(run_id)
    form, lists = _run_form(RunForm, obj=run)
    if request.method == "GET":
        opens, closes = to_local(run.signup_opens_at), to_local(run.signup_closes_at)
        form.signup_opens_date.data, form.signup_opens_time.data = opens.date(), opens.time()
        form.signup_closes_date.data, form.signup_closes_time.data = closes.date(), closes.time()
        form.leaders.data = [u.id for u in run.leaders]
        form.municipalities.data = [m.id for m in run.municipalities]
        form.county_parts.data = [p.id for p in run.county_parts]
        form.venue.data = run.venue_id
    if form.validate_on_submit():
        if attempt(
            lambda: services.update_run(
                run, actor=actor(), now=clock.now(), details=_run_details(form, lists)
            ),
            form=form,
        ).ok:
            flash(_("Ändringarna är sparade."), "success")
            return redirect(url_for("courses.manage_run", run_id=run.id))
    return render_template("courses/run_form.html", form=form, run=run)


def _session_form(
    run: CourseRun,
    obj: CourseSession | None = None,
) -> tuple[SessionForm, list[CourseTheme], list[Venue]]:
    themes = run.course_type.active_themes
    if obj is not None and obj.theme is not None and obj.theme not in themes:
        themes = [*themes, obj.theme]
    venues = queries.all_venues()
    return SessionForm(obj=obj, themes=themes, venues=venues), themes, venues


def _session_details(
    form: SessionForm, themes: Sequence[CourseTheme], venues: Sequence[Venue]
) -> services.SessionDetails:
    theme = _by_id(themes, [form.theme.data])
    venue = _by_id(venues, [form.venue.data])
    return services.SessionDetails(
        day=required(form.day),
        start_time=required(form.start_time),
        end_time=required(form.end_time),
        title=form.title.data or "",
        theme=theme[0] if theme else None,
        venue=venue[0] if venue else None,
        online_url=None if venue else (form.online_url.data or None),
        contents_note=form.contents_note.data or "",
        speakers=tuple(
            services.SpeakerDetails(name.data or "", title.data or "", organisation.data or "")
            for name, title, organisation in form.speaker_rows()
        ),
    )


def _fill_speakers(form: SessionForm, session: CourseSession) -> None:
    """Put the session's speakers into the form's rows (GET)."""
    for (name, title, organisation), speaker in zip(form.speaker_rows(), session.speakers, strict=False):
        name.data, title.data, organisation.data = speaker.name, speaker.title, speaker.organisation


@bp.route("/admin/kurser/<int:run_id>/traffar/<int:session_id>", methods=["GET", "POST"])
@staff_only
def edit_session(run_id: int, session_id: int):
    """Change a session's date, time, place or theme."""
    run = _load_run(run_id)
    session = _load_session(run, session_id)
    form, themes, venues = _session_form(run, obj=session)
    if request.method == "GET":
        start, end = to_local(session.starts_at), to_local(session.ends_at)
        form.day.data, form.start_time.data, form.end_time.data = start.date(), start.time(), end.time()
        form.theme.data, form.venue.data = session.theme_id, session.venue_id
        _fill_speakers(form, session)
    if form.validate_on_submit():
        if attempt(
            lambda: services.update_session(
                session, actor=actor(), now=clock.now(), details=_session_details(form, themes, venues)
            ),
            form=form,
            default="day",
        ).ok:
            flash(_("Träffen är ändrad."), "success")
            return redirect(url_for("courses.manage_run", run_id=run.id))
    return render_template("courses/session_form.html", form=form, run=run, session=session)


@bp.route("/admin/kurser/<int:run_id>/traffar/ny", methods=["GET", "POST"])
@staff_only
def add_session(run_id: int):
    """Add a session to a run."""
    run = _load_run(run_id)
    form, themes, venues = _session_form(run)
    if request.method == "GET":
        form.venue.data = run.venue_id
        form.online_url.data = run.online_url
        form.theme.data = request.args.get("tema", type=int)  # a replacement of a cancelled session
    if form.validate_on_submit():
        if attempt(
            lambda: services.add_session(
                run, actor=actor(), now=clock.now(), details=_session_details(form, themes, venues)
            ),
            form=form,
            default="day",
        ).ok:
            flash(_("Träffen är tillagd."), "success")
            return redirect(url_for("courses.manage_run", run_id=run.id))
    return render_template("courses/session_form.html", form=form, run=run, session=None)


@bp.post("/admin/kurser/<int:run_id>/traffar/<int:session_id>/ta-bort")
@staff_only
def remove_session(run_id: int, session_id: int):
    """Remove a session from a draft run (a published run's session is cancelled instead)."""
    run = _load_run(run_id)
    session = _load_session(run, session_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    outcome = attempt(lambda: services.remove_session(session, actor=actor(), now=clock.now()), quiet=True)
    if outcome.error is not None:
        return _render_manage(_load_run(run_id), publish_error=outcome.error.message, status=422)
    flash(_("Träffen är borttagen ur utkastet."), "success")
    return redirect(url_for("courses.manage_run", run_id=run.id))


@bp.route("/admin/kurser/<int:run_id>/traffar/<int:session_id>/stall-in", methods=["GET", "POST"])
@staff_only
def cancel_session(run_id: int, session_id: int):
    """Ask for a reason and a confirmation, then cancel one session and tell its families."""
    run = _load_run(run_id)
    session = _load_session(run, session_id)
    form = CancelSessionForm()
    if form.validate_on_submit():
        if attempt(
            lambda: services.cancel_session(
                session, reason=required(form.reason), actor=actor(), now=clock.now()
            ),
            form=form,
            default="reason",
        ).ok:
            flash(
                _(
                    "Träffen %(date)s är inställd och familjerna får besked. "
                    "Lägg till en ersättningsträff om temat ska hållas ändå.",
                    date=format_datetime(session.starts_at, "d MMMM y"),
                ),
                "success",
            )
            return redirect(url_for("courses.manage_run", run_id=run.id, _anchor=f"traff-{session.id}"))
    return render_template("courses/cancel_session.html", form=form, run=run, session=session)


@bp.post("/admin/kurser/<int:run_id>/publicera")
@staff_only
def publish_run(run_id: int):
    """Publish a draft run in the catalogue."""
    run = _load_run(run_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    outcome = attempt(lambda: services.publish_run(run, actor=actor(), now=clock.now()), quiet=True)
    if outcome.error is not None:
        return _render_manage(_load_run(run_id), publish_error=outcome.error.message, status=422)
    flash(_("Kursomgången är publicerad och syns i kurskatalogen."), "success")
    return redirect(url_for("courses.manage_run", run_id=run.id))


@bp.route("/admin/kurser/<int:run_id>/stall-in", methods=["GET", "POST"])
@staff_only
def cancel_run(run_id: int):
    """Cancel a run (sign-ups are handled by the enrollment area through a hook)."""
    run = _load_run(run_id)
    form = CancelRunForm()
    if form.validate_on_submit():
        if attempt(
            lambda: services.cancel_run(run, actor=actor(), now=clock.now(), reason=form.reason.data or ""),
            form=form,
            default="reason",
        ).ok:
            flash(_("Kursomgången är inställd."), "success")
            return redirect(url_for("courses.manage_run", run_id=run.id))
    return render_template("courses/cancel_run.html", form=form, run=run)


@bp.route("/admin/kurser/<int:run_id>/kopiera", methods=["GET", "POST"])
@staff_only
def copy_run(run_id: int):
    """Copy a run into a new draft whose sessions start on a chosen date."""
    run = _load_run(run_id)
    form = CopyRunForm()
    if form.validate_on_submit():
        outcome = attempt(
            lambda: services.copy_run(
                run, actor=actor(), now=clock.now(), first_date=required(form.first_date)
            ),
            form=form,
            default="first_date",
        )
        if outcome.ok:
            copy = known(outcome.value, "copy_run returns the copy it made")
            flash(_("Kopian är sparad som utkast."), "success")
            return redirect(url_for("courses.manage_run", run_id=copy.id))
    return render_template("courses/copy_run.html", form=form, run=run)
