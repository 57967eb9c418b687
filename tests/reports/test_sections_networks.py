"""The report's networks section against counts made by hand, for the county, a part and a municipality.

The fixture, at 1 May 2026, over three half-years (vt 2025, ht 2025, vt 2026). People: Anna (Aneby,
woman), Bo (Aneby, man), Cai (Habo, gender not stated), Dani (Eksjö, another), Eva (the resource's
staff, no municipality, woman). Part Norra is Aneby and Habo; Eksjö lies in part Södra.

    meeting  network               when           held          attended by
    M0       Familjehemsnätverket  ht 2024        in person     Anna               (before the series)
    M1       Familjehemsnätverket  vt 2025        in person     Anna, Bo, Dani
    M2       Familjehemsnätverket  vt 2025        online        Anna, Eva
    M3       Chefsnätverket        vt 2025        both          Dani
    M4       Chefsnätverket        ht 2025        in person     Cai
    M5       Familjehemsnätverket  ht 2025        online        nobody recorded
    M6       Familjehemsnätverket  vt 2026        in person     Anna, Cai
    M7       Chefsnätverket        1 June 2026    in person     (not yet held)
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from coursehub.accounts.models import CountyPart, Gender
from coursehub.extensions import db as _db
from coursehub.forum.models import Meeting, MeetingAttendance
from coursehub.reports.periods import half_year
from coursehub.reports.scope import parse_scope
from coursehub.reports.sections.networks import build_networks
from tests.factories import MunicipalityFactory, UserFactory
from tests.forum.factories import NetworkFactory

NOW = datetime(2026, 5, 1, 10, tzinfo=UTC)
HALF_YEARS = [half_year(2025, 1), half_year(2025, 2), half_year(2026, 1)]
FAMILY = "Familjehemsnätverket"
CHIEFS = "Chefsnätverket"


def _meeting(network, when: datetime, people, *, place: str = "Kommunhuset", online: str = ""):
    meeting = Meeting(network_id=network.id, starts_at=when, place=place, online_url=online, agenda="")
    meeting.attendances = [MeetingAttendance(user_id=person.id) for person in people]
    _db.session.add(meeting)
    _db.session.flush()
    return meeting


class Place:
    def __init__(self):
        aneby = self.aneby = MunicipalityFactory(name="Aneby")
        habo = MunicipalityFactory(name="Habo")
        eksjo = MunicipalityFactory(name="Eksjö")
        self.norra = CountyPart(name="Norra", municipalities=[aneby, habo])
        _db.session.add_all([self.norra, CountyPart(name="Södra", municipalities=[eksjo])])
        self.anna = UserFactory(member=True, municipality=aneby, gender=Gender.WOMAN)
        self.bo = UserFactory(member=True, municipality=aneby, gender=Gender.MAN)
        self.cai = UserFactory(member=True, municipality=habo, gender=None)
        self.dani = UserFactory(member=True, municipality=eksjo, gender=Gender.ANOTHER)
        self.eva = UserFactory(staff=True, municipality=None, gender=Gender.WOMAN)
        _db.session.flush()

    def scopes(self):
        return {
            "county": parse_scope("lan"),
            "part": parse_scope(f"del-{self.norra.id}"),
            "municipality": parse_scope(f"kommun-{self.aneby.id}"),
        }


@pytest.fixture
def place(db, clock):
    clock.set(NOW)
    return Place()


@pytest.fixture
def meetings(place):
    family = NetworkFactory(name=FAMILY)
    chiefs = NetworkFactory(name=CHIEFS)
    p = place
    link = "https://möte.example.se/1"
    _meeting(family, datetime(2024, 11, 5, 13, tzinfo=UTC), [p.anna])
    _meeting(family, datetime(2025, 2, 4, 13, tzinfo=UTC), [p.anna, p.bo, p.dani])
    _meeting(family, datetime(2025, 4, 8, 13, tzinfo=UTC), [p.anna, p.eva], place="", online=link)
    _meeting(chiefs, datetime(2025, 5, 6, 8, tzinfo=UTC), [p.dani], online=link)
    _meeting(chiefs, datetime(2025, 10, 7, 8, tzinfo=UTC), [p.cai])
    _meeting(family, datetime(2025, 11, 4, 13, tzinfo=UTC), [], place="", online=link)
    _meeting(family, datetime(2026, 3, 3, 13, tzinfo=UTC), [p.anna, p.cai])
    _meeting(chiefs, datetime(2026, 6, 1, 8, tzinfo=UTC), [])
    return place


def _figure(section, key):
    return next(figure for figure in section.figures if figure.key == key)


def _values(section, key):
    return [(row.label, list(row.values)) for row in _figure(section, key).rows]


def test_the_county_counts_every_meeting_held_and_every_attendee(meetings):
    section = build_networks(meetings.scopes()["county"], HALF_YEARS, NOW)

    assert section.key == "networks"
    assert _values(section, "network_meetings") == [
        ("Alla nätverk", [3, 2, 1]),
        (CHIEFS, [1, 1, 0]),
        (FAMILY, [2, 1, 1]),
    ]
    assert _values(section, "network_meetings_online") == [
        ("Alla nätverk", [2 / 3, 1 / 2, 0.0]),
        (CHIEFS, [1.0, 0.0, None]),
        (FAMILY, [1 / 2, 1.0, 0.0]),
    ]
    assert _values(section, "network_attendance") == [
        ("Alla nätverk", [6, 1, 2]),
        (CHIEFS, [1, 1, 0]),
        (FAMILY, [5, 0, 2]),
    ]
    # vt 2025: Anna, Bo, Dani, Eva; ht 2025: Cai; vt 2026: Anna, Cai.
    assert _values(section, "network_people") == [
        ("Alla", [4, 1, 2]),
        ("kvinna", [2, 0, 1]),
        ("man", [1, 0, 0]),
        ("annat", [1, 0, 0]),
        ("ej angivet", [0, 1, 1]),
    ]
    assert "medarbetare" in _figure(section, "network_attendance").definition


def test_a_part_counts_its_people_and_the_meetings_they_attended(meetings):
    section = build_networks(meetings.scopes()["part"], HALF_YEARS, NOW)

    # M3 had only Dani (Eksjö), M5 nobody: neither is Norra's.
    assert _values(section, "network_meetings") == [
        ("Alla nätverk", [2, 1, 1]),
        (CHIEFS, [0, 1, 0]),
        (FAMILY, [2, 0, 1]),
    ]
    assert _values(section, "network_meetings_online") == [
        ("Alla nätverk", [1 / 2, 0.0, 0.0]),
        (CHIEFS, [None, 0.0, None]),
        (FAMILY, [1 / 2, None, 0.0]),
    ]
    assert _values(section, "network_attendance") == [
        ("Alla nätverk", [3, 1, 2]),
        (CHIEFS, [0, 1, 0]),
        (FAMILY, [3, 0, 2]),
    ]
    assert _values(section, "network_people") == [
        ("Alla", [2, 1, 2]),
        ("kvinna", [1, 0, 1]),
        ("man", [1, 0, 0]),
        ("annat", [0, 0, 0]),
        ("ej angivet", [0, 1, 1]),
    ]
    assert "Norra" in _figure(section, "network_meetings").definition


def test_a_municipality_counts_only_its_own_people(meetings):
    section = build_networks(meetings.scopes()["municipality"], HALF_YEARS, NOW)

    assert _values(section, "network_meetings") == [("Alla nätverk", [2, 0, 1]), (FAMILY, [2, 0, 1])]
    assert _values(section, "network_meetings_online") == [
        ("Alla nätverk", [1 / 2, None, 0.0]),
        (FAMILY, [1 / 2, None, 0.0]),
    ]
    # M6: Anna only (Cai lives in Habo).
    assert _values(section, "network_attendance") == [("Alla nätverk", [3, 0, 1]), (FAMILY, [3, 0, 1])]
    assert _values(section, "network_people") == [
        ("Alla", [2, 0, 1]),
        ("kvinna", [1, 0, 1]),
        ("man", [1, 0, 0]),
        ("annat", [0, 0, 0]),
        ("ej angivet", [0, 0, 0]),
    ]
    assert "Aneby" in _figure(section, "network_people").definition


def test_a_meeting_counts_from_the_moment_it_begins(meetings, clock):
    june = datetime(2026, 6, 1, 8, tzinfo=UTC)
    assert _values(build_networks(meetings.scopes()["county"], HALF_YEARS, june), "network_meetings")[0] == (
        "Alla nätverk",
        [3, 2, 2],
    )


def _more(place, networks: int) -> None:
    people = [place.anna, place.bo, place.cai, place.dani, place.eva]
    for n in range(networks):
        network = NetworkFactory()
        for m in range(4):
            when = datetime(2024 + m % 3, 1 + (n * 3 + m * 4) % 12, 12, 13, tzinfo=UTC)
            _meeting(network, when, people[m % 3 :], online="https://möte.example.se/2" if m % 2 else "")


@pytest.mark.parametrize("kind", ["county", "municipality"])
def test_the_section_runs_three_queries_whatever_the_periods_and_the_data(place, count_queries, kind):
    scope = place.scopes()[kind]
    six = [half_year(2024 + n // 2, 1 + n % 2) for n in range(6)]
    counts = []
    for networks in (1, 8):
        _more(place, networks)
        for periods in (six[:1], six):
            with count_queries() as statements:
                build_networks(scope, periods, NOW)
            counts.append(len(statements))
    assert counts == [3, 3, 3, 3]


def test_a_meeting_counts_in_the_half_year_of_its_swedish_date(place):
    network = NetworkFactory(name=FAMILY)
    # 23:30 on 30 June and 00:30 on 1 July in Stockholm (summer time, UTC+2).
    _meeting(network, datetime(2025, 6, 30, 21, 30, tzinfo=UTC), [place.anna])
    _meeting(network, datetime(2025, 6, 30, 22, 30, tzinfo=UTC), [place.anna, place.bo])

    section = build_networks(place.scopes()["municipality"], HALF_YEARS[:2], NOW)
    assert _values(section, "network_attendance") == [("Alla nätverk", [1, 2]), (FAMILY, [1, 2])]
