"""Staff pages for course types, their ordered themes, and venues."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from coursehub import clock
from coursehub.accounts.models import STAFF_ROLES, HomeKind
from coursehub.accounts.permissions import roles_required
from coursehub.courses import queries, services
from coursehub.courses.forms import ActionForm, CourseTypeForm, ThemeForm, VenueForm
from coursehub.courses.models import CourseKind, CourseTheme, CourseType, IntendedFor, Venue
from coursehub.courses.views import bp
from coursehub.lib.checks import known
from coursehub.lib.forms import required
from coursehub.lib.work import actor, attempt, load_or_404

staff_only = roles_required(*STAFF_ROLES)


def _type_details(form: CourseTypeForm, kinds: list[HomeKind]) -> services.TypeDetails:
    return services.TypeDetails(
        name=required(form.name),
        kind=CourseKind(form.kind.data),
        description=form.description.data or "",
        audience=form.audience.data or "",
        allowed_absences=required(form.allowed_absences),
        allows_makeup=form.allows_makeup.data,
        issues_certificate=form.issues_certificate.data,
        requires_municipal_approval=form.requires_municipal_approval.data,
        home_kinds=tuple(k for k in kinds if k.id in set(form.aimed_at.data or ())),
        intended_for=IntendedFor(form.intended_for.data),
    )


def _theme_details(form: ThemeForm) -> services.ThemeDetails:
    return services.ThemeDetails(
        title=required(form.title),
        description=form.description.data or "",
        mandatory_content=form.mandatory_content.data or "",
        optional_exercises=form.optional_exercises.data or "",
        suggested_minutes=required(form.suggested_minutes),
    )


@bp.get("/admin/kurstyper")
@staff_only
def admin_types():
    """List course types."""
    return render_template("courses/types.html", types=queries.all_course_types())


@bp.route("/admin/kurstyper/ny", methods=["GET", "POST"])
@staff_only
def new_type():
    """Create a course type; its first theme is entered on the same page."""
    kinds = queries.all_home_kinds()
    form = CourseTypeForm(home_kinds=kinds)
    theme_form = ThemeForm(prefix="theme")
    if request.method == "GET":
        form.allowed_absences.data = 0
    if form.validate_on_submit() & theme_form.validate():
        outcome = attempt(
            lambda: services.create_course_type(
                actor=actor(),
                now=clock.now(),
                details=_type_details(form, kinds),
                themes=[_theme_details(theme_form)],
            ),
            form=form,
        )
        if outcome.ok:
            course_type = known(outcome.value, "create_course_type returns the type it made")
            flash(_("Kurstypen är sparad."), "success")
            return redirect(url_for("courses.edit_type", type_id=course_type.id))
    return render_template("courses/type_new.html", form=form, theme_form=theme_form)


def _stored_type_form(course_type: CourseType) -> CourseTypeForm:
    """Return the type's form as stored, for a page that shows an error of another form."""
    form = CourseTypeForm(obj=course_type, formdata=None, home_kinds=queries.all_home_kinds())
    form.aimed_at.data = [k.id for k in course_type.home_kinds]
    return form


def _render_type(course_type: CourseType, form, theme_form, status: int = 200):
    return render_template(
        "courses/type_edit.html",
        course_type=course_type,
        form=form,
        theme_form=theme_form,
        action_form=ActionForm(),
        runs_count=queries.runs_using_type(course_type.id),
    ), status


@bp.route("/admin/kurstyper/<int:type_id>", methods=["GET", "POST"])
@staff_only
def edit_type(type_id: int):
    """Change a course type's texts and completion settings; show its themes."""
    course_type = load_or_404(CourseType, type_id)
    kinds = queries.all_home_kinds()
    form = CourseTypeForm(obj=course_type, home_kinds=kinds)
    if request.method == "GET":
        form.aimed_at.data = [k.id for k in course_type.home_kinds]
    if form.validate_on_submit():
        if attempt(
            lambda: services.update_course_type(
                course_type, actor=actor(), now=clock.now(), details=_type_details(form, kinds)
            ),
            form=form,
        ).ok:
            flash(_("Kurstypen är sparad."), "success")
            return redirect(url_for("courses.edit_type", type_id=type_id))
    return _render_type(course_type, form, ThemeForm(prefix="theme", formdata=None))


