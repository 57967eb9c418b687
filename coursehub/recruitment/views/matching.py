"""Staff's side of matching: the requests, the families that fit, offers, answers and matches."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _

from coursehub import clock
from coursehub.enrollment.models import ACTIVE
from coursehub.lib.params import get_or_none, page_arg
from coursehub.lib.work import actor, attempt
from coursehub.recruitment import permissions as case_permissions
from coursehub.recruitment import permissions_matching as permissions
from coursehub.recruitment import queries_matching as queries
from coursehub.recruitment.forms_matching import AnswerForm, ButtonForm, OfferForm
from coursehub.recruitment.labels import STEP_LABELS
from coursehub.recruitment.models import Case
from coursehub.recruitment.services import into_courses
from coursehub.recruitment.services import matching as services
from coursehub.recruitment.views import bp
from coursehub.recruitment.views.requests import LABELS


@bp.get("/rekrytering/forfragningar")
@case_permissions.case_reader_required("board")
def requests():
    """Every municipality's requests, open ones first."""
    page = queries.requests_page(municipality_id=None, page=page_arg())
    return render_template("recruitment/requests.html", page=page, **LABELS)


@bp.get("/rekrytering/forfragningar/<int:request_id>")
@case_permissions.case_reader_required("board")
def request_detail(request_id: int):
    """One request: the families that fit, with their distances, and the offers made."""
    request = permissions.load_request(request_id)
    candidates = services.fitting_families(request)
    permissions.record_read("candidates", request)
    offers = queries.offers_of_request(request.id)
    return render_template(
        "recruitment/request.html",
        family_request=request,
        candidates=candidates,
        offers=offers,
        match=queries.match_of_request(request.id),
        may_match={offer.id: services.may_match(offer) for offer in offers},
        offer_form=OfferForm(),
        answer_form=AnswerForm(),
        button_form=ButtonForm(),
        step_labels=STEP_LABELS,
        **LABELS,
    )


@bp.post("/rekrytering/forfragningar/<int:request_id>/erbjud")
@case_permissions.case_reader_required("board")
def make_offer(request_id: int):
    """Offer one of the fitting families for the request."""
    request = permissions.load_request(request_id)
    form = OfferForm()
    case = get_or_none(Case, form.case_id.data) if form.validate_on_submit() else None
    if case is None:
        flash(_("Välj en familj bland dem som passar."), "error")
    elif attempt(lambda: services.make_offer(request, case, actor=actor(), now=clock.now())).ok:
        flash(_("Familjen är erbjuden. Registrera båda parternas svar när ni har dem."), "success")
    return redirect(url_for("recruitment.request_detail", request_id=request.id))


@bp.post("/rekrytering/erbjudanden/<int:offer_id>/svar")
@case_permissions.case_reader_required("board")
def answer_offer(offer_id: int):
    """Record the family's or the municipality's answer to an offer."""
    offer = permissions.load_offer(offer_id)
    form = AnswerForm()
    if (
        form.validate_on_submit()
        and attempt(
            lambda: services.answer_offer(
                offer,
                side=form.side.data or "",
                answer=form.answer.data or "",
                actor=actor(),
                now=clock.now(),
            )
        ).ok
    ):
        flash(_("Svaret är registrerat."), "success")
    return redirect(url_for("recruitment.request_detail", request_id=offer.request_id))


@bp.post("/rekrytering/erbjudanden/<int:offer_id>/koppla")
@case_permissions.case_reader_required("board")
def record_match(offer_id: int):
    """Both sides said yes: hand the family to the requesting municipality."""
    offer = permissions.load_offer(offer_id)
    if (
        ButtonForm().validate_on_submit()
        and attempt(lambda: services.record_match(offer, actor=actor(), now=clock.now())).ok
    ):
        flash(
            _("Familjen är kopplad till kommunen, som nu ser presentationen och kontaktuppgifterna."),
            "success",
        )
    return redirect(url_for("recruitment.request_detail", request_id=offer.request_id))


@bp.get("/rekrytering/arenden/<int:case_id>/koppling")
@case_permissions.case_reader_required("case")
def case_matching(case_id: int):
    """A family's placements, offers, match and — once in the courses — its course progress."""
    case = case_permissions.load_case(case_id, what="case")
    match = queries.match_of_case(case.id)
    courses = queries.course_status(case.id)
    signed_up = any(enrollment.status in ACTIVE for enrollment in courses.enrollments)
    return render_template(
        "recruitment/case_matching.html",
        case=case,
        placements=queries.placements_of(case.id),
        offers=queries.offers_of_case(case.id),
        match=match,
        courses=courses,
        may_bring_in=match is not None and not signed_up,
        button_form=ButtonForm(),
        step_labels=STEP_LABELS,
        **LABELS,
    )


@bp.post("/rekrytering/arenden/<int:case_id>/kurser")
@case_permissions.case_reader_required("case")
def bring_into_courses(case_id: int):
    """Make the matched family a household and sign it up for the next basic training (again)."""
    case = case_permissions.load_case(case_id, what="case")
    match = queries.match_of_case(case.id)
    if match is None:
        flash(_("Familjen förs in i kurserna när den är kopplad till en kommun."), "error")
    elif ButtonForm().validate_on_submit():
        outcome = attempt(
            lambda: into_courses.bring_into_courses(
                case, municipality=match.municipality, actor=actor(), now=clock.now()
            )
        )
        if outcome.value is not None:
            if outcome.value.enrollment is None:
                flash(
                    _("Familjen finns i kurserna, men ingen grundutbildning tar emot anmälningar nu."),
                    "success",
                )
            else:
                flash(
                    _("Familjen är anmäld till %(title)s.", title=outcome.value.enrollment.run.title),
                    "success",
                )
    return redirect(url_for("recruitment.case_matching", case_id=case.id))
