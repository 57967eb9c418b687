"""The charts of evaluation results: one question's distribution, an indicator over the years.

Each chart is an image whose text alternative is the table beside it on the page; the charts are
drawn by coursehub.lib.charts (pygal, no scripts).
"""

from __future__ import annotations

from collections.abc import Sequence

from flask_babel import gettext as _
from markupsafe import escape

from coursehub.lib.charts import Bar, bar_chart_svg, svg_csp

__all__ = ["svg_csp", "distribution_svg", "indicator_svg", "still_open_svg", "too_few_svg"]


def distribution_svg(options: Sequence[tuple[str, int]], *, title: str) -> str:
    """Return a bar chart of how many chose each answer option (label, count), in the form's order."""
    return bar_chart_svg(
        [Bar(label, count) for label, count in options],
        title=title,
        series=_("Antal svar"),
        value_formatter=lambda value: f"{value:.0f}",
    )


def indicator_svg(points: Sequence[tuple[str, float]], *, title: str) -> str:
    """Return a bar chart of the share very satisfied (0..1) per year or half-year, in per cent."""
    return bar_chart_svg(
        [Bar(label, round(share * 100, 1)) for label, share in points],
        title=title,
        series=_("Andel mycket nöjda"),
        value_range=(0, 100),
        value_formatter=lambda value: f"{value:.0f} %",
    )


def too_few_svg() -> str:
    """Return an image that says only that too few have answered (a chart of a hidden selection)."""
    return _notice_svg(_("För få svar för att visa resultat"))


def still_open_svg() -> str:
    """Return an image that says only that the results wait until the evaluation has closed."""
    return _notice_svg(_("Resultaten visas när utvärderingen har stängt."))


def _notice_svg(text: str) -> str:
    message = escape(text)
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        '<svg xmlns="http://www.w3.org/2000/svg" width="800" height="80" viewBox="0 0 800 80" role="img">'
        f"<title>{message}</title>"
        '<rect width="800" height="80" fill="#ffffff"/>'
        '<text x="20" y="45" font-family="system-ui, sans-serif" font-size="20" fill="#212529">'
        f"{message}</text></svg>"
    )
