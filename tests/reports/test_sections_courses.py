"""The courses section against counts made by hand from the data below.

Three half-years: autumn 2025 (ht 2025), spring 2026 (vt 2026), autumn 2026 (ht 2026); the county
is the member municipalities A and B; the part "Norra" holds A alone; X is not a member.

People: a1 (woman) and a2 (gender not stated) of household HA in A; b1 (man) of HB in B; the
professional p1 (another) of B; x1 (woman) of HX in X, who never counts.

Runs, by their first session:
- R1 ht 2025, on site: HA (a1, a2) and HB (b1) confirmed;
- R2 vt 2026, online: HB (b1), p1 and HX (x1) confirmed; HA only on the waiting list;
- R3 ht 2026, cancelled: HA confirmed (a cancelled run was not held);
- R4 ht 2026, online: HA with a1 alone confirmed.

So in the county: runs held 1, 1, 1 (online 0, 1, 1); participants 3 (a1 a2 b1), 2 (b1 p1), 1 (a1).
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from coursehub.accounts.models import CountyPart, Gender
from coursehub.courses.models import RunStatus
from coursehub.enrollment.models import EnrollmentStatus, ParticipantKind
from coursehub.extensions import db
from coursehub.reports.periods import half_year
from coursehub.reports.scope import parse_scope
from coursehub.reports.sections.courses import build_courses
from tests.attendance.factories import AttendanceMarkFactory, CertificateFactory, CompletionFactory
from tests.factories import (
    CourseRunFactory,
    CourseTypeFactory,
    EnrollmentFactory,
    HouseholdFactory,
    MunicipalityFactory,
    UserFactory,
)

PERIODS = [half_year(2025, 2), half_year(2026, 1), half_year(2026, 2)]


def at(year: int, month: int, day: int) -> datetime:
    return datetime(year, month, day, 16, 0, tzinfo=UTC)


def _run(start: datetime, *, online: bool = False, status: RunStatus = RunStatus.PUBLISHED):
    run = CourseRunFactory(course_type=CourseTypeFactory(themes=2), sessions__start=start, status=status)
    if online:
        run.venue = None
        run.online_url = "https://mote.exempel.test/kurs"
    db.session.flush()
    return run


@pytest.fixture
def world(app, clock):
    clock.set(at(2027, 1, 15))
    a = MunicipalityFactory(name="A-stad")
    b = MunicipalityFactory(name="B-by")
    x = MunicipalityFactory(name="X-köping", is_member=False)
    db.session.add(CountyPart(name="Norra", municipalities=[a]))
    ha, hb, hx = (
        HouseholdFactory(municipality=a),
        HouseholdFactory(municipality=b),
        HouseholdFactory(municipality=x),
    )
    a1 = UserFactory(household=ha, gender=Gender.WOMAN)
    a2 = UserFactory(household=ha, gender=None)
    b1 = UserFactory(household=hb, gender=Gender.MAN)
    p1 = UserFactory(municipality=b, gender=Gender.ANOTHER)
    x1 = UserFactory(household=hx, gender=Gender.WOMAN)
    r1 = _run(at(2025, 9, 10))
    r2 = _run(at(2026, 3, 10), online=True)
    r3 = _run(at(2026, 9, 10), status=RunStatus.CANCELLED)
    r4 = _run(at(2026, 10, 1), online=True)
    EnrollmentFactory(run=r1, household=ha, persons=[a1, a2])
    EnrollmentFactory(run=r1, household=hb, persons=[b1])
    EnrollmentFactory(run=r2, household=hb, persons=[b1])
    EnrollmentFactory(
        run=r2, household=None, professional=p1, participant_kind=ParticipantKind.PROFESSIONAL, persons=[p1]
    )
    EnrollmentFactory(run=r2, household=hx, persons=[x1])
    EnrollmentFactory(
        run=r2, household=ha, persons=[a1, a2], status=EnrollmentStatus.WAITLISTED, waitlist_position=1
    )
    EnrollmentFactory(run=r3, household=ha, persons=[a1, a2])
    EnrollmentFactory(run=r4, household=ha, persons=[a1])
    # Attendance: ht 2025 3 present of 6 marks; vt 2026 2 of 2 (x1 is outside); ht 2026 0 of 1.
    s1, s2 = r1.sessions
    for session, person, status in [
        (s1, a1, "present"),
        (s1, a2, "absent"),
        (s1, b1, "present"),
        (s2, a1, "present"),
        (s2, a2, "excused"),
        (s2, b1, "absent"),
        (r2.sessions[0], b1, "present"),
        (r2.sessions[0], p1, "present"),
        (r2.sessions[0], x1, "present"),
        (r4.sessions[0], a1, "absent"),
    ]:
        AttendanceMarkFactory(session=session, user=person, status=status)
    # Completions: a1 in ht 2025; b1 and p1 in vt 2026 (x1 outside).
    done = {
        p: CompletionFactory(user=p, completed_at=when)
        for p, when in [
            (a1, at(2025, 10, 1)),
            (b1, at(2026, 4, 1)),
            (p1, at(2026, 5, 1)),
            (x1, at(2026, 4, 1)),
        ]
    }
    # Certificates: a1 in ht 2025; b1's in vt 2026 was revoked; p1 in ht 2026.
    CertificateFactory(completion=done[a1], issued_at=at(2025, 10, 2))
    CertificateFactory(
        completion=done[b1], issued_at=at(2026, 4, 2), revoked_at=at(2026, 4, 3), revoked_by_id=p1.id
    )
    CertificateFactory(completion=done[p1], issued_at=at(2026, 11, 1))
    db.session.flush()
    return a, b


def _figures(key: str, clock) -> dict[str, dict[str, tuple]]:
    chosen = parse_scope(key)
    assert chosen is not None
    section = build_courses(chosen, PERIODS, clock.now)
    assert section.key == "courses"
    return {f.key: {row.label: row.values for row in f.rows} for f in section.figures}


def test_the_county(world, clock):
    got = _figures("lan", clock)
    assert got["runs_held"] == {"Kursomgångar": (1, 1, 1)}
    assert got["runs_online"] == {"På distans": (0.0, 1.0, 1.0)}
    assert got["participants"] == {
        "Deltagare": (3, 2, 1),
        "i familjehem": (3, 1, 1),
        "yrkesverksamma": (0, 1, 0),
        "kvinna": (1, 0, 1),
        "man": (1, 1, 0),
        "annat": (0, 1, 0),
        "ej angivet": (1, 0, 0),
    }
    assert got["families"] == {"Familjer": (2, 1, 1)}
    a, b = world
    assert got["participants_municipality"]["A-stad"] == (2, 0, 1)
    assert got["participants_municipality"]["B-by"] == (1, 2, 0)
    assert "X-köping" not in got["participants_municipality"]
    assert got["participants_part"] == {"Deltagare": (3, 2, 1), "Norra": (2, 0, 1)}
    assert got["attendance_rate"] == {
        "Närvaro": (0.5, 1.0, 0.0),
        "kvinna": (1.0, None, 0.0),
        "man": (0.5, 1.0, None),
        "annat": (None, 1.0, None),
        "ej angivet": (0.0, None, None),
    }
    assert got["completions"] == {
        "Genomförda kurser": (1, 2, 0),
        "kvinna": (1, 0, 0),
        "man": (0, 1, 0),
        "annat": (0, 1, 0),
        "ej angivet": (0, 0, 0),
    }
    assert got["certificates"] == {
        "Utfärdade intyg": (1, 0, 1),
        "kvinna": (1, 0, 0),
        "man": (0, 0, 0),
        "annat": (0, 0, 1),
        "ej angivet": (0, 0, 0),
    }


def test_one_part(world, clock):
    part_id = db.session.query(CountyPart.id).filter_by(name="Norra").scalar()
    got = _figures(f"del-{part_id}", clock)
    assert got["runs_held"] == {"Kursomgångar": (1, 0, 1)}
    assert got["runs_online"] == {"På distans": (0.0, None, 1.0)}
    assert got["participants"]["Deltagare"] == (2, 0, 1)
    assert got["participants"]["ej angivet"] == (1, 0, 0)
    assert got["families"] == {"Familjer": (1, 0, 1)}
    assert got["participants_municipality"] == {"Deltagare": (2, 0, 1), "A-stad": (2, 0, 1)}
    assert got["attendance_rate"]["Närvaro"] == (0.5, None, 0.0)
    assert got["completions"]["Genomförda kurser"] == (1, 0, 0)
    assert got["certificates"]["Utfärdade intyg"] == (1, 0, 0)


def test_one_municipality(world, clock):
    a, b = world
    got = _figures(f"kommun-{b.id}", clock)
    assert got["runs_held"] == {"Kursomgångar": (1, 1, 0)}
    assert got["runs_online"] == {"På distans": (0.0, 1.0, None)}
    assert got["participants"]["Deltagare"] == (1, 2, 0)
    assert got["participants"]["yrkesverksamma"] == (0, 1, 0)
    assert got["participants"]["ej angivet"] == (0, 0, 0)
    assert got["participants_part"] == {"Deltagare": (1, 2, 0)}  # B is in no part
    assert got["attendance_rate"]["Närvaro"] == (0.5, 1.0, None)
    assert got["completions"]["Genomförda kurser"] == (0, 2, 0)
    assert got["certificates"]["Utfärdade intyg"] == (0, 0, 1)
