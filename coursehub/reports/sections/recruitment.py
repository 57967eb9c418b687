"""The recruitment section: registrations, presentable families, requests, offers, matches, times."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from flask_babel import gettext as _

from coursehub.recruitment.labels import STEP_LABELS
from coursehub.recruitment.models import Step
from coursehub.recruitment.queries_figures import series_figures
from coursehub.reports.figures import Figure, Row, Section
from coursehub.reports.periods import Period
from coursehub.reports.scope import Scope
from coursehub.reports.sections.common import spans


def _count(key: str, title: str, definition: str, values: Sequence[int], *more: Row) -> Figure:
    return Figure(key, title, definition, "count", (Row(title, tuple(values)), *more))


def build_recruitment(place: Scope, periods: Sequence[Period], now: datetime) -> Section:
    """Return the recruitment figures of each period for the families of `place` (seven queries)."""
    found = series_figures(spans(periods), place.municipality_ids)
    channels = tuple(Row(name or _("ingen kanal angiven"), tuple(values)) for name, values in found.channels)
    figures = (
        _count(
            "registrations",
            _("Intresseanmälningar"),
            _(
                "Intresseanmälningar som kom in under perioden från familjer som bor i området, "
                "uppdelade efter var familjen hörde talas om familjehemsresursen."
            ),
            found.registrations,
            *channels,
        ),
        _count(
            "registrations_total",
            _("Intresseanmälningar sedan starten"),
            _("Alla intresseanmälningar från familjer i området, från början till och med periodens slut."),
            found.registrations_total,
        ),
        _count(
            "presentable",
            _("Familjer möjliga att presentera"),
            _(
                "Familjer i området vars ärende nådde steget Presentation under perioden "
                "(varje ärende räknas en gång per period)."
            ),
            found.presentable,
        ),
        _count(
            "requests",
            _("Förfrågningar"),
            _("Förfrågningar om familjehem som kommuner i området skickade under perioden."),
            found.requests,
        ),
        _count(
            "offers",
            _("Erbjudanden"),
            _("Erbjudanden av en familj i området till en förfrågan, gjorda under perioden."),
            found.offers,
        ),
        _count(
            "matches",
            _("Kopplingar"),
            _("Familjer i området som kopplades till en förfrågande kommun under perioden."),
            found.matches,
        ),
        Figure(
            "median_days",
            _("Mediantid i varje steg"),
            _(
                "Mediantiden i dagar från att ett ärende kom till ett steg tills det gick vidare, för "
                "familjer i området och de vistelser i steget som tog slut under perioden."
            ),
            "days",
            tuple(
                Row(str(STEP_LABELS[step]), tuple(found.median_days[step]))
                for step in Step
                if step != Step.DECIDED
            ),
        ),
    )
    return Section("recruitment", _("Rekrytering"), figures)
