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

    assert height(2) == "0 0 800 200"
    assert height(10) == "0 0 800 420"


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
