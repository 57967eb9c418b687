"""What visitors, leaders and staff see and do on the course pages."""

from __future__ import annotations

import re
from datetime import date, time, timedelta

import icalendar
import pytest
import vobject
from sqlalchemy import func, insert, select

from coursehub import clock, events
from coursehub.courses import services
from coursehub.courses.models import CourseRun, CourseSession, RunStatus, SessionSpeaker, SessionStatus
from coursehub.extensions import db
from tests.courses.conftest import SUMMER_TUESDAY, utc
from tests.factories import (
    CourseRunFactory,
    CourseTypeFactory,
    EnrollmentFactory,
    HouseholdFactory,
    MunicipalityFactory,
    UserFactory,
    VenueFactory,
)


def text(response) -> str:
    """The page as a person reads it: tags gone, whitespace collapsed."""
    body = re.sub(r"<[^>]+>", " ", response.get_data(as_text=True))
    return re.sub(r"\s+", " ", body)


def autumn_run(course_type, staff, venue, leaders=(), publish=True):
    """Eight Tuesdays 18–21 local from 6 October 2026 (summer time ends on the 25th)."""
    run = services.create_run(
        course_type,
        actor=staff,
        now=clock.now(),
        first_date=SUMMER_TUESDAY,
        start_time=time(18),
        end_time=time(21),
        details=services.RunDetails(
            title="Ett hem att växa i, hösten 2026",
            capacity=20,
            signup_opens_at=utc(2026, 8, 20),
            signup_closes_at=utc(2026, 10, 1, 21, 59),
            venue=venue,
            leaders=list(leaders) or [UserFactory(leader=True, full_name="Lars Holm")],
        ),
    )
    if publish:
        services.publish_run(run, actor=staff, now=clock.now())
    db.session.commit()
    return run


# -- catalogue ---------------------------------------------------------------------------------


def test_catalogue_shows_upcoming_published_runs_with_seats_left(client, basic_type, staff, venue):
    run = autumn_run(basic_type, staff, venue)
    household = HouseholdFactory()
    EnrollmentFactory(
        run=run,
        household=household,
        persons=[UserFactory(family=True, household=household) for _ in range(2)],
    )
    EnrollmentFactory(run=run, waitlisted=True)  # waiting: holds no seat
    CourseRunFactory(title="Utkastet", draft=True)
    CourseRunFactory(title="Den inställda", status=RunStatus.CANCELLED)
    CourseRunFactory(title="Den gamla", sessions__start=clock.now() - timedelta(days=60))
    db.session.commit()

    page = text(client.get("/kurser"))

    assert "Ett hem att växa i, hösten 2026" in page
    assert "Lediga platser 18" in page
    assert "tisdag 6 oktober 2026 kl. 18:00" in page
    for hidden in ("Utkastet", "Den inställda", "Den gamla"):
        assert hidden not in page


def test_a_running_course_is_still_listed(client, basic_type, staff, venue, clock):
    autumn_run(basic_type, staff, venue)
    clock.set(utc(2026, 10, 28))  # after four of eight sessions
    assert "Ett hem att växa i, hösten 2026" in text(client.get("/kurser"))
    clock.set(utc(2026, 11, 25))  # after the last one
    assert "Ett hem att växa i, hösten 2026" not in text(client.get("/kurser"))


