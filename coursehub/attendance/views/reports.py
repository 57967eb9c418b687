"""Attendance rates per run, theme and municipality: a table, an SVG chart and exports."""

from __future__ import annotations

from flask import abort, current_app, render_template, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from coursehub import clock
from coursehub.accounts.models import FIGURE_ROLES
from coursehub.accounts.permissions import roles_required
from coursehub.attendance import charts, exports, permissions, queries
from coursehub.attendance.views import bp
from coursehub.lib.params import page_arg
from coursehub.lib.terms import Term, parse_term, term_of, terms_around

DIMENSION_LABELS = {
    "run": _l("Kursomgång"),
    "theme": _l("Tema"),
    "municipality": _l("Kommun"),
}
PER_PAGE = 25
EXPORT_LIMIT = 10_000


def _dimension() -> str:
    value = request.args.get("per", "run")
    return value if value in queries.DIMENSIONS else "run"


def _term() -> Term:
    """The half-year asked for (`termin=2026-HT`), else the current one."""
    return parse_term(request.args.get("termin")) or term_of(clock.now())


def _check():
    if not permissions.can_view_attendance_rates(current_user):
        abort(403)


@bp.get("/admin/narvaro/statistik")
@roles_required(*FIGURE_ROLES)
def rates():
    """Show attendance rates as a table with a chart beside it."""
    _check()
    dimension, term = _dimension(), _term()
    page = queries.attendance_rates(dimension, term=term, page=page_arg(), per_page=PER_PAGE)
    return render_template(
        "attendance/rates.html",
        rows=page.items,
        dimension=dimension,
        page=page.page,
        pages=page.pages,
        labels=DIMENSION_LABELS,
        term=term,
        terms=terms_around(term),
    )


@bp.get("/admin/narvaro/statistik/diagram.svg")
@roles_required(*FIGURE_ROLES)
def rates_chart():
    """Return the chart of the same page of rates as an SVG image (no scripts)."""
    _check()
    dimension = _dimension()
    rows = queries.attendance_rates(dimension, term=_term(), page=page_arg(), per_page=PER_PAGE).items
    svg = charts.rates_chart_svg(
        rows, title=_("Närvaro per %(what)s", what=str(DIMENSION_LABELS[dimension]).lower())
    )
    response = current_app.response_class(svg, mimetype="image/svg+xml")
    response.headers["Content-Security-Policy"] = charts.svg_csp(svg)
    return response


@bp.get("/admin/narvaro/statistik/export.<any(csv, xlsx):fmt>")
@roles_required(*FIGURE_ROLES)
def rates_export(fmt: str):
    """Download every row of the term's rates as CSV or XLSX."""
    _check()
    dimension = _dimension()
    term = _term()
    rows = queries.attendance_rates(dimension, term=term, page=1, per_page=EXPORT_LIMIT).items
    label = str(DIMENSION_LABELS[dimension])
    if fmt == "csv":
        body, mimetype = exports.rates_csv(rows, label), "text/csv; charset=utf-8"
    else:
        body = exports.rates_xlsx(rows, label)
        mimetype = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    response = current_app.response_class(body, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="narvaro-{dimension}-{term}.{fmt}"'
    return response
