"""How the report writes a value in its tables (the page, the printable page)."""

from __future__ import annotations

import pytest

from coursehub.reports import exports
from coursehub.reports.figures import HIDDEN, Figure, Row

# The template macro that wrote each cell until reports.exports.cell_html took its place: the
# page must stay byte for byte what it was.
_MACRO = """{% macro value(v, unit) -%}
  {%- set shown = cell(v, unit) -%}
  {%- if shown == "" -%}<span aria-label="{{ _('inget att räkna') }}">·</span>
  {%- elif unit == "share" -%}{{ ("%.1f"|format(shown))|replace(".", ",") }} %
  {%- elif unit == "days" -%}{{ ("%.1f"|format(shown))|replace(".", ",") }}
  {%- else -%}{{ shown }}{%- endif -%}
{%- endmacro %}[{{ value(v, unit) }}]"""


@pytest.mark.parametrize(
    ("value", "unit", "shown"),
    [
        (12, "count", "12"),
        (0, "count", "0"),
        (None, "count", '<span aria-label="inget att räkna">·</span>'),
        (HIDDEN, "count", "–"),
        (0.125, "share", "12,5 %"),
        (0.0, "share", "0,0 %"),
        (1, "share", "100,0 %"),
        (None, "share", '<span aria-label="inget att räkna">·</span>'),
        (3, "days", "3,0"),
        (12.25, "days", "12,2"),
        (None, "days", '<span aria-label="inget att räkna">·</span>'),
    ],
)
def test_a_cell_is_written_as_the_macro_wrote_it(app, value, unit, shown):
    with app.test_request_context("/rapport"):
        template = app.jinja_env.from_string(_MACRO)
        by_macro = template.render(v=value, unit=unit, cell=exports.cell)
        assert by_macro == f"[{shown}]"
        assert f"[{exports.cell_html(value, unit)}]" == by_macro


# The loop that wrote a figure's table rows until reports.exports.rows_html took its place.
_ROWS_LOOP = (
    "          <tbody>\n"
    "          {% for row in figure.rows %}\n"
    '            <tr{% if loop.first %} class="report-main-row"{% endif %}>'
    '<th scope="row">{{ row.label }}</th>'
    '{% for v in row.values %}<td class="text-end">{{ cell(v, figure.unit) }}</td>{% endfor %}</tr>\n'
    "          {% endfor %}\n"
    "          </tbody>"
)
_ROWS_CALL = """          <tbody>
          {{ rows(figure) }}
          </tbody>"""


@pytest.mark.parametrize("unit", ["count", "share", "days"])
@pytest.mark.parametrize("size", [0, 1, 3])
def test_a_figures_rows_are_written_as_the_template_loop_wrote_them(app, unit, size):
    values = (0, 1, 0.125, None, HIDDEN, 12.25)
    rows = tuple(
        Row(label, values[n:] + values[:n])
        for n, label in enumerate(["Deltagare", "<Värnamo & Gnosjö>", 'ej "angivet"'][:size])
    )
    figure = Figure("key", "Titel", "Definition.", unit, rows)
    with app.test_request_context("/rapport"):
        by_loop = app.jinja_env.from_string(_ROWS_LOOP).render(figure=figure, cell=exports.cell_html)
        by_python = app.jinja_env.from_string(_ROWS_CALL).render(figure=figure, rows=exports.rows_html)
    assert by_python == by_loop
    assert by_loop.count("<tr") == size


@pytest.mark.parametrize("unit", ["count", "share", "days"])
def test_a_value_kept_back_is_written_as_its_mark_whatever_the_unit(unit):
    """A share kept back by the anonymity threshold (satisfaction) once stopped the page: "%.1f" of "–"."""
    assert exports.cell_html(HIDDEN, unit) == "–"
    assert exports.cell(HIDDEN, unit) == "–"
