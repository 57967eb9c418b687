"""The catalogue filters "seats left" and pages in SQL: the same work with 100 runs as with 5,000."""

from __future__ import annotations

import math
import re
from datetime import timedelta

import pytest
from sqlalchemy import insert

from coursehub import clock
from coursehub.accounts.models import CountyPart, HomeKind
from coursehub.courses.models import CourseRun, CourseSession, RunStatus, SessionStatus
from coursehub.enrollment.models import Enrollment, EnrollmentPerson, EnrollmentStatus
from coursehub.extensions import db
from tests.courses.conftest import utc
from tests.factories import (
    CourseTypeFactory,
    HouseholdFactory,
    MunicipalityFactory,
    UserFactory,
    VenueFactory,
)
from tests.support.history import add_finished_runs
from tests.support.seats import seat_drift
from tests.support.sql import captured_statements, count_traffic

FIRST = utc(2026, 10, 6, 16)
# Run n is full when n is even: one seat, held by a confirmed, pending or offered sign-up, and a
# household waiting for it. When n is odd it has two seats, one of them confirmed: one left.
HOLDERS = (EnrollmentStatus.CONFIRMED, EnrollmentStatus.PENDING, EnrollmentStatus.OFFERED)


def _is_full(n: int) -> bool:
    return n % 2 == 0


