"""The public answering page, reached by a personal link; a thank-you page after."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response as WerkzeugResponse

from coursehub import clock
from coursehub.evaluations.errors import AnswersInvalidError, EvaluationError, LinkUnusableError
from coursehub.evaluations.forms import AnswerForm
from coursehub.evaluations.models import RATING_HIGH, RATING_LOW, TEXT_ANSWER_MAX
from coursehub.evaluations.services import answering
from coursehub.evaluations.views import bp
from coursehub.lib import ratelimits
from coursehub.lib.work import attempt


def _link_page(view: Callable[..., Any]) -> Callable[..., WerkzeugResponse]:
    """Keep the personal link out of caches and out of the Referer header of links on the page."""

    @wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> WerkzeugResponse:
        response = make_response(view(*args, **kwargs))
        response.headers["Cache-Control"] = "no-store"
        response.headers["Referrer-Policy"] = "no-referrer"
        return response

    return wrapped


def _unusable() -> tuple[str, int]:
    """The same polite page for a used, closed or forged link: it tells nothing more."""
    ratelimits.refused_link()
    return render_template("evaluations/link_unusable.html"), 404


@bp.route("/utvardering/<token>", methods=["GET", "POST"])
@ratelimits.personal_link
@_link_page
def answer(token: str) -> str | tuple[str, int] | WerkzeugResponse:
    """Show the questions and store the answers without a name, once per link."""
    invitation = answering.usable_invitation(token, now=clock.now())
    if invitation is None:
        return _unusable()
    evaluation = invitation.evaluation
    form = AnswerForm()
    errors: dict[str, str] = {}
    if form.validate_on_submit():
        posted = {key: value for key, value in request.form.items() if key.startswith(answering.FIELD_PREFIX)}
        may_quote = bool(form.may_quote.data)
        outcome = attempt(
            lambda: answering.submit_answers(token, posted, may_quote=may_quote, now=clock.now()),
            catch=EvaluationError,
            quiet=True,
        )
        if outcome.ok:
            return redirect(url_for("evaluations.thanks"))
        if isinstance(outcome.error, LinkUnusableError):
            return _unusable()
        if isinstance(outcome.error, AnswersInvalidError):
            errors = outcome.error.errors
    status = 422 if errors else 200
    return render_template(
        "evaluations/answer.html",
        evaluation=evaluation,
        questions=evaluation.version.questions,
        form=form,
        errors=errors,
        posted=request.form if request.method == "POST" else {},
        field_name=answering.field_name,
        scale=range(RATING_LOW, RATING_HIGH + 1),
        yes=answering.YES,
        no=answering.NO,
        text_max=TEXT_ANSWER_MAX,
        summary=_("Svaren kunde inte sparas. Se meddelandena vid frågorna.") if errors else None,
    ), status


@bp.get("/utvardering/tack")
def thanks() -> str:
    """Thank the person for answering."""
    return render_template("evaluations/thanks.html")