def test_catalogue_filters(client, db):
    jonkoping = MunicipalityFactory(name="Jönköping")
    varnamo = MunicipalityFactory(name="Värnamo")
    basic = CourseTypeFactory(name="Ett hem att växa i")
    evening = CourseTypeFactory(name="Fortbildning", themes=1)
    in_jkpg = CourseRunFactory(
        course_type=basic,
        title="Grund i Jönköping",
        venue=VenueFactory(municipality=jonkoping),
        sessions__start=utc(2026, 10, 6, 16),
    )
    CourseRunFactory(
        course_type=basic,
        title="Grund i Värnamo",
        capacity=1,
        venue=VenueFactory(municipality=varnamo),
        sessions__start=utc(2026, 11, 5, 17),
    )
    CourseRunFactory(
        course_type=evening,
        title="Kväll på nätet",
        venue=None,
        online_url="https://moten.example/k",
        sessions__start=utc(2026, 12, 1, 17),
    )
    EnrollmentFactory(
        run=db.session.scalars(select(CourseRun).where(CourseRun.title == "Grund i Värnamo")).one()
    )
    db.session.commit()

    def titles(query):
        page = text(client.get(f"/kurser?{query}"))
        return {t for t in ("Grund i Jönköping", "Grund i Värnamo", "Kväll på nätet") if t in page}

    everything = {"Grund i Jönköping", "Grund i Värnamo", "Kväll på nätet"}
    assert titles("") == everything
    assert titles(f"typ={evening.id}") == {"Kväll på nätet"}
    assert titles(f"kommun={varnamo.id}") == {"Grund i Värnamo"}
    assert titles("manad=2026-10") == {"Grund i Jönköping"}
    assert titles("manad=2026-11") == {"Grund i Värnamo"}
    assert titles("manad=2026-12") == {"Kväll på nätet"}
    assert titles("satt=natet") == {"Kväll på nätet"}
    assert titles("satt=plats") == {"Grund i Jönköping", "Grund i Värnamo"}
    assert titles("platser=y") == {"Grund i Jönköping", "Kväll på nätet"}
    assert titles(f"typ={basic.id}&platser=y") == {"Grund i Jönköping"}
    assert titles("typ=skräp&manad=1999-01") == everything
    assert in_jkpg.id


def test_catalogue_is_paginated(client, db):
    course_type = CourseTypeFactory(themes=1)
    for day in range(25):
        CourseRunFactory(
            course_type=course_type,
            title=f"Kurs nummer {day:02d}",
            sessions__start=utc(2026, 10, 1, 16) + timedelta(days=day),
        )
    db.session.commit()
    first = text(client.get("/kurser"))
    assert "25 kurser hittades" in first
    assert "Kurs nummer 00" in first and "Kurs nummer 19" in first
    assert "Kurs nummer 20" not in first and "Sida 1 av 2" in first
    second = text(client.get("/kurser?sida=2"))
    assert "Kurs nummer 20" in second and "Kurs nummer 24" in second
    assert "Kurs nummer 19" not in second


def _bulk_runs(count: int) -> None:
    """Insert `count` published runs with two sessions each, without factories (fast)."""
    course_type = CourseTypeFactory(themes=2)
    venue = VenueFactory(municipality=MunicipalityFactory())
    now = clock.now()
    first = utc(2026, 10, 6, 16)
    start_id = (db.session.scalar(select(func.max(CourseRun.id))) or 0) + 1
    db.session.execute(
        insert(CourseRun),
        [
            {
                "id": start_id + n,
                "course_type_id": course_type.id,
                "title": f"Massomgång {n}",
                "status": RunStatus.PUBLISHED,
                "capacity": 20,
                "signup_opens_at": now,
                "signup_closes_at": first - timedelta(days=1),
                "is_open_to_all": True,
                "venue_id": venue.id,
                "starts_at": first + timedelta(minutes=n),
                "ends_at": first + timedelta(minutes=n + 180, weeks=1),  # the second session's end
                "created_at": now,
            }
            for n in range(count)
        ],
    )
    db.session.execute(
        insert(CourseSession),
        [
            {
                "run_id": start_id + n,
                "title": f"Träff {k}",
                "status": SessionStatus.SCHEDULED,
                "starts_at": first + timedelta(minutes=n, weeks=k),
                "ends_at": first + timedelta(minutes=n + 180, weeks=k),
                "venue_id": venue.id,
                "revision": 0,
            }
            for n in range(count)
            for k in range(2)
        ],
    )
    db.session.commit()