@bp.post("/admin/kurstyper/<int:type_id>/teman")
@staff_only
def add_theme(type_id: int):
    """Add a theme at the end of the list (existing runs keep their sessions)."""
    course_type = load_or_404(CourseType, type_id)
    theme_form = ThemeForm(prefix="theme")
    if theme_form.validate_on_submit():
        if attempt(
            lambda: services.add_theme(
                course_type, actor=actor(), now=clock.now(), details=_theme_details(theme_form)
            ),
            form=theme_form,
        ).ok:
            flash(_("Temat är tillagt. Kursomgångar som redan finns påverkas inte."), "success")
            return redirect(url_for("courses.edit_type", type_id=type_id))
    return _render_type(course_type, _stored_type_form(course_type), theme_form, 422)


def _load_theme(type_id: int, theme_id: int) -> CourseTheme:
    return load_or_404(CourseTheme, theme_id, allowed=lambda user, theme: theme.course_type_id == type_id)


@bp.route("/admin/kurstyper/<int:type_id>/teman/<int:theme_id>", methods=["GET", "POST"])
@staff_only
def edit_theme(type_id: int, theme_id: int):
    """Change a theme's texts; sessions of existing runs keep their titles."""
    theme = _load_theme(type_id, theme_id)
    form = ThemeForm(obj=theme)
    if form.validate_on_submit():
        if attempt(
            lambda: services.update_theme(
                theme, actor=actor(), now=clock.now(), details=_theme_details(form)
            ),
            form=form,
        ).ok:
            flash(_("Temat är sparat. Kursomgångar som redan finns behåller sina träffar."), "success")
            return redirect(url_for("courses.edit_type", type_id=type_id))
    return render_template(
        "courses/theme_form.html", form=form, theme=theme, runs_count=queries.runs_using_type(type_id)
    )


@bp.post("/admin/kurstyper/<int:type_id>/teman/<int:theme_id>/ta-bort")
@staff_only
def remove_theme(type_id: int, theme_id: int):
    """Take a theme out of the list: retired if a run used it, else deleted."""
    theme = _load_theme(type_id, theme_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    outcome = attempt(lambda: services.remove_theme(theme, actor=actor(), now=clock.now()), quiet=True)
    if outcome.error is not None:
        form = _stored_type_form(theme.course_type)
        form.form_errors.append(outcome.error.message)
        return _render_type(theme.course_type, form, ThemeForm(prefix="theme", formdata=None), 422)
    flash(
        _(
            "Temat används i kursomgångar och är därför arkiverat: de behåller sina träffar, "
            "nya omgångar får det inte."
        )
        if outcome.value
        else _("Temat är borttaget."),
        "success",
    )
    return redirect(url_for("courses.edit_type", type_id=type_id))


@bp.post("/admin/kurstyper/<int:type_id>/teman/<int:theme_id>/flytta")
@staff_only
def move_theme(type_id: int, theme_id: int):
    """Move a theme one step up or down."""
    theme = _load_theme(type_id, theme_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    offset = -1 if request.form.get("riktning") == "upp" else 1
    attempt(lambda: services.move_theme(theme, actor=actor(), now=clock.now(), offset=offset))
    return redirect(url_for("courses.edit_type", type_id=type_id))


@bp.get("/admin/lokaler")
@staff_only
def admin_venues():
    """List venues."""
    return render_template("courses/venues.html", venues=queries.all_venues())


def _venue_page(venue: Venue | None):
    municipalities = queries.all_municipalities()
    form = VenueForm(obj=venue, municipalities=municipalities)
    if request.method == "GET" and venue is not None:
        form.municipality.data = venue.municipality_id
    if form.validate_on_submit():
        chosen = next((m for m in municipalities if m.id == form.municipality.data), None)
        details = services.VenueDetails(
            name=required(form.name),
            street=form.street.data or "",
            postcode=form.postcode.data or "",
            city=form.city.data or "",
            municipality=chosen,
            accessibility_notes=form.accessibility_notes.data or "",
        )
        if attempt(
            lambda: services.save_venue(venue, actor=actor(), now=clock.now(), details=details), form=form
        ).ok:
            flash(_("Lokalen är sparad."), "success")
            return redirect(url_for("courses.admin_venues"))
    return render_template("courses/venue_form.html", form=form, venue=venue)


@bp.route("/admin/lokaler/ny", methods=["GET", "POST"])
@staff_only
def new_venue():
    """Add a venue."""
    return _venue_page(None)


@bp.route("/admin/lokaler/<int:venue_id>", methods=["GET", "POST"])
@staff_only
def edit_venue(venue_id: int):
    """Change a venue."""
    return _venue_page(load_or_404(Venue, venue_id))
