"""Two leaders mark, or two staff reissue, at the same moment: on SQLite and PostgreSQL alike."""

from __future__ import annotations

import threading
import time
from urllib.parse import urlencode

from sqlalchemy import func, select

from coursehub.accounts.models import User
from coursehub.attendance import services
from coursehub.attendance.models import AttendanceMark, Certificate, Completion
from coursehub.courses.models import CourseSession
from coursehub.extensions import db
from coursehub.notifications.models import OutboxMessage
from tests.attendance.conftest import enrol, family_member, started_run
from tests.factories import CourseTypeFactory, UserFactory
from tests.support.race import post_at_once, session_cookie


def test_two_marks_at_once_complete_the_course_exactly_once(app, clock):
    course_type = CourseTypeFactory(themes=3)
    first_leader, second_leader = UserFactory(leader=True), UserFactory(leader=True)
    run = started_run(course_type, leaders=[first_leader, second_leader])
    person = family_member(full_name="Åsa Öberg")
    enrol(run, person)
    with app.test_request_context():
        services.record_attendance(
            run.sessions[0], person, status="present", actor=first_leader, now=clock.now
        )
    person_id, now = person.id, clock.now
    jobs = [(run.sessions[1].id, first_leader.id), (run.sessions[2].id, second_leader.id)]
    db.session.commit()  # after the reads: on SQLite an open transaction holds the write lock
    first_saved, second_started = threading.Event(), threading.Event()
    errors: list[BaseException] = []

    def mark(session_id: int, leader_id: int, first: bool) -> None:
        try:
            with app.app_context(), app.test_request_context():
                if not first:
                    first_saved.wait(10)
                    second_started.set()
                services.record_attendance(
                    db.session.get(CourseSession, session_id),
                    db.session.get(User, person_id),
                    status="present",
                    actor=db.session.get(User, leader_id),
                    now=now,
                )
                if first:
                    first_saved.set()
                    second_started.wait(10)
                    time.sleep(0.5)  # the second request evaluates before this one commits
                db.session.commit()
                db.session.remove()
        except BaseException as error:  # noqa: BLE001 - reported by the assertion below
            errors.append(error)

    threads = [threading.Thread(target=mark, args=(*job, index == 0)) for index, job in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert errors == []
    db.session.expire_all()
    assert db.session.scalar(select(func.count()).select_from(AttendanceMark)) == 3
    assert db.session.scalar(select(func.count()).select_from(Completion)) == 1
    assert db.session.scalar(select(func.count()).select_from(Certificate)) == 1
    assert db.session.scalar(select(func.count()).select_from(OutboxMessage)) == 1


def test_two_reissues_at_once_leave_one_valid_certificate_and_a_message(app, clock):
    from coursehub.attendance.errors import CertificateError

    course_type = CourseTypeFactory(themes=1)
    leader, staff = UserFactory(leader=True), UserFactory(staff=True)
    run = started_run(course_type, leaders=[leader])
    person = family_member()
    enrol(run, person)
    with app.test_request_context():
        services.record_attendance(run.sessions[0], person, status="present", actor=leader, now=clock.now)
    certificate_id, staff_id, now = db.session.scalars(select(Certificate.id)).one(), staff.id, clock.now
    db.session.commit()
    first_read, second_started, first_done = threading.Event(), threading.Event(), threading.Event()
    outcomes: list[str] = []

    def reissue(first: bool) -> None:
        try:
            with app.app_context(), app.test_request_context(method="POST"):
                if not first:
                    first_read.wait(10)
                    second_started.set()
                # PostgreSQL: both read it valid. SQLite: the second waits here until the first
                # commits, since a writing transaction holds the write lock from its first read.
                certificate = db.session.get(Certificate, certificate_id)
                actor = db.session.get(User, staff_id)
                if first:
                    first_read.set()
                    second_started.wait(10)
                    time.sleep(0.2)  # PostgreSQL: the second reads before this one locks
                else:
                    first_done.wait(10)
                try:
                    services.reissue_certificate(certificate, actor=actor, now=now)
                except CertificateError as error:
                    outcomes.append(error.message)
                    db.session.rollback()
                else:
                    if first:
                        first_done.set()
                        time.sleep(0.3)
                    db.session.commit()
                    outcomes.append("issued")
                db.session.remove()
        except BaseException as error:  # noqa: BLE001 - reported by the assertion below
            outcomes.append(repr(error))
            first_done.set()

    threads = [threading.Thread(target=reissue, args=(index == 0,)) for index in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(outcomes) == ["Det finns redan ett giltigt intyg för den här kursen.", "issued"]
    db.session.expire_all()
    valid = db.session.scalars(select(Certificate).where(Certificate.revoked_at.is_(None))).all()
    assert len(valid) == 1


def test_a_double_tap_on_the_sheet_saves_one_mark_and_one_completion(app, clock):
    """A leader's phone sends the same tap four times at once: one mark, no 500, one certificate."""
    course_type = CourseTypeFactory(themes=1)
    leader = UserFactory(leader=True)
    run = started_run(course_type, leaders=[leader])
    person = family_member()
    enrol(run, person)
    session_id = run.sessions[0].id
    tap = (
        f"/traffar/{session_id}/narvaro",
        session_cookie(app, leader),
        urlencode({"user_id": person.id, "status": "present"}),
    )
    db.session.commit()

    replies = post_at_once(app, [tap] * 4)

    assert [reply.status for reply in replies] == [303] * 4
    assert all(
        reply.location.endswith(f"/traffar/{session_id}/narvaro#person-{person.id}") for reply in replies
    )
    db.session.expire_all()
    assert db.session.scalar(select(func.count()).select_from(AttendanceMark)) == 1
    assert db.session.scalar(select(func.count()).select_from(Completion)) == 1
    assert db.session.scalar(select(func.count()).select_from(Certificate)) == 1
    assert db.session.scalar(select(func.count()).select_from(OutboxMessage)) == 1
