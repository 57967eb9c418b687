"""Issue 24, point 5: two scheduler processes on one database run every job once in effect.

A second scheduler started by mistake (or a deployment that briefly runs two while one replaces
the other) must not send a mail twice, complete a run twice or lapse a sign-up twice. Each
registered job is started twice at the same instant, in two threads with their own app context,
session and connection, as two scheduler processes would; then the effects are counted.
"""

from __future__ import annotations

import threading
from collections import Counter
from datetime import datetime, time, timedelta

from sqlalchemy import func, select

from coursehub import clock as app_clock
from coursehub import events
from coursehub.accounts.models import AuditEntry, Role
from coursehub.courses.models import CourseRun, RunStatus
from coursehub.enrollment import services
from coursehub.enrollment.models import Enrollment, EnrollmentStatus
from coursehub.evaluations.models import FormPurpose
from coursehub.evaluations.services import asking, forms
from coursehub.extensions import db
from coursehub.forum.models import Delivery
from coursehub.forum.services import notify
from coursehub.notifications.models import OutboxMessage
from coursehub.notifications.scheduler import job_specs, run_job
from coursehub.recruitment.models import Request, RequestStatus
from tests.evaluations.support import published_form
from tests.factories import (
    CourseRunFactory,
    EnrollmentFactory,
    HouseholdFactory,
    MunicipalityFactory,
    UserFactory,
)
from tests.forum.conftest import forum, start  # noqa: F401 - the forum fixture, for the digest
from tests.recruitment.factories import CaseFactory

# What each job does exactly once in the scene below (its return value, summed over both runs).
EXPECTED = {
    "outbox": None,  # every pending message: counted from the scene
    "enrollment_expire_offers": 1,
    "enrollment_session_reminders": 2,
    "enrollment_lapse_unconfirmed": 1,
    "courses_complete_finished_runs": 1,
    "forum_daily_digests": 1,
    "evaluation_reminders": 1,
    "evaluation_closing": 1,
    # Retention: one row of each kind is past its period.
    "retention_audit": 1,
    "retention_mail_bodies": 2,
    "retention_ended_signups": 1,
    "retention_unconfirmed_households": 1,
    "retention_cases": 1,
    "retention_requests": 1,
    "accounts_unusual_reads": 1,
}


def _family(municipality, adults: int):
    household = HouseholdFactory(municipality=municipality)
    members = [UserFactory(household=household, roles=[Role.FAMILY]) for _ in range(adults)]
    db.session.refresh(household)
    return household, members


def _scene(clock, forum) -> dict[str, int]:  # noqa: F811 - the fixture's value
    """Make something due for every job at the test's moment; return the ids to check."""
    now = clock.now
    municipality = MunicipalityFactory()
    clock.set(now - timedelta(hours=49))
    # An offer made 49 hours ago lapses (48 hours to answer) and passes to the next household.
    offer_run = CourseRunFactory(capacity=4, sessions__start=now + timedelta(days=30))
    first = _sign_up(offer_run, municipality, 4, clock.now)
    offered = _sign_up(offer_run, municipality, 4, clock.now)
    _sign_up(offer_run, municipality, 4, clock.now)
    services.cancel_enrollment(first, actor=first.persons[0].user, now=clock.now)
    # A family that registered itself 49 hours ago and never confirmed its address lapses.
    lapse_run = CourseRunFactory(capacity=10, sessions__start=now + timedelta(days=30))
    services.register_family(
        lapse_run,
        household_name="Familjen Ek",
        municipality=municipality,
        adults=[services.NewAdult("Eva Ek", "eva@exempel.se")],
        now=clock.now,
    )
    # A survey opened eight days ago reminds its one invited member who has not answered (the
    # reminder comes after 7 days); one opened 22 days ago closes (after 21).
    form = published_form(name="Årsenkät", purpose=FormPurpose.SURVEY)
    version = forms.published_version(form)
    clock.set(now - timedelta(days=22))
    closing = asking.create_evaluation(version, title="Årsenkät 2025", now=clock.now, survey_year=2025)
    asking.invite_people(closing, [UserFactory()], now=clock.now)
    clock.set(now - timedelta(days=8))
    reminding = asking.create_evaluation(version, title="Årsenkät 2026", now=clock.now, survey_year=2026)
    asking.invite_people(reminding, [UserFactory()], now=clock.now)
    clock.set(now)
    # A run whose last meeting is over is completed.
    finished = CourseRunFactory(sessions__start=now - timedelta(days=90))
    EnrollmentFactory(run=finished, household=_family(municipality, 1)[0])
    # A meeting tomorrow: each of the two confirmed adults is reminded.
    soon = CourseRunFactory(capacity=10, sessions__start=now + timedelta(hours=24))
    _sign_up(soon, municipality, 2, clock.now)
    # A member who takes the daily digest has a new post waiting in it.
    notify.follow(forum.network, delivery=Delivery.DIGEST, actor=forum.moderator, now=clock.now)
    start(forum, forum.anna, title="Nytt om rekrytering")
    _past_retention(now, municipality)
    # A staff member read a case late yesterday evening: the one admin is mailed about it once.
    yesterday = app_clock.to_local(now).date() - timedelta(days=1)
    late = app_clock.local_to_utc(datetime.combine(yesterday, time(23, 30)))
    db.session.add(
        AuditEntry(
            actor=UserFactory(staff=True),
            action="recruitment.case.read",
            object_type="recruitment_cases",
            object_id=1,
            at=late,
        )
    )
    UserFactory(admin=True)
    db.session.commit()
    ids = {"finished": finished.id, "offered": offered.id}
    db.session.commit()  # end this test's read: on SQLite it holds the write lock the jobs need
    return ids


