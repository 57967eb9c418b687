"""Attendance at the door: the sheet opens before the start, one tap for a family or everyone,
notices pre-fill "anmäld frånvaro", needs are shown, long lists can be searched."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from coursehub.attendance import queries, services
from coursehub.attendance.models import AbsenceNotice, AttendanceMark, AttendanceStatus
from coursehub.courses.models import SessionStatus
from coursehub.enrollment.models import EnrollmentStatus
from tests.attendance.conftest import enrol, enrol_makeup, family_member, started_run
from tests.factories import HouseholdFactory


def html(response) -> str:
    return response.get_data(as_text=True)


def statuses(db, session) -> dict[str, str]:
    marks = db.session.scalars(select(AttendanceMark).where(AttendanceMark.session_id == session.id))
    return {m.user.full_name: m.status.value for m in marks}


@pytest.fixture
def evening(db, clock, course_type, leader):
    """A run whose first session starts in 20 minutes: two families, one with an absence notice."""
    run = started_run(course_type, weeks_ago=0, leaders=[leader])
    session = run.sessions[0]
    clock.set(session.starts_at - timedelta(days=2))
    anna = family_member(household=HouseholdFactory(name="Familjen Berg"), full_name="Anna Berg")
    bo = family_member(household=anna.household, full_name="Bo Berg")
    enrol(run, anna, bo, needs_diet="Vegetarisk", needs_interpreter="Arabiska")
    cilla = family_member(household=HouseholdFactory(name="Familjen Ek"), full_name="Cilla Ek")
    enrol(run, cilla, needs_accessibility="Rullstol")
    db.session.add(
        AbsenceNotice(session_id=session.id, user_id=bo.id, reported_by_id=anna.id, reported_at=clock.now)
    )
    clock.set(session.starts_at - timedelta(minutes=20))
    return run, session, (anna, bo, cilla)


def test_the_sheet_opens_the_configured_minutes_before_the_start(
    db, clock, client, fresh_login, evening, leader
):
    run, session, (anna, _bo, _cilla) = evening
    fresh_login(client, leader)
    clock.set(session.starts_at - timedelta(minutes=31))
    early = html(client.get(f"/traffar/{session.id}/narvaro"))
    assert "Närvarolistan öppnar" in early and "30 minuter före start" in early
    assert 'name="status"' not in early
    refused = client.post(f"/traffar/{session.id}/narvaro", data={"user_id": anna.id, "status": "present"})
    assert refused.status_code == 422 and "Närvarolistan öppnar" in html(refused)
    clock.set(session.starts_at - timedelta(minutes=20))
    assert 'name="status"' in html(client.get(f"/traffar/{session.id}/narvaro"))
    response = client.post(f"/traffar/{session.id}/narvaro", data={"user_id": anna.id, "status": "present"})
    assert response.status_code == 303
    assert statuses(db, session) == {"Anna Berg": "present"}


@pytest.mark.parametrize("app_config", [{"COURSEHUB_SHEET_OPENS_MINUTES": 10}])
def test_the_opening_time_is_a_setting(db, clock, evening, leader, request_context):
    _run, session, (anna, _bo, _cilla) = evening
    with request_context():
        assert not services.sheet_is_open(session, clock.now)  # 20 minutes before: not yet with 10
        assert "10 minuter före start" in services.not_open_message(session)
        clock.set(session.starts_at - timedelta(minutes=10))
        services.record_attendance(session, anna, status="present", actor=leader, now=clock.now)


def test_all_present_for_one_family_then_the_whole_list_with_a_correction(
    db, client, fresh_login, evening, leader
):
    _run, session, (anna, bo, cilla) = evening
    fresh_login(client, leader)
    sheet = html(client.get(f"/traffar/{session.id}/narvaro"))
    assert "Anmäld frånvaro (förifyllt, inte sparat)" in sheet  # Bo's notice, before any mark
    response = client.post(f"/traffar/{session.id}/narvaro/alla", data={"household_id": anna.household_id})
    assert response.status_code == 303 and response.location.endswith(f"#household-{anna.household_id}")
    assert statuses(db, session) == {"Anna Berg": "present", "Bo Berg": "excused"}
    assert "Sparat: 2 markeringar." in html(client.get(response.location))
    # A single correction, then everyone else: the correction stays.
    client.post(f"/traffar/{session.id}/narvaro", data={"user_id": anna.id, "status": "absent"})
    client.post(f"/traffar/{session.id}/narvaro/alla", data={})
    assert statuses(db, session) == {"Anna Berg": "absent", "Bo Berg": "excused", "Cilla Ek": "present"}


def test_all_present_for_a_family_not_on_the_list_changes_nothing(db, client, fresh_login, evening, leader):
    _run, session, _people = evening
    stranger = HouseholdFactory(name="Familjen Okänd")
    fresh_login(client, leader)
    response = client.post(f"/traffar/{session.id}/narvaro/alla", data={"household_id": stranger.id})
    assert response.status_code == 422
    assert "Familjen är inte anmäld" in html(response)
    assert statuses(db, session) == {}


def test_the_leader_sees_the_needs_told_at_sign_up(db, client, fresh_login, evening, leader):
    _run, session, _people = evening
    fresh_login(client, leader)
    page = html(client.get(f"/traffar/{session.id}/narvaro"))
    cilla = page.index("Cilla Ek")
    assert "Kost: Vegetarisk" in page[:cilla] and "Tolk: Arabiska" in page[:cilla]
    assert "Tillgänglighet: Rullstol" in page[cilla:]


def test_the_search_box_filters_by_name_without_script_and_keeps_the_place(
    db, client, fresh_login, evening, leader
):
    _run, session, (_anna, _bo, cilla) = evening
    fresh_login(client, leader)
    page = html(client.get(f"/traffar/{session.id}/narvaro?sok=ek"))
    assert "Cilla Ek" in page and "Anna Berg" not in page
    assert 'value="ek"' in page
    assert "Ingen deltagare heter så." in html(client.get(f"/traffar/{session.id}/narvaro?sok=%25"))
    response = client.post(
        f"/traffar/{session.id}/narvaro?sok=ek", data={"user_id": cilla.id, "status": "present"}
    )
    assert response.location.endswith(f"/traffar/{session.id}/narvaro?sok=ek#person-{cilla.id}")


def test_the_sheet_runs_a_fixed_number_of_queries(db, client, fresh_login, evening, leader, course_type):
    from tests.support.sql import count_traffic

    run, session, _people = evening
    fresh_login(client, leader)
    url = f"/traffar/{session.id}/narvaro"
    db.session.commit()
    with count_traffic(db.engine) as few:
        client.get(url)
    for n in range(5):
        enrol(run, family_member(full_name=f"Extra {n}"), needs_diet="Glutenfri")
    db.session.commit()
    with count_traffic(db.engine) as many:
        client.get(url)
    assert len(many.statements) == len(few.statements)


def test_sessions_that_ended_without_marks_are_named(db, clock, course_type, leader):
    run = started_run(course_type, weeks_ago=2, leaders=[leader])
    person = family_member()
    enrol(run, person)
    first, second, _third = run.sessions
    assert queries.sessions_without_attendance([run.id], clock.now) == {run.id: [first, second]}
    services.record_attendance(second, person, status=AttendanceStatus.PRESENT, actor=leader, now=clock.now)
    db.session.flush()
    assert queries.sessions_without_attendance([run.id], clock.now) == {run.id: [first]}
    first.status = SessionStatus.CANCELLED
    assert queries.sessions_without_attendance([run.id], clock.now) == {}


def test_a_make_up_sign_up_makes_only_its_own_session_lack_attendance(db, clock, course_type, leader):
    """A run whose only sign-up is a make-up of one session: that session lacks marks, not the
    others; a cancelled or unconfirmed sign-up makes none lack them."""
    run = started_run(course_type, weeks_ago=2, leaders=[leader])
    first, second, _third = run.sessions
    assert queries.sessions_without_attendance([run.id], clock.now) == {}
    makeup = enrol_makeup(second, family_member())
    db.session.flush()
    assert queries.sessions_without_attendance([run.id], clock.now) == {run.id: [second]}
    makeup.status = EnrollmentStatus.CANCELLED
    db.session.flush()
    assert queries.sessions_without_attendance([run.id], clock.now) == {}
    enrol(run, family_member())
    db.session.flush()
    assert queries.sessions_without_attendance([run.id], clock.now) == {run.id: [first, second]}


def test_the_leader_start_shows_tonight_with_its_sheet_and_warns_of_sheets_left_empty(
    db, clock, client, fresh_login, course_type, leader
):
    run = started_run(course_type, weeks_ago=1, leaders=[leader])
    enrol(run, family_member(full_name="Anna Berg"))
    last_week, tonight, _next = run.sessions
    clock.set(tonight.starts_at - timedelta(minutes=20))
    fresh_login(client, leader)
    page = html(client.get("/narvaro"))
    tonight_part = page[page.index('id="tonight"') :]
    assert f'href="/traffar/{tonight.id}/narvaro"' in tonight_part[: tonight_part.index("</section>")]
    warning = page[page.index("Närvaro saknas") :]
    assert f'href="/traffar/{last_week.id}/narvaro"' in warning[: warning.index("</section>")]
    assert "Närvaro saknas" in html(client.get(f"/admin/kurser/{run.id}/narvaro"))


def test_staff_see_on_the_run_page_which_session_lacks_attendance(
    db, clock, client, fresh_login, course_type, staff
):
    run = started_run(course_type, weeks_ago=1)
    enrol(run, family_member())
    fresh_login(client, staff)
    page = html(client.get(f"/admin/kurser/{run.id}"))
    row = page[page.index(f'id="traff-{run.sessions[0].id}"') :]
    assert "Närvaro saknas" in row[: row.index("</tr>")]
    later = page[page.index(f'id="traff-{run.sessions[2].id}"') :]
    assert "Närvaro saknas" not in later[: later.index("</tr>")]
