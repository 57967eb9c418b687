"""A figure's chart: bars per period of the figure itself (its first row), drawn by lib.charts.

A figure of days (the median time in each step) has parallel rows rather than a total and its
split, so its chart shows each row's value in the chosen period instead.
"""

from __future__ import annotations

from flask_babel import gettext as _

from coursehub.lib.charts import Bar, bar_chart_svg, svg_csp
from coursehub.reports.figures import Figure, HiddenType, Value
from coursehub.reports.periods import Period

__all__ = ["chart_bars", "figure_svg", "svg_csp"]


def _number(value: Value, unit: str) -> float:
    if value is None or isinstance(value, HiddenType):
        return 0.0
    return round(float(value) * 100, 1) if unit == "share" else float(value)


def chart_bars(figure: Figure, periods: tuple[Period, ...]) -> list[Bar]:
    """Return the bars of a figure's chart (a hidden or empty value draws as 0; the table says why)."""
    if figure.unit == "days":
        return [Bar(row.label, _number(row.values[-1], figure.unit)) for row in figure.rows]
    first = figure.rows[0]
    return [
        Bar(period.label, _number(value, figure.unit))
        for period, value in zip(periods, first.values, strict=True)
    ]


def figure_svg(figure: Figure, periods: tuple[Period, ...]) -> str:
    """Return the chart of one figure as an SVG document without scripts."""
    if figure.unit == "share":
        return bar_chart_svg(
            chart_bars(figure, periods),
            title=figure.title,
            series=figure.rows[0].label,
            value_range=(0, 100),
            value_formatter=lambda v: f"{v:.0f} %",
        )
    if figure.unit == "days":
        return bar_chart_svg(
            chart_bars(figure, periods),
            title=f"{figure.title}, {periods[-1].label}",
            series=_("Dagar"),
            value_formatter=lambda v: f"{v:.1f}",
        )
    return bar_chart_svg(
        chart_bars(figure, periods),
        title=figure.title,
        series=figure.rows[0].label,
        value_formatter=lambda v: f"{v:.0f}",
    )
