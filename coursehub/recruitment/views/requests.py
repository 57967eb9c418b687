"""A municipality's requests for a family: send one, follow it, and see the family it was matched with."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from coursehub import clock
from coursehub.accounts.models import Role
from coursehub.accounts.permissions import roles_required
from coursehub.lib.nav import ADMINISTRATION, MUNICIPALITY, NavItem
from coursehub.lib.params import page_arg
from coursehub.lib.work import actor, attempt
from coursehub.recruitment import permissions_matching as permissions
from coursehub.recruitment import queries_matching as queries
from coursehub.recruitment.forms_matching import AssessmentForm, ButtonForm, DecisionForm, RequestForm
from coursehub.recruitment.labels import ANSWER_LABELS, DECISION_LABELS, KIND_LABELS, PROXIMITY_LABELS
from coursehub.recruitment.models import Request, RequestStatus
from coursehub.recruitment.services import matching as services
from coursehub.recruitment.services import presentation as presentation_services
from coursehub.recruitment.views import bp

REQUEST_STATUS_LABELS = {
    RequestStatus.OPEN: _l("Öppen"),
    RequestStatus.MATCHED: _l("Familj kopplad"),
    RequestStatus.CLOSED: _l("Avslutad"),
}

LABELS = {
    "status_labels": REQUEST_STATUS_LABELS,
    "kind_labels": KIND_LABELS,
    "proximity_labels": PROXIMITY_LABELS,
    "answer_labels": ANSWER_LABELS,
    "decision_labels": DECISION_LABELS,
}


# Joined to the blueprint's menu items in views/__init__.py: the municipal worker's requests, and
# staff's list of every request (in the administration disclosure, keeping the menu on one line).
matching_nav_items: list[NavItem] = [
    NavItem(
        _l("Förfrågningar om familjehem"),
        "recruitment.my_requests",
        permissions.can_send_requests,
        order=35,
        group=MUNICIPALITY,
    ),
    NavItem(
        _l("Förfrågningar om familjehem"),
        "recruitment.requests",
        permissions.can_match,
        order=46,
        group=ADMINISTRATION,
    ),
]


@bp.get("/kommun/forfragningar")
@roles_required(Role.MUNICIPAL)
def my_requests():
    """The municipality's requests for a family, open ones first."""
    if not permissions.can_send_requests(current_user):
        abort(404)
    page = queries.requests_page(municipality_id=current_user.municipality_id, page=page_arg())
    return render_template("recruitment/my_requests.html", page=page, **LABELS)


@bp.route("/kommun/forfragningar/ny", methods=["GET", "POST"])
@roles_required(Role.MUNICIPAL)
def new_request():
    """Ask the resource for a family for a child: no name, no identity number."""
    if not permissions.can_send_requests(current_user):
        abort(404)
    form = RequestForm()
    warned = False
    if form.validate_on_submit():
        outcome = attempt(
            lambda: services.send_request(
                municipality=current_user.municipality,
                actor=actor(),
                child_age=form.child_age.data,
                needs=form.needs.data or "",
                kind=form.kind.data or "",
                wanted_start_on=form.wanted_start_on.data,
                proximity=form.proximity.data or "",
                confirmed_anonymous=bool(form.confirm_anonymous.data),
                now=clock.now(),
            ),
            form=form,
        )
        if outcome.value is not None:
            flash(_("Förfrågan är skickad. Vi hör av oss när vi har en familj att föreslå."), "success")
            return redirect(url_for("recruitment.my_request", request_id=outcome.value.id))
        warned = isinstance(outcome.error, services.IdentifyingTextError)
    return render_template(
        "recruitment/new_request.html", form=form, show_confirm=warned or bool(form.confirm_anonymous.data)
    )


def _request_page(request: Request, assessment_form: AssessmentForm, decision_form: DecisionForm):
    match = queries.match_of_request(request.id)
    family = None
    if match is not None:
        # The matched family's presentation and contact details: a read of the case, logged.
        permissions.record_read("presentation", match.case)
        presentation = presentation_services.presentation_of(match.case)
        family = {"case": match.case, "version": queries.approved_version(presentation)}
        if not assessment_form.is_submitted():
            assessment_form.process(obj=match)
        if not decision_form.is_submitted():
            decision_form.process(obj=match)
    return render_template(
        "recruitment/my_request.html",
        family_request=request,
        match=match,
        family=family,
        assessment_form=assessment_form,
        decision_form=decision_form,
        close_form=ButtonForm(formdata=None),
        **LABELS,
    )


@bp.get("/kommun/forfragningar/<int:request_id>")
@roles_required(Role.MUNICIPAL, Role.STAFF, Role.ADMIN)
def my_request(request_id: int):
    """One request; once matched, the family's presentation and contact details."""
    request = permissions.load_request(request_id)
    return _request_page(request, AssessmentForm(formdata=None), DecisionForm(formdata=None))


@bp.post("/kommun/forfragningar/<int:request_id>/utredning")
@roles_required(Role.MUNICIPAL, Role.STAFF, Role.ADMIN)
def record_assessment(request_id: int):
    """Record the municipality's assessment of the matched family."""
    request = permissions.load_request(request_id)
    match = queries.match_of_request(request.id)
    if match is None:
        abort(404)
    form = AssessmentForm()
    if form.validate_on_submit():
        outcome = attempt(
            lambda: services.record_assessment(
                match,
                started_on=form.assessment_started_on.data,
                decided_on=form.assessment_decided_on.data,
                outcome=form.assessment_outcome.data or None,
                actor=actor(),
                now=clock.now(),
            ),
            form=form,
            default="assessment_outcome",
        )
        if outcome.ok:
            flash(_("Utredningen är registrerad."), "success")
            return redirect(url_for("recruitment.my_request", request_id=request.id))
    return _request_page(request, form, DecisionForm(formdata=None))


@bp.post("/kommun/forfragningar/<int:request_id>/beslut")
@roles_required(Role.MUNICIPAL, Role.STAFF, Role.ADMIN)
def record_decision(request_id: int):
    """Record the committee's decision about the matched family."""
    request = permissions.load_request(request_id)
    match = queries.match_of_request(request.id)
    if match is None:
        abort(404)
    form = DecisionForm()
    if form.validate_on_submit():
        outcome = attempt(
            lambda: services.record_decision(
                match,
                decided_on=form.decision_on.data,
                outcome=form.decision_outcome.data or None,
                actor=actor(),
                now=clock.now(),
            ),
            form=form,
            default="decision_outcome",
        )
        if outcome.ok:
            flash(_("Nämndens beslut är registrerat."), "success")
            return redirect(url_for("recruitment.my_request", request_id=request.id))
    return _request_page(request, AssessmentForm(formdata=None), form)


@bp.post("/kommun/forfragningar/<int:request_id>/avsluta")
@roles_required(Role.MUNICIPAL, Role.STAFF, Role.ADMIN)
def close_request(request_id: int):
    """Close an open request whose child no longer needs a family through the resource: no family
    is offered for it any more. The requesting municipality's workers and staff may; a request
    that is matched or already closed stays as it is, with a message."""
    request = permissions.load_request(request_id)
    if (
        ButtonForm().validate_on_submit()
        and attempt(lambda: services.close_request(request, actor=actor(), now=clock.now())).ok
    ):
        flash(_("Förfrågan är avslutad. Ingen familj kommer att föreslås för den."), "success")
    if permissions.can_match(current_user):
        return redirect(url_for("recruitment.request_detail", request_id=request.id))
    return redirect(url_for("recruitment.my_request", request_id=request.id))
