"""A run's optional least number of participants: set and cleared by staff, shown on the run page."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from coursehub.courses import services
from coursehub.courses.errors import CourseError
from coursehub.courses.models import CourseRun
from coursehub.extensions import db
from tests.courses.test_views import autumn_run, new_run_form, text


@pytest.fixture
def staff_client(client, login_as, staff):
    db.session.commit()
    return login_as(client, staff)


def test_staff_set_a_minimum_and_see_it_on_the_run_page(staff_client, basic_type, venue, leader):
    db.session.commit()
    response = staff_client.post(
        "/admin/kurser/ny", data=new_run_form(basic_type, venue, leader, min_participants="6")
    )
    assert response.status_code == 302
    run = db.session.scalars(select(CourseRun)).one()
    assert run.min_participants == 6
    assert "Minsta antal deltagare 6 personer" in text(staff_client.get(response.location))


def test_the_minimum_is_optional(staff_client, basic_type, venue, leader):
    db.session.commit()
    response = staff_client.post("/admin/kurser/ny", data=new_run_form(basic_type, venue, leader))
    assert response.status_code == 302
    assert db.session.scalar(select(CourseRun)).min_participants is None
    assert "Minsta antal deltagare Inget angivet" in text(staff_client.get(response.location))


@pytest.mark.parametrize(
    "capacity, minimum, message",
    [
        ("24", "0", "Minsta antal deltagare måste vara minst 1, eller lämna fältet tomt."),
        ("24", "-3", "Minsta antal deltagare måste vara minst 1, eller lämna fältet tomt."),
        ("24", "25", "Minsta antal deltagare får inte vara fler än antalet platser (24)."),
        ("24", "sex", "Skriv ett heltal med siffror, till exempel 24."),
        ("24", "６", "Skriv ett heltal med siffror, till exempel 24."),
    ],
)
def test_a_bad_minimum_gets_a_message_beside_the_field_and_nothing_is_saved(
    staff_client, basic_type, venue, leader, capacity, minimum, message
):
    db.session.commit()
    response = staff_client.post(
        "/admin/kurser/ny",
        data=new_run_form(basic_type, venue, leader, capacity=capacity, min_participants=minimum),
    )
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert f'<div id="min_participants-error" class="invalid-feedback">{message}</div>' in html
    assert db.session.scalar(select(func.count(CourseRun.id))) == 0


def test_a_bad_capacity_gives_no_second_message_about_the_minimum(staff_client, basic_type, venue, leader):
    db.session.commit()
    html = staff_client.post(
        "/admin/kurser/ny",
        data=new_run_form(basic_type, venue, leader, capacity="tjugo", min_participants="5"),
    ).get_data(as_text=True)
    assert 'id="capacity-error"' in html and 'id="min_participants-error"' not in html


def test_staff_change_and_clear_the_minimum(staff_client, basic_type, staff, venue, leader):
    run = autumn_run(basic_type, staff, venue, leaders=[leader], publish=False)
    edit = f"/admin/kurser/{run.id}/redigera"
    form = new_run_form(basic_type, venue, leader, title=run.title, capacity="20", min_participants="8")
    assert staff_client.post(edit, data=form).status_code == 302
    db.session.expire_all()
    assert db.session.get(CourseRun, run.id).min_participants == 8
    assert 'value="8"' in staff_client.get(edit).get_data(as_text=True)

    # Fewer seats than the minimum: refused beside the minimum, the run unchanged.
    form.update(capacity="6")
    html = staff_client.post(edit, data=form).get_data(as_text=True)
    assert "Minsta antal deltagare får inte vara fler än antalet platser (6)." in html
    db.session.expire_all()
    assert (
        db.session.get(CourseRun, run.id).capacity,
        db.session.get(CourseRun, run.id).min_participants,
    ) == (
        20,
        8,
    )

    form.update(capacity="20", min_participants="")
    assert staff_client.post(edit, data=form).status_code == 302
    db.session.expire_all()
    assert db.session.get(CourseRun, run.id).min_participants is None


def test_the_service_refuses_a_minimum_above_the_seats(basic_type, staff, venue, leader):
    run = autumn_run(basic_type, staff, venue, leaders=[leader], publish=False)
    details = services.RunDetails(
        title=run.title,
        capacity=10,
        min_participants=11,
        signup_opens_at=run.signup_opens_at,
        signup_closes_at=run.signup_closes_at,
        venue=venue,
        leaders=[leader],
    )
    with pytest.raises(CourseError) as refused:
        services.update_run(run, actor=staff, now=run.created_at, details=details)
    assert refused.value.field == "min_participants"


def test_a_copy_keeps_the_minimum(basic_type, staff, venue, leader):
    run = autumn_run(basic_type, staff, venue, leaders=[leader], publish=False)
    run.min_participants = 5
    copy = services.copy_run(
        run, actor=staff, now=run.created_at, first_date=run.sessions[0].starts_at.date()
    )
    assert copy.min_participants == 5
