"""The catalogue's cards, written in one loop: each run's title, type, first meeting, place and seats.

The catalogue is the page every visitor opens, in four variants in the load benchmark. Written by
the template, each of its twenty cards cost some 300 Python calls (every printed value an escape,
every attribute a lookup, the place a macro call): a third of the request. Here each card is one
f-string, every value from the database or a translation escaped as the template escaped it, the
words translated once for the page.

`tests/courses/test_catalogue_cards.py` holds this output to the template's loop it replaces
(`tests/courses/data/catalogue_cards_template.html`) on every kind of card.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from flask import current_app
from flask_babel import get_translations
from markupsafe import Markup, escape

from coursehub.courses.queries import CatalogueRow


class CatalogueCards:
    """Writes a page of the catalogue's runs as `<article>` cards."""

    def __init__(self, detail_url: str, aimed_at: Mapping[int, Sequence[str]]) -> None:
        """`detail_url`: a run's page without its id; `aimed_at`: per course type, the kinds of
        home it is for."""
        self.local_datetime: Callable[[Any], str] = current_app.jinja_env.filters["local_datetime"]
        self.detail_url = escape(detail_url)
        self.aimed_at = {key: escape(", ").join(kinds) for key, kinds in aimed_at.items() if kinds}
        # The request's translations looked up once; named as the extraction keyword, so that
        # `pybabel extract` still finds the words.
        _ = get_translations().ugettext
        words = {
            "first": _("Första träffen"),
            "count": _("Antal träffar"),
            "place": _("Plats"),
            "aimed": _("Riktar sig till"),
            "seats": _("Lediga platser"),
            "full": _("Fullbokad – ni kan ställa er på reservlistan"),
            "online": _("På nätet"),
            "later": _("Plats meddelas senare"),
        }
        self.t = {key: escape(value) for key, value in words.items()}

    def __call__(self, rows: Sequence[CatalogueRow]) -> Markup:
        """Return the card of each of `rows` as the catalogue shows them."""
        t, html = self.t, []
        for run in rows:
            if run.venue is not None:
                address = f", {escape(run.venue.address)}" if run.venue.address else ""
                place = f"\n{escape(run.venue.name)}{address}"  # the line break the macro wrote
            else:
                place = t["online"] if run.online_url else t["later"]
            if run.municipality:
                place = f"{place} ({escape(run.municipality)})"
            aimed = self.aimed_at.get(run.course_type_id)
            seats = int(run.seats_left)
            html.append(
                '\n<article class="card mb-3 course-card">\n<div class="card-body">\n'
                f'<h2 class="h4 card-title"><a href="{self.detail_url}{int(run.id)}">'
                f"{escape(run.title)}</a></h2>\n"
                f'<p class="mb-1 text-body-secondary">{escape(run.type_name)}</p>\n<dl class="row mb-0">\n'
                f'<dt class="col-sm-3">{t["first"]}</dt>\n'
                f'<dd class="col-sm-9">{escape(self.local_datetime(run.starts_at))}</dd>\n'
                f'<dt class="col-sm-3">{t["count"]}</dt>\n<dd class="col-sm-9">{int(run.sessions)}</dd>\n'
                f'<dt class="col-sm-3">{t["place"]}</dt>\n<dd class="col-sm-9">{place}</dd>\n'
                + (
                    f'<dt class="col-sm-3">{t["aimed"]}</dt>\n<dd class="col-sm-9 aimed-at">{aimed}</dd>\n'
                    if aimed
                    else ""
                )
                + f'<dt class="col-sm-3">{t["seats"]}</dt>\n'
                f'<dd class="col-sm-9 seats-left">{seats if seats > 0 else t["full"]}</dd>\n'
                "</dl>\n</div>\n</article>"
            )
        # Every value above went through escape(), as the template's printing of it did.
        return Markup("".join(html))  # noqa: S704  # nosec B704
