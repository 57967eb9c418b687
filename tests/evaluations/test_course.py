"""Course evaluations: invited when a run finishes, opened early, one reminder, closing."""

from __future__ import annotations

from sqlalchemy import func, select

from coursehub import clock as app_clock
from coursehub.attendance.models import AttendanceStatus
from coursehub.courses import jobs as course_jobs
from coursehub.evaluations import jobs, queries
from coursehub.evaluations.models import Evaluation, Invitation
from coursehub.evaluations.services import course
from coursehub.notifications.models import OutboxMessage
from tests.evaluations.conftest import evaluation_mails
from tests.evaluations.support import (
    attendee,
    enrol_makeup,
    family_member,
    finished_run,
    present,
    published_form,
)
from tests.factories import EnrollmentFactory, UserFactory


def test_a_finished_run_invites_each_person_who_attended_a_meeting_once(db):
    run = finished_run(published_form())
    first, second = attendee(run), attendee(run, session_index=1)
    never_came = family_member()
    EnrollmentFactory(run=run, household=never_came.household, persons=[never_came])
    present(run.sessions[0], never_came, AttendanceStatus.ABSENT)
    other_run = finished_run(published_form(name="Annat formulär"))
    visitor = attendee(other_run)
    enrol_makeup(run.sessions[0], visitor)  # a make-up visitor from another run
    present(run.sessions[0], visitor)

    assert course_jobs.complete_finished_runs(app_clock.now()) == 2

    mails = evaluation_mails()
    assert sorted(m.recipient for m in mails if run.title in m.subject) == sorted([first.email, second.email])
    assert all("/utvardering/" in m.body_text for m in mails)
    evaluation = queries.run_evaluation(run.id)
    assert evaluation.invited_count == 2
    course.open_for_finished_run(run, actor=None, now=app_clock.now())  # the event again: nobody twice
    assert (
        db.session.scalar(
            select(func.count()).select_from(Invitation).where(Invitation.evaluation_id == evaluation.id)
        )
        == 2
    )
    assert len(evaluation_mails()) == len(mails)


def test_a_run_whose_type_has_no_form_is_not_evaluated(db):
    run = finished_run(None)
    attendee(run)
    course_jobs.complete_finished_runs(app_clock.now())
    assert queries.run_evaluation(run.id) is None
    assert evaluation_mails() == []


def test_opened_early_invites_at_once_and_the_finish_adds_only_late_marks(client, login_as, db):
    run = finished_run(published_form())
    early = attendee(run)
    login_as(client, UserFactory(staff=True))

    response = client.post(f"/kursomgangar/{run.id}/utvardering/oppna", follow_redirects=True)
    assert "Utvärderingen är öppnad och deltagarna har fått sina länkar." in response.get_data(as_text=True)
    assert [m.recipient for m in evaluation_mails()] == [early.email]

    late = attendee(run, session_index=1)  # marked at the last meeting, after the opening
    course_jobs.complete_finished_runs(app_clock.now())
    assert sorted(m.recipient for m in evaluation_mails()) == sorted([early.email, late.email])
    again = client.post(f"/kursomgangar/{run.id}/utvardering/oppna", follow_redirects=True)
    assert "Utvärderingen av kursomgången är redan öppnad." in again.get_data(as_text=True)


def test_one_reminder_to_those_who_have_not_answered_then_closing_deletes_the_answered_list(app, db, clock):
    from coursehub.evaluations.services import answering
    from tests.evaluations.support import answers_for, token_from_outbox

    run = finished_run(published_form())
    answered, silent = attendee(run), attendee(run)
    course_jobs.complete_finished_runs(app_clock.now())
    evaluation = queries.run_evaluation(run.id)
    answering.submit_answers(
        token_from_outbox(answered.email), answers_for(evaluation), may_quote=False, now=app_clock.now()
    )

    clock.advance(days=app.config["COURSEHUB_EVALUATION_REMINDER_DAYS"] - 1)
    assert jobs.send_evaluation_reminders(app_clock.now()) == 0
    clock.advance(days=1)
    assert jobs.send_evaluation_reminders(app_clock.now()) == 1
    assert jobs.send_evaluation_reminders(app_clock.now()) == 0  # one reminder, however often it runs
    reminders = [m for m in evaluation_mails() if m.dedupe_key.startswith("evaluations.reminder")]
    assert [m.recipient for m in reminders] == [silent.email]
    reminder_token = token_from_outbox(silent.email)
    assert answering.usable_invitation(reminder_token, now=app_clock.now()) is not None

    clock.advance(days=app.config["COURSEHUB_EVALUATION_OPEN_DAYS"])
    assert jobs.close_evaluations(app_clock.now()) == 1
    assert jobs.close_evaluations(app_clock.now()) == 0
    db.session.expire_all()
    assert db.session.get(Evaluation, evaluation.id).closed_at is not None
    assert db.session.scalar(select(func.count()).select_from(Invitation)) == 0
    assert answering.usable_invitation(reminder_token, now=app_clock.now()) is None
    assert evaluation.invited_count == 2 and queries.answered_count(evaluation.id) == 1


def test_leaders_see_the_response_rate_of_their_own_runs_only(client, login_as, db):
    from coursehub.accounts.models import Role

    leader = UserFactory(roles=[Role.LEADER])
    run = finished_run(published_form(), leaders=[leader])
    for _ in range(3):
        attendee(run)
    other = finished_run(published_form(name="Annat"))
    course_jobs.complete_finished_runs(app_clock.now())
    login_as(client, leader)

    page = client.get(f"/kursomgangar/{run.id}/utvardering").get_data(as_text=True)
    assert "Tillfrågade" in page and ">3<" in page
    assert "0 (0 %)" in page
    assert "Öppna vid sista träffen" not in page
    assert client.get(f"/kursomgangar/{other.id}/utvardering").status_code == 404


def test_reminders_work_on_what_is_due_only(app, db, clock, count_queries):
    """Many evaluations, none due: the reminder job runs one query whatever their number."""
    form = published_form()
    for _ in range(5):
        run = finished_run(form)
        attendee(run)
    course_jobs.complete_finished_runs(app_clock.now())
    with count_queries() as statements:
        jobs.send_evaluation_reminders(app_clock.now())
        jobs.close_evaluations(app_clock.now())
    assert len([s for s in statements if "SAVEPOINT" not in s]) == 2
    assert db.session.scalar(select(func.count()).select_from(OutboxMessage)) >= 5
