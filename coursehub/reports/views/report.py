"""The half-year and yearly report: the page, its charts, a printable page and the XLSX export.

Every address takes the same two keys, `period` ("2025h1", "2025") and `omrade` ("lan",
"del-3", "kommun-12"); without them the page shows the last whole half-year for the first area
the visitor may choose. A key that names nothing gets a message beside its field; an area the
visitor may not see answers 403.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from flask import Response, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from markupsafe import Markup
from werkzeug.wrappers import Response as WerkzeugResponse

from coursehub import clock
from coursehub.accounts.permissions import permission_required
from coursehub.clock import to_local
from coursehub.lib import work
from coursehub.lib.fragments import Fragments, app_fragments
from coursehub.lib.nav import FIGURES, NavItem
from coursehub.lib.quick_select import written_options
from coursehub.reports import charts, exports, queries, services
from coursehub.reports.figures import Figure, Section
from coursehub.reports.periods import (
    Period,
    half_year_of,
    half_years_between,
    parse_period,
    reports_start,
    series_for,
    year_of,
    years_between,
)
from coursehub.reports.report import Report, build_report, snapshot_key
from coursehub.reports.report_forms import ReportForm
from coursehub.reports.report_permissions import can_view_report
from coursehub.reports.scope import Scope, may_see, parse_scope, scopes_for
from coursehub.reports.views import bp

nav_items: list[NavItem] = [
    NavItem(_l("Rapport"), "reports.report", can_view_report, order=15, group=FIGURES)
]


@dataclass(frozen=True)
class Choice:
    """What the visitor asked for: the form (with any messages) and, when valid, period and area."""

    form: ReportForm
    period: Period | None
    area: Scope | None


def _period_choices(today: date, start: date) -> list[tuple[str, str]]:
    """Every half-year and year from the start to today, newest first."""
    first = min(start, today)
    halves = half_years_between(half_year_of(first), half_year_of(today))
    years = years_between(year_of(first), year_of(today))
    choices = [(p.key, p.label) for p in reversed(halves)]
    choices += [(p.key, _("helåret %(year)s", year=p.label)) for p in reversed(years)]
    return choices


def _default_period(today: date, start: date) -> Period:
    """The last whole half-year; the current one when the resource is younger than that."""
    current = half_year_of(today)
    previous = half_year_of(date.fromordinal(current.first.toordinal() - 1))
    return previous if previous.last >= start else current


def _choice() -> Choice:
    """Read and check the period and area asked for (403 for an area the visitor may not see)."""
    today = to_local(clock.now()).date()
    start = reports_start(current_app.config)
    areas = scopes_for(current_user)
    if not areas:
        abort(403)
    form = ReportForm(request.args)
    # Written once per list and language (written_options): the areas are 290 municipalities nationally.
    form.period.choices = written_options(tuple(_period_choices(today, start)), form.period.coerce)
    form.omrade.choices = written_options(tuple((area.key, area.label) for area in areas), form.omrade.coerce)
    if not request.args.get("period"):
        form.period.data = _default_period(today, start).key
    if not request.args.get("omrade"):
        form.omrade.data = areas[0].key
    asked_area = _area(areas, form.omrade.data or "")
    if asked_area is not None and not may_see(current_user, asked_area):
        abort(403)
    if not form.validate():
        return Choice(form, None, None)
    return Choice(form, parse_period(form.period.data or ""), asked_area)


def _area(areas: list[Scope], key: str) -> Scope | None:
    """The area a key names: one of the visitor's own areas (no query), else what parse_scope finds.

    An area the visitor may not choose is still parsed, so that it answers 403 rather than 400.
    """
    return next((area for area in areas if area.key == key), None) or parse_scope(key)


def _fresh_for() -> timedelta:
    return timedelta(minutes=current_app.config["COURSEHUB_REPORT_FRESH_MINUTES"])


def _report(chosen: Choice, *, recount: bool = False) -> Report | None:
    """Return the report asked for, or None for a bad choice.

    Its figures as kept, while they are fresh (`COURSEHUB_REPORT_FRESH_MINUTES`, models.ReportSnapshot);
    else, or when `recount` asks for it, counted now and kept for the page's charts, its printable
    page, its workbook and whoever opens it next.
    """
    if chosen.period is None or chosen.area is None:
        return None
    periods = series_for(chosen.period, reports_start(current_app.config))
    now = clock.now()
    locale = str(get_locale())
    fresh_for = _fresh_for()
    if not recount and fresh_for:
        kept = queries.kept_report(chosen.area, periods, locale=locale, now=now, fresh_for=fresh_for)
        if kept is not None:
            return kept
    report = build_report(chosen.area, periods, now)
    if fresh_for:
        # Counted while reading only (on SQLite without the write lock); kept in a short write.
        work.write_from_here()
        services.keep_report(report, locale=locale)
        work.commit_keeping_loaded()
        # What was written from the figures kept before is not shown again (a recount within the
        # same clock reading, as in the tests, would have the same key); the figures just kept
        # are held as read back, in place of those held under their key before.
        queries.hold_sections(report, locale=locale)
        _kept_figures().clear()
        _kept_charts().clear()
    return report


KEPT_FIGURES_KEY = "coursehub_kept_figures"
KEPT_CHARTS_KEY = "coursehub_kept_charts"


def _kept_figures() -> Fragments[Markup]:
    """Each figure of a kept report as its page wrote it (see `_figure_writer`), one store per app:
    26 figures a report, so about ten reports' worth (a national report's figures are 74 kB)."""
    found: Fragments[Markup] = app_fragments(KEPT_FIGURES_KEY, 256)
    return found


def _kept_charts() -> Fragments[str]:
    """Each chart of a kept report as drawn (see `_chart`), one store per app, as `_kept_figures`
    (a national report's 26 charts are 272 kB)."""
    found: Fragments[str] = app_fragments(KEPT_CHARTS_KEY, 256)
    return found


def _kept_row(place: Scope, periods: Sequence[Period], made_at: datetime) -> tuple[str, datetime]:
    """Name the kept report (models.ReportSnapshot) that what is written from it comes from: its
    key (place, series of periods, this request's language) and when it was counted."""
    return snapshot_key(place, periods, str(get_locale())), made_at


def _figure_writer(report: Report | None, keys: dict[str, str | None]) -> Callable[..., Markup]:
    """Return what writes one figure of the page (`figure_writer(figure_block, section, figure)`).

    A kept report's figures are the same until it is counted again (a new `made_at`), so each is
    written once per process under the snapshot's key, when it was counted, the script root and
    the address's keys (the chart's URL), and shown as written by every page after: the figures'
    tables were a third of the report's time (5 of 15 ms a page at national size). A report counted
    for this page alone (`COURSEHUB_REPORT_FRESH_MINUTES` = 0) is written every time.
    """

    def write(block: Callable[..., Markup], section: Section, figure: Figure) -> Markup:
        return block(report, section, figure, keys)

    if report is None or not _fresh_for():
        return write
    kept = _kept_figures()
    kept_as = (
        *_kept_row(report.place, report.periods, report.made_at),
        request.script_root,
        tuple(sorted(keys.items())),
    )

    def write_once(block: Callable[..., Markup], section: Section, figure: Figure) -> Markup:
        return kept.get((*kept_as, section.key, figure.key), lambda: write(block, section, figure))

    return write_once


def _chart(chosen: Choice, section: str, figure: str) -> str | None:
    """Return one figure's chart (SVG), or None when the choice or the keys name none.

    A view of the report asks for its 26 charts, each an image of its own. A kept report's chart
    is drawn once per process under the snapshot's key, when it was counted and the figure's
    keys; a later request reads only when the kept report was counted (`queries.kept_moment`, not
    its figures) and answers with the chart as drawn: reading the figures and drawing the chart
    were most of a chart's time (some 13 ms a chart at national size).
    """
    if chosen.period is None or chosen.area is None:
        return None
    fresh_for = _fresh_for()
    if fresh_for:
        periods = series_for(chosen.period, reports_start(current_app.config))
        kept_at = queries.kept_moment(
            chosen.area, periods, locale=str(get_locale()), now=clock.now(), fresh_for=fresh_for
        )
        if kept_at is not None:
            drawn = _kept_charts().find((*_kept_row(chosen.area, periods, kept_at), section, figure))
            if drawn is not None:
                return drawn
    report = _report(chosen)
    found = report.figure(section, figure) if report is not None else None
    if report is None or found is None:
        return None
    if not fresh_for:
        return charts.figure_svg(found, report.periods)
    return _kept_charts().get(
        (*_kept_row(report.place, report.periods, report.made_at), section, figure),
        lambda: charts.figure_svg(found, report.periods),
    )


def _title(report: Report) -> str:
    return _("Rapport %(period)s – %(area)s", period=report.chosen.label, area=report.place.label)


def _page(template: str) -> tuple[str, int]:
    chosen = _choice()
    report = _report(chosen)
    status = 200 if report is not None else 400
    keys = {"period": chosen.form.period.data, "omrade": chosen.form.omrade.data}
    return render_template(
        template,
        form=chosen.form,
        report=report,
        title=_title(report) if report else _("Rapport"),
        keys=keys,
        figure_writer=_figure_writer(report, keys),
        unit_label=exports.unit_label,
        rows=exports.rows_html,
        fresh_minutes=current_app.config["COURSEHUB_REPORT_FRESH_MINUTES"],
    ), status


@bp.get("/rapport")
@permission_required(can_view_report)
def report() -> tuple[str, int]:
    """Show the report for the chosen period and area: each figure's definition, chart and table."""
    return _page("reports/report.html")


@bp.post("/rapport/rakna-om")
@permission_required(can_view_report)
def report_recount() -> WerkzeugResponse | tuple[str, int]:
    """Count the chosen report's figures again now (they are otherwise kept for some minutes)."""
    chosen = _choice()
    if _report(chosen, recount=True) is None:
        return _page("reports/report.html")
    flash(_("Siffrorna är räknade på nytt."), "success")
    return redirect(url_for("reports.report", period=chosen.form.period.data, omrade=chosen.form.omrade.data))


@bp.get("/rapport/utskrift")
@permission_required(can_view_report)
def report_print() -> tuple[str, int]:
    """Show the report shaped for printing (to paper or PDF) for the yearly account."""
    return _page("reports/report_print.html")


@bp.get("/rapport/rapport.xlsx")
@permission_required(can_view_report)
def report_xlsx() -> Response:
    """Download the report as a workbook: a sheet per section, with the definitions."""
    report = _report(_choice())
    if report is None:
        abort(404)
    body = exports.report_xlsx(report, title=_title(report))
    response = current_app.response_class(body, mimetype=exports.XLSX_MIMETYPE)
    name = f"rapport-{report.chosen.key}-{report.place.key}.xlsx"
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@bp.get("/rapport/diagram/<section>/<figure>.svg")
@permission_required(can_view_report)
def report_chart(section: str, figure: str) -> Response:
    """Return one figure's chart as an SVG image (no scripts); its table is on the page beside it."""
    svg = _chart(_choice(), section, figure)
    if svg is None:
        abort(404)
    response = current_app.response_class(svg, mimetype="image/svg+xml")
    response.headers["Content-Security-Policy"] = charts.svg_csp(svg)
    return response
