"""The report's networks section: meetings held, the share online, attendance per network, people by gender.

Three queries whatever the data and the number of periods (forum.queries_figures). The county counts
every meeting and every attendee; a part or a municipality counts the people of its own
municipalities (by the municipality of their account) and the meetings at least one of them attended.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from flask_babel import gettext as _

from coursehub.forum.queries_figures import MeetingFigures, NetworkMeetings, meeting_figures_by_period
from coursehub.lib.spans import Span
from coursehub.reports.figures import Figure, Row, Section, Value, gender_rows
from coursehub.reports.periods import Period
from coursehub.reports.scope import Scope


def build_networks(where: Scope, periods: Sequence[Period], now: datetime) -> Section:
    """Return the networks section for `where` over `periods` (three queries)."""
    spans = [Span(period.key, period.starts_at(), period.ends_before()) for period in periods]
    county = where.kind == "county"
    found = meeting_figures_by_period(
        spans, now=now, municipality_ids=None if county else where.municipality_ids
    )
    size = len(periods)
    return Section(
        key="networks",
        title=_("Nätverk"),
        figures=(
            _meetings(where, found, size),
            _online(where, found, size),
            _attendance(where, found, size),
            _people(where, found, size),
        ),
    )


def _total(networks: list[NetworkMeetings], size: int, attribute: str) -> tuple[int, ...]:
    return tuple(sum(getattr(network, attribute)[index] for network in networks) for index in range(size))


def _which_meetings(where: Scope) -> str:
    if where.kind == "county":
        return _("nätverksmöten")
    return _("nätverksmöten där minst en person från %(name)s deltog", name=where.label)


def _meetings(where: Scope, found: MeetingFigures, size: int) -> Figure:
    rows = [Row(_("Alla nätverk"), _total(found.networks, size, "held"))]
    rows += [Row(network.name, tuple(network.held)) for network in found.networks]
    return Figure(
        key="network_meetings",
        title=_("Nätverksmöten"),
        definition=_(
            "Antalet %(meetings)s som hölls under perioden (möten som har börjat), "
            "i alla nätverk och per nätverk.",
            meetings=_which_meetings(where),
        ),
        unit="count",
        rows=tuple(rows),
        note=_people_note(where),
    )


def _shares(online: Sequence[int], held: Sequence[int]) -> tuple[Value, ...]:
    return tuple(on / all_held if all_held else None for on, all_held in zip(online, held, strict=True))


def _online(where: Scope, found: MeetingFigures, size: int) -> Figure:
    rows = [
        Row(
            _("Alla nätverk"),
            _shares(_total(found.networks, size, "online"), _total(found.networks, size, "held")),
        )
    ]
    rows += [Row(network.name, _shares(network.online, network.held)) for network in found.networks]
    return Figure(
        key="network_meetings_online",
        title=_("Andel nätverksmöten med digitalt deltagande"),
        definition=_(
            "Andelen av de %(meetings)s som hölls under perioden där man kunde delta via en länk, "
            "helt eller delvis digitalt.",
            meetings=_which_meetings(where),
        ),
        unit="share",
        rows=tuple(rows),
        note=_people_note(where),
    )


def _who(where: Scope) -> str:
    if where.kind == "county":
        return _(
            "alla deltagare, även resursens medarbetare och "
            "deltagare från kommuner som inte är med i resursen"
        )
    return _("deltagare från %(name)s", name=where.label)


def _attendance(where: Scope, found: MeetingFigures, size: int) -> Figure:
    rows = [Row(_("Alla nätverk"), _total(found.networks, size, "attendances"))]
    rows += [Row(network.name, tuple(network.attendances)) for network in found.networks]
    return Figure(
        key="network_attendance",
        title=_("Deltaganden i nätverksmöten"),
        definition=_(
            "Antalet deltaganden i nätverksmöten under perioden enligt mötenas närvarolistor (%(who)s); "
            "den som var med på två möten räknas två gånger.",
            who=_who(where),
        ),
        unit="count",
        rows=tuple(rows),
        note=_people_note(where),
    )


def _people(where: Scope, found: MeetingFigures, size: int) -> Figure:
    split = [Row(label, tuple(found.people[gender])) for gender, label in gender_rows()]
    total = tuple(sum(counts[index] for counts in found.people.values()) for index in range(size))
    return Figure(
        key="network_people",
        title=_("Personer som deltog i nätverksmöten"),
        definition=_(
            "Antalet olika personer som deltog i minst ett nätverksmöte under perioden (%(who)s), "
            "efter det kön de själva har angett; ej angivet när uppgiften saknas.",
            who=_who(where),
        ),
        unit="count",
        rows=(Row(_("Alla"), total), *split),
        note=_people_note(where),
    )


def _people_note(where: Scope) -> str:
    if where.kind == "county":
        return ""
    return _("En person räknas till den kommun som står i personens konto.")