@pytest.mark.parametrize("query", ["", "platser=y", "satt=plats&manad=2026-10"])
def test_catalogue_runs_a_fixed_number_of_queries(client, db, count_queries, query):
    _bulk_runs(10)
    with count_queries() as small:
        assert "Massomgång 0" in text(client.get(f"/kurser?{query}"))
    _bulk_runs(990)
    with count_queries() as large:
        page = text(client.get(f"/kurser?{query}"))
    assert "1000 kurser hittades" in page
    assert len(large) == len(small) <= 8, large


# -- the course page ---------------------------------------------------------------------------


def test_course_page_shows_local_times_in_summer_and_in_winter(client, basic_type, staff, venue):
    run = autumn_run(basic_type, staff, venue)
    page = text(client.get(f"/kurser/{run.id}"))
    # 20 October is summer time (+02), 27 October winter time (+01): both 18:00 on the wall.
    assert "tisdag 20 oktober 2026 18:00–21:00" in page
    assert "tisdag 27 oktober 2026 18:00–21:00" in page
    assert page.count("18:00–21:00") == 8
    assert "Lars Holm" in page
    assert "Hiss till plan 2." in page
    assert "20 av 20" in page


def test_course_page_reads_its_meetings_and_guests_in_the_runs_statement(
    client, db, count_queries, basic_type, staff, venue
):
    run_id = autumn_run(basic_type, staff, venue).id
    db.session.expire_all()  # the page loads the run itself, as on a worker that did not make it
    with count_queries() as plain:
        assert text(client.get(f"/kurser/{run_id}")).count("18:00–21:00") == 8
    # Two guests at each meeting, a third at the last: the run's rows repeat, the page's
    # statements do not grow.
    sessions = db.session.scalars(
        select(CourseSession).where(CourseSession.run_id == run_id).order_by(CourseSession.starts_at)
    ).all()
    for number, meeting in enumerate(sessions, start=1):
        guests = 3 if number == len(sessions) else 2
        for position in range(1, guests + 1):
            name = f"Gäst {number}.{position}"
            db.session.add(SessionSpeaker(session_id=meeting.id, position=position, name=name))
    db.session.commit()
    db.session.expire_all()
    with count_queries() as with_guests:
        page = text(client.get(f"/kurser/{run_id}"))
    assert page.count("18:00–21:00") == 8
    assert "Gäster: Gäst 1.1; Gäst 1.2" in page and "Gäster: Gäst 8.1; Gäst 8.2; Gäst 8.3" in page
    assert page.index("Gäst 1.1") < page.index("Gäst 2.1") < page.index("Gäst 8.1")  # in the meetings' order
    # The run with its type, venue, meetings and guests; the names (leaders, audience, kinds of home).
    assert len(with_guests) == len(plain) == 2, with_guests


def test_course_page_links_to_sign_up_while_it_is_open(app, client, basic_type, staff, venue):
    run = autumn_run(basic_type, staff, venue)
    response = client.get(f"/kurser/{run.id}")
    if "enrollment.sign_up" in app.view_functions:
        assert "Anmäl er till kursen" in text(response)
    else:
        assert "Kontakta din familjehemssekreterare" in text(response)
    run.signup_closes_at = utc(2026, 8, 30)
    run.signup_opens_at = utc(2026, 8, 20)
    db.session.commit()
    assert "Anmälan är inte öppen just nu." in text(client.get(f"/kurser/{run.id}"))


def test_online_run_says_online(client, db):
    run = CourseRunFactory(venue=None, online_url="https://moten.example/kvall", title="Kväll")
    db.session.commit()
    assert "På nätet" in text(client.get(f"/kurser/{run.id}"))


def test_drafts_and_cancelled_runs_are_not_found_by_the_public(client, login_as, db):
    draft = CourseRunFactory(draft=True)
    cancelled = CourseRunFactory(status=RunStatus.CANCELLED)
    family = UserFactory(family=True)
    db.session.commit()
    for run in (draft, cancelled):
        assert client.get(f"/kurser/{run.id}").status_code == 404
        assert client.get(f"/kurser/{run.id}/schema.ics").status_code == 404
    assert client.get("/kurser/999999").status_code == 404
    login_as(client, family)
    assert client.get(f"/kurser/{draft.id}").status_code == 404


