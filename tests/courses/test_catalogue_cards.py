"""courses.views.catalogue_cards: the catalogue's cards written in Python are the HTML the template
wrote for them, on every kind of card, escaped the same way."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

import pytest
from flask_babel import force_locale

from coursehub.courses.queries import CatalogueRow, CatalogueVenue
from coursehub.courses.views.catalogue_cards import CatalogueCards

# The template's own loop over a page of runs, as courses/catalogue.html wrote it before CatalogueCards.
TEMPLATE_CARDS = (Path(__file__).parent / "data" / "catalogue_cards_template.html").read_text(
    encoding="utf-8"
)

STARTS = datetime(2027, 3, 9, 17, 0, tzinfo=UTC)
ODD = 'Familjehem & "nätverk" <Syd>'
AIMED_AT = {1: ["Familjehem", "Jourhem & <kontaktfamilj>"], 2: [], 3: ["Nätverkshem"]}


def _card(ident: int, **fields) -> CatalogueRow:
    values = {
        "id": ident,
        "title": f"Ett hem att växa i, vår 2027 ({ident})",
        "course_type_id": 1,
        "type_name": "Grundutbildning",
        "starts_at": STARTS,
        "online_url": None,
        "venue": CatalogueVenue("Familjehemsresursens lokal", "Storgatan 1, 553 16 Jönköping"),
        "municipality": "Jönköping",
        "seats_left": 7,
        "sessions": 8,
    }
    return CatalogueRow(**(values | fields))


def _rows() -> list[CatalogueRow]:
    return [
        _card(1),
        _card(2, title=ODD, type_name=ODD, venue=CatalogueVenue(ODD, ""), municipality=ODD, seats_left=0),
        _card(3, venue=None, online_url="https://mote.example/rum/3", municipality=None, course_type_id=2),
        _card(4, venue=None, municipality=None, course_type_id=3, starts_at=None, sessions=0),
        _card(5, venue=None, municipality="Vaggeryd", course_type_id=99, seats_left=1),
    ]


def _normal(html: str) -> str:
    return re.sub(r"\s+", " ", str(html)).strip()


@pytest.mark.parametrize("locale", ["sv", "en"])
def test_the_cards_are_written_as_the_template_wrote_them(app, locale):
    rows = _rows()
    with app.test_request_context("/kurser"), force_locale(locale):
        expected = app.jinja_env.from_string(TEMPLATE_CARDS).render(
            rows=rows, detail_url="/kurser/", aimed_at=AIMED_AT
        )
        written = CatalogueCards("/kurser/", AIMED_AT)(rows)
    assert _normal(written) == _normal(expected)
    # The checks the comparison rests on: the odd texts escaped, every kind of card there.
    assert written.count("<article ") == len(rows)
    assert "Familjehem &amp; &#34;nätverk&#34; &lt;Syd&gt;" in written and "<Syd>" not in written
    assert "Jourhem &amp; &lt;kontaktfamilj&gt;" in written
    assert written.count('class="col-sm-9 aimed-at"') == 3  # types 1, 1 and 3; type 2 at no one
    assert 'href="/kurser/4"' in written
