"""The presentation: staff write and send it; the family reads and approves it through its link."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _

from coursehub import clock
from coursehub.lib import ratelimits
from coursehub.lib.work import actor, attempt
from coursehub.recruitment import permissions
from coursehub.recruitment.forms_matching import ButtonForm, PresentationForm
from coursehub.recruitment.models import Case, Step
from coursehub.recruitment.services import presentation as services
from coursehub.recruitment.views import bp


def _page(case: Case, form: PresentationForm):
    presentation = services.presentation_of(case)
    latest = services.latest_version(presentation)
    if latest is not None and not form.is_submitted():
        form.text.data = latest.text
    return render_template(
        "recruitment/presentation.html",
        case=case,
        form=form,
        presentation=presentation,
        versions=list(reversed(presentation.versions)) if presentation is not None else [],
        latest=latest,
        may_write=case.is_open and case.step == Step.PRESENTATION,
        button_form=ButtonForm(),
    )


@bp.route("/rekrytering/arenden/<int:case_id>/presentation", methods=["GET", "POST"])
@permissions.case_reader_required("presentation")
def presentation(case_id: int):
    """The family's presentation: its versions, a new version, sending it for approval."""
    case = permissions.load_case(case_id, what="presentation")
    form = PresentationForm()
    if form.validate_on_submit():
        outcome = attempt(
            lambda: services.save_presentation(
                case, text=form.text.data or "", actor=actor(), now=clock.now()
            ),
            form=form,
            default="text",
        )
        if outcome.ok:
            flash(_("Presentationen är sparad."), "success")
            return redirect(url_for("recruitment.presentation", case_id=case.id))
    return _page(case, form)


@bp.post("/rekrytering/arenden/<int:case_id>/presentation/skicka")
@permissions.case_reader_required("presentation")
def send_presentation(case_id: int):
    """Send the newest version to the family, with a single-use link to approve it."""
    case = permissions.load_case(case_id, what="presentation")
    if (
        ButtonForm().validate_on_submit()
        and attempt(lambda: services.send_presentation(case, actor=actor(), now=clock.now())).ok
    ):
        flash(_("Presentationen är skickad till familjen för godkännande."), "success")
    return redirect(url_for("recruitment.presentation", case_id=case.id))


@bp.get("/presentation/<token>")
@ratelimits.personal_link
def approval(token: str):
    """The family reads its presentation, or learns politely why the link does not work."""
    try:
        page = services.find_approval(token, now=clock.now())
    except services.PresentationLinkError as error:
        ratelimits.refused_link()
        return render_template("recruitment/approval_refused.html", message=error.message)
    return render_template("recruitment/approval.html", page=page, form=ButtonForm())


@bp.post("/presentation/<token>")
@ratelimits.personal_link
def approve(token: str):
    """The family approves the presentation it was sent."""
    form = ButtonForm()
    if not form.validate_on_submit():
        return approval(token)
    outcome = attempt(lambda: services.approve_presentation(token, now=clock.now()), quiet=True)
    if outcome.error is not None:
        ratelimits.refused_link()
        return render_template("recruitment/approval_refused.html", message=outcome.error.message)
    return render_template("recruitment/approval_done.html")
