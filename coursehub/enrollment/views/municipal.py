"""Pages of municipal workers: their households, signing one up, approvals."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from coursehub import clock
from coursehub.accounts import queries as account_queries
from coursehub.accounts.models import Household, Role
from coursehub.accounts.permissions import roles_required
from coursehub.accounts.queries import HouseholdAdult
from coursehub.courses.models import CourseRun
from coursehub.enrollment import permissions, queries, services
from coursehub.enrollment.forms import EmptyForm, HouseholdSignUpForm, NewHouseholdForm, ReasonForm
from coursehub.enrollment.models import Enrollment
from coursehub.enrollment.views import bp
from coursehub.enrollment.views._helpers import back, show_error
from coursehub.enrollment.views.actions import EnrollmentActions
from coursehub.lib.forms import first_error, hidden_token
from coursehub.lib.params import get_or_none, page_arg
from coursehub.lib.work import ERROR, actor, attempt, load_or_404


def _own_household(household_id: int) -> Household:
    return load_or_404(Household, household_id, allowed=permissions.can_manage_household)


@bp.get("/kommun/hushall")
@roles_required(Role.MUNICIPAL)
def households():
    """The municipality's households, a page at a time."""
    if not permissions.is_municipal(current_user):
        abort(404)
    page = queries.municipality_households(current_user.municipality_id, page=page_arg())
    return render_template("enrollment/households.html", page=page)


@bp.route("/kommun/hushall/ny", methods=["GET", "POST"])
@roles_required(Role.MUNICIPAL)
def new_household():
    """Add a household of the municipality; its adults are invited by e-mail."""
    if not permissions.is_municipal(current_user):
        abort(404)
    form = NewHouseholdForm()
    if form.validate_on_submit():
        adults = [services.NewAdult(name.data or "", email.data or "") for name, email in form.adult_rows()]
        outcome = attempt(
            lambda: services.create_household(
                name=form.household_name.data or "",
                municipality=current_user.municipality,
                adults=adults,
                actor=actor(),
                now=clock.now(),
            ),
            show=show_error(form),
        )
        added = outcome.value  # the new household, or None when a rule was broken
        if added is not None:
            flash(_("Hushållet är tillagt och de vuxna har fått en inbjudan per e-post."), "success")
            return redirect(url_for("enrollment.household", household_id=added.id))
    return render_template("enrollment/new_household.html", form=form)


def _sign_up_form(household: Household) -> tuple[list[HouseholdAdult], HouseholdSignUpForm]:
    """The household's adults (by name) and the form that signs them up for an open run."""
    adults = account_queries.household_adults(household.id)
    runs = queries.open_runs_for(household.municipality, clock.now())
    return adults, HouseholdSignUpForm(adults=adults, runs=runs)


def _household_page(household: Household, adults: list[HouseholdAdult], form: HouseholdSignUpForm):
    page = queries.household_enrollments(household.id, page=page_arg())
    button_form = EmptyForm()
    return render_template(
        "enrollment/household.html",
        household=household,
        adults=adults,
        form=form,
        page=page,
        button_form=button_form,
        actions=EnrollmentActions(
            now=clock.now(),
            csrf_field=hidden_token(button_form),
            back=url_for("enrollment.household", household_id=household.id),
        ),
    )


@bp.get("/kommun/hushall/<int:household_id>")
@roles_required(Role.MUNICIPAL)
def household(household_id: int):
    """One household: its adults, its sign-ups, and a form to sign it up for a run."""
    household = _own_household(household_id)
    adults, form = _sign_up_form(household)
    form.persons.data = [adult.id for adult in adults]
    return _household_page(household, adults, form)


@bp.post("/kommun/hushall/<int:household_id>/anmalan")
@roles_required(Role.MUNICIPAL)
def sign_up_household(household_id: int):
    """Sign up adults of the household for a run; no further approval is needed."""
    household = _own_household(household_id)
    adults, form = _sign_up_form(household)
    form.persons.validate_choice = False
    form.run_id.validate_choice = False
    if form.validate_on_submit():
        run = get_or_none(CourseRun, form.run_id.data)
        if run is None:
            form.run_id.errors = [*form.run_id.errors, _("Välj en kursomgång.")]
        elif attempt(
            lambda: services.sign_up(
                run,
                household,
                queries.users_by_ids(form.persons.data),
                actor=actor(),
                now=clock.now(),
                **form.needs(),
            ),
            show=show_error(form),
        ).ok:
            flash(_("Hushållet är anmält."), "success")
            return redirect(url_for("enrollment.household", household_id=household.id))
    return _household_page(household, adults, form)


@bp.post("/kommun/hushall/<int:household_id>/bekrafta")
@roles_required(Role.MUNICIPAL)
def confirm_household(household_id: int):
    """Confirm a household that registered itself."""
    household = _own_household(household_id)
    if (
        EmptyForm().validate_on_submit()
        and attempt(lambda: services.confirm_household(household, actor=actor(), now=clock.now())).ok
    ):
        flash(_("Hushållet är bekräftat."), "success")
    return redirect(url_for("enrollment.household", household_id=household.id))


@bp.get("/kommun/godkannanden")
@roles_required(Role.MUNICIPAL)
def approvals():
    """Families' sign-ups that wait for the municipality's decision."""
    if not permissions.is_municipal(current_user):
        abort(404)
    page = queries.pending_approvals(current_user.municipality_id, page=page_arg())
    return render_template(
        "enrollment/approvals.html", page=page, button_form=EmptyForm(), decline_form=ReasonForm()
    )


@bp.post("/anmalan/<int:enrollment_id>/godkann")
@roles_required(Role.MUNICIPAL)
def approve(enrollment_id: int):
    """Approve a family's sign-up."""
    enrollment = load_or_404(Enrollment, enrollment_id, allowed=permissions.can_decide_enrollment)
    if (
        EmptyForm().validate_on_submit()
        and attempt(lambda: services.approve_enrollment(enrollment, actor=actor(), now=clock.now())).ok
    ):
        flash(_("Anmälan är godkänd och familjen har fått besked."), "success")
    return back("enrollment.approvals")


@bp.post("/anmalan/<int:enrollment_id>/avsla")
@roles_required(Role.MUNICIPAL)
def decline(enrollment_id: int):
    """Decline a family's sign-up; the family gets an e-mail."""
    enrollment = load_or_404(Enrollment, enrollment_id, allowed=permissions.can_decide_enrollment)
    form = ReasonForm()
    if form.validate_on_submit():
        if attempt(
            lambda: services.decline_enrollment(
                enrollment, actor=actor(), now=clock.now(), reason=form.reason.data or ""
            )
        ).ok:
            flash(_("Anmälan är avslagen och familjen har fått besked."), "success")
    else:
        flash(first_error(form) or _("Kontrollera uppgifterna."), ERROR)
    return back("enrollment.approvals")