def _past_retention(now, municipality) -> None:
    """One row for each retention job, past its period (config.py's defaults)."""
    db.session.add(AuditEntry(at=now - timedelta(days=11 * 365), action="user.login"))
    db.session.add(
        OutboxMessage(
            dedupe_key="old:welcome",
            recipient="gammal@exempel.se",
            subject="Välkommen",
            body_text="Hej Gammal!",
            created_at=now - timedelta(days=100),
            sent_at=now - timedelta(days=100),
        )
    )
    # A message given up on 100 days ago: its text goes too (no retry can send it any more).
    db.session.add(
        OutboxMessage(
            dedupe_key="old:failed",
            recipient="gammal@exempel.se",
            subject="Välkommen",
            body_text="Hej Gammal!",
            created_at=now - timedelta(days=100),
            failed_at=now - timedelta(days=100),
        )
    )
    EnrollmentFactory(
        household=_family(municipality, 1)[0],
        status=EnrollmentStatus.DECLINED,
        confirmed_at=None,
        decided_at=now - timedelta(days=3 * 365),
    )
    nobody = HouseholdFactory(
        municipality=municipality, is_confirmed=False, created_at=now - timedelta(days=31)
    )
    UserFactory(household=nobody, roles=[Role.FAMILY], password_hash=None)
    CaseFactory(
        municipality=municipality,
        registered_at=now - timedelta(days=7 * 365),
        closed_at=now - timedelta(days=6 * 365),
    )
    db.session.add(
        Request(
            municipality_id=municipality.id,
            child_age=4,
            kind="long_term",
            needs="Behöver en familj med trädgård",
            status=RequestStatus.CLOSED,
            created_at=now - timedelta(days=7 * 365),
            closed_at=now - timedelta(days=6 * 365),
        )
    )


def _sign_up(run, municipality, adults: int, now) -> Enrollment:
    household, members = _family(municipality, adults)
    return services.sign_up(run, household, members, actor=members[0], now=now)


def _twice_at_once(app, spec) -> list[tuple[bool, object]]:
    """Run one job in two threads at the same instant; return (committed, result) of each."""
    start_line = threading.Barrier(2)
    outcomes: list[tuple[bool, object]] = []
    errors: list[BaseException] = []

    def scheduler() -> None:
        seen: list[object] = []

        def job(now):
            seen.append(spec.func(now))

        try:
            start_line.wait()
            committed = run_job(app, job, spec.name, exclusive=spec.exclusive)
            outcomes.append((committed, seen[0] if seen else None))
        except BaseException as error:  # surfaced below: a thread must not fail silently
            errors.append(error)

    threads = [threading.Thread(target=scheduler) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors
    return outcomes


def _effect(result: object) -> int:
    """Return what one run of a job did, as a count (the outbox job returns a SendResult)."""
    if result is None:
        return 0
    sent = getattr(result, "sent", None)
    return int(sent) if sent is not None else int(result)  # type: ignore[call-overload]


def _pending() -> int:
    db.session.expire_all()
    count = db.session.scalar(
        select(func.count())
        .select_from(OutboxMessage)
        .where(OutboxMessage.sent_at.is_(None), OutboxMessage.failed_at.is_(None))
    )
    db.session.commit()  # end this test's read: on SQLite it holds the write lock the jobs need
    return int(count or 0)


def test_two_schedulers_at_once_run_every_job_once_in_effect(app, clock, smtp_server, forum):  # noqa: F811
    ids = _scene(clock, forum)
    completed: Counter[int] = Counter()

    def on_run_finished(run, **_kw):
        completed[run.id] += 1

    events.run_finished.connect(on_run_finished, weak=False)
    try:
        specs = job_specs(app)
        assert {spec.name for spec in specs} == set(EXPECTED), "a new job needs its effect in this test"
        pending = 0
        for spec in specs:
            if spec.name == "outbox":
                pending = _pending()  # what the jobs before it queued is there too
            outcomes = _twice_at_once(app, spec)
            # Neither run failed (no error rolled back, nothing logged as a failed job) ...
            assert [committed for committed, _result in outcomes] == [True, True], spec.name
            # ... and together they did the job's work once.
            expected = pending if spec.name == "outbox" else EXPECTED[spec.name]
            assert sum(_effect(result) for _c, result in outcomes) == expected, spec.name
    finally:
        events.run_finished.disconnect(on_run_finished)

    db.session.expire_all()
    # Each pending message reached the mail server once.
    delivered = Counter(rcpt for _sender, rcpts in smtp_server.envelopes for rcpt in rcpts)
    assert pending > 0 and sum(delivered.values()) == pending == len(set(smtp_server.raw))
    # The run was completed, and its completion announced to the other areas, once.
    assert db.session.get(CourseRun, ids["finished"]).status == RunStatus.COMPLETED
    assert completed == Counter({ids["finished"]: 1})
    # The lapsed offer passed on once: one household holds the offer now, none lost its place twice.
    assert db.session.get(Enrollment, ids["offered"]).status == EnrollmentStatus.CANCELLED
    offers = db.session.scalar(
        select(func.count()).select_from(Enrollment).where(Enrollment.status == EnrollmentStatus.OFFERED)
    )
    assert offers == 1
    # Mail queued once each: two reminders and one digest.
    keys = list(db.session.scalars(select(OutboxMessage.dedupe_key)))
    assert len([k for k in keys if k.startswith("reminder:")]) == 2
    assert len(keys) == len(set(keys))
