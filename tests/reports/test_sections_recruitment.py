"""The recruitment section against counts made by hand from the data below.

Three half-years: ht 2025, vt 2026, ht 2026. Member municipalities A (in the part "Norra") and B.

Cases (the family's municipality, registered, channel, steps):
- c0 A 2025-03-01 (before the series: counts only in the total since the start);
- c1 A 2025-09-10 "Sociala medier": interview 2025-09-20, presentation 2026-01-20;
- c2 B 2025-11-01 "Annonser": interview 2025-11-21, presentation 2026-08-10;
- c3 B 2026-02-01, no channel;
- c4 A 2026-07-15 "Sociala medier".
Requests: from A 2025-10-01, from B 2026-03-10. Offers: c1 to B's request 2026-03-15, c2 to A's
2026-08-20. Match: c1 with B 2026-04-01 (counted for the family's municipality A).

Stays: "registered" c1 10 days and c2 20 days, both ended in ht 2025 (median 15); "interview"
c1 122 days ended in vt 2026, c2 262 days ended in ht 2026.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from coursehub.accounts.models import CountyPart
from coursehub.extensions import db
from coursehub.recruitment.models import Match, Offer, Request, Step, StepChange
from coursehub.reports.periods import half_year
from coursehub.reports.scope import parse_scope
from coursehub.reports.sections.recruitment import build_recruitment
from tests.factories import MunicipalityFactory
from tests.recruitment.factories import CaseFactory, ChannelFactory

PERIODS = [half_year(2025, 2), half_year(2026, 1), half_year(2026, 2)]
NONE3 = (None, None, None)


def at(year: int, month: int, day: int) -> datetime:
    return datetime(year, month, day, 10, 0, tzinfo=UTC)


def _case(municipality, registered, *, channel=None, moves=()):
    case = CaseFactory(
        municipality=municipality,
        registered_at=registered,
        step_changed_at=registered,
        first_contact_due_on=date(registered.year, registered.month, 28),
        channel=channel,
    )
    previous = None
    for step, moment in [(Step.REGISTERED, registered), *moves]:
        db.session.add(StepChange(case_id=case.id, from_step=previous, to_step=step, at=moment))
        previous = step
    db.session.flush()
    return case


@pytest.fixture
def world(app, clock):
    clock.set(at(2027, 1, 15))
    a = MunicipalityFactory(name="A-stad")
    b = MunicipalityFactory(name="B-by")
    db.session.add(CountyPart(name="Norra", municipalities=[a]))
    social, ads = ChannelFactory(name="Sociala medier"), ChannelFactory(name="Annonser")
    _case(a, at(2025, 3, 1))
    c1 = _case(
        a,
        at(2025, 9, 10),
        channel=social,
        moves=[(Step.INTERVIEW, at(2025, 9, 20)), (Step.PRESENTATION, at(2026, 1, 20))],
    )
    c2 = _case(
        b,
        at(2025, 11, 1),
        channel=ads,
        moves=[(Step.INTERVIEW, at(2025, 11, 21)), (Step.PRESENTATION, at(2026, 8, 10))],
    )
    _case(b, at(2026, 2, 1))
    _case(a, at(2026, 7, 15), channel=social)
    ra = Request(municipality_id=a.id, child_age=4, kind="long_term", created_at=at(2025, 10, 1))
    rb = Request(municipality_id=b.id, child_age=7, kind="long_term", created_at=at(2026, 3, 10))
    db.session.add_all([ra, rb])
    db.session.flush()
    o1 = Offer(case_id=c1.id, request_id=rb.id, offered_at=at(2026, 3, 15))
    o2 = Offer(case_id=c2.id, request_id=ra.id, offered_at=at(2026, 8, 20))
    db.session.add_all([o1, o2])
    db.session.flush()
    db.session.add(
        Match(
            case_id=c1.id, request_id=rb.id, offer_id=o1.id, municipality_id=b.id, matched_at=at(2026, 4, 1)
        )
    )
    db.session.flush()
    return a, b


def _figures(key: str, clock) -> dict[str, dict[str, tuple]]:
    chosen = parse_scope(key)
    assert chosen is not None
    section = build_recruitment(chosen, PERIODS, clock.now)
    assert section.key == "recruitment"
    return {f.key: {row.label: row.values for row in f.rows} for f in section.figures}


def test_the_county(world, clock):
    got = _figures("lan", clock)
    assert got["registrations"] == {
        "Intresseanmälningar": (2, 1, 1),
        "Sociala medier": (1, 0, 1),
        "Annonser": (1, 0, 0),
        "ingen kanal angiven": (0, 1, 0),
    }
    assert got["registrations_total"] == {"Intresseanmälningar sedan starten": (3, 4, 5)}
    assert got["presentable"] == {"Familjer möjliga att presentera": (0, 1, 1)}
    assert got["requests"] == {"Förfrågningar": (1, 1, 0)}
    assert got["offers"] == {"Erbjudanden": (0, 1, 1)}
    assert got["matches"] == {"Kopplingar": (0, 1, 0)}
    medians = got["median_days"]
    assert medians["Intresseanmälan"] == (15.0, None, None)
    assert medians["Telefonintervju"] == (None, 122.0, 262.0)
    assert medians["Presentation"] == NONE3


def test_one_part(world, clock):
    part_id = db.session.query(CountyPart.id).filter_by(name="Norra").scalar()
    got = _figures(f"del-{part_id}", clock)
    assert got["registrations"] == {"Intresseanmälningar": (1, 0, 1), "Sociala medier": (1, 0, 1)}
    assert got["registrations_total"] == {"Intresseanmälningar sedan starten": (2, 2, 3)}
    assert got["presentable"] == {"Familjer möjliga att presentera": (0, 1, 0)}
    assert got["requests"] == {"Förfrågningar": (1, 0, 0)}
    assert got["offers"] == {"Erbjudanden": (0, 1, 0)}
    assert got["matches"] == {"Kopplingar": (0, 1, 0)}
    assert got["median_days"]["Intresseanmälan"] == (10.0, None, None)
    assert got["median_days"]["Telefonintervju"] == (None, 122.0, None)


def test_one_municipality(world, clock):
    a, b = world
    got = _figures(f"kommun-{b.id}", clock)
    assert got["registrations"] == {
        "Intresseanmälningar": (1, 1, 0),
        "Annonser": (1, 0, 0),
        "ingen kanal angiven": (0, 1, 0),
    }
    assert got["registrations_total"] == {"Intresseanmälningar sedan starten": (1, 2, 2)}
    assert got["presentable"] == {"Familjer möjliga att presentera": (0, 0, 1)}
    assert got["requests"] == {"Förfrågningar": (0, 1, 0)}
    assert got["offers"] == {"Erbjudanden": (0, 0, 1)}
    assert got["matches"] == {"Kopplingar": (0, 0, 0)}
    assert got["median_days"]["Intresseanmälan"] == (20.0, None, None)
    assert got["median_days"]["Telefonintervju"] == (None, None, 262.0)