class Programme:
    """Published runs inserted in bulk (core executemany), with real sign-ups holding the seats."""

    def __init__(self):
        self.course_type = CourseTypeFactory(themes=2)
        self.venue = VenueFactory(municipality=MunicipalityFactory())
        # A county part and a kind of home the type is aimed at: the filters' choices and the
        # cards' "aimed at" line come with the page whatever is filtered.
        self.part = CountyPart(name="Södra länsdelen", municipalities=[self.venue.municipality])
        self.kind = HomeKind(name="Jourhem")
        self.course_type.home_kinds.append(self.kind)
        db.session.add(self.part)
        db.session.flush()
        self.holder = UserFactory(family=True, household=HouseholdFactory())
        self.waiting = UserFactory(family=True, household=HouseholdFactory())
        self.count = 0
        self.first_id = 100_000  # clear of any id the factories took

    def add(self, count: int) -> None:
        now = clock.now()
        numbers = range(self.count, self.count + count)
        db.session.execute(
            insert(CourseRun),
            [
                {
                    "id": self.first_id + n,
                    "course_type_id": self.course_type.id,
                    "title": f"Omgång {n:05d}",
                    "status": RunStatus.PUBLISHED,
                    "capacity": 1 if _is_full(n) else 2,
                    "seats_taken": 1,
                    "signup_opens_at": now,
                    "signup_closes_at": FIRST - timedelta(days=1),
                    "is_open_to_all": True,
                    "venue_id": self.venue.id,
                    "starts_at": FIRST + timedelta(minutes=n),
                    "ends_at": FIRST + timedelta(minutes=n + 180, weeks=1),  # the second session's end
                    "created_at": now,
                }
                for n in numbers
            ],
        )
        db.session.execute(
            insert(CourseSession),
            [
                {
                    "run_id": self.first_id + n,
                    "title": f"Träff {k}",
                    "status": SessionStatus.SCHEDULED,
                    "starts_at": FIRST + timedelta(minutes=n, weeks=k),
                    "ends_at": FIRST + timedelta(minutes=n + 180, weeks=k),
                    "venue_id": self.venue.id,
                    "revision": 0,
                }
                for n in numbers
                for k in range(2)
            ],
        )
        sign_ups = [self._holding(n) for n in numbers]
        sign_ups += [self._waiting(n) for n in numbers if _is_full(n)]
        db.session.execute(insert(Enrollment), sign_ups)
        db.session.execute(
            insert(EnrollmentPerson),
            [{"enrollment_id": row["id"], "user_id": row["user_id"]} for row in sign_ups],
        )
        db.session.commit()
        self.count += count

    def _sign_up(self, n: int, user, status: EnrollmentStatus, offset: int) -> dict:
        return {
            "id": 2 * (self.first_id + n) + offset,
            "run_id": self.first_id + n,
            "household_id": user.household_id,
            "user_id": user.id,
            "scope": "run",
            "status": status,
            "needs_approval": status == EnrollmentStatus.PENDING,
            "waitlist_position": 1 if status == EnrollmentStatus.WAITLISTED else None,
            "offer_expires_at": FIRST if status == EnrollmentStatus.OFFERED else None,
            "created_at": clock.now(),
        }

    def _holding(self, n: int) -> dict:
        status = HOLDERS[(n // 2) % 3] if _is_full(n) else EnrollmentStatus.CONFIRMED
        return self._sign_up(n, self.holder, status, 0)

    def _waiting(self, n: int) -> dict:
        return self._sign_up(n, self.waiting, EnrollmentStatus.WAITLISTED, 1)


def _cards(html: str) -> list[tuple[str, str]]:
    """The (title, seats left) of each course card, in page order."""
    return re.findall(
        r'card-title"><a href="[^"]+">([^<]+)</a>.*?class="col-sm-9 seats-left">'
        r"\s*([^<]*?)\s*</dd>",
        html,
        flags=re.S,
    )


def _visit(client, url: str):
    with count_traffic(db.engine) as traffic:
        response = client.get(url)
    assert response.status_code == 200
    return response.get_data(as_text=True), traffic


def _expected_cards(numbers) -> list[tuple[str, str]]:
    return [
        (f"Omgång {n:05d}", "1" if not _is_full(n) else "Fullbokad – ni kan ställa er på reservlistan")
        for n in numbers
    ]


@pytest.mark.parametrize(
    ("query", "listed"),
    [
        ("platser=y", lambda n: not _is_full(n)),  # the filter: full runs are left out
        ("", lambda n: True),
        # The runs are open to the whole county, so to the part's families; the type is aimed at the kind.
        ("lansdel={part}&hemtyp={kind}", lambda n: True),
        ("platser=y&lansdel={part}&hemtyp={kind}", lambda n: not _is_full(n)),
    ],
)
def test_the_catalogue_reads_as_much_with_5000_runs_as_with_100(client, db, query, listed):
    programme = Programme()
    query = query.format(part=programme.part.id, kind=programme.kind.id)
    pages = {}
    for size in (100, 5000):
        programme.add(size - programme.count)
        assert seat_drift(db.session) == {}  # the bulk rows are sign-ups the column agrees with
        shown = [n for n in range(size) if listed(n)]
        last = math.ceil(len(shown) / 20)
        _visit(client, f"/kurser?{query}")  # from here the process holds the filters' choices
        first_page, first = _visit(client, f"/kurser?{query}")
        # A page typed beyond the last shows the last one, as before.
        last_page, beyond = _visit(client, f"/kurser?{query}&sida=999999")
        assert f"{len(shown)} kurser hittades" in first_page
        assert f"Sida 1 av {last}" in first_page and f"Sida {last} av {last}" in last_page
        assert _cards(first_page) == _expected_cards(shown[:20])
        assert _cards(last_page) == _expected_cards(shown[(last - 1) * 20 :])
        # Rows follow what the page shows: a short last page reads one row less per missing run
        # (its sessions are counted in SQL), whatever the number of runs behind it. Typed beyond
        # the last, the page finds no row to carry the count, so it counts on its own: one row more.
        assert beyond.rows == first.rows - (20 - len(_cards(last_page))) + 1
        pages[size] = (first, beyond)

    small, large = pages[100], pages[5000]
    for before, after in zip(small, large, strict=True):
        assert len(after.statements) == len(before.statements) <= 6, after.statements
    # The filters' choices, which the process holds (one row, the reference mark:
    # accounts.reference), and the page: twenty runs, their sessions and all the runs counted in
    # SQL, the count beside each run.
    assert len(large[0].statements) == len(small[0].statements) == 2, large[0].statements
    assert large[0].rows == small[0].rows == 21, (small[0].rows, large[0].rows)
    # Filtering by part and kind costs no statement: the same number as the unfiltered page.
    if query:
        _visit(client, "/kurser")  # warm, as the first visit above was
        assert len(_visit(client, "/kurser")[1].statements) == len(large[0].statements)


def test_the_staff_run_list_reads_as_much_with_5000_runs_as_with_100(client, db, login_as):
    login_as(client, UserFactory(staff=True))
    programme = Programme()
    visits = {}
    for size in (100, 5000):
        programme.add(size - programme.count)
        first_page, first = _visit(client, "/admin/kurser")
        last_page, last = _visit(client, "/admin/kurser?status=published&sida=999999")
        # Newest start first: the last run added heads the list, the first added ends it.
        assert f"Omgång {size - 1:05d}" in first_page and f"Omgång {size - 2:05d}" in first_page
        assert "Omgång 00000" in last_page and f"Omgång {size - 1:05d}" not in last_page
        visits[size] = (first, last)
    for before, after in zip(visits[100], visits[5000], strict=True):
        assert len(after.statements) == len(before.statements), after.statements
        assert after.rows == before.rows


def test_the_catalogue_binds_nothing_and_keeps_its_text_for_a_minute(client, db, clock):
    # Bound, any value (the moment, a filter, the page) made PostgreSQL plan the catalogue's
    # statements anew on every visit; written in, with the moment a whole minute, each prepared
    # statement is planned once a minute (courses.queries._catalogue_conditions).
    programme = Programme()
    programme.add(30)
    month = (FIRST + timedelta(days=40)).strftime("%Y-%m")
    url = (
        f"/kurser?typ={programme.course_type.id}&kommun={programme.venue.municipality_id}&manad={month}"
        f"&lansdel={programme.part.id}&hemtyp={programme.kind.id}&platser=y&satt=plats&sida=2"
    )

    def statements() -> list[str]:
        with captured_statements(db.engine, lambda statement: True) as seen:
            assert client.get(url).status_code == 200
        if db.engine.dialect.name == "postgresql":  # SQLite's LIMIT binds its OFFSET; no plans kept
            assert [parameters for _, parameters in seen if parameters] == []
        return [statement for statement, _ in seen]

    clock.set(FIRST + timedelta(seconds=5))
    statements()  # the filters' choices are read once, then held while the reference mark stays
    first = statements()
    assert any(f"home_kind_id = {programme.kind.id}" in statement for statement in first)
    clock.set(FIRST + timedelta(seconds=55))
    assert statements() == first
    clock.set(FIRST + timedelta(minutes=1))
    assert statements() != first


def _runs_scans(plan: dict) -> list[dict]:
    """The plan's scans of course_runs that choose runs by the catalogue's conditions (not those
    that fetch the twenty chosen runs' rows, which the planner of a small table may do any way)."""
    found = []
    conditions = " ".join(str(plan.get(key, "")) for key in ("Filter", "Index Cond", "Recheck Cond"))
    if plan.get("Relation Name") == "course_runs" and "ends_at" in conditions:
        found.append(plan)
    for child in plan.get("Plans", []):
        found += _runs_scans(child)
    return found


@pytest.mark.parametrize("query", ["", "typ={type}&satt=plats", "sida=3"])
def test_the_catalogue_chooses_its_runs_from_an_index_without_reading_them(client, db, postgres_only, query):
    # Every published run is a run of the coming months, but the runs' rows hold everything of
    # each; the catalogue's count and choice of a page read the published runs' start, end, type
    # and venue from ix_course_runs_published alone (migration a7e5c0d2f301), not the table:
    # 302 runs on 139 of the table's pages at national scale before.
    programme = Programme()
    for batch in range(20):  # the published runs lie among the others, as runs made over the years do
        add_finished_runs(programme.course_type.id, batch * 100, 100, sessions=0)
        programme.add(20)
    # The table and its indexes as these runs alone make them (not swollen by the tests before),
    # with the statistics and the visibility map autovacuum keeps in production.
    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.exec_driver_sql("VACUUM FULL course_runs")
        conn.exec_driver_sql("VACUUM (ANALYZE) course_runs")
    query = query.format(type=programme.course_type.id)

    paging = "SELECT course_runs.id, course_runs.title"
    with captured_statements(db.engine, lambda statement: statement.startswith(paging)) as seen:
        page = client.get(f"/kurser?{query}").get_data(as_text=True)
    first = 40 if "sida=3" in query else 0
    assert "400 kurser hittades" in page and _cards(page) == _expected_cards(range(first, first + 20))
    assert len(seen) == 1, [statement for statement, _ in seen]  # the page, with the count in it
    ((statement, parameters),) = seen
    plan = (
        db.session.connection()
        .exec_driver_sql(f"EXPLAIN (ANALYZE, FORMAT JSON) {statement}", parameters)
        .scalar_one()[0]["Plan"]
    )
    scans = _runs_scans(plan)  # the count's and the page's
    assert [(scan["Node Type"], scan.get("Index Name")) for scan in scans] == [
        ("Index Only Scan", "ix_course_runs_published")
    ] * 2, statement
    assert [scan["Heap Fetches"] for scan in scans] == [0, 0]
