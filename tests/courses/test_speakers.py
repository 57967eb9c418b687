"""A session's speakers or guests and its note of contents: edited by staff on the session form,
shown on the course page, in the calendar invite's description and on the attendance sheet."""

from __future__ import annotations

from datetime import timedelta

import icalendar
import pytest
from sqlalchemy import select

from coursehub import clock as app_clock
from coursehub.courses.models import CourseSession
from coursehub.extensions import db
from tests.factories import CourseRunFactory, UserFactory


def text(response) -> str:
    return response.get_data(as_text=True)


@pytest.fixture
def staff_client(client, login_as, staff):
    db.session.commit()
    return login_as(client, staff)


@pytest.fixture
def run(db, basic_type, venue):
    made = CourseRunFactory(course_type=basic_type, venue=venue)
    db.session.commit()
    return made


def session_form(session, **fields):
    start, end = app_clock.to_local(session.starts_at), app_clock.to_local(session.ends_at)
    data = {
        "day": start.strftime("%Y-%m-%d"),
        "start_time": start.strftime("%H:%M"),
        "end_time": end.strftime("%H:%M"),
        "title": session.title,
        "theme": str(session.theme_id),
        "venue": str(session.venue_id or session.run.venue_id),
    }
    data.update(fields)
    return data


def test_staff_name_guests_and_a_note_and_everyone_sees_them(staff_client, login_as, clock, run, staff):
    session = run.sessions[1]
    url = f"/admin/kurser/{run.id}/traffar/{session.id}"
    response = staff_client.post(
        url,
        data=session_form(
            session,
            contents_note="Samtal med en erfaren familj om de första veckorna.",
            speaker1_name="Eva Lind",
            speaker1_title="Barnpsykiater",
            speaker1_organisation="Region Jönköpings län",
            speaker3_name="Familjen Ek",
        ),
    )
    assert response.status_code == 302
    db.session.expire_all()
    saved = db.session.get(CourseSession, session.id)
    assert [(s.position, s.name) for s in saved.speakers] == [(1, "Eva Lind"), (2, "Familjen Ek")]
    guests = "Eva Lind (Barnpsykiater, Region Jönköpings län); Familjen Ek"
    assert saved.guests_line == guests

    # The form shows them again for the next change.
    form = text(staff_client.get(url))
    assert 'value="Eva Lind"' in form and 'value="Familjen Ek"' in form

    page = text(staff_client.get(f"/kurser/{run.id}"))
    assert f"Gäster: {guests}" in page and "Samtal med en erfaren familj" in page

    calendar = icalendar.Calendar.from_ical(staff_client.get(f"/kurser/{run.id}/schema.ics").data)
    descriptions = [str(event["DESCRIPTION"]) for event in calendar.walk("VEVENT")]
    assert sum(f"Gäster: {guests}" in d for d in descriptions) == 1
    assert any("Samtal med en erfaren familj" in d for d in descriptions)

    # The leader's sheet says who comes.
    leader = UserFactory(leader=True)
    run.leaders.append(leader)
    db.session.commit()
    clock.set(saved.starts_at + timedelta(minutes=5))
    login_as(staff_client, leader)
    sheet = text(staff_client.get(f"/traffar/{session.id}/narvaro"))
    assert f"Gäster: {guests}" in sheet


def test_a_speaker_name_of_5000_characters_is_refused_beside_the_field_and_nothing_is_saved(
    staff_client, run
):
    session = run.sessions[0]
    before = (session.title, session.starts_at, session.contents_note)
    response = staff_client.post(
        f"/admin/kurser/{run.id}/traffar/{session.id}",
        data=session_form(
            session,
            title="Ny rubrik",
            contents_note="En anteckning",
            speaker1_name="Eva Lind",
            speaker2_name="x" * 5000,
        ),
    )
    assert response.status_code == 200
    page = text(response)
    assert 'id="speaker2_name-error"' in page and "Högst 120 tecken." in page
    db.session.expire_all()
    saved = db.session.get(CourseSession, session.id)
    assert (saved.title, saved.starts_at, saved.contents_note) == before
    assert saved.speakers == []