def test_staff_preview_a_draft(client, login_as, db):
    draft = CourseRunFactory(draft=True, title="Förhandsvisad")
    staff = UserFactory(staff=True)
    db.session.commit()
    login_as(client, staff)
    page = text(client.get(f"/kurser/{draft.id}"))
    assert "Förhandsvisning" in page and "Förhandsvisad" in page


def test_schedule_download_reads_back_in_local_time(client, basic_type, staff, venue):
    run = autumn_run(basic_type, staff, venue)
    session = run.sessions[3]
    services.update_session(
        session,
        actor=staff,
        now=clock.now(),
        details=services.SessionDetails(
            day=date(2026, 10, 28),
            start_time=time(18),
            end_time=time(21),
            title=session.title,
            theme=session.theme,
            venue=venue,
        ),
    )
    db.session.commit()

    response = client.get(f"/kurser/{run.id}/schema.ics")
    assert response.headers["Content-Type"].startswith("text/calendar")
    assert "attachment" in response.headers["Content-Disposition"]
    body = response.data

    calendar = icalendar.Calendar.from_ical(body)
    assert [tz["TZID"] for tz in calendar.walk("VTIMEZONE")] == ["Europe/Stockholm"]
    events = calendar.walk("VEVENT")
    assert len(events) == 8
    starts = [e.decoded("DTSTART") for e in events]
    assert {s.strftime("%H:%M") for s in starts} == {"18:00"}
    assert [s.utcoffset() for s in starts[2:4]] == [timedelta(hours=2), timedelta(hours=1)]
    assert str(events[0]["UID"]) == f"session-{run.sessions[0].id}@coursehub"
    assert [int(e["SEQUENCE"]) for e in events] == [0, 0, 0, 1, 0, 0, 0, 0]
    assert "Kurslokalen" in str(events[0]["LOCATION"])

    parsed = vobject.readOne(body.decode())
    local_starts = [ev.dtstart.value for ev in parsed.vevent_list]
    assert [d.strftime("%Y-%m-%d %H:%M") for d in local_starts[2:4]] == [
        "2026-10-20 18:00",
        "2026-10-28 18:00",
    ]
    assert [d.utcoffset() for d in local_starts[2:4]] == [timedelta(hours=2), timedelta(hours=1)]
    assert [d.astimezone(clock.LOCAL_TZ).hour for d in local_starts] == [18] * 8


# -- leaders -----------------------------------------------------------------------------------


def test_leader_sees_own_runs_and_next_sessions(client, login_as, basic_type, staff, venue):
    lars = UserFactory(leader=True, full_name="Lars Holm")
    mine = autumn_run(basic_type, staff, venue, leaders=[lars])
    CourseRunFactory(title="Någon annans kurs", leaders=[UserFactory(leader=True)])
    db.session.commit()
    login_as(client, lars)
    page = text(client.get("/kursledare"))
    assert mine.title in page
    assert "Någon annans kurs" not in page
    assert "tisdag 6 oktober 2026 kl. 18:00–21:00" in page


# -- staff -------------------------------------------------------------------------------------


@pytest.fixture
def staff_client(client, login_as, staff):
    db.session.commit()
    return login_as(client, staff)


def new_run_form(course_type, venue, leader, **overrides):
    data = {
        "course_type": str(course_type.id),
        "first_date": "2026-10-06",
        "start_time": "18:00",
        "end_time": "21:00",
        "title": "",
        "capacity": "24",
        "signup_opens_date": "2026-09-01",
        "signup_opens_time": "08:00",
        "signup_closes_date": "2026-10-01",
        "signup_closes_time": "23:59",
        "is_open_to_all": "y",
        "venue": str(venue.id),
        "leaders": [str(leader.id)],
    }
    data.update(overrides)
    return data


