"""Courses for professionals: who signs up whom, the same seat rules, approval, attendance and a
certificate; families never see a run for professionals only."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import icalendar
import pytest
from sqlalchemy import select

from coursehub.accounts.models import Role
from coursehub.attendance import services as attendance_services
from coursehub.attendance.models import Certificate, Completion
from coursehub.courses.models import IntendedFor
from coursehub.enrollment import queries, services
from coursehub.enrollment.errors import AlreadySignedUpError, SignupClosedError
from coursehub.enrollment.models import CalendarFeed, Enrollment, EnrollmentStatus, ParticipantKind
from coursehub.errors import NotFoundError
from coursehub.extensions import db
from tests.factories import CourseRunFactory, CourseTypeFactory, MunicipalityFactory, UserFactory


@pytest.fixture(autouse=True)
def _request_context(app):
    """Services speak Swedish through Flask-Babel, whose locale selector reads the session."""
    with app.test_request_context():
        yield


@pytest.fixture
def pro_type():
    """An evening for new social workers: professionals only, approval needed, a certificate."""
    return CourseTypeFactory(
        name="Introduktion för nya socialsekreterare",
        intended_for=IntendedFor.PROFESSIONALS,
        requires_municipal_approval=True,
        issues_certificate=True,
        themes=2,
    )


@pytest.fixture
def pro_run(pro_type):
    return CourseRunFactory(course_type=pro_type, capacity=2)


@pytest.fixture
def colleague(municipality):
    return UserFactory(roles=[Role.MUNICIPAL], municipality=municipality, full_name="Lo Kollega")


@pytest.fixture
def member(municipality):
    """A network member of the municipality who is not its municipal worker."""
    return UserFactory(roles=[Role.MEMBER], municipality=municipality, full_name="Nora Nätverk")


def _text(response) -> str:
    return response.get_data(as_text=True)


# -- the whole path ----------------------------------------------------------------------------


def test_a_professionals_path_from_sign_up_through_approval_attendance_to_certificate(
    client, login_as, clock, pro_run, member, worker, outbox
):
    enrollment = services.sign_up_professional(pro_run, member, actor=member, now=clock.now)
    assert enrollment.participant_kind == ParticipantKind.PROFESSIONAL
    assert enrollment.household_id is None and enrollment.professional_id == member.id
    assert [p.user_id for p in enrollment.persons] == [member.id]
    # A network member's own sign-up waits for a municipal worker of their municipality.
    assert enrollment.status == EnrollmentStatus.PENDING and pro_run.seats_taken == 1
    request = outbox(worker.email, "enrollment-approval-request")
    assert len(request) == 1 and "Nora Nätverk" in request[0].body_text

    services.approve_enrollment(enrollment, actor=worker, now=clock.now)
    assert enrollment.status == EnrollmentStatus.CONFIRMED
    invites = [m for m in outbox(member.email) if m.calendar_ics]
    assert len(invites) == len(pro_run.sessions) == 2

    leader = UserFactory(roles=[Role.LEADER])
    pro_run.leaders.append(leader)
    clock.set(pro_run.sessions[-1].ends_at + timedelta(hours=1))
    for session in pro_run.sessions:
        attendance_services.record_attendance(session, member, status="present", actor=leader, now=clock.now)
    completion = db.session.scalars(select(Completion).where(Completion.user_id == member.id)).one()
    certificate = db.session.scalars(select(Certificate).where(Certificate.user_id == member.id)).one()
    assert completion is not None and certificate is not None and certificate.is_valid
    (told,) = outbox(member.email, "attendance.certificate_issued")
    assert certificate.code in told.body_text
    db.session.commit()
    login_as(client, member)
    pdf = client.get(f"/intyg/{certificate.id}/pdf")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")


def test_a_municipal_worker_signs_up_herself_and_a_colleague_at_once_without_approval(
    clock, pro_run, worker, colleague, outbox
):
    rows = services.sign_up_professionals(pro_run, [worker, colleague], actor=worker, now=clock.now)
    assert [r.status for r in rows] == [EnrollmentStatus.CONFIRMED] * 2
    assert pro_run.seats_taken == 2
    for person in (worker, colleague):
        assert len([m for m in outbox(person.email) if m.calendar_ics]) == 2


def test_the_waiting_list_and_an_offer_work_for_professionals(clock, pro_run, worker, colleague, staff):
    third = UserFactory(roles=[Role.MUNICIPAL], municipality=worker.municipality)
    services.sign_up_professionals(pro_run, [worker, colleague], actor=worker, now=clock.now)
    waiting = services.sign_up_professional(pro_run, third, actor=third, now=clock.now)
    assert waiting.status == EnrollmentStatus.WAITLISTED and waiting.waitlist_position == 1
    first = db.session.scalars(select(Enrollment).where(Enrollment.professional_id == worker.id)).one()
    services.cancel_enrollment(first, actor=worker, now=clock.now)
    assert waiting.status == EnrollmentStatus.OFFERED
    services.accept_offer(waiting, actor=third, now=clock.now)
    assert waiting.status == EnrollmentStatus.CONFIRMED and pro_run.seats_taken == 2


def test_a_professional_is_reminded_of_a_session_like_a_family(clock, pro_run, worker, outbox):
    from coursehub.enrollment import jobs

    services.sign_up_professional(pro_run, worker, actor=worker, now=clock.now)
    first = pro_run.sessions[0]
    clock.set(first.starts_at - timedelta(hours=24))
    assert jobs.send_session_reminders(clock.now) == 1
    (reminder,) = outbox(worker.email, f"reminder:{first.id}:")
    assert pro_run.title in reminder.subject or first.title in reminder.body_text


def test_signing_up_twice_is_refused_beside_the_persons(clock, pro_run, worker):
    services.sign_up_professional(pro_run, worker, actor=worker, now=clock.now)
    with pytest.raises(AlreadySignedUpError) as refused:
        services.sign_up_professional(pro_run, worker, actor=worker, now=clock.now)
    assert "Kim Handläggare är redan anmäld" in refused.value.message


# -- who signs up whom -------------------------------------------------------------------------


def test_a_network_member_cannot_sign_up_someone_else(clock, pro_run, member, worker):
    with pytest.raises(NotFoundError):
        services.sign_up_professional(pro_run, worker, actor=member, now=clock.now)


def test_a_municipal_worker_cannot_sign_up_a_worker_of_another_municipality(clock, pro_run, worker):
    elsewhere = UserFactory(roles=[Role.MUNICIPAL], municipality=MunicipalityFactory(name="Habo"))
    with pytest.raises(NotFoundError):
        services.sign_up_professional(pro_run, elsewhere, actor=worker, now=clock.now)
    assert db.session.scalar(select(Enrollment.id)) is None


def test_staff_sign_up_anyone_and_nobody_waits_for_approval(clock, pro_run, staff, member):
    enrollment = services.sign_up_professional(pro_run, member, actor=staff, now=clock.now)
    assert enrollment.status == EnrollmentStatus.CONFIRMED


def test_a_family_adult_is_not_a_professional(clock, pro_run, make_family):
    _household, (adult, _other) = make_family()
    with pytest.raises(NotFoundError):
        services.sign_up_professional(pro_run, adult, actor=adult, now=clock.now)


def test_a_family_cannot_be_signed_up_for_a_run_for_professionals(clock, pro_run, make_family, worker):
    household, adults = make_family()
    with pytest.raises(SignupClosedError):
        services.sign_up(pro_run, household, adults, actor=worker, now=clock.now)


def test_a_professional_cannot_take_a_run_for_families(clock, run, worker):
    with pytest.raises(SignupClosedError):
        services.sign_up_professional(run, worker, actor=worker, now=clock.now)


def test_a_run_for_both_takes_a_family_and_a_professional(clock, make_family, worker):
    both = CourseRunFactory(course_type=CourseTypeFactory(intended_for=IntendedFor.BOTH), capacity=5)
    household, adults = make_family()
    services.sign_up(both, household, adults, actor=worker, now=clock.now)
    services.sign_up_professional(both, worker, actor=worker, now=clock.now)
    assert both.seats_taken == 3


# -- families never see a run for professionals -----------------------------------------------


def test_families_and_visitors_do_not_see_a_run_for_professionals(
    client, login_as, pro_run, run, make_family, worker
):
    db.session.commit()
    _household, (adult, _other) = make_family()
    db.session.commit()
    for who in (None, adult):
        if who is not None:
            login_as(client, who)
        catalogue = _text(client.get("/kurser"))
        assert run.title in catalogue and pro_run.title not in catalogue
        # Not in the type filter's choices, and the type's id typed by hand shows nothing.
        assert "Introduktion för nya socialsekreterare" not in catalogue
        filtered = _text(client.get(f"/kurser?typ={pro_run.course_type_id}"))
        assert pro_run.title not in filtered and "0 kurser hittades" in filtered
        assert client.get(f"/kurser/{pro_run.id}").status_code == 404
        assert client.get(f"/kurser/{pro_run.id}/schema.ics").status_code == 404
        assert client.get(f"/kurser/{pro_run.id}/anmalan").status_code in (302, 404)
        assert client.get(f"/kurser/{pro_run.id}/anmalan/yrkesverksamma").status_code in (302, 404)
    login_as(client, worker)
    catalogue = _text(client.get("/kurser"))
    assert pro_run.title in catalogue and run.title in catalogue
    page = _text(client.get(f"/kurser/{pro_run.id}"))
    assert "Anmälan för yrkesverksamma" in page
    calendar = icalendar.Calendar.from_ical(client.get(f"/kurser/{pro_run.id}/schema.ics").data)
    assert len(calendar.walk("VEVENT")) == 2


def test_a_familys_feed_never_holds_a_run_for_professionals(
    client, login_as, clock, pro_run, make_family, worker
):
    household, adults = make_family()
    services.sign_up_professional(pro_run, worker, actor=worker, now=clock.now)
    db.session.commit()
    login_as(client, adults[0])
    assert client.post("/mina-kurser/kalender").status_code == 302
    feed = db.session.get(CalendarFeed, adults[0].id)
    body = client.get(f"/kalender/{feed.token}.ics").get_data(as_text=True)
    assert "BEGIN:VCALENDAR" in body and pro_run.title not in body
    # The worker's own feed holds the run: the family's is empty because it is the family's.
    worker_sessions = queries.confirmed_sessions(worker.id)
    assert [s.run_id for s in worker_sessions] == [pro_run.id, pro_run.id]


def test_the_catalogue_reads_as_much_for_a_family_as_before_runs_for_professionals(
    client, login_as, count_queries, run, make_family, pro_type
):
    _household, (adult, _other) = make_family()
    db.session.commit()
    login_as(client, adult)
    with count_queries() as before:
        client.get("/kurser")
    for _ in range(3):
        CourseRunFactory(course_type=pro_type)
    db.session.commit()
    with count_queries() as after:
        page = _text(client.get("/kurser"))
    assert "1 kurs hittades" in page or "1 kurser hittades" in page
    assert len(after) == len(before)


# -- pages ----------------------------------------------------------------------------------------


def test_a_worker_signs_up_herself_and_a_colleague_on_the_page(
    client, login_as, pro_run, worker, colleague, outbox
):
    db.session.commit()
    login_as(client, worker)
    page = _text(client.get(f"/kurser/{pro_run.id}/anmalan/yrkesverksamma"))
    assert "Lo Kollega" in page and "du själv" in page
    response = client.post(
        f"/kurser/{pro_run.id}/anmalan/yrkesverksamma",
        data={"persons": [str(worker.id), str(colleague.id)], "diet": "Vegetarisk"},
    )
    assert response.status_code == 302
    rows = list(db.session.scalars(select(Enrollment).order_by(Enrollment.id)))
    assert [r.professional_id for r in rows] == [worker.id, colleague.id]
    assert all(r.status == EnrollmentStatus.CONFIRMED for r in rows)
    assert [m for m in outbox(colleague.email) if m.calendar_ics]
    mine = _text(client.get("/mina-kurser/yrkesverksam"))
    assert pro_run.title in mine
    assert "Du är anmäld till kursen" in _text(client.get(f"/kurser/{pro_run.id}"))


def test_a_member_is_not_offered_colleagues_and_a_forged_id_signs_up_nobody(
    client, login_as, pro_run, member, colleague
):
    db.session.commit()
    login_as(client, member)
    page = _text(client.get(f"/kurser/{pro_run.id}/anmalan/yrkesverksamma"))
    assert "Lo Kollega" not in page
    response = client.post(
        f"/kurser/{pro_run.id}/anmalan/yrkesverksamma", data={"persons": [str(colleague.id)]}
    )
    assert response.status_code == 200
    assert db.session.scalar(select(Enrollment.id)) is None


def test_participants_sheet_and_exports_say_which_kind_each_participant_is(
    client, login_as, clock, make_family, worker, staff
):
    both = CourseRunFactory(course_type=CourseTypeFactory(intended_for=IntendedFor.BOTH), capacity=5)
    household, adults = make_family()
    services.sign_up(both, household, adults, actor=worker, now=clock.now)
    services.sign_up_professional(both, worker, actor=worker, now=clock.now)
    db.session.commit()
    login_as(client, staff)
    page = _text(client.get(f"/kurser/{both.id}/deltagare"))
    assert "yrkesverksam" in page and "familj" in page
    assert worker.full_name in page and adults[0].full_name in page
    body = client.get(f"/kurser/{both.id}/deltagare.csv").data.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(body), delimiter=";"))
    kinds = {row[0]: row[-1] for row in rows[1:]}
    assert rows[0][-1] == "Deltar som"
    assert kinds[worker.full_name] == "yrkesverksam" and kinds[adults[0].full_name] == "familj"
    clock.set(both.sessions[0].starts_at + timedelta(minutes=5))
    login_as(client, staff)  # a fresh login at the new time (the old one has timed out)
    sheet = _text(client.get(f"/traffar/{both.sessions[0].id}/narvaro"))
    assert worker.full_name in sheet and "yrkesverksam" in sheet and household.name in sheet
