"""Pages of families: sign-up, sign-up without an account, my courses, cancel, accept an offer."""

from __future__ import annotations

from collections.abc import Callable

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from coursehub import clock
from coursehub.accounts import queries as account_queries
from coursehub.accounts.models import Municipality, Role
from coursehub.accounts.permissions import login_required, roles_required
from coursehub.enrollment import permissions, queries, services
from coursehub.enrollment.forms import EmptyForm, NeedsForm, ReasonForm, RegisterFamilyForm, SignUpForm
from coursehub.enrollment.labels import status_labels
from coursehub.enrollment.models import Enrollment, EnrollmentStatus
from coursehub.enrollment.views import bp
from coursehub.enrollment.views._helpers import back, calendar_name, load_run, show_error
from coursehub.enrollment.views.course_rows import CourseRows
from coursehub.lib import ical, ratelimits
from coursehub.lib.email_address import email_or_none
from coursehub.lib.forms import first_error, hidden_token
from coursehub.lib.params import get_or_none, page_arg
from coursehub.lib.urls import id_urls
from coursehub.lib.work import ERROR, actor, attempt, load_or_404

# Where a family reports absence from a meeting (the attendance area's page; a path, since
# enrollment does not know the areas built on it).
ABSENCE_PATH = "/mina-framsteg"

STATUS_MESSAGES = {
    EnrollmentStatus.CONFIRMED: _l(
        "Anmälan är bekräftad. Ni får en bekräftelse med kalenderinbjudan per e-post."
    ),
    EnrollmentStatus.PENDING: _l("Anmälan är mottagen och väntar på att kommunen godkänner den."),
    EnrollmentStatus.WAITLISTED: _l(
        "Kursen är full. Ni står på reservlistan och får ett e-postmeddelande om en plats blir ledig."
    ),
}


def _status_message(status) -> str:
    return str(STATUS_MESSAGES[status])


@bp.route("/kurser/<int:run_id>/anmalan", methods=["GET", "POST"])
def sign_up(run_id: int):
    """A family member signs up adults of their household for a run.

    A visitor who is not logged in is offered the two ways in: log in, or register as a family.
    """
    if not current_user.is_authenticated and request.method == "GET":
        run = load_run(run_id)
        return render_template(
            "enrollment/sign_up_choice.html", run=run, signup_open=run.is_signup_open(clock.now())
        )
    return _family_sign_up(run_id)


@roles_required(Role.FAMILY)
def _family_sign_up(run_id: int):
    run = load_run(run_id)
    if not permissions.can_sign_up_own_household(current_user, run):
        abort(404)
    household = current_user.household
    adults = account_queries.household_adults(household.id)
    form = SignUpForm(adults=adults)
    form.persons.validate_choice = False
    if form.validate_on_submit():
        outcome = attempt(
            lambda: services.sign_up(
                run,
                household,
                queries.users_by_ids(form.persons.data),
                actor=actor(),
                now=clock.now(),
                **form.needs(),
            ),
            show=show_error(form),
        )
        if outcome.value is not None:  # signed up (else the error stands beside its field)
            flash(_status_message(outcome.value.status), "success")
            return redirect(url_for("enrollment.my_courses"))
    elif request.method == "GET":
        form.persons.data = [adult.id for adult in adults]
    return render_template(
        "enrollment/sign_up.html",
        run=run,
        form=form,
        household=household,
        signup_open=run.is_signup_open(clock.now()),
    )


TOO_MANY = _l(
    "Det har kommit många anmälningar på kort tid, så vi tar inte emot fler just nu. "
    "Vänta en stund och försök igen. Inget av det ni skrev har sparats."
)


def _registration_limits(adults: list[services.NewAdult]) -> list[ratelimits.Limit]:
    config = current_app.config
    limits = [
        ratelimits.Limit(config["COURSEHUB_REGISTER_LIMIT_ALL"], "register-family-all", "all"),
        ratelimits.Limit(
            config["COURSEHUB_REGISTER_LIMIT_ADDRESS"], "register-family-address", request.remote_addr or ""
        ),
    ]
    for adult in adults:
        # Counted on the address as stored, so that "Anna@X.se " and "anna@x.se" count together.
        typed = email_or_none(adult.email) or adult.email.strip().lower()
        if not typed:
            continue  # a row left empty
        limits.append(
            ratelimits.Limit(config["COURSEHUB_REGISTER_LIMIT_EMAIL"], "register-family-email", typed)
        )
    return limits


def _registered(run_id: int):
    flash(
        _(
            "Tack! Vi har skickat ett e-postmeddelande till varje vuxen. Öppna länken i det och välj "
            "lösenord inom %(hours)d timmar: först då gäller anmälan. Kommunen bekräftar sedan er anmälan.",
            hours=current_app.config["COURSEHUB_REGISTER_CONFIRM_HOURS"],
        ),
        "success",
    )
    return redirect(url_for("enrollment.register_family_done", run_id=run_id))


