"""Pages of professionals: signing up for a course for professionals, and their own sign-ups."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from coursehub import clock
from coursehub.accounts.models import User
from coursehub.accounts.permissions import login_required
from coursehub.enrollment import permissions, queries, services
from coursehub.enrollment.forms import EmptyForm, ProfessionalSignUpForm
from coursehub.enrollment.labels import status_label
from coursehub.enrollment.views import bp
from coursehub.enrollment.views._helpers import load_run, show_error
from coursehub.enrollment.views.actions import EnrollmentActions
from coursehub.lib.email_address import email_or_none
from coursehub.lib.forms import hidden_token
from coursehub.lib.params import page_arg
from coursehub.lib.work import actor, attempt


def _chosen(form: ProfessionalSignUpForm, people: list[User]) -> list[User] | None:
    """Return the people the form chose (offered ones, and staff's one by address), else None
    with the message beside its field."""
    wanted = {int(value) for value in form.persons.data or ()}
    chosen = [person for person in people if person.id in wanted]
    address = email_or_none(form.email.data)
    if address is not None and current_user.is_staff:
        other = queries.active_user_by_email(address)
        if other is None:
            form.email.errors = [*form.email.errors, _("Det finns inget konto med den e-postadressen.")]
            return None
        chosen.append(other)
    if not chosen:
        form.persons.errors = [*form.persons.errors, _("Välj minst en person att anmäla.")]
        return None
    return chosen


@bp.route("/kurser/<int:run_id>/anmalan/yrkesverksamma", methods=["GET", "POST"])
@login_required
def sign_up_professionals(run_id: int):
    """A professional signs up for a course for professionals: themselves, and a municipal worker
    colleagues of the same municipality; staff anyone, by e-mail address."""
    run = load_run(run_id)
    if not permissions.can_sign_up_professionals(current_user, run):
        abort(404)
    people = queries.professional_candidates(current_user)
    form = ProfessionalSignUpForm(people=people)
    if form.validate_on_submit():
        chosen = _chosen(form, people)
        if chosen is not None:
            outcome = attempt(
                lambda: services.sign_up_professionals(
                    run, chosen, actor=actor(), now=clock.now(), **form.needs()
                ),
                show=show_error(form),
            )
            if outcome.value is not None:
                for enrollment in outcome.value:
                    flash(
                        _(
                            "%(name)s: %(status)s.",
                            name=enrollment.participant_name,
                            status=status_label(enrollment.status),
                        ),
                        "success",
                    )
                return redirect(url_for("courses.detail", run_id=run.id))
    elif not form.is_submitted():
        form.persons.data = [current_user.id]
    return render_template(
        "enrollment/sign_up_professionals.html",
        run=run,
        form=form,
        signup_open=run.is_signup_open(clock.now()),
        may_name_anyone=current_user.is_staff,
    )


@bp.get("/mina-kurser/yrkesverksam")
@login_required
def my_professional_courses():
    """A professional's own sign-ups for courses for professionals, with a way to cancel."""
    if not permissions.is_professional(current_user):
        abort(404)
    now = clock.now()
    page = queries.professional_enrollments(current_user.id, page=page_arg())
    return render_template(
        "enrollment/my_professional_courses.html",
        page=page,
        progress=queries.family_progress(page.items, now),
        actions=EnrollmentActions(
            now=now,
            csrf_field=hidden_token(EmptyForm()),
            back=url_for("enrollment.my_professional_courses"),
        ),
    )
