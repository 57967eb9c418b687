"""Evaluation results: one run's or survey's answers, comparisons, the survey's indicators, quotes.

Staff and the steering group read every result; a run's own leaders read their runs' (any other
run answers 404). An evaluation still open shows how many have answered and when it closes, and
a selection with fewer answers than the threshold shows one notice, in the page, its charts and
its exports alike (queries_results decides, from the request's reading of the clock). Charts are
images of their own; the table beside each is its text alternative.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask import Response, abort, current_app, render_template, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from coursehub import clock
from coursehub.accounts.permissions import login_required, permission_required
from coursehub.courses.models import CourseRun, CourseType
from coursehub.evaluations import queries as evaluation_queries
from coursehub.evaluations import queries_results as queries
from coursehub.evaluations import results_charts as charts
from coursehub.evaluations import results_exports as exports
from coursehub.evaluations import results_permissions as permissions
from coursehub.evaluations.models import Evaluation, QuestionKind
from coursehub.evaluations.views import bp
from coursehub.lib.nav import FIGURES, NavItem, RunLink
from coursehub.lib.params import page_arg
from coursehub.lib.work import load_or_404

nav_items = [
    NavItem(
        _l("Utvärderingsresultat"),
        "evaluations.results_overview",
        permissions.can_view_figures,
        order=86,
        group=FIGURES,
    ),
]

run_links = [
    RunLink(
        _l("Utvärderingens resultat"), "evaluations.run_results", permissions.can_view_run_results, order=60
    ),
]

CHARTED = (QuestionKind.RATING, QuestionKind.YES_NO, QuestionKind.CHOICE)
# Which ten half-years a comparison page and its chart show (queries.terms_window): 1, the latest.
TERMS_KEY = "halvarssida"


def _terms_window(course_type_id: int | None, now: datetime) -> queries.TermsWindow:
    number = request.args.get(TERMS_KEY, 1, type=int)
    return queries.terms_window(course_type_id, now=now, number=number)


def _terms_context(course_type_id: int | None, now: datetime) -> dict[str, Any]:
    """A comparison page's half-years (templates/evaluations/results_macros.html, terms_section):
    the window the address asks for, its argument's name, and the argument that keeps the
    window on the page's other links (none for the first)."""
    terms = _terms_window(course_type_id, now)
    return {
        "terms": terms,
        "terms_key": TERMS_KEY,
        "terms_args": {TERMS_KEY: terms.number} if terms.has_newer else {},
    }


def _svg(body: str) -> Response:
    response = current_app.response_class(body, mimetype="image/svg+xml")
    response.headers["Content-Security-Policy"] = charts.svg_csp(body)
    return response