@bp.route("/kurser/<int:run_id>/ny-familj", methods=["GET", "POST"])
def register_family(run_id: int):
    """A family without an account signs up; accounts are created and invited by e-mail.

    The answer is the same whether or not an address already had an account, and when the hidden
    honeypot field was filled in (then nothing is created). Past a rate limit the form comes back
    with a message and status 429.
    """
    run = load_run(run_id)
    form = RegisterFamilyForm(municipalities=queries.audience_municipalities(run))
    if form.validate_on_submit():
        if form.is_from_a_script:
            return _registered(run.id)
        adults = [services.NewAdult(name.data or "", email.data or "") for name, email in form.adult_rows()]
        if not ratelimits.take(_registration_limits(adults)):
            flash(str(TOO_MANY), ERROR)
            return render_template("enrollment/register_family.html", run=run, form=form), 429
        municipality = get_or_none(Municipality, form.municipality_id.data)
        if attempt(
            lambda: services.register_family(
                run,
                household_name=form.household_name.data or "",
                municipality=municipality,
                adults=adults,
                now=clock.now(),
                **form.needs(),
            ),
            show=show_error(form),
        ).ok:
            return _registered(run.id)
    return render_template("enrollment/register_family.html", run=run, form=form)


@bp.get("/kurser/<int:run_id>/ny-familj/klar")
def register_family_done(run_id: int):
    """Say what happens next after a family registered."""
    run = load_run(run_id)
    return render_template(
        "enrollment/register_family_done.html",
        run=run,
        confirm_hours=current_app.config["COURSEHUB_REGISTER_CONFIRM_HOURS"],
    )


@bp.get("/mina-kurser")
@roles_required(Role.FAMILY)
def my_courses():
    """A family's sign-ups, offers to answer, and the private calendar feed."""
    if not permissions.is_family(current_user):
        abort(404)
    now = clock.now()
    page = queries.family_courses(current_user.household_id, page=page_arg())
    shown = queries.family_rows(current_user.household_id, page.items, now)
    adults = shown.adults
    # The logged-in adult is one of the household's active adults: their token comes with the list.
    feed = next((adult.feed_token for adult in adults if adult.id == current_user.id), None)
    feed_name = calendar_name()
    links = (
        ical.subscribe_links(url_for("enrollment.feed", token=feed, _external=True), name=feed_name)
        if feed is not None
        else None
    )
    csrf_input = hidden_token(EmptyForm())  # the same for every form on the page
    rows = CourseRows(
        now=now,
        labels=status_labels(e.status for e in page.items),
        urls=_row_urls(),
        csrf_field=csrf_input,
        back=url_for("enrollment.my_courses"),
    )
    return render_template(
        "enrollment/my_courses.html",
        page=page,
        rows=rows(page.items, shown.names, shown.progress),
        next_meeting=queries.next_meeting(shown.progress.values()),
        absence_url=ABSENCE_PATH,
        feed=feed,
        feed_links=links,
        adults=adults,
        csrf_input=csrf_input,
    )


def _row_urls() -> dict[str, Callable[[int], str]]:
    """Return the addresses a row of "my courses" links to, each built once for the page."""
    return {
        "run": id_urls("courses.detail", "run_id"),
        "needs": id_urls("enrollment.edit_needs", "enrollment_id"),
    }


@bp.route("/anmalan/<int:enrollment_id>/behov", methods=["GET", "POST"])
@login_required
def edit_needs(enrollment_id: int):
    """Change the needs told at sign-up: diet, accessibility, an interpreter."""
    enrollment = load_or_404(Enrollment, enrollment_id, allowed=permissions.can_cancel_enrollment)
    form = NeedsForm()
    if request.method == "GET":
        form.diet.data = enrollment.needs_diet
        form.accessibility.data = enrollment.needs_accessibility
        form.interpreter.data = enrollment.needs_interpreter
    if form.validate_on_submit():
        if attempt(
            lambda: services.update_needs(
                enrollment,
                **form.needs(),
                actor=actor(),
                now=clock.now(),
            ),
            form=form,
            default="diet",
        ).ok:
            flash(_("Behoven är sparade. Kursledarna ser dem på närvarolistan."), "success")
            return back("enrollment.my_courses")
    return render_template("enrollment/needs.html", form=form, enrollment=enrollment)


@bp.post("/anmalan/<int:enrollment_id>/avboka")
@login_required
def cancel(enrollment_id: int):
    """Cancel a sign-up (the family, its municipality or staff)."""
    enrollment = load_or_404(Enrollment, enrollment_id, allowed=permissions.can_cancel_enrollment)
    form = ReasonForm()
    if not form.validate_on_submit():
        flash(first_error(form) or _("Kontrollera uppgifterna."), ERROR)
        return back("enrollment.my_courses")
    if attempt(
        lambda: services.cancel_enrollment(
            enrollment, actor=actor(), now=clock.now(), reason=form.reason.data or ""
        )
    ).ok:
        flash(_("Anmälan är avbokad."), "success")
    return back("enrollment.my_courses")


@bp.post("/anmalan/<int:enrollment_id>/tacka-ja")
@login_required
def accept_offer(enrollment_id: int):
    """Accept the seats offered from the waiting list."""
    enrollment = load_or_404(Enrollment, enrollment_id, allowed=permissions.can_answer_offer)
    if EmptyForm().validate_on_submit():
        outcome = attempt(lambda: services.accept_offer(enrollment, actor=actor(), now=clock.now()))
        if outcome.value is not None:  # accepted (else the error was flashed)
            flash(_status_message(outcome.value.status), "success")
    return back("enrollment.my_courses")