def test_staff_create_a_run_from_a_type(staff_client, basic_type, venue, leader):
    db.session.commit()
    response = staff_client.post("/admin/kurser/ny", data=new_run_form(basic_type, venue, leader))
    assert response.status_code == 302
    run = db.session.scalars(select(CourseRun)).one()
    assert run.title == "Ett hem att växa i" and run.status == RunStatus.DRAFT
    assert len(run.sessions) == 8 and run.leaders == [leader]
    page = text(staff_client.get(response.location))
    assert "tis 27 okt. 2026, 18:00–21:00" in page or "tis 27 okt 2026, 18:00–21:00" in page


@pytest.mark.parametrize(
    "capacity, message",
    [
        ("0", "Antalet platser måste vara minst 1."),
        ("-5", "Antalet platser måste vara minst 1."),
        ("100000", "Antalet platser får vara högst 500."),
        ("tjugo", "Skriv ett heltal med siffror, till exempel 24."),
        ("", "Ange hur många personer som får plats."),
    ],
)
def test_bad_capacity_gets_a_message_beside_the_field(
    staff_client, basic_type, venue, leader, capacity, message
):
    db.session.commit()
    response = staff_client.post(
        "/admin/kurser/ny", data=new_run_form(basic_type, venue, leader, capacity=capacity)
    )
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert f'<div id="capacity-error" class="invalid-feedback">{message}</div>' in html
    assert db.session.scalar(select(func.count(CourseRun.id))) == 0


def test_end_before_start_and_late_window_get_messages(staff_client, basic_type, venue, leader):
    db.session.commit()
    html = staff_client.post(
        "/admin/kurser/ny", data=new_run_form(basic_type, venue, leader, end_time="17:00")
    ).get_data(as_text=True)
    assert '<div id="end_time-error" class="invalid-feedback">Sluttiden måste vara efter starttiden.' in html
    html = staff_client.post(
        "/admin/kurser/ny", data=new_run_form(basic_type, venue, leader, signup_closes_date="2026-10-07")
    ).get_data(as_text=True)
    assert 'id="signup_closes_date-error"' in html
    assert "Anmälan måste stänga senast när den första träffen börjar (2026-10-06 18:00)." in html
    assert db.session.scalar(select(func.count(CourseRun.id))) == 0


def test_a_posted_status_is_ignored(staff_client, basic_type, staff, venue, leader):
    run = autumn_run(basic_type, staff, venue, leaders=[leader], publish=False)
    form = new_run_form(basic_type, venue, leader, title="Ändrad", status="published", capacity="30")
    response = staff_client.post(f"/admin/kurser/{run.id}/redigera", data=form)
    assert response.status_code == 302
    db.session.expire_all()
    run = db.session.get(CourseRun, run.id)
    assert (run.title, run.capacity, run.status) == ("Ändrad", 30, RunStatus.DRAFT)


def test_staff_adjust_a_session_and_publish(staff_client, basic_type, staff, venue):
    run = autumn_run(basic_type, staff, venue, leaders=[], publish=False)
    run.leaders = []
    db.session.commit()
    session = run.sessions[2]
    response = staff_client.post(
        f"/admin/kurser/{run.id}/traffar/{session.id}",
        data={
            "day": "2026-10-21",
            "start_time": "18:30",
            "end_time": "21:00",
            "title": session.title,
            "theme": str(session.theme_id),
            "venue": str(venue.id),
        },
    )
    assert response.status_code == 302
    db.session.expire_all()
    session = db.session.get(CourseSession, session.id)
    assert clock.to_local(session.starts_at).strftime("%Y-%m-%d %H:%M") == "2026-10-21 18:30"
    assert session.revision == 1

    refused = staff_client.post(f"/admin/kurser/{run.id}/publicera")
    assert refused.status_code == 422
    assert "Välj minst en kursledare innan du publicerar kursomgången." in text(refused)


