"""Server-side SVG bar charts (pygal, with its JavaScript switched off and any <script> removed)."""

from __future__ import annotations

import base64
import hashlib
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
    )


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
        width=800,
        height=max(200, 60 + 36 * len(bars)),
        print_values=True,
        value_formatter=value_formatter,
        disable_xml_declaration=False,
    )
    chart.x_labels = [bar.label for bar in bars]
    chart.add(series, [bar.value for bar in bars])
    return _OPACITY_STYLE.sub(r'opacity="\1"', _SCRIPT.sub("", chart.render(is_unicode=True)))
