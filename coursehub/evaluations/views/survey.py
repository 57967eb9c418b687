"""The yearly survey for staff: the surveys sent, and sending one to networks and roles."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from werkzeug.wrappers import Response

from coursehub import clock
from coursehub.accounts.forms import role_label
from coursehub.accounts.models import Role
from coursehub.accounts.permissions import permission_required
from coursehub.evaluations import queries_results
from coursehub.evaluations.models import FormVersion
from coursehub.evaluations.results_permissions import can_send_surveys
from coursehub.evaluations.services import survey
from coursehub.evaluations.survey_forms import SendSurveyForm
from coursehub.evaluations.views import bp
from coursehub.lib.checks import known
from coursehub.lib.forms import required, shown_again_status
from coursehub.lib.params import get_or_none, page_arg
from coursehub.lib.work import actor, attempt


@bp.get("/admin/utvarderingar/arsenkat")
@permission_required(can_send_surveys)
def surveys() -> str:
    """List the yearly surveys sent: year, how many were asked, how many answered, open or closed."""
    return render_template(
        "evaluations/survey_list.html",
        page=queries_results.surveys_page(page=page_arg()),
        now=clock.now(),
    )


def _form() -> SendSurveyForm:
    return SendSurveyForm(
        versions=survey.survey_choices(),
        networks=survey.network_choices(),
        roles=[(role.value, role_label(role)) for role in survey.SURVEY_ROLES],
        this_year=clock.now().astimezone(clock.LOCAL_TZ).year,
    )


@bp.route("/admin/utvarderingar/arsenkat/skicka", methods=["GET", "POST"])
@permission_required(can_send_surveys)
def send_survey() -> Response | tuple[str, int]:
    """Send a published survey form for a year to the members of networks and holders of roles."""
    form = _form()
    if form.validate_on_submit():
        version = get_or_none(FormVersion, form.version.data)
        outcome = attempt(
            lambda: survey.send_survey(
                known(version, "the form offers only existing versions"),
                year=required(form.year),
                network_ids=list(form.networks.data or []),
                roles=[Role(value) for value in form.roles.data or []],
                actor=actor(),
                now=clock.now(),
            ),
            form=form,
            default="version",
        )
        if outcome.ok:
            sent = known(outcome.value, "send_survey returns what it did")
            if sent.invited:
                flash(
                    ngettext(
                        "Årsenkäten är skickad till %(num)d person.",
                        "Årsenkäten är skickad till %(num)d personer.",
                        sent.invited,
                    ),
                    "success",
                )
            else:
                flash(_("Alla som valdes hade redan fått årsenkäten. Ingen fick den två gånger."), "info")
            return redirect(url_for("evaluations.surveys"))
    return render_template("evaluations/survey_send.html", form=form), shown_again_status(form)
