"""Server-side SVG bar charts (pygal, with its JavaScript switched off and any <script> removed)."""

from __future__ import annotations

import base64
import hashlib
import math
import re
import sys
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass

_SCRIPT = re.compile(r"<script\b.*?</script>", re.DOTALL | re.IGNORECASE)
_STYLE_ELEMENT = re.compile(r"<style\b[^>]*>(.*?)</style>", re.DOTALL | re.IGNORECASE)
# pygal hides its (script-driven) tooltip with a style attribute; a presentation attribute does the
# same without needing inline styles in the policy.
_OPACITY_STYLE = re.compile(r'style="opacity:\s*([0-9.]+)"')


def svg_csp(svg: str) -> str:
    """Return the Content-Security-Policy of a chart served as its own image.

    The chart's <style> elements are allowed by their SHA-256 hashes, never by 'unsafe-inline';
    nothing else may load, and no page may frame it.
    """
    hashes = sorted(
        {
            "'sha256-" + base64.b64encode(hashlib.sha256(body.encode("utf-8")).digest()).decode("ascii") + "'"
            for body in _STYLE_ELEMENT.findall(svg)
        }
    )
    style = "style-src " + " ".join(hashes) if hashes else "style-src 'none'"
    return f"default-src 'none'; {style}; frame-ancestors 'none'"


@dataclass(frozen=True)
class Bar:
    """One labelled value of a bar chart."""

    label: str
    value: float


def _pygal():
    """Import pygal on first use and take out the legacy import hook it installs.

    pygal appends a finder without `find_spec` to `sys.meta_path`; after that every failed import
    anywhere in the process warns (ImportWarning), which the strict test suite turns into errors.
    Nothing here uses the `pygal.maps` plugins that the hook serves.
    """
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ImportWarning)
        import pygal
    sys.meta_path[:] = [f for f in sys.meta_path if type(f).__name__ != "PluginImportFixer"]
    return pygal


# The width a chart is drawn at, close to the width it is shown at (see _style).
_WIDTH = 480


def _style():
    from pygal.style import Style

    # Dark bars on white: at least 3:1 against the background (WCAG 1.4.11).
    return Style(
        background="#ffffff",
        plot_background="#ffffff",
        foreground="#212529",
        foreground_strong="#212529",
        foreground_subtle="#495057",
        colors=("#0a4f8a",),
        font_family="system-ui, sans-serif",
        # A chart fills its column (about 366 px on a phone, 450 on a desktop), so it is drawn at
        # `_WIDTH` with text that stays 10 px or more on a phone (pygal's own labels are 10 px).
        label_font_size=14,
        major_label_font_size=14,
        value_font_size=14,
        value_label_font_size=14,
        tooltip_font_size=14,
        legend_font_size=14,
        title_font_size=16,
        no_data_font_size=16,
    )


def value_ticks(values: Sequence[float], value_range: tuple[float, float] | None = None) -> list[float]:
    """Return the ticks of the value axis: at most six, a round step apart (1, 2, 2.5 or 5 times a
    power of ten; whole numbers for counts), from the range's start (or 0) past the largest value
    (or to the range's end).

    pygal's own ticks were ten or more, at steps such as 0.2 for counts of three: their labels,
    read at a phone's width, ran into each other or were cut short ("10...").
    """
    low, high = value_range if value_range is not None else (0.0, max([0.0, *values]))
    span = high - low
    if span <= 0:
        return [low, low + 1]
    # Counts get whole steps: a tick at 2.5 would read "2" under a "{:.0f}" formatter.
    whole = value_range is None and all(float(value).is_integer() for value in values)
    wanted = max(span / 5, 1.0) if whole else span / 5
    power = 10 ** math.floor(math.log10(wanted))
    factors = (1, 2, 5, 10) if whole else (1, 2, 2.5, 5, 10)
    step = next(power * factor for factor in factors if power * factor >= wanted)
    count = math.ceil(span / step - 1e-9)
    return [round(low + step * n, 9) for n in range(count + 1)]


def bar_chart_svg(
    bars: Sequence[Bar],
    *,
    title: str,
    series: str,
    value_range: tuple[float, float] | None = None,
    value_formatter: Callable[[float], str] = str,
) -> str:
    """Return a horizontal bar chart of `bars` as an SVG document without any <script>.

    `series` names the values (for screen readers and the tooltip); the chart grows with the
    number of bars so that every label stays readable.
    """
    pygal = _pygal()
    chart = pygal.HorizontalBar(
        js=[],
        style=_style(),
        title=title,
        show_legend=False,
        range=value_range,
        width=_WIDTH,
        height=max(200, 60 + 36 * len(bars)),
        print_values=True,
        # A zero printed beside the axis sat on the bar's label; the table has it. pygal leaves
        # out only a printed value that reads "0", so the bars' values are written so for zero
        # (`formatter`) while the axis keeps its unit (`value_formatter`).
        print_zeroes=False,
        formatter=lambda value: "0" if not value else value_formatter(value),
        value_formatter=value_formatter,
        disable_xml_declaration=False,
    )
    values = [bar.value for bar in bars]
    chart.x_labels = [bar.label for bar in bars]
    chart.y_labels = value_ticks(values, value_range)
    chart.add(series, values)
    return _OPACITY_STYLE.sub(r'opacity="\1"', _SCRIPT.sub("", chart.render(is_unicode=True)))
