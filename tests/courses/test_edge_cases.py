"""Edge cases: the nights the clocks change, odd catalogue input, leader rules, the public .ics."""

from __future__ import annotations

import re
from datetime import date, time

import icalendar
import pytest

from coursehub import clock
from coursehub.courses import services
from coursehub.courses.errors import CourseError, PublishError
from coursehub.courses.models import CourseRun, RunStatus
from coursehub.extensions import db
from tests.courses.conftest import utc
from tests.factories import CourseRunFactory, UserFactory, VenueFactory

SPRING_FORWARD = date(2027, 3, 28)  # last Sunday of March 2027: 02:00 becomes 03:00
FALL_BACK = date(2027, 10, 31)  # last Sunday of October 2027: 03:00 becomes 02:00 again


@pytest.fixture
def request_context(app):
    with app.test_request_context():
        yield


def _run(basic_type, staff, venue, leader, **kw):
    run = services.create_run(
        basic_type,
        actor=staff,
        now=clock.now(),
        first_date=date(2027, 3, 2),
        start_time=time(18),
        end_time=time(21),
        details=services.RunDetails(
            title="Våren 2027",
            capacity=20,
            signup_opens_at=utc(2027, 1, 1),
            signup_closes_at=utc(2027, 2, 20),
            venue=venue,
            leaders=[leader],
            **kw,
        ),
    )
    db.session.flush()
    return run


def _session(run, day, start, end=time(4)):
    first = run.sessions[0]
    return services.SessionDetails(
        day=day, start_time=start, end_time=end, title="Natt", theme=first.theme, venue=first.venue
    )


@pytest.mark.parametrize("day", [SPRING_FORWARD, FALL_BACK])
def test_a_session_in_the_missing_or_repeated_hour_is_refused_beside_the_time(
    request_context, basic_type, staff, venue, leader, day
):
    run = _run(basic_type, staff, venue, leader)
    db.session.commit()
    before = [(s.starts_at, s.ends_at) for s in run.sessions]
    with pytest.raises(CourseError) as caught:
        services.add_session(run, actor=staff, now=clock.now(), details=_session(run, day, time(2, 30)))
    assert caught.value.field == "start_time"
    assert "02:30" in caught.value.message and "sommartid" in caught.value.message
    with pytest.raises(CourseError) as caught:
        services.update_session(
            run.sessions[0], actor=staff, now=clock.now(), details=_session(run, day, time(1), time(2, 15))
        )
    assert caught.value.field == "end_time"
    db.session.rollback()
    assert [(s.starts_at, s.ends_at) for s in db.session.get(CourseRun, run.id).sessions] == before
    assert len(before) == 8


def test_the_hours_either_side_of_a_change_are_fine(request_context, basic_type, staff, venue, leader):
    run = _run(basic_type, staff, venue, leader)
    session = services.add_session(
        run, actor=staff, now=clock.now(), details=_session(run, SPRING_FORWARD, time(1, 30), time(3, 30))
    )
    assert (session.starts_at, session.ends_at) == (utc(2027, 3, 28, 0, 30), utc(2027, 3, 28, 1, 30))


def test_a_sign_up_window_in_the_missing_hour_is_refused_on_the_form(
    client, login_as, staff, basic_type, venue, leader
):
    db.session.commit()
    login_as(client, staff)
    response = client.post(
        "/admin/kurser/ny",
        data={
            "course_type": basic_type.id,
            "title": "Natt",
            "capacity": "20",
            "signup_opens_date": "2027-03-01",
            "signup_opens_time": "08:00",
            "signup_closes_date": "2027-03-28",
            "signup_closes_time": "02:30",
            "venue": venue.id,
            "leaders": [leader.id],
            "is_open_to_all": "y",
            "first_date": "2027-04-06",
            "start_time": "18:00",
            "end_time": "21:00",
        },
    )
    assert response.status_code == 200
    assert "sommartid" in response.get_data(as_text=True)
    assert db.session.query(CourseRun).count() == 0


def test_copying_a_night_session_onto_the_change_is_refused(
    request_context, basic_type, staff, venue, leader
):
    run = _run(basic_type, staff, venue, leader)
    services.update_session(
        run.sessions[0], actor=staff, now=clock.now(), details=_session(run, date(2027, 3, 7), time(2, 30))
    )
    with pytest.raises(CourseError) as caught:
        services.copy_run(run, actor=staff, now=clock.now(), first_date=SPRING_FORWARD)
    assert caught.value.field == "first_date"


