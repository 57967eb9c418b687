"""Attendance marks, the completion rule across runs, certificates exactly once, revocation."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from coursehub.attendance import services
from coursehub.attendance.errors import NotSignedUpError, SessionNotStartedError
from coursehub.attendance.models import (
    AbsenceNotice,
    AttendanceChange,
    AttendanceMark,
    Certificate,
    Completion,
)
from coursehub.errors import CoursehubError, PermissionDeniedError
from coursehub.notifications.models import OutboxMessage
from tests.attendance.conftest import enrol, enrol_makeup, family_member, started_run
from tests.factories import CourseTypeFactory, UserFactory


@pytest.fixture(autouse=True)
def _request_context(app):
    """Services speak Swedish through Flask-Babel, whose locale selector reads the session."""
    with app.test_request_context():
        yield


def mark_all(run, person, actor, statuses, now):
    for session, status in zip(run.sessions, statuses, strict=True):
        services.record_attendance(session, person, status=status, actor=actor, now=now)


def count(db, model):
    return db.session.scalar(select(func.count()).select_from(model))


def test_attending_every_theme_completes_the_course_dated_by_the_last_session(db, clock, run, person, leader):
    mark_all(run, person, leader, ["present", "present", "present"], clock.now)
    completion = db.session.scalars(select(Completion)).one()
    assert completion.user_id == person.id
    assert completion.completed_at == run.sessions[2].starts_at
    certificate = db.session.scalars(select(Certificate)).one()
    assert certificate.is_valid and len(certificate.code) >= 10
    assert not set(certificate.code) & set("01OIL")
    mail = db.session.scalars(select(OutboxMessage)).one()
    assert mail.recipient == person.email
    assert "Ett hem att växa i" in mail.subject
    assert f"http://coursehub.test/intyg/{certificate.code}" in mail.body_text


def test_a_missed_theme_leaves_the_course_unfinished(db, clock, run, person, leader):
    mark_all(run, person, leader, ["present", "absent", "present"], clock.now)
    assert count(db, Completion) == 0
    assert count(db, Certificate) == 0
    assert count(db, OutboxMessage) == 0


def test_allowed_absences_complete_the_course_at_the_session_that_met_the_rule(db, clock, leader):
    course_type = CourseTypeFactory(themes=3, allowed_absences=1)
    run = started_run(course_type, leaders=[leader])
    person = family_member()
    enrol(run, person)
    mark_all(run, person, leader, ["present", "excused", "present"], clock.now)
    completion = db.session.scalars(select(Completion)).one()
    assert completion.completed_at == run.sessions[2].starts_at
    assert completion.completing_session_id == run.sessions[2].id


def test_a_theme_made_up_in_another_run_counts_when_make_up_is_allowed(
    db, clock, course_type, run, person, leader
):
    mark_all(run, person, leader, ["present", "absent", "present"], clock.now)
    other = started_run(course_type, weeks_ago=2, leaders=[leader])
    makeup_session = other.sessions[1]  # theme 2, one week ago
    enrol_makeup(makeup_session, person)
    services.record_attendance(makeup_session, person, status="present", actor=leader, now=clock.now)
    completion = db.session.scalars(select(Completion)).one()
    assert completion is not None
    assert completion.completed_at == makeup_session.starts_at
    assert count(db, Certificate) == 1


def test_a_theme_made_up_in_another_run_does_not_count_when_make_up_is_not_allowed(db, clock, leader):
    course_type = CourseTypeFactory(themes=3, allows_makeup=False)
    run = started_run(course_type, leaders=[leader])
    person = family_member()
    enrol(run, person)
    mark_all(run, person, leader, ["present", "absent", "present"], clock.now)
    other = started_run(course_type, weeks_ago=2, leaders=[leader])
    enrol_makeup(other.sessions[1], person)
    services.record_attendance(other.sessions[1], person, status="present", actor=leader, now=clock.now)
    assert count(db, Completion) == 0


def test_two_evaluations_give_one_completion_one_certificate_and_one_email(
    db, clock, course_type, run, person, leader
):
    mark_all(run, person, leader, ["present"] * 3, clock.now)
    first = services.evaluate_completion(person, course_type, now=clock.now)
    second = services.evaluate_completion(person, course_type, now=clock.now)
    # A correction re-runs the evaluation as well.
    services.record_attendance(
        run.sessions[0], person, status="present", remark="Kom sent", actor=leader, now=clock.now
    )
    assert first.id == second.id
    assert count(db, Completion) == 1
    assert count(db, Certificate) == 1
    assert count(db, OutboxMessage) == 1


def test_no_certificate_for_a_type_that_issues_none(db, clock, leader):
    course_type = CourseTypeFactory(themes=2, issues_certificate=False)
    run = started_run(course_type, leaders=[leader])
    person = family_member()
    enrol(run, person)
    mark_all(run, person, leader, ["present", "present"], clock.now)
    assert count(db, Completion) == 1
    assert count(db, Certificate) == 0
    assert count(db, OutboxMessage) == 0


def test_marking_before_the_session_starts_is_refused_and_nothing_saved(db, clock, course_type, leader):
    run = started_run(course_type, weeks_ago=-1, leaders=[leader])  # starts in a week
    person = family_member()
    enrol(run, person)
    with pytest.raises(SessionNotStartedError, match="har inte börjat än"):
        services.record_attendance(run.sessions[0], person, status="present", actor=leader, now=clock.now)
    assert count(db, AttendanceMark) == 0


def test_a_person_not_signed_up_cannot_be_marked(db, clock, run, leader):
    stranger = family_member(full_name="Olle Okänd")
    with pytest.raises(NotSignedUpError, match="Personen är inte anmäld"):
        services.record_attendance(run.sessions[0], stranger, status="present", actor=leader, now=clock.now)
    assert count(db, AttendanceMark) == 0


def test_a_waitlisted_person_is_not_a_participant(db, clock, run, leader):
    waiting = family_member()
    enrol(run, waiting, waitlisted=True)
    with pytest.raises(NotSignedUpError):
        services.record_attendance(run.sessions[0], waiting, status="present", actor=leader, now=clock.now)


def test_a_make_up_participant_counts_only_for_that_session(db, clock, course_type, leader):
    run = started_run(course_type, leaders=[leader])
    guest = family_member()
    enrol_makeup(run.sessions[1], guest)
    services.record_attendance(run.sessions[1], guest, status="present", actor=leader, now=clock.now)
    with pytest.raises(NotSignedUpError):
        services.record_attendance(run.sessions[0], guest, status="present", actor=leader, now=clock.now)


def test_a_leader_of_another_run_cannot_mark(db, clock, run, person):
    other_leader = UserFactory(leader=True)
    with pytest.raises(PermissionDeniedError):
        services.record_attendance(
            run.sessions[0], person, status="present", actor=other_leader, now=clock.now
        )
    assert count(db, AttendanceMark) == 0


def test_a_correction_is_logged_with_who_when_and_from_what_to_what(db, clock, run, person, leader, staff):
    session = run.sessions[0]
    services.record_attendance(session, person, status="absent", actor=leader, now=clock.now)
    later = clock.advance(hours=1)
    mark = services.record_attendance(
        session, person, status="present", remark="Kom sent", actor=staff, now=later
    )
    assert (mark.status, mark.remark, mark.recorded_by_id) == ("present", "Kom sent", staff.id)
    change = db.session.scalars(select(AttendanceChange)).one()
    assert (change.from_status, change.to_status) == ("absent", "present")
    assert (change.changed_by_id, change.changed_at) == (staff.id, later)
    # The same mark again is no change and logs nothing.
    services.record_attendance(session, person, status="present", remark="Kom sent", actor=staff, now=later)
    assert count(db, AttendanceChange) == 1


def test_an_unknown_status_is_refused(db, clock, run, person, leader):
    with pytest.raises(CoursehubError) as caught:
        services.record_attendance(run.sessions[0], person, status="maybe", actor=leader, now=clock.now)
    assert caught.value.field == "status"


def test_a_family_reports_absence_in_advance_for_its_own_adults_only(db, clock, course_type):
    run = started_run(course_type, weeks_ago=-1)
    anna = family_member(full_name="Anna Berg")
    bo = family_member(household=anna.household, full_name="Bo Berg")
    enrol(run, anna, bo)
    notice = services.report_absence(run.sessions[0], bo, reason="Sjuk", actor=anna, now=clock.now)
    assert (notice.user_id, notice.reported_by_id, notice.reason) == (bo.id, anna.id, "Sjuk")
    neighbour = family_member()
    enrol(run, neighbour)
    with pytest.raises(PermissionDeniedError):
        services.report_absence(run.sessions[0], neighbour, actor=anna, now=clock.now)
    assert count(db, AbsenceNotice) == 1


def test_absence_cannot_be_reported_after_the_session_began(db, clock, run, person):
    with pytest.raises(CoursehubError, match="i förväg"):
        services.report_absence(run.sessions[0], person, actor=person, now=clock.now)
    assert count(db, AbsenceNotice) == 0


def test_revoke_needs_a_reason_and_reissue_gives_a_new_code(db, clock, run, person, leader, staff):
    mark_all(run, person, leader, ["present"] * 3, clock.now)
    certificate = db.session.scalars(select(Certificate)).one()
    with pytest.raises(CoursehubError) as caught:
        services.revoke_certificate(certificate, reason="  ", actor=staff, now=clock.now)
    assert caught.value.field == "reason" and certificate.is_valid
    with pytest.raises(PermissionDeniedError):
        services.revoke_certificate(certificate, reason="Fel", actor=leader, now=clock.now)
    new = services.reissue_certificate(certificate, reason="Namnet var fel", actor=staff, now=clock.now)
    assert not certificate.is_valid and certificate.revoke_reason == "Namnet var fel"
    assert new.is_valid and new.code != certificate.code
    assert new.completion_id == certificate.completion_id
    assert count(db, OutboxMessage) == 2  # the person hears of the new certificate too
    services.revoke_certificate(new, reason="Utfärdat av misstag", actor=staff, now=clock.now)
    assert not new.is_valid and new.revoked_by_id == staff.id
    with pytest.raises(CoursehubError, match="redan återkallat"):
        services.revoke_certificate(new, reason="Igen", actor=staff, now=clock.now)


def test_an_excused_absence_is_an_absence_and_a_theme_attended_twice_counts_once(
    db, clock, course_type, run, person, leader
):
    """Three themes, none may be missed: notice or not, an absence leaves the course unfinished,
    and attending theme 1 again in another run does not stand in for theme 2."""
    mark_all(run, person, leader, ["present", "excused", "present"], clock.now)
    other = started_run(course_type, weeks_ago=2, leaders=[leader])
    enrol_makeup(other.sessions[0], person)
    services.record_attendance(other.sessions[0], person, status="present", actor=leader, now=clock.now)
    assert count(db, Completion) == 0
    assert count(db, Certificate) == 0


def test_a_retired_theme_is_no_longer_needed(db, clock, leader):
    course_type = CourseTypeFactory(themes=3)
    run = started_run(course_type, leaders=[leader])
    person = family_member()
    enrol(run, person)
    mark_all(run, person, leader, ["present", "absent", "present"], clock.now)
    assert count(db, Completion) == 0
    course_type.themes[1].is_retired = True
    db.session.flush()
    services.record_attendance(
        run.sessions[2], person, status="present", remark="Sen", actor=leader, now=clock.now
    )
    completion = db.session.scalars(select(Completion)).one()
    assert completion is not None and completion.completed_at == run.sessions[2].starts_at


def test_a_correction_after_completion_keeps_the_completion_and_reports_it_no_longer_met(
    db, clock, run, person, leader
):
    mark_all(run, person, leader, ["present"] * 3, clock.now)
    assert not services.completion_no_longer_met(person, run.course_type)
    services.record_attendance(run.sessions[0], person, status="absent", actor=leader, now=clock.now)
    assert count(db, Completion) == 1
    assert db.session.scalars(select(Certificate)).one().is_valid
    assert services.completion_no_longer_met(person, run.course_type)
    services.record_attendance(run.sessions[0], person, status="present", actor=leader, now=clock.now)
    assert not services.completion_no_longer_met(person, run.course_type)
    assert count(db, Certificate) == 1


def test_the_certificate_mail_waits_until_the_last_meeting_of_the_run_has_ended(
    db, clock, leader, smtp_server
):
    """Two of three themes complete the course, but the family still has a meeting to go to."""
    from coursehub.notifications.jobs import send_outbox

    course_type = CourseTypeFactory(themes=3, allowed_absences=1)
    run = started_run(course_type, weeks_ago=1, leaders=[leader])
    person = family_member()
    enrol(run, person)
    first, second, last = run.sessions
    clock.set(second.ends_at)
    for session in (first, second):
        services.record_attendance(session, person, status="present", actor=leader, now=clock.now)
    assert count(db, Certificate) == 1
    db.session.commit()
    assert send_outbox(clock.now).sent == 0
    clock.set(last.ends_at - (last.ends_at - last.starts_at) / 2)
    assert send_outbox(clock.now).sent == 0
    clock.set(last.ends_at)
    assert send_outbox(clock.now).sent == 1
    [mail] = smtp_server.wait_for(1)
    assert mail["To"] == person.email and "intyg" in mail.get_body(preferencelist=("plain",)).get_content()
