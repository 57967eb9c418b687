"""Scheduled work: reminders exactly once, lapsing offers, session changes; real SMTP delivery."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import icalendar
import vobject
from sqlalchemy import func, select

from coursehub import clock
from coursehub.courses import services as course_services
from coursehub.enrollment import jobs, services
from coursehub.enrollment.models import EnrollmentStatus
from coursehub.extensions import db
from coursehub.notifications.jobs import send_outbox
from coursehub.notifications.models import OutboxMessage
from tests.factories import CourseRunFactory, CourseTypeFactory, EnrollmentFactory

STOCKHOLM = ZoneInfo("Europe/Stockholm")


def _reminders():
    return list(
        db.session.scalars(
            select(OutboxMessage)
            .where(OutboxMessage.dedupe_key.like("reminder:%"))
            .order_by(OutboxMessage.id)
        )
    )


def test_reminders_go_once_to_each_confirmed_participant(run, make_family, clock):
    household, adults = make_family(2)
    services.sign_up(run, household, adults, actor=adults[0], now=clock.now)
    waiting_run_family, waiting = make_family(3)
    services.sign_up(run, waiting_run_family, waiting, actor=waiting[0], now=clock.now)  # waitlisted
    first = run.sessions[0]
    clock.set(first.starts_at - timedelta(hours=47))
    assert jobs.send_session_reminders(clock.now) == 2
    db.session.commit()
    # The scheduler restarts and runs the job again, also a little later: nothing more is sent.
    assert jobs.send_session_reminders(clock.now) == 0
    clock.advance(hours=1)
    assert jobs.send_session_reminders(clock.now) == 0
    mails = _reminders()
    assert sorted(m.recipient for m in mails) == sorted(a.email for a in adults)
    assert {m.dedupe_key for m in mails} == {f"reminder:{first.id}:{a.id}" for a in adults}
    assert "Påminnelse" in mails[0].subject


def _reminder_statements(families: int, past_runs: int, make_family, clock) -> tuple[int, int]:
    """Return the statements of a reminder run with something due, then with nothing due."""
    from tests.support.sql import count_traffic

    for _ in range(past_runs):  # history: runs long over, with their participants
        old = CourseRunFactory(capacity=20, sessions__start=clock.now - timedelta(days=400))
        household, _adults = make_family(2)
        EnrollmentFactory(run=old, household=household)
    run = CourseRunFactory(capacity=2 * families)
    for _ in range(families):
        household, adults = make_family(2)
        services.sign_up(run, household, adults, actor=adults[0], now=clock.now)
    db.session.commit()
    saved = clock.now
    clock.set(run.sessions[0].starts_at - timedelta(hours=47))
    with count_traffic(db.engine) as due:
        assert jobs.send_session_reminders(clock.now) == 2 * families
    db.session.commit()
    clock.advance(minutes=15)
    with count_traffic(db.engine) as idle:
        assert jobs.send_session_reminders(clock.now) == 0
    db.session.commit()
    clock.set(saved)
    return len(due.statements), len(idle.statements)


def test_the_reminder_job_with_nothing_due_runs_two_statements_at_most_whatever_the_data(make_family, clock):
    # Failed before (issue 24): every session in the window was read again with all its sign-ups
    # and each participant's earlier reminder looked up, every quarter of an hour.
    _due_small, idle_small = _reminder_statements(2, 0, make_family, clock)
    _due_large, idle_large = _reminder_statements(6, 4, make_family, clock)
    assert idle_small == idle_large <= 2


def test_the_reminder_job_queues_in_a_fixed_number_of_statements_whatever_the_participants(
    make_family, clock
):
    # Failed before (issue 24, point 5): each reminder was looked up and written on its own, two
    # statements per participant, so 10,000 participants cost 20,000 round trips. Now the earlier
    # copies are read in one statement and the new ones written in one bulk insert.
    due_small, _idle = _reminder_statements(2, 0, make_family, clock)
    due_large, _idle = _reminder_statements(12, 3, make_family, clock)
    assert due_large == due_small


def test_the_reminders_of_many_meetings_are_looked_up_and_written_in_one_statement_each(make_family, clock):
    # Issue 24, point 5: each due meeting cost its own lookup of earlier reminders and its own
    # insert (196 meetings: 400 statements of 10,000 reminders). Now every due meeting's
    # reminders are looked up together and written in one statement; each meeting's own text.
    from tests.support.sql import count_traffic

    start = clock.now + timedelta(days=10)
    runs = [CourseRunFactory(capacity=4, sessions__start=start + timedelta(hours=n)) for n in range(3)]
    adults_of = {}
    for run in runs:
        household, adults = make_family(2)
        services.sign_up(run, household, adults, actor=adults[0], now=clock.now)
        adults_of[run.id] = adults
    db.session.commit()
    clock.set(start - timedelta(hours=40))  # all three within the 48 hours
    with count_traffic(db.engine) as due:
        assert jobs.send_session_reminders(clock.now) == 6
    db.session.commit()
    touching = [s for s in due.statements if "outbox_messages" in s]
    assert len(touching) == 2  # one lookup, one insert
    assert len([s for s in touching if s.lstrip().upper().startswith("INSERT")]) == 1
    mails = _reminders()
    assert [m.dedupe_key for m in mails] == [
        f"reminder:{run.sessions[0].id}:{adult.id}" for run in runs for adult in adults_of[run.id]
    ]
    for run in runs:
        for adult in adults_of[run.id]:
            mail = next(m for m in mails if m.dedupe_key == f"reminder:{run.sessions[0].id}:{adult.id}")
            assert mail.recipient == adult.email
            assert f"Hej {adult.first_name}!" in mail.body_text
            assert run.title in mail.body_text and run.sessions[0].title in mail.subject


def test_no_reminder_too_early_or_after_the_start(run, make_family, clock):
    household, adults = make_family(1)
    services.sign_up(run, household, adults, actor=adults[0], now=clock.now)
    first = run.sessions[0]
    clock.set(first.starts_at - timedelta(hours=49))
    assert jobs.send_session_reminders(clock.now) == 0
    clock.set(first.starts_at + timedelta(minutes=1))
    assert jobs.send_session_reminders(clock.now) == 0  # started: too late; the next is a week off


def test_expire_offers_job_passes_the_offer_on(run, make_family, clock):
    full, full_adults = make_family(4)
    first = services.sign_up(run, full, full_adults, actor=full_adults[0], now=clock.now)
    a, a_adults = make_family(4)
    offered = services.sign_up(run, a, a_adults, actor=a_adults[0], now=clock.now)
    b, b_adults = make_family(4)
    waiting = services.sign_up(run, b, b_adults, actor=b_adults[0], now=clock.now)
    services.cancel_enrollment(first, actor=full_adults[0], now=clock.now)
    assert offered.status == EnrollmentStatus.OFFERED
    clock.advance(hours=47)
    assert jobs.expire_offers(clock.now) == 0
    clock.advance(hours=2)
    assert jobs.expire_offers(clock.now) == 1
    assert offered.status == EnrollmentStatus.CANCELLED
    assert waiting.status == EnrollmentStatus.OFFERED


def test_a_moved_session_sends_an_updated_invite_once(run, make_family, staff, clock):
    household, adults = make_family(2)
    services.sign_up(run, household, adults, actor=adults[0], now=clock.now)
    session = run.sessions[1]
    day = session.starts_at.astimezone(STOCKHOLM).date()
    details = course_services.SessionDetails(
        day=day,
        start_time=time(19, 0),
        end_time=time(21, 30),
        title=session.title,
        theme=session.theme,
        venue=run.venue,
    )
    course_services.update_session(session, actor=staff, now=clock.now, details=details)
    # The same change saved again (a retried request) moves nothing and sends nothing more.
    course_services.update_session(session, actor=staff, now=clock.now, details=details)
    mails = list(
        db.session.scalars(select(OutboxMessage).where(OutboxMessage.dedupe_key.like("session-changed:%")))
    )
    assert sorted(m.recipient for m in mails) == sorted(a.email for a in adults)
    event = icalendar.Calendar.from_ical(mails[0].calendar_ics).walk("VEVENT")[0]
    assert event["SEQUENCE"] == 1 and str(event["UID"]) == f"session-{session.id}@coursehub"
    assert event.decoded("DTSTART").astimezone(UTC) == session.starts_at
    assert event.decoded("DTSTART").astimezone(STOCKHOLM).time() == time(19, 0)
    assert mails[0].calendar_method == "REQUEST"


def test_confirmation_arrives_at_the_smtp_server_with_a_readable_invite(make_family, smtp_server):
    # One session in summer time, one in winter time, both at 18:00 in Stockholm.
    course_type = CourseTypeFactory(themes=2)
    run = CourseRunFactory(course_type=course_type, sessions=False)
    from coursehub.courses.models import CourseSession

    summer = datetime(2026, 10, 20, 16, 0, tzinfo=UTC)  # 18:00 CEST
    winter = datetime(2026, 11, 3, 17, 0, tzinfo=UTC)  # 18:00 CET
    for theme, start in zip(course_type.themes, (summer, winter), strict=True):
        run.sessions.append(
            CourseSession(theme=theme, title=theme.title, starts_at=start, ends_at=start + timedelta(hours=3))
        )
    run.starts_at = summer
    db.session.flush()
    household, adults = make_family(1)
    services.sign_up(run, household, adults, actor=adults[0], now=clock.now())
    db.session.commit()

    send_outbox(clock.now())
    db.session.commit()
    # The confirmation, then one invite per session (Outlook reads one event per message).
    confirmation, *invites = smtp_server.wait_for(3)
    assert confirmation["To"] == adults[0].email
    assert "Bekräftad" in confirmation["Subject"]
    assert "bekräftad" in confirmation.get_body(preferencelist=("plain",)).get_content()
    assert not [p for p in confirmation.walk() if p.get_content_type() == "text/calendar"]
    times = {"icalendar": [], "vobject": []}
    for message in invites:
        parts = {part.get_content_type(): part for part in message.walk()}
        assert "text/html" in parts and "text/plain" in parts
        calendar = parts["text/calendar"]
        assert calendar.get_param("method") == "REQUEST"
        data = calendar.get_payload(decode=True)
        times["icalendar"] += _times_by_icalendar(data)
        times["vobject"] += _times_by_vobject(data)
    for found in times.values():
        assert found == [(18, 0, timedelta(hours=2)), (18, 0, timedelta(hours=1))]
    assert (
        db.session.scalar(
            select(func.count()).select_from(OutboxMessage).where(OutboxMessage.sent_at.is_(None))
        )
        == 0
    )


def _times_by_icalendar(data: bytes):
    cal = icalendar.Calendar.from_ical(data)
    starts = sorted(e.decoded("DTSTART") for e in cal.walk("VEVENT"))
    return [
        (s.astimezone(STOCKHOLM).hour, s.astimezone(STOCKHOLM).minute, s.astimezone(STOCKHOLM).utcoffset())
        for s in starts
    ]


def _times_by_vobject(data: bytes):
    cal = vobject.readOne(data.decode("utf-8"))
    starts = sorted(e.dtstart.value for e in cal.vevent_list)
    # The offsets come from the VTIMEZONE inside the file.
    return [(s.hour, s.minute, s.utcoffset()) for s in starts]
