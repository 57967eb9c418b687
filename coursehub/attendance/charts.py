"""The chart of attendance rates (per cent), drawn by coursehub.lib.charts."""

from __future__ import annotations

from flask_babel import gettext as _

from coursehub.lib.charts import Bar, bar_chart_svg, svg_csp

__all__ = ["svg_csp", "rates_chart_svg"]


def rates_chart_svg(rows, *, title: str) -> str:
    """Return an SVG bar chart of attendance rates (per cent), with every <script> removed."""
    bars = [Bar(row.label, round(row.rate * 100, 1)) for row in rows]
    return bar_chart_svg(
        bars, title=title, series=_("Närvaro"), value_range=(0, 100), value_formatter=lambda v: f"{v:.0f} %"
    )
