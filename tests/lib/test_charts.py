"""The generic SVG bar chart."""

from xml.etree import ElementTree

from coursehub.lib.charts import Bar, bar_chart_svg


def test_a_bar_chart_is_well_formed_svg_with_every_label_and_no_script():
    svg = bar_chart_svg(
        [Bar("Jönköping", 12), Bar("<Värnamo & Gnosjö>", 3)],
        title="Deltagare",
        series="Personer",
        value_formatter=lambda v: f"{v:.0f} st",
    )
    root = ElementTree.fromstring(svg.encode("utf-8"))  # noqa: S314 - our own output
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    assert "<script" not in svg and "javascript" not in svg.lower()
    assert "Jönköping" in svg and "&lt;Värnamo &amp; Gnosjö&gt;" in svg
    assert "12 st" in svg and "3 st" in svg


def test_the_chart_grows_with_the_number_of_bars():
    def height(count):
        svg = bar_chart_svg([Bar(f"R{n}", n) for n in range(count)], title="T", series="S")
        return ElementTree.fromstring(svg.encode("utf-8")).get("viewBox")  # noqa: S314

    assert height(2) == "0 0 480 200"
    assert height(10) == "0 0 480 420"


def test_a_chart_needs_no_inline_styles_beyond_its_hashed_style_element():
    import base64
    import hashlib
    import re

    from coursehub.lib.charts import svg_csp

    svg = bar_chart_svg([Bar("Nässjö", 80.0), Bar("Eksjö", 55.5)], title="Närvaro", series="Närvaro")
    assert "style=" not in svg  # a style attribute could only be allowed by 'unsafe-inline'
    bodies = re.findall(r"<style[^>]*>(.*?)</style>", svg, re.DOTALL)
    assert bodies
    policy = svg_csp(svg)
    assert "unsafe-inline" not in policy and "frame-ancestors 'none'" in policy
    for body in bodies:
        digest = base64.b64encode(hashlib.sha256(body.encode()).digest()).decode()
        assert f"'sha256-{digest}'" in policy


def test_a_charts_smallest_text_is_readable_at_the_width_a_phone_gives_it():
    """A chart fills its column: on a 390 px phone about 366 px, on a desktop about 450 px.
    Drawn 800 wide with 10 px labels, its words came out under 5 px on either."""
    import re

    svg = bar_chart_svg([Bar("vt 2026", 12), Bar("ht 2026", 3)], title="Intresseanmälningar", series="Antal")
    width = float(ElementTree.fromstring(svg.encode("utf-8")).get("viewBox").split()[2])  # noqa: S314
    sizes = [float(size) for size in re.findall(r"font-size:\s*([0-9.]+)px", svg)]
    assert sizes
    assert min(sizes) * 366 / width >= 10, (width, sorted(set(sizes)))


def test_the_value_axis_has_a_few_round_ticks_and_whole_ones_for_counts():
    """pygal's own ticks for counts up to three were 0, 0.2, 0.4 ... and read "0 0 0 1 1 1"."""
    from coursehub.lib.charts import value_ticks

    assert value_ticks([3, 0, 1]) == [0, 1, 2, 3]
    assert value_ticks([7]) == [0, 2, 4, 6, 8]
    assert value_ticks([1234]) == [0, 500, 1000, 1500]
    assert value_ticks([12.3]) == [0, 2.5, 5, 7.5, 10, 12.5]  # days, shown with a decimal
    assert value_ticks([40.0], (0, 100)) == [0, 20, 40, 60, 80, 100]
    assert value_ticks([0, 0]) == [0, 1]  # nothing to count still draws an axis


def test_a_bar_of_zero_prints_no_value_on_its_label_and_the_axis_keeps_its_unit():
    import re

    svg = bar_chart_svg(
        [Bar("vt 2026", 0), Bar("ht 2026", 40)],
        title="Andel",
        series="Andel",
        value_range=(0, 100),
        value_formatter=lambda v: f"{v:.0f} %",
    )
    printed = re.findall(r'class="value[^"]*"[^>]*>([^<]*)</text>', svg)
    assert printed == ["40 %"]
    assert ">0 %</text>" in svg and ">100 %</text>" in svg  # the axis
