"""`flask bench-seed`: a tiny scale loads on both databases, keeps every rule, and the pages show it."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from flask import url_for

from coursehub import clock
from coursehub.accounts.models import Household, User
from coursehub.attendance.models import AttendanceMark, Completion
from coursehub.courses.models import CourseRun, CourseSession, RunStatus, SessionStatus
from coursehub.enrollment.bench import BENCH_FAMILY_RUNS_PER_KIND
from coursehub.enrollment.models import Enrollment, EnrollmentStatus
from coursehub.extensions import db
from coursehub.forum import bench as bench_forum
from coursehub.notifications.models import OutboxMessage
from tests.benchmarks.loading import load, load_elsewhere
from tests.support.seats import check_no_seat_drift


def _load(runner, tmp_path, seed: int = 7) -> dict:
    return load(runner, tmp_path, seed)


def _fingerprint() -> list:
    return [
        db.session.execute(sa.select(Household.name).order_by(Household.id)).scalars().all(),
        db.session.execute(sa.select(User.full_name).order_by(User.id)).scalars().all(),
        db.session.execute(sa.select(CourseRun.title, CourseRun.seats_taken).order_by(CourseRun.id)).all(),
        db.session.execute(sa.select(Enrollment.status).order_by(Enrollment.id)).scalars().all(),
    ]


def test_tiny_scale_loads_with_every_rule_kept(app, runner, tmp_path):
    _load(runner, tmp_path)
    db.session.rollback()
    check_no_seat_drift(db.session)
    count = lambda model: db.session.scalar(sa.select(sa.func.count()).select_from(model))  # noqa: E731
    assert count(Household) == 30
    assert count(CourseRun) == 12
    assert count(Enrollment) > 30
    assert count(AttendanceMark) > 100
    assert count(Completion) > 0
    assert count(OutboxMessage) > 0
    if db.engine.dialect.name == "sqlite":  # PostgreSQL checked every key as the rows went in
        assert db.session.execute(sa.text("PRAGMA foreign_key_check")).all() == []
    # The planner knows what was loaded: a page timed at once is not planned for empty tables.
    if db.engine.dialect.name == "sqlite":
        analyzed = sa.text("SELECT count(*) FROM sqlite_stat1 WHERE tbl = 'attendance_marks'")
    else:
        analyzed = sa.text("SELECT reltuples FROM pg_class WHERE relname = 'attendance_marks'")
    assert db.session.scalar(analyzed) > 0
    # Each run's stored first start and last end agree with its scheduled sessions.
    first_last = (
        sa.select(
            CourseSession.run_id, sa.func.min(CourseSession.starts_at), sa.func.max(CourseSession.ends_at)
        )
        .where(CourseSession.status == SessionStatus.SCHEDULED)
        .group_by(CourseSession.run_id)
    )
    spans = {run_id: (start, end) for run_id, start, end in db.session.execute(first_last)}
    for run in db.session.scalars(sa.select(CourseRun)):
        if run.status == RunStatus.CANCELLED:
            assert run.ends_at is None and run.id not in spans
        else:
            assert (run.starts_at, run.ends_at) == spans[run.id]
    # A session with marks is noted as taken at its first one, as record_attendance notes it.
    first_marks = dict(
        db.session.execute(
            sa.select(AttendanceMark.session_id, sa.func.min(AttendanceMark.recorded_at)).group_by(
                AttendanceMark.session_id
            )
        ).all()
    )
    noted = dict(
        db.session.execute(
            sa.select(CourseSession.id, CourseSession.attendance_taken_at).where(
                CourseSession.attendance_taken_at.is_not(None)
            )
        ).all()
    )
    assert first_marks and noted == first_marks
    # Waiting lists are numbered from 1 without gaps.
    waiting = db.session.execute(
        sa.select(Enrollment.run_id, Enrollment.waitlist_position)
        .where(Enrollment.status == EnrollmentStatus.WAITLISTED)
        .order_by(Enrollment.run_id, Enrollment.waitlist_position)
    ).all()
    by_run: dict[int, list[int]] = {}
    for run_id, position in waiting:
        by_run.setdefault(run_id, []).append(position)
    assert all(positions == list(range(1, len(positions) + 1)) for positions in by_run.values())


def test_the_same_seed_gives_the_same_data(app, runner, tmp_path, template_database):
    _load(runner, tmp_path, seed=11)
    first = _fingerprint()
    again = load_elsewhere(app, template_database, tmp_path, 11, _fingerprint)
    assert again == first


def test_bench_seed_refuses_a_database_with_data(app, runner, tmp_path):
    _load(runner, tmp_path)
    result = runner.invoke(args=["bench-seed", "--scale", "tiny"])
    assert result.exit_code != 0
    assert "empty database" in result.output


@pytest.fixture
def loaded(app, runner, tmp_path) -> dict:
    targets = _load(runner, tmp_path)
    db.session.rollback()
    return targets


def _login(client, login_as, username: str) -> None:
    login_as(client, db.session.scalars(sa.select(User).where(User.username == username)).one())


def test_the_key_pages_show_the_generated_data(app, client, login_as, loaded):
    run = db.session.get(CourseRun, loaded["course_run_id"])
    with app.test_request_context():
        catalogue = url_for("courses.catalogue")
        pages = {
            "family": [url_for("enrollment.my_courses"), url_for("attendance.my_progress")],
            "leader": [
                url_for("attendance.sheet", session_id=loaded["sheet_session_id"]),
                url_for("enrollment.participants", run_id=loaded["participants_run_id"]),
            ],
            "staff": [url_for("courses.admin_runs")],
        }
        detail = url_for("courses.detail", run_id=run.id)
        feed = url_for("enrollment.feed", token=loaded["feed_token"])
    text = client.get(catalogue).get_data(as_text=True)
    assert run.title in text
    assert run.title in client.get(detail).get_data(as_text=True)
    assert client.get(catalogue + "?platser=y&sida=2").status_code == 200
    calendar = client.get(feed)
    assert calendar.status_code == 200 and b"BEGIN:VEVENT" in calendar.data
    for role, urls in pages.items():
        _login(client, login_as, loaded["logins"][role])
        for url in urls:
            response = client.get(url)
            assert response.status_code == 200, (role, url)
    _login(client, login_as, loaded["logins"]["family"])
    assert run.title in client.get(pages["family"][0]).get_data(as_text=True)


def test_the_forum_pages_show_the_generated_discussions(app, client, login_as, loaded):
    # benchmarks/run.sh: the thread of 100 posts, its network's thread list and a search, as the
    # bench member (the municipal worker) sees them.
    with app.test_request_context():
        thread = url_for("forum.thread", thread_id=loaded["forum_thread_id"])
        last_page = url_for("forum.thread", thread_id=loaded["forum_thread_id"], sida=4)
        network = url_for("forum.network", network_id=loaded["forum_network_id"])
        search = url_for("forum.search", sok=loaded["forum_search"])
    _login(client, login_as, loaded["logins"]["member"])
    for url in (thread, network, search):
        response = client.get(url)
        assert response.status_code == 200, url
    text = client.get(thread).get_data(as_text=True)
    assert any(sentence in text for sentence in bench_forum.SENTENCES)
    # The bench member has read the thread to post BENCH_THREAD_READ_UPTO: the first page holds
    # nothing new to them, the last page (posts 76-100) what others wrote since.
    new_badge = '<span class="badge text-bg-primary">Nytt</span>'
    assert bench_forum.BENCH_THREAD_READ_UPTO < 76
    assert new_badge not in text
    assert new_badge in client.get(last_page).get_data(as_text=True)
    hits = client.get(search).get_data(as_text=True)
    assert "/natverk/trad/" in hits  # the search finds generated posts


def test_the_case_board_shows_the_generated_open_cases(app, client, login_as, loaded):
    with app.test_request_context():
        board = url_for("recruitment.board")
    _login(client, login_as, loaded["logins"]["staff"])
    response = client.get(board)
    assert response.status_code == 200
    assert "/rekrytering/arenden/" in response.get_data(as_text=True)  # open cases, each a link


def test_the_staff_start_page_and_the_report_answer_on_the_generated_data(app, client, login_as, loaded):
    # benchmarks/run.sh drives both pages as staff.
    _login(client, login_as, loaded["logins"]["staff"])
    start = client.get("/att-gora")
    assert start.status_code == 200 and "Att göra" in start.get_data(as_text=True)
    report = client.get("/rapport?period=2025&omrade=lan")
    assert report.status_code == 200
    assert "Intresseanmälningar" in report.get_data(as_text=True)


def test_the_bench_family_has_runs_of_every_kind_at_every_scale(app, runner, tmp_path, loaded):
    """The family's pages (its courses, progress, calendar) are to show the same at county and
    national size: two adults, two runs of each kind, basic training or an evening, held or to come, where
    the set has them, and the course page's run is a basic training's (eight meetings)."""
    now = clock.now()
    offered = db.session.execute(
        sa.select(CourseRun.id, CourseRun.course_type_id, CourseRun.starts_at).where(
            CourseRun.status.in_([RunStatus.PUBLISHED, RunStatus.COMPLETED])
        )
    ).all()
    family = set(
        db.session.scalars(
            sa.select(Enrollment.run_id).where(Enrollment.household_id == loaded["family_household_id"])
        )
    )
    kind = lambda row: (row.course_type_id == loaded["basic_type_id"], row.starts_at > now)  # noqa: E731
    adults = db.session.scalar(
        sa.select(sa.func.count()).select_from(User).where(User.household_id == loaded["family_household_id"])
    )
    assert adults == 2
    course_run = db.session.get(CourseRun, loaded["course_run_id"])
    assert course_run.id in family
    for wanted in [(True, False), (True, True), (False, False), (False, True)]:
        of_kind = {row.id for row in offered if kind(row) == wanted}
        expected = min(BENCH_FAMILY_RUNS_PER_KIND, len(of_kind))
        course_run_too = 1 if kind(course_run) == wanted else 0  # unless it was one of the two
        assert expected <= len(family & of_kind) <= expected + course_run_too, wanted
    if any(kind(row) == (True, True) for row in offered):
        assert course_run.course_type_id == loaded["basic_type_id"]