def _download(rows: list[list[Any]], fmt: str, *, name: str, sheet_title: str, caption: str) -> Response:
    body, mimetype = exports.as_download(rows, fmt, sheet_title=sheet_title, caption=caption)
    response = current_app.response_class(body, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response


def _evaluation(evaluation_id: int) -> Evaluation:
    """Load an evaluation the visitor may read the results of, or 404."""
    return load_or_404(Evaluation, evaluation_id, allowed=permissions.can_view_results)


# -- one evaluation ------------------------------------------------------------------------------


@bp.get("/admin/utvarderingar/<int:evaluation_id>/resultat")
@login_required
def results(evaluation_id: int) -> str:
    """Show one evaluation's results per question: chart, table, share very satisfied, free texts."""
    evaluation = _evaluation(evaluation_id)
    return _results_page(evaluation)


@bp.get("/admin/kurser/<int:run_id>/utvarderingsresultat")
@login_required
def run_results(run_id: int) -> str:
    """Show the results of a run's evaluation (the link on the run's pages)."""
    run = load_or_404(CourseRun, run_id, allowed=permissions.can_view_run_results)
    evaluation = evaluation_queries.run_evaluation(run.id)
    if evaluation is None:
        return render_template("evaluations/results_none.html", run=run)
    return _results_page(evaluation)


def _results_page(evaluation: Evaluation) -> str:
    return render_template(
        "evaluations/results.html",
        evaluation=evaluation,
        results=queries.evaluation_results(evaluation, now=clock.now()),
        charted=CHARTED,
    )


@bp.get("/admin/utvarderingar/<int:evaluation_id>/resultat/fraga-<int:question_id>.svg")
@login_required
def question_chart(evaluation_id: int, question_id: int) -> Response:
    """Return one question's distribution as an SVG image (no scripts)."""
    evaluation = _evaluation(evaluation_id)
    results = queries.evaluation_results(evaluation, now=clock.now(), question_id=question_id)
    if results.is_open:
        return _svg(charts.still_open_svg())
    if not results.shown:
        return _svg(charts.too_few_svg())
    if not results.questions or results.questions[0].kind not in CHARTED:
        abort(404)
    question = results.questions[0]
    return _svg(charts.distribution_svg([(o.label, o.count) for o in question.options], title=question.text))


@bp.get("/admin/utvarderingar/<int:evaluation_id>/resultat/export.<any(csv, xlsx):fmt>")
@login_required
def results_export(evaluation_id: int, fmt: str) -> Response:
    """Download one evaluation's results as CSV or XLSX (only a notice while open or too few answered)."""
    evaluation = _evaluation(evaluation_id)
    rows = exports.evaluation_table(queries.evaluation_results(evaluation, now=clock.now()), evaluation)
    return _download(
        rows, fmt, name=f"utvardering-{evaluation.id}", sheet_title=_("Resultat"), caption=evaluation.title
    )


# -- comparisons -----------------------------------------------------------------------------------


@bp.get("/admin/utvarderingar/resultat")
@permission_required(permissions.can_view_figures)
def results_overview() -> str:
    """List the course types to compare, every half-year, the surveys and the survey's indicators."""
    now = clock.now()
    return render_template(
        "evaluations/results_overview.html",
        course_types=queries.course_types_evaluated(),
        **_terms_context(None, now),
        trend=queries.survey_trend(now=now),
        surveys=queries.surveys_page(page=page_arg()),
        threshold=queries.min_answers(),
        can_read_quotes=permissions.can_read_quotes(current_user),
        can_send_surveys=permissions.can_send_surveys(current_user),
    )


@bp.get("/admin/utvarderingar/resultat/kurstyp/<int:course_type_id>")
@permission_required(permissions.can_view_figures)
def course_type_results(course_type_id: int) -> str:
    """Compare the evaluated runs of one course type, and its half-years."""
    course_type = load_or_404(CourseType, course_type_id)
    now = clock.now()
    return render_template(
        "evaluations/results_course_type.html",
        course_type=course_type,
        runs=queries.runs_page(course_type.id, now=now, page=page_arg()),
        **_terms_context(course_type.id, now),
    )


@bp.get("/admin/utvarderingar/resultat/kurstyp/<int:course_type_id>/halvar.svg")
@permission_required(permissions.can_view_figures)
def course_type_chart(course_type_id: int) -> Response:
    """Return the course type's share very satisfied per half-year as an SVG image (the half-years
    of the page's window)."""
    course_type = load_or_404(CourseType, course_type_id)
    return _terms_svg(_terms_window(course_type.id, clock.now()).figures, course_type.name)


@bp.get("/admin/utvarderingar/resultat/halvar.svg")
@permission_required(permissions.can_view_figures)
def terms_chart() -> Response:
    """Return every course evaluation's share very satisfied per half-year as an SVG image (the
    half-years of the page's window)."""
    return _terms_svg(_terms_window(None, clock.now()).figures, _("Alla kurser"))


def _terms_svg(terms: list[queries.Figures], what: str) -> Response:
    shown = [(row.label, row.very_satisfied) for row in terms if row.very_satisfied is not None]
    if not shown:
        return _svg(charts.too_few_svg())
    return _svg(charts.indicator_svg(shown, title=_("Andel mycket nöjda per halvår: %(what)s", what=what)))


@bp.get("/admin/utvarderingar/resultat/kurstyp/<int:course_type_id>/export.<any(csv, xlsx):fmt>")
@permission_required(permissions.can_view_figures)
def course_type_export(course_type_id: int, fmt: str) -> Response:
    """Download the comparison of a course type's runs and half-years as CSV or XLSX."""
    course_type = load_or_404(CourseType, course_type_id)
    now = clock.now()
    runs = queries.runs_page(course_type.id, now=now, page=1, per_page=exports.EXPORT_LIMIT).items
    terms = queries.terms_figures(course_type.id, now=now)
    rows = [
        *exports.figures_table(runs, _("Kursomgång")),
        [],
        *exports.figures_table(terms, _("Halvår")),
    ]
    return _download(
        rows,
        fmt,
        name=f"utvarderingar-kurstyp-{course_type.id}",
        sheet_title=_("Jämförelse"),
        caption=course_type.name,
    )


# -- the yearly survey's indicators ---------------------------------------------------------------


@bp.get("/admin/utvarderingar/resultat/arsenkat/indikator-<int:number>.svg")
@permission_required(permissions.can_view_figures)
def trend_chart(number: int) -> Response:
    """Return one of the survey's indicators (1, 2, 3 ...) over the years as an SVG image."""
    trend = queries.survey_trend(now=clock.now())
    if not 1 <= number <= len(trend.indicators):
        abort(404)
    indicator = trend.indicators[number - 1]
    points = [(str(year.year), year.very_satisfied(indicator)) for year in trend.years]
    shown = [(label, value) for label, value in points if value is not None]
    if not shown:
        return _svg(charts.too_few_svg())
    return _svg(charts.indicator_svg(shown, title=indicator))


@bp.get("/admin/utvarderingar/resultat/arsenkat/export.<any(csv, xlsx):fmt>")
@permission_required(permissions.can_view_figures)
def trend_export(fmt: str) -> Response:
    """Download the survey's indicators per year as CSV or XLSX."""
    rows = exports.trend_table(queries.survey_trend(now=clock.now()))
    return _download(
        rows,
        fmt,
        name="arsenkat-indikatorer",
        sheet_title=_("Indikatorer"),
        caption=_("Årsenkätens indikatorer"),
    )


# -- quotable free texts ----------------------------------------------------------------------------


@bp.get("/admin/utvarderingar/citat")
@permission_required(permissions.can_read_quotes)
def quotes() -> str:
    """List the free texts whose writers let them be quoted anonymously."""
    page = queries.quotes_page(now=clock.now(), page=page_arg())
    return render_template("evaluations/results_quotes.html", page=page)
