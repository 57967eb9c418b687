"""Staff's start page: each item appears when its condition holds and not otherwise (boundaries
of 14 days, 48 hours and 7 days), links to where it is handled, and counts in the menu, all in a
fixed number of queries."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta

import pytest

from coursehub.accounts.models import Role, UserRole
from coursehub.attendance import services as attendance_services
from coursehub.attendance.models import AttendanceStatus
from coursehub.courses.models import RunStatus
from coursehub.enrollment.models import AWAITING_APPROVAL, EnrollmentStatus
from coursehub.evaluations.models import Evaluation, Response
from coursehub.evaluations.services import forms
from coursehub.extensions import db
from coursehub.lib.start import start_endpoint
from coursehub.reports import queries_start
from tests.accounts.conftest import post_login
from tests.evaluations.support import published_form
from tests.factories import CourseRunFactory, CourseTypeFactory, EnrollmentFactory, UserFactory
from tests.notifications.factories import OutboxMessageFactory
from tests.recruitment.factories import CaseFactory
from tests.support.sql import captured_statements, page_rows

NOW = datetime(2026, 12, 2, 9, 0, tzinfo=UTC)  # a Wednesday, 10:00 in Stockholm
TODAY = date(2026, 12, 2)


@pytest.fixture
def now(clock):
    clock.set(NOW)
    return NOW


def counts() -> dict[str, int]:
    return queries_start.action_counts(queries_start.Moment(now=NOW, today=TODAY))


def rows() -> dict[str, list[queries_start.ActionRow]]:
    return queries_start.action_rows(queries_start.Moment(now=NOW, today=TODAY))


def assert_only(key: str, number: int) -> None:
    """`key` has `number` rows needing action, every other item none."""
    found = counts()
    assert found == {item: (number if item == key else 0) for item in queries_start.ITEMS}
    assert len(rows()[key]) == min(number, queries_start.ROWS_PER_ITEM)


def test_nothing_needs_action_in_an_empty_database(now):
    assert counts() == dict.fromkeys(queries_start.ITEMS, 0)


def test_a_case_counts_from_the_day_after_its_first_contact_deadline(now):
    CaseFactory(first_contact_due_on=TODAY)  # due today: not late yet
    CaseFactory(first_contact_due_on=TODAY - timedelta(days=3), first_contact_at=NOW)  # contacted
    CaseFactory(first_contact_due_on=TODAY - timedelta(days=3), closed_at=NOW)  # closed
    late = CaseFactory(first_contact_due_on=TODAY - timedelta(days=1))
    assert_only("cases", 1)
    assert rows()["cases"][0].ids == {"case_id": late.id}


def test_sign_ups_waiting_for_approval_oldest_first(now):
    newer = EnrollmentFactory(pending=True, needs_approval=True, created_at=NOW - timedelta(days=2))
    older = EnrollmentFactory(pending=True, needs_approval=True, created_at=NOW - timedelta(days=9))
    EnrollmentFactory(pending=True, needs_approval=False)  # waits for nothing from a municipality
    EnrollmentFactory(status=EnrollmentStatus.DECLINED, needs_approval=True)  # decided
    assert_only("approvals", 2)
    assert [row.ids["run_id"] for row in rows()["approvals"]] == [older.run_id, newer.run_id]
    assert rows()["approvals"][0].at == NOW - timedelta(days=9)


def _offer(expires_at: datetime):
    return EnrollmentFactory(status=EnrollmentStatus.OFFERED, offer_expires_at=expires_at, confirmed_at=None)


def test_offers_lapsing_within_48_hours(now):
    _offer(NOW + timedelta(hours=48, minutes=1))
    _offer(NOW - timedelta(minutes=1))  # already lapsed: the job handles it
    lapsing = _offer(NOW + timedelta(hours=48))
    assert_only("offers", 1)
    assert rows()["offers"][0].ids == {"run_id": lapsing.run_id}


def _run(start: datetime, **kwargs):
    return CourseRunFactory(course_type=CourseTypeFactory(themes=1), sessions__start=start, **kwargs)


def test_runs_starting_within_14_days_with_free_seats(now):
    soon = _run(NOW + timedelta(days=14))
    _run(NOW + timedelta(days=14, minutes=1))  # later
    _run(NOW + timedelta(days=3), draft=True)  # not published
    full = _run(NOW + timedelta(days=5), capacity=1)
    EnrollmentFactory(run=full)  # full, no minimum: fine
    assert_only("runs", 1)
    assert rows()["runs"][0].ids == {"run_id": soon.id}
    assert rows()["runs"][0].numbers == (20, 0, 0)


def test_a_full_run_with_fewer_confirmed_than_its_minimum(now):
    run = _run(NOW + timedelta(days=10), capacity=2, min_participants=2)
    EnrollmentFactory(run=run, status=EnrollmentStatus.PENDING, confirmed_at=None)
    EnrollmentFactory(run=run)
    assert_only("runs", 1)
    assert rows()["runs"][0].numbers == (0, 1, 2)

    pending = run  # once the second is confirmed, the run has its minimum
    for enrollment in db.session.scalars(
        db.select(EnrollmentFactory._meta.model).where(EnrollmentFactory._meta.model.run_id == pending.id)
    ):
        enrollment.status = EnrollmentStatus.CONFIRMED
    db.session.flush()
    assert_only("runs", 0)


def test_sessions_ended_without_attendance(now):
    run = _run(NOW - timedelta(days=1, hours=3))  # one session, ended yesterday
    enrollment = EnrollmentFactory(run=run)
    unmarked = run.sessions[0]
    _run(NOW - timedelta(days=1, hours=3))  # nobody signed up: nothing to take
    later = _run(NOW - timedelta(hours=2, minutes=59))  # still on (three hours long)
    EnrollmentFactory(run=later)
    assert_only("attendance", 1)
    (row,) = rows()["attendance"]
    assert row.ids == {"session_id": unmarked.id}
    assert (row.title, row.detail, row.at) == (run.title, unmarked.title, unmarked.ends_at)

    # A leader's first mark (through attendance's service, as the sheet records it) takes the
    # meeting off the list; another person's later mark leaves it off.
    person = enrollment.persons[0].user
    attendance_services.record_attendance(
        unmarked, person, status=AttendanceStatus.PRESENT, actor=UserFactory(staff=True), now=NOW
    )
    db.session.flush()
    assert_only("attendance", 0)
    assert unmarked.attendance_taken_at == NOW


def _evaluation(closes_at: datetime, *, asked: int, answered: int) -> Evaluation:
    version = forms.published_version(published_form())
    evaluation = Evaluation(
        version=version,
        survey_year=2026,
        title="Årsenkäten 2026",
        opens_at=NOW - timedelta(days=14),
        closes_at=closes_at,
        remind_at=NOW,
        invited_count=asked,
    )
    db.session.add(evaluation)
    db.session.flush()
    db.session.add_all(Response(evaluation_id=evaluation.id, answered_on=TODAY) for _ in range(answered))
    db.session.flush()
    return evaluation


def test_evaluations_closing_within_7_days_with_under_half_answered(now):
    _evaluation(NOW + timedelta(days=7, minutes=1), asked=4, answered=1)  # closes later
    _evaluation(NOW + timedelta(days=3), asked=4, answered=2)  # half have answered
    _evaluation(NOW + timedelta(days=3), asked=0, answered=0)  # nobody asked
    low = _evaluation(NOW + timedelta(days=7), asked=4, answered=1)
    assert_only("evaluations", 1)
    row = rows()["evaluations"][0]
    assert (row.title, row.numbers, row.ids) == (low.title, (1, 4), {})


def test_failed_mail_not_dealt_with(now):
    OutboxMessageFactory()  # waiting
    OutboxMessageFactory(sent=True)
    failed = OutboxMessageFactory(failed=True)
    # Its text dropped by retention: it can no longer be sent, so there is nothing to do.
    OutboxMessageFactory(failed=True, body_text="", body_html=None, body_dropped_at=NOW)
    assert_only("outbox", 1)
    assert rows()["outbox"][0].ids == {"message_id": failed.id}


# -- the page ----------------------------------------------------------------------------------


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_staff_land_on_the_start_page_and_others_do_not(app, now):
    assert start_endpoint(app, UserFactory(staff=True)) == "reports.start"
    assert start_endpoint(app, UserFactory(admin=True)) == "reports.start"
    assert start_endpoint(app, UserFactory(leader=True)) != "reports.start"
    assert start_endpoint(app, UserFactory(family=True)) != "reports.start"


def test_the_page_links_each_row_to_where_it_is_handled(client, login_as, now):
    run = _run(NOW + timedelta(days=5), min_participants=3, title="Vinterkursen")
    failed = OutboxMessageFactory(failed=True, subject="Kallelse till träff")
    staff = UserFactory(staff=True)
    db.session.commit()
    login_as(client, staff)
    html = client.get("/att-gora").get_data(as_text=True)
    page = _text(html)
    assert "Kursomgångar som börjar inom 14 dagar med lediga platser eller för få deltagare 1" in page
    assert f'href="/admin/kurser/{run.id}">Vinterkursen</a>' in html
    assert "20 lediga platser; bekräftade: 0 av minst 3" in page
    assert f'href="/admin/utkorg/{failed.id}">Kallelse till träff</a>' in html
    assert "Att göra (2)" in page  # the menu's count


def test_the_menu_count_comes_with_the_staff_members_user_and_is_for_staff_only(
    client, login_as, now, count_queries
):
    # As a statement of its own the count cost a round trip on every staff page; the counts are
    # user facts (queries_start.action_count_facts), selected in the statement that loads the user.
    OutboxMessageFactory(failed=True)
    staff = UserFactory(staff=True)
    family = UserFactory(family=True)
    db.session.commit()
    login_as(client, staff)
    with count_queries() as statements:
        page = _text(client.get("/profil").get_data(as_text=True))
    assert "Att göra (1)" in page
    counting = [s for s in statements if "outbox_messages" in s]
    assert len(counting) == 1 and "session_token" in counting[0]
    login_as(client, family)
    with count_queries() as statements:
        page = client.get("/mina-kurser").get_data(as_text=True)
    assert "Att göra" not in page
    assert not [s for s in statements if "outbox_messages" in s]  # not even in the user statement


def test_a_new_staff_member_is_counted_for_at_once_and_with_the_user_from_the_next_page(
    client, login_as, now, count_queries
):
    OutboxMessageFactory(failed=True)
    person = UserFactory(family=True)
    db.session.commit()
    login_as(client, person)
    assert client.get("/profil").status_code == 200
    person.role_rows.append(UserRole(role=Role.STAFF))  # made staff while logged in
    db.session.commit()
    with count_queries() as statements:
        page = _text(client.get("/profil").get_data(as_text=True))
    assert "Att göra (1)" in page  # counted on its own: the session did not know
    assert len([s for s in statements if "outbox_messages" in s]) == 1
    with count_queries() as statements:
        page = _text(client.get("/profil").get_data(as_text=True))
    assert "Att göra (1)" in page
    counting = [s for s in statements if "outbox_messages" in s]
    assert len(counting) == 1 and "session_token" in counting[0]
    person.role_rows[:] = [row for row in person.role_rows if row.role != Role.STAFF]
    db.session.commit()
    page = _text(client.get("/profil").get_data(as_text=True))
    assert "Att göra" not in page


def test_nothing_is_counted_for_anyone_but_staff(client, login_as, now, postgres_only):
    # The counts are facts bound to the staff roles: nobody else's statement reads their tables.
    for _ in range(3):
        OutboxMessageFactory(failed=True)
    staff = UserFactory(staff=True)
    family = UserFactory(family=True)
    db.session.commit()

    def failed_mail_read(path: str) -> int:
        return sum(page_rows(client, path, db.engine, db.session, table="outbox_messages").values())

    login_as(client, family)
    assert failed_mail_read("/mina-kurser") == 0
    login_as(client, staff)
    assert failed_mail_read("/profil") == 3


def _history(size: int) -> None:
    """`size` of each kind of row needing action, and as many that need none."""
    for index in range(size):
        CaseFactory(first_contact_due_on=TODAY - timedelta(days=1 + index))
        CaseFactory(first_contact_due_on=TODAY - timedelta(days=1 + index), closed_at=NOW)
        EnrollmentFactory(pending=True, needs_approval=True)
        _offer(NOW + timedelta(hours=1 + index))
        run = _run(NOW + timedelta(days=1, hours=index), min_participants=2)
        EnrollmentFactory(run=run)
        ended = _run(NOW - timedelta(days=2 + index))
        EnrollmentFactory(run=ended)
        _evaluation(NOW + timedelta(days=2), asked=4, answered=1)
        OutboxMessageFactory(failed=True)
        OutboxMessageFactory(sent=True)


def test_the_page_runs_a_fixed_number_of_queries(client, login_as, now, count_queries):
    staff = UserFactory(staff=True)
    db.session.commit()
    login_as(client, staff)
    sizes = []
    for size in (1, 7):
        _history(size)
        db.session.commit()
        with count_queries() as statements:
            assert client.get("/att-gora").status_code == 200
        sizes.append(len(statements))
    assert sizes[0] == sizes[1]
    found = counts()
    assert found["outbox"] == 8 and found["cases"] == 8 and found["approvals"] == 8


def test_a_running_run_counts_its_ended_sessions_only(now):
    # The count reads only runs that have begun (their starts_at), and of those the ended sessions.
    running = CourseRunFactory(
        course_type=CourseTypeFactory(themes=3), sessions__start=NOW - timedelta(weeks=1, hours=1)
    )
    EnrollmentFactory(run=running)
    coming = _run(NOW + timedelta(days=20))  # published, not begun: nothing has ended
    EnrollmentFactory(run=coming)
    assert_only("attendance", 1)
    assert rows()["attendance"][0].ids == {"session_id": running.sessions[0].id}


@pytest.mark.parametrize("status", [RunStatus.COMPLETED, RunStatus.CANCELLED])
def test_the_ended_sessions_of_a_run_no_longer_published_need_no_attendance(now, status):
    run = _run(NOW - timedelta(days=1, hours=3))
    EnrollmentFactory(run=run)
    assert_only("attendance", 1)
    run.status = status
    db.session.flush()
    assert_only("attendance", 0)


def test_the_unmarked_sessions_name_the_published_status_in_their_sql(client, login_as, now, count_queries):
    # Written into the SQL, not bound: PostgreSQL's generic plan for a prepared statement (psycopg
    # prepares one run five times) otherwise knows no status, and read every session ever held
    # instead of those of the few running runs.
    staff = UserFactory(staff=True)
    db.session.commit()
    login_as(client, staff)
    with count_queries() as statements:
        assert client.get("/att-gora").status_code == 200
    reading_sessions = [s for s in statements if "FROM course_sessions" in s]
    assert len(reading_sessions) == 2  # the counts with the user, the page's rows
    for statement in reading_sessions:
        assert "course_runs.status = 'published'" in statement


def test_the_approvals_name_the_active_statuses_in_their_sql(client, login_as, now, count_queries):
    # Written into the SQL, not bound, and as the predicate of ix_enrollments_awaiting_approval
    # says it: a generic plan for a prepared statement cannot prove a bound IN implies the
    # index's predicate, and read every waiting sign-up through the wider index to sort them.
    staff = UserFactory(staff=True)
    db.session.commit()
    login_as(client, staff)
    with count_queries() as statements:
        assert client.get("/att-gora").status_code == 200
    # The statement that loads the user holds the counts (and a municipal worker's count, not
    # counted for staff), then the page lists.
    waiting = [s for s in statements if "enrollments.needs_approval IS " in s]
    assert len(waiting) == 2
    condition = "enrollments.status IN ('pending', 'confirmed', 'offered', 'waitlisted')"
    for statement in waiting:
        assert condition in statement
    assert AWAITING_APPROVAL.endswith(condition.replace("enrollments.", ""))


def test_the_approvals_condition_is_the_predicate_of_their_index_as_this_database_writes_it(app):
    # PostgreSQL proves the index's predicate from the condition; SQLite matches the terms' text
    # (it writes the boolean as 1): either way the two must say the same thing.
    from coursehub.enrollment.models import Enrollment

    dialect = db.engine.dialect
    index = next(i for i in Enrollment.__table__.indexes if i.name == "ix_enrollments_awaiting_approval")
    predicate = str(index.dialect_options[dialect.name]["where"])
    condition = str(queries_start._waiting_approval().compile(dialect=dialect))
    assert condition.replace("enrollments.", "") == predicate


def _statements(client, path: str) -> list[tuple[str, object]]:
    """The statements (text and parameters) of one request to `path`."""
    with captured_statements(db.engine, lambda statement: True) as seen:
        assert client.get(path).status_code == 200
    return seen


def test_the_page_binds_nothing_and_keeps_its_text_for_a_minute(client, login_as, now, clock):
    # Bound, any parameter made PostgreSQL plan the menu's count anew on every staff page (a
    # custom plan for each moment: 1.7-2.1 ms of its 3 ms at national scale), and most of the
    # page's rows too. With everything written in and the moment a whole minute, each prepared
    # statement is planned once a minute. Only the session's user is looked up by a parameter;
    # the counts come with the user, their moment written in too.
    staff = UserFactory(staff=True)
    db.session.commit()
    login_as(client, staff)

    def page_statements() -> list[str]:
        statements = _statements(client, "/att-gora")
        [(user, user_parameters)] = [(s, p) for s, p in statements if "session_token" in s]
        values = user_parameters.values() if isinstance(user_parameters, dict) else user_parameters
        assert not [v for v in values if isinstance(v, date | datetime)]
        page = [(s, p) for s, p in statements if "session_token" not in s]
        if db.engine.dialect.name == "postgresql":  # SQLite's LIMIT binds its OFFSET 0; no plans kept
            assert [p for _, p in page if p] == []
        return [user, *(s for s, _ in page)]

    clock.set(NOW + timedelta(seconds=5))
    first = page_statements()
    assert len(first) == 2  # the user with the counts; every item's first rows
    assert " AS reports_action_cases" in first[0]
    clock.set(NOW + timedelta(seconds=55))
    assert page_statements() == first
    clock.set(NOW + timedelta(minutes=1))
    assert page_statements()[0] != first[0]  # the counts at the next minute


def test_what_ended_within_the_minute_shows_from_the_next_minute(now):
    # The page and the menu judge by the start of the current minute (Moment.at).
    run = _run(NOW - timedelta(hours=3) + timedelta(seconds=20))  # its one session ends at NOW + 20 s
    EnrollmentFactory(run=run)
    within = queries_start.Moment.at(NOW + timedelta(seconds=50), TODAY)
    assert within.now == NOW
    assert queries_start.action_counts(within)["attendance"] == 0
    later = queries_start.Moment.at(NOW + timedelta(minutes=1, seconds=10), TODAY)
    assert queries_start.action_counts(later)["attendance"] == 1


def test_the_first_page_after_logging_in_has_the_counts_with_the_user(client, now, count_queries):
    # The login notes in the session which of the user's facts to select (web.py, at
    # flask_login's signal), so the page staff land on needs no statement of its own for them.
    OutboxMessageFactory(failed=True)
    staff = UserFactory(staff=True)
    db.session.commit()
    assert post_login(client, staff.email).status_code == 302
    with count_queries() as statements:
        page = _text(client.get("/att-gora").get_data(as_text=True))
    assert "Att göra (1)" in page
    counting = [s for s in statements if "outbox_messages" in s]
    assert len(counting) == 2 and "session_token" in counting[0]  # with the user, then the page's rows
