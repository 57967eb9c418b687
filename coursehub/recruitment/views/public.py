"""The family's public pages: the interest registration, its thank-you page, and withdrawal."""

from __future__ import annotations

from typing import Any

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import lazy_gettext as _l

from coursehub import clock
from coursehub.accounts.models import Municipality
from coursehub.lib import ratelimits
from coursehub.lib.email_address import email_or_none
from coursehub.lib.forms import show_domain_error
from coursehub.lib.params import get_or_none
from coursehub.lib.work import ERROR, attempt
from coursehub.recruitment import forms, queries
from coursehub.recruitment.models import AssignmentKind, Channel
from coursehub.recruitment.services import registration
from coursehub.recruitment.views import bp

TOO_MANY = _l(
    "Det har kommit många anmälningar på kort tid, så vi tar inte emot fler just nu. "
    "Vänta en stund och försök igen. Inget av det ni skrev har sparats."
)


def _limits(adults: list[registration.NewAdult]) -> list[ratelimits.Limit]:
    """The family registration's limits (config COURSEHUB_REGISTER_LIMIT_*), counted on their own."""
    config = current_app.config
    limits = [
        ratelimits.Limit(config["COURSEHUB_REGISTER_LIMIT_ALL"], "interest-all", "all"),
        ratelimits.Limit(
            config["COURSEHUB_REGISTER_LIMIT_ADDRESS"], "interest-address", request.remote_addr or ""
        ),
    ]
    for adult in adults:
        typed = email_or_none(adult.email) or adult.email.strip().lower()
        if typed:
            limits.append(ratelimits.Limit(config["COURSEHUB_REGISTER_LIMIT_EMAIL"], "interest-email", typed))
    return limits


def _registration(form: forms.InterestForm) -> registration.Registration:
    adults = [
        registration.NewAdult(first.data or "", last.data or "", email.data or "", phone.data or "")
        for first, last, email, phone in form.adult_rows()
    ]
    kinds = [AssignmentKind(value) for value in form.kinds.data or [] if value in set(AssignmentKind)]
    return registration.Registration(
        adults=adults,
        street=form.street.data or "",
        postal_code=form.postal_code.data or "",
        city=form.city.data or "",
        municipality=get_or_none(Municipality, form.municipality_id.data),
        children_ages=form.children_ages() or [],
        other_household=form.other_household.data or "",
        housing=form.housing.data or "",
        experience=form.experience.data or "",
        kinds=kinds,
        min_child_age=form.min_child_age.data or 0,
        max_child_age=form.max_child_age.data or 0,
        channel=get_or_none(Channel, form.channel_id.data),
        consent=bool(form.consent.data),
    )


def _show(form: forms.InterestForm) -> Any:
    def show(error: Any) -> None:
        if error.field == "adults":
            form.adults_error = error.message
        else:
            show_domain_error(form, error)

    return show


@bp.route("/bli-familjehem", methods=["GET", "POST"])
def interest():
    """A family tells us it wants to become a foster family.

    The answer is the same whether or not the family already has an open case, and when the hidden
    honeypot field was filled in (then nothing is made). Past a rate limit the form comes back
    with a message and status 429.
    """
    offered = queries.interest_choices()
    form = forms.InterestForm(municipalities=offered.municipalities, channels=offered.channels)
    form.adults_error = None
    if form.validate_on_submit():
        if form.is_from_a_script:
            return redirect(url_for("recruitment.registered"))
        data = _registration(form)
        if not ratelimits.take(_limits(data.adults)):
            flash(str(TOO_MANY), ERROR)
            return render_template("recruitment/register.html", form=form), 429
        if attempt(lambda: registration.receive_interest(data, now=clock.now()), show=_show(form)).ok:
            return redirect(url_for("recruitment.registered"))
    return render_template("recruitment/register.html", form=form)


@bp.get("/bli-familjehem/tack")
def registered():
    """Thank the family and say what happens next."""
    return render_template(
        "recruitment/registered.html", days=current_app.config["COURSEHUB_RECRUITMENT_FIRST_CONTACT_DAYS"]
    )


@bp.route("/bli-familjehem/avbryt/<token>", methods=["GET", "POST"])
@ratelimits.personal_link
def withdraw(token: str):
    """The family withdraws its registration by the link in its mail (GET asks, POST does it)."""
    if registration.case_of_withdraw_token(token) is None:
        ratelimits.refused_link()
        return render_template("recruitment/withdraw.html", form=None, token=token), 404
    form = forms.WithdrawForm()
    if form.validate_on_submit() and attempt(lambda: registration.withdraw_case(token, now=clock.now())).ok:
        return render_template("recruitment/withdrawn.html")
    return render_template("recruitment/withdraw.html", form=form, token=token)