def test_staff_see_holiday_and_overlap_warnings(staff_client, basic_type, staff, venue, leader):
    run = autumn_run(basic_type, staff, venue, leaders=[leader], publish=False)
    services.add_session(
        run,
        actor=staff,
        now=clock.now(),
        details=services.SessionDetails(
            day=date(2026, 12, 25), start_time=time(18), end_time=time(21), title="Julträff", venue=venue
        ),
    )
    other = CourseRunFactory(
        title="Kvällskursen", leaders=[leader], sessions__start=run.sessions[1].starts_at
    )
    db.session.commit()
    page = text(staff_client.get(f"/admin/kurser/{run.id}"))
    assert "Varning: Träffen ligger på en helgdag: Juldagen." in page
    assert f"leder också {other.title} samtidigt" in page


def test_removing_a_used_theme_retires_it(staff_client, basic_type, staff, venue):
    run = autumn_run(basic_type, staff, venue)
    theme = basic_type.active_themes[0]
    response = staff_client.post(f"/admin/kurstyper/{basic_type.id}/teman/{theme.id}/ta-bort")
    assert response.status_code == 302
    page = text(staff_client.get(response.location))
    assert "arkiverat" in page
    assert "1 kursomgång har gjorts av den här kurstypen" in page
    db.session.expire_all()
    assert db.session.get(CourseRun, run.id).sessions[0].title == theme.title


def test_bad_theme_length_is_shown_beside_the_field(staff_client, basic_type):
    db.session.commit()
    response = staff_client.post(
        f"/admin/kurstyper/{basic_type.id}/teman",
        data={"theme-title": "Nytt", "theme-suggested_minutes": "mycket"},
    )
    assert response.status_code == 422
    assert 'id="theme-suggested_minutes-error"' in response.get_data(as_text=True)
    assert len(basic_type.active_themes) == 8


def test_staff_copy_and_cancel(staff_client, basic_type, staff, venue):
    cancelled = []
    run = autumn_run(basic_type, staff, venue)
    response = staff_client.post(f"/admin/kurser/{run.id}/kopiera", data={"first_date": "2027-01-12"})
    assert response.status_code == 302
    copy = db.session.scalars(select(CourseRun).where(CourseRun.id != run.id)).one()
    assert copy.status == RunStatus.DRAFT
    assert clock.to_local(copy.sessions[0].starts_at).strftime("%Y-%m-%d %H:%M") == "2027-01-12 18:00"

    with events.run_cancelled.connected_to(lambda run, **kw: cancelled.append((run.id, kw["reason"]))):
        response = staff_client.post(f"/admin/kurser/{run.id}/stall-in", data={"reason": "Sjukdom"})
    assert response.status_code == 302
    assert cancelled == [(run.id, "Sjukdom")]
    assert "Inställd" in text(staff_client.get("/admin/kurser?status=cancelled"))


def test_staff_venues_and_types(staff_client, db):
    municipality = MunicipalityFactory(name="Värnamo")
    db.session.commit()
    response = staff_client.post(
        "/admin/lokaler/ny",
        data={
            "name": "Mötesplats Värnamo",
            "city": "Värnamo",
            "municipality": str(municipality.id),
            "accessibility_notes": "Ramp vid sidoingången.",
        },
    )
    assert response.status_code == 302
    assert "Mötesplats Värnamo" in text(staff_client.get("/admin/lokaler"))
    response = staff_client.post(
        "/admin/kurstyper/ny",
        data={
            "name": "Fortbildning",
            "kind": "continuing",
            "allowed_absences": "0",
            "theme-title": "Sömn",
            "theme-suggested_minutes": "120",
        },
    )
    assert response.status_code == 302
    page = text(staff_client.get(response.location))
    assert "Sömn" in page and "120 min" in page


# -- completed runs, checkbox lists, venues moving sessions ------------------------------------


def test_a_completed_run_has_left_the_catalogue_and_its_page_says_it_has_ended(
    client, basic_type, staff, venue, clock
):
    from coursehub.courses import jobs

    run = autumn_run(basic_type, staff, venue)
    clock.set(utc(2026, 11, 25))  # after the last Tuesday
    assert jobs.complete_finished_runs(clock.now) == 1
    db.session.commit()

    assert run.title not in text(client.get("/kurser"))
    response = client.get(f"/kurser/{run.id}")
    assert response.status_code == 200
    page = text(response)
    assert "Den här kursen är avslutad." in page
    assert "Så anmäler ni er" not in page and "Lediga platser" not in page
    assert "tisdag 24 november 2026" in page  # the schedule is still there to read
    assert client.get(f"/kurser/{run.id}/schema.ics").status_code == 200


