"""The family's courses, the calendar feed and the participant list: a fixed, small number of
statements whatever the history holds, and pages whose total rides along with their rows."""

from __future__ import annotations

from coursehub import clock
from coursehub.courses.models import IntendedFor
from coursehub.enrollment import queries, services
from coursehub.enrollment.models import CalendarFeed
from tests.factories import CourseRunFactory, CourseTypeFactory, EnrollmentFactory, UserFactory
from tests.support.sql import count_traffic


def _sign_ups(household, adult, n: int) -> list:
    return [EnrollmentFactory(run=CourseRunFactory(), household=household, persons=[adult]) for _ in range(n)]


def test_a_household_page_carries_its_total_and_a_page_past_the_last_shows_the_last(db, make_family):
    household, (adult,) = make_family(1)
    made = _sign_ups(household, adult, 5)
    db.session.commit()
    first = queries.household_enrollments(household.id, page=1, per_page=2)
    second = queries.household_enrollments(household.id, page=2, per_page=2)
    last = queries.household_enrollments(household.id, page=3, per_page=2)
    beyond = queries.household_enrollments(household.id, page=9, per_page=2)
    assert (first.total, first.pages, len(first.items)) == (5, 3, 2)
    assert (second.total, len(second.items)) == (5, 2)
    assert (last.page, last.total, len(last.items)) == (3, 5, 1)
    assert (beyond.page, beyond.total, [e.id for e in beyond.items]) == (3, 5, [e.id for e in last.items])
    shown = [e.id for page in (first, second, last) for e in page.items]
    assert sorted(shown) == sorted(e.id for e in made)  # no sign-up twice, none left out
    empty_household, _adults = make_family(1)
    empty = queries.household_enrollments(empty_household.id)
    assert (empty.page, empty.total, empty.items) == (1, 0, [])


def test_a_participant_page_carries_its_total_and_a_page_past_the_last_shows_the_last(db, make_family):
    run = CourseRunFactory(capacity=20)
    for _n in range(3):
        household, adults = make_family(1)
        EnrollmentFactory(run=run, household=household, persons=adults)
    db.session.commit()
    first = queries.participant_page(run.id, page=1, per_page=2)
    beyond = queries.participant_page(run.id, page=7, per_page=2)
    assert (first.total, len(first.items)) == (3, 2)
    assert (beyond.page, beyond.total, len(beyond.items)) == (2, 3, 1)
    assert {row.id for row in first.items + beyond.items} == {
        row.id for row in queries.participants(run.id, page=None)
    }


def test_the_family_courses_page_runs_three_statements(client, login_as, db, make_family):
    household, (adult,) = make_family(1)
    _sign_ups(household, adult, 3)
    db.session.commit()
    login_as(client, adult)
    client.get("/mina-kurser")
    db.session.commit()
    with count_traffic(db.engine) as traffic:
        page = client.get("/mina-kurser")
    assert page.status_code == 200
    # The user with roles and the menu's network membership (lib.user_facts), the page with its
    # total, and the sessions with the persons' names and the adults with their calendar links
    # (queries.family_rows; 4 before the adults came with the sessions, 5 before the names did;
    # 7 before: the total was a COUNT; 6 before the membership came with the user).
    assert len(traffic.statements) == 3, traffic.statements


def test_the_participant_list_runs_five_statements(client, login_as, db, make_family):
    leader = UserFactory(leader=True)
    run = CourseRunFactory(leaders=[leader], capacity=20)
    for _n in range(3):
        household, adults = make_family(2)
        EnrollmentFactory(run=run, household=household, persons=adults)
    db.session.commit()
    login_as(client, leader)
    client.get(f"/kurser/{run.id}/deltagare")
    db.session.commit()
    with count_traffic(db.engine) as traffic:
        page = client.get(f"/kurser/{run.id}/deltagare")
    assert page.status_code == 200
    # The user with the menu's network membership, the run, whether they lead it, the rows with
    # their total, the names (7 before: the total was a COUNT; 6 before the membership came with
    # the user).
    assert len(traffic.statements) == 5, traffic.statements


def test_the_feed_runs_three_statements_however_many_runs_it_holds(client, db, make_family):
    household, (adult,) = make_family(1)
    services.sign_up(CourseRunFactory(), household, [adult], actor=adult, now=clock.now())
    services.create_calendar_feed(adult, now=clock.now())
    db.session.commit()
    token = db.session.get(CalendarFeed, adult.id).token
    anonymous = client.application.test_client()
    with count_traffic(db.engine) as few:
        assert anonymous.get(f"/kalender/{token}.ics").status_code == 200
    for _n in range(3):
        services.sign_up(CourseRunFactory(), household, [adult], actor=adult, now=clock.now())
    db.session.commit()
    with count_traffic(db.engine) as many:
        body = anonymous.get(f"/kalender/{token}.ics").data
    # The token's owner, the sessions with their runs, places, themes and offsets, the guests
    # (4 before: the offsets were a statement of their own).
    assert len(few.statements) == len(many.statements) == 3, many.statements
    assert body.count(b"BEGIN:VEVENT") > 4


def test_the_professional_courses_page_reads_progress_from_the_sessions_rows(client, login_as, db, worker):
    going = CourseRunFactory(course_type=CourseTypeFactory(intended_for=IntendedFor.PROFESSIONALS, themes=3))
    other = CourseRunFactory(course_type=CourseTypeFactory(intended_for=IntendedFor.PROFESSIONALS, themes=2))
    for run in (going, other):
        services.sign_up_professionals(run, [worker], actor=worker, now=clock.now())
    db.session.commit()
    login_as(client, worker)
    client.get("/mina-kurser/yrkesverksam")
    db.session.commit()
    with count_traffic(db.engine) as traffic:
        page = client.get("/mina-kurser/yrkesverksam").get_data(as_text=True)
    assert "0 av 3 träffar" in page and "0 av 2 träffar" in page
    # The user with roles, the menu's network membership and its count of approvals, the page with
    # its total, the runs' sessions (6 before: the sign-ups' persons with their users, and the
    # runs' sessions with their venues as ORM objects, though the page shows no names nor places;
    # 5 before the membership came with the user, 4 before the count did).
    assert len(traffic.statements) == 3, "\n".join(s[:160] for s in traffic.statements)