@pytest.mark.parametrize(
    "query",
    [
        "typ=99999999999999999999",
        "kommun=99999999999999999999",
        "typ=abc",
        "month=2026-13",
        "manad=2026-13",
        "sida=0",
        "sida=-1",
        "sida=99999",
        "sida=99999999999999999999999",
        "typ=-1",
        "manad=abc&sida=abc&platser=x&satt=%00",
    ],
)
def test_odd_catalogue_input_never_breaks_the_page(client, db, query):
    CourseRunFactory(title="Synlig kurs")
    db.session.commit()
    response = client.get(f"/kurser?{query}")
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    assert "Synlig kurs" in body or "Det finns inga kurser" in body
    assert "ceorce" not in body


def test_a_filter_value_that_is_no_id_gets_a_swedish_message(client, db):
    body = client.get("/kurser?typ=99999999999999999999").get_data(as_text=True)
    assert "Välj ett av alternativen." in body


@pytest.mark.parametrize(
    "path", ["/kursledare?sida=99999999999999999999999", "/admin/kurser?sida=99999999999999999999999"]
)
def test_odd_page_numbers_on_staff_and_leader_lists(client, login_as, db, path):
    user = UserFactory(staff=True)  # staff reach the leaders' page too
    db.session.commit()
    login_as(client, user)
    assert client.get(path).status_code == 200


def test_publishing_rechecks_that_the_leaders_may_still_lead(
    request_context, basic_type, staff, venue, leader
):
    run = _run(basic_type, staff, venue, leader)
    leader.deactivated_at = clock.now()
    db.session.flush()
    with pytest.raises(PublishError):
        services.publish_run(run, actor=staff, now=clock.now())
    assert run.status == RunStatus.DRAFT


def test_the_public_schedule_does_not_give_away_the_meeting_link(client, basic_type, staff, leader):
    with client.application.test_request_context():
        run = services.create_run(
            basic_type,
            actor=staff,
            now=clock.now(),
            first_date=date(2027, 3, 2),
            start_time=time(18),
            end_time=time(21),
            details=services.RunDetails(
                title="På distans",
                capacity=20,
                signup_opens_at=utc(2027, 1, 1),
                signup_closes_at=utc(2027, 2, 20),
                online_url="https://meet.example/hemlig-123",
                leaders=[leader],
            ),
        )
        services.publish_run(run, actor=staff, now=clock.now())
    db.session.commit()
    body = client.get(f"/kurser/{run.id}/schema.ics").data
    assert b"hemlig-123" not in body
    events = icalendar.Calendar.from_ical(body).walk("VEVENT")
    assert all("nätet" in str(e["LOCATION"]) for e in events)
    assert "hemlig-123" not in client.get(f"/kurser/{run.id}").get_data(as_text=True)


def _runs_led_by(user, count):
    for n in range(count):
        CourseRunFactory(
            title=f"Ledd kurs {n}",
            leaders=[user, UserFactory(leader=True)],
            venue=VenueFactory(name=f"Lokal {n}"),
        )
    db.session.commit()


@pytest.mark.parametrize("path", ["/kursledare", "/admin/kurser"])
def test_leader_and_staff_run_lists_run_a_fixed_number_of_queries(client, login_as, db, count_queries, path):
    user = UserFactory(staff=True)
    _runs_led_by(user, 2)
    login_as(client, user)
    with count_queries() as small:
        assert "Ledd kurs 1" in client.get(path).get_data(as_text=True)
    _runs_led_by(user, 25)
    with count_queries() as large:
        body = client.get(path).get_data(as_text=True)
    assert len(re.findall(r"Ledd kurs \d+</a>", body)) >= 20  # a full page of runs
    assert len(large) == len(small), large


def test_a_published_run_cannot_lose_its_last_leader(request_context, basic_type, staff, venue, leader):
    run = _run(basic_type, staff, venue, leader)
    services.publish_run(run, actor=staff, now=clock.now())
    with pytest.raises(CourseError) as caught:
        services.update_run(
            run,
            actor=staff,
            now=clock.now(),
            details=services.RunDetails(
                title=run.title,
                capacity=20,
                signup_opens_at=run.signup_opens_at,
                signup_closes_at=run.signup_closes_at,
                venue=venue,
                leaders=[],
            ),
        )
    assert caught.value.field == "leaders"


def test_another_leaders_draft_is_not_found(client, login_as, db):
    mine, theirs = UserFactory(leader=True), UserFactory(leader=True)
    draft = CourseRunFactory(draft=True, title="Hemligt utkast", leaders=[theirs])
    db.session.commit()
    login_as(client, mine)
    assert client.get(f"/kurser/{draft.id}").status_code == 404
    assert client.get(f"/kurser/{draft.id}/schema.ics").status_code == 404
    assert "Hemligt utkast" not in client.get("/kursledare").get_data(as_text=True)
    login_as(client, theirs)
    assert "Hemligt utkast" in client.get(f"/kurser/{draft.id}").get_data(as_text=True)