def test_leaders_and_municipalities_are_checkbox_lists(staff_client, basic_type, venue, leader):
    other = UserFactory(leader=True, full_name="Karin Ek")
    MunicipalityFactory(name="Aneby")
    db.session.commit()
    html = staff_client.get("/admin/kurser/ny").get_data(as_text=True)
    group = re.search(r'<fieldset[^>]*id="leaders".*?</fieldset>', html, re.S).group(0)
    assert "<legend" in group and "Kursledare</legend>" in group
    for person in (leader, other):
        box = re.search(rf'<input[^>]*value="{person.id}"[^>]*>', group).group(0)
        assert 'type="checkbox"' in box and 'name="leaders"' in box
        box_id = re.search(r'id="([^"]+)"', box).group(1)
        assert f'<label class="form-check-label" for="{box_id}">{person.full_name}</label>' in group
    group = re.search(r'<fieldset[^>]*id="municipalities".*?</fieldset>', html, re.S).group(0)
    assert "Kommuner (om kursen inte är öppen för alla)</legend>" in group and "Aneby</label>" in group
    assert "<select" not in group


def test_the_run_form_keeps_the_ticked_leaders(staff_client, basic_type, staff, venue, leader):
    run = autumn_run(basic_type, staff, venue, leaders=[leader], publish=False)
    html = staff_client.get(f"/admin/kurser/{run.id}/redigera").get_data(as_text=True)
    box = re.search(rf'<input[^>]*name="leaders"[^>]*value="{leader.id}"[^>]*>', html).group(0)
    assert "checked" in box


def test_a_leader_or_municipality_not_offered_is_refused(staff_client, basic_type, venue, leader):
    family = UserFactory(family=True, full_name="Inte Ledare")
    db.session.commit()
    for data in (
        new_run_form(basic_type, venue, leader, leaders=[str(leader.id), str(family.id)]),
        new_run_form(basic_type, venue, leader, is_open_to_all="", municipalities=["99999"]),
    ):
        response = staff_client.post("/admin/kurser/ny", data=data)
        assert response.status_code == 200
        assert "Välj bland alternativen." in text(response)
    assert db.session.scalar(select(func.count(CourseRun.id))) == 0


def test_staff_change_a_venue_address_and_its_coming_sessions_move(
    client, login_as, basic_type, staff, venue, clock
):
    run = autumn_run(basic_type, staff, venue)
    clock.set(utc(2026, 10, 14, 12))  # two of the eight Tuesdays have been held
    staff_client = login_as(client, staff)
    response = staff_client.post(
        f"/admin/lokaler/{venue.id}",
        data={
            "name": venue.name,
            "street": "Nygatan 5",
            "postcode": venue.postcode,
            "city": venue.city,
            "municipality": "",
            "accessibility_notes": venue.accessibility_notes,
        },
    )
    assert response.headers["Location"].endswith("/admin/lokaler")
    db.session.expire_all()
    revisions = [s.revision for s in db.session.get(CourseRun, run.id).sessions]
    assert revisions == [0, 0, 1, 1, 1, 1, 1, 1]
    assert "Nygatan 5" in text(staff_client.get(f"/kurser/{run.id}"))