def test_a_guest_row_with_a_title_but_no_name_gets_a_message(staff_client, run):
    session = run.sessions[0]
    response = staff_client.post(
        f"/admin/kurser/{run.id}/traffar/{session.id}",
        data=session_form(session, speaker1_title="Barnpsykiater"),
    )
    assert response.status_code == 200
    assert "Skriv gästens namn." in text(response)
    db.session.expire_all()
    assert db.session.get(CourseSession, session.id).speakers == []


def test_the_invite_of_a_session_with_a_guest_names_the_guest(app, run, staff):
    from coursehub.accounts.models import Role
    from coursehub.courses import services as course_services
    from coursehub.enrollment import services as enrollment_services
    from coursehub.notifications.models import OutboxMessage
    from tests.factories import HouseholdFactory

    session = run.sessions[0]
    with app.test_request_context():
        details = course_services.SessionDetails(
            day=app_clock.to_local(session.starts_at).date(),
            start_time=app_clock.to_local(session.starts_at).time(),
            end_time=app_clock.to_local(session.ends_at).time(),
            title=session.title,
            theme=session.theme,
            venue=session.venue or run.venue,
            speakers=(course_services.SpeakerDetails("Eva Lind", "Barnpsykiater"),),
        )
        course_services.update_session(session, actor=staff, now=app_clock.now(), details=details)
        household = HouseholdFactory(is_confirmed=True)
        adult = UserFactory(household=household, roles=[Role.FAMILY])
        db.session.refresh(household)
        enrollment_services.sign_up(run, household, [adult], actor=staff, now=app_clock.now())
    invites = db.session.scalars(
        select(OutboxMessage).where(
            OutboxMessage.recipient == adult.email, OutboxMessage.calendar_ics.is_not(None)
        )
    ).all()
    events = [icalendar.Calendar.from_ical(m.calendar_ics).walk("VEVENT")[0] for m in invites]
    described = {str(e["UID"]): str(e["DESCRIPTION"]) for e in events}
    assert len(described) == len(run.sessions)
    assert sum("Gäster: Eva Lind (Barnpsykiater)" in d for d in described.values()) == 1


def test_a_copied_run_keeps_each_meetings_guests_and_note(staff_client, run, count_queries):
    session = run.sessions[2]
    staff_client.post(
        f"/admin/kurser/{run.id}/traffar/{session.id}",
        data=session_form(
            session,
            contents_note="Panel med familjer som tagit emot syskon.",
            speaker1_name="Eva Lind",
            speaker1_title="Barnpsykiater",
            speaker2_name="Familjen Ek",
        ),
    )
    first_day = app_clock.to_local(run.sessions[0].starts_at).date() + timedelta(weeks=26)
    with count_queries() as statements:
        response = staff_client.post(
            f"/admin/kurser/{run.id}/kopiera", data={"first_date": first_day.isoformat()}
        )
    assert response.status_code == 302
    # The speakers of every meeting are read in one statement, not one per meeting.
    assert sum(s.lstrip().upper().startswith("SELECT") and "session_speakers" in s for s in statements) == 1

    db.session.expire_all()
    copy_id = int(response.location.rstrip("/").split("/")[-1])
    copied = db.session.get(CourseSession, _session_ids(copy_id)[2])
    assert copied.contents_note == "Panel med familjer som tagit emot syskon."
    assert [(s.position, s.label) for s in copied.speakers] == [
        (1, "Eva Lind (Barnpsykiater)"),
        (2, "Familjen Ek"),
    ]
    # The original keeps its own: the copy's guests are rows of their own.
    original = db.session.get(CourseSession, session.id)
    assert [s.id for s in original.speakers] != [s.id for s in copied.speakers]
    assert [s.label for s in original.speakers] == ["Eva Lind (Barnpsykiater)", "Familjen Ek"]
    others = [db.session.get(CourseSession, i) for i in _session_ids(copy_id)]
    assert [bool(s.speakers or s.contents_note) for s in others].count(True) == 1


def _session_ids(run_id: int) -> list[int]:
    return list(
        db.session.scalars(
            select(CourseSession.id).where(CourseSession.run_id == run_id).order_by(CourseSession.starts_at)
        )
    )