def test_run_pages_link_to_what_the_areas_built_on_courses_offer(client, db, login_as):
    """Staff reach participants, waiting list and attendance; a leader only what leaders may see."""
    from tests.factories import UserFactory

    leader = UserFactory(leader=True)
    run, second = CourseRunFactory(leaders=[leader]), CourseRunFactory(leaders=[leader])
    other = CourseRunFactory()
    db.session.commit()
    login_as(client, UserFactory(staff=True))
    staff_page = client.get(f"/admin/kurser/{run.id}").get_data(as_text=True)
    for path in (
        f"/kurser/{run.id}/deltagare",
        f"/kurser/{run.id}/reservlista",
        f"/admin/kurser/{run.id}/narvaro",
    ):
        assert f'href="{path}"' in staff_page, path
    login_as(client, leader)
    home = client.get("/kursledare").get_data(as_text=True)
    assert f'href="/kurser/{run.id}/deltagare"' in home
    assert f'href="/admin/kurser/{run.id}/narvaro"' in home
    assert f'href="/kurser/{run.id}/reservlista"' not in home  # staff reorder the list
    assert f"/kurser/{other.id}/deltagare" not in home
    # Each run of the list links to its own pages (each link's URL is built once per page).
    for led in (run, second):
        assert f'<a href="/kurser/{led.id}/deltagare">Deltagare</a>' in home
        assert f'<a href="/admin/kurser/{led.id}/narvaro">Närvaro</a>' in home
    client.post("/sprak", data={"locale": "en", "next": "/kursledare"})
    english = client.get("/kursledare").get_data(as_text=True)
    assert f'<a href="/kurser/{second.id}/deltagare">Participants</a>' in english


def test_staff_cancel_a_session_with_a_reason_after_a_confirmation(staff_client, basic_type, staff, venue):
    run = autumn_run(basic_type, staff, venue)
    db.session.commit()
    session = run.sessions[2]
    manage = staff_client.get(f"/admin/kurser/{run.id}").get_data(as_text=True)
    assert "Ta bort" not in manage  # a published run's session is cancelled, never removed
    url = f"/admin/kurser/{run.id}/traffar/{session.id}/stall-in"
    assert f'href="{url}"' in manage
    confirm = text(staff_client.get(url))
    assert "Ställ in träffen 20 oktober 2026?" in confirm
    assert session.status == SessionStatus.SCHEDULED  # opening the page changes nothing

    refused = staff_client.post(url, data={"reason": "   "})
    assert 'id="reason-error"' in refused.get_data(as_text=True)
    assert "Skriv varför träffen ställs in" in text(refused)
    db.session.refresh(session)
    assert session.status == SessionStatus.SCHEDULED

    response = staff_client.post(url, data={"reason": "Kursledaren är sjuk"})
    assert response.status_code == 302 and response.location.endswith(f"#traff-{session.id}")
    db.session.refresh(session)
    assert (session.status, session.cancel_reason) == (SessionStatus.CANCELLED, "Kursledaren är sjuk")
    page = staff_client.get(f"/admin/kurser/{run.id}").get_data(as_text=True)
    assert "Träffen 20 oktober 2026 är inställd" in page  # the flash
    assert "Anledning: Kursledaren är sjuk" in page
    assert f"/admin/kurser/{run.id}/traffar/ny?tema={session.theme_id}" in page
    form = staff_client.get(f"/admin/kurser/{run.id}/traffar/ny?tema={session.theme_id}").get_data(
        as_text=True
    )
    assert re.search(
        rf'<option selected value="{session.theme_id}"|<option value="{session.theme_id}" selected', form
    )


def test_a_runs_schedule_file_runs_a_fixed_number_of_queries_however_many_meetings(client, count_queries):
    from coursehub.courses.models import SessionSpeaker
    from tests.factories import CourseRunFactory, CourseSessionFactory

    counts = []
    for meetings in (1, 6):
        run = CourseRunFactory(sessions=False)
        for n in range(meetings):
            session = CourseSessionFactory(run=run, title=f"Träff {n + 1}")
            db.session.add(SessionSpeaker(session=session, position=1, name="Gästen Gästsson"))
        db.session.commit()
        with client.application.app_context(), count_queries() as statements:
            response = client.get(f"/kurser/{run.id}/schema.ics")
        assert response.status_code == 200
        assert response.get_data(as_text=True).count("Gästen Gästsson") == meetings
        counts.append(len(statements))
    assert counts[0] == counts[1], counts
