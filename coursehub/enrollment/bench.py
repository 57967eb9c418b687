"""Benchmark data of the enrollment area: sign-ups with their persons, seats taken, a calendar feed."""

from __future__ import annotations

import secrets
from datetime import timedelta
from typing import cast

import sqlalchemy as sa

from coursehub.courses.bench import BenchRun
from coursehub.courses.models import CourseRun, RunStatus
from coursehub.enrollment.models import (
    RUN_SCOPE,
    CalendarFeed,
    Enrollment,
    EnrollmentPerson,
    EnrollmentStatus,
)
from coursehub.extensions import db
from coursehub.lib.bench import BenchContext

DIETS = ("", "", "", "", "Vegetarisk", "Glutenfri", "Laktosfri", "Inga nötter")
# Runs of each kind the bench family is signed up to (basic training or an evening, held or to
# come), so that its pages have content, and the same content at every scale: a random sample of
# runs gave its calendar 82 meetings at one scale and 104 at another (benchmarks/README.md).
BENCH_FAMILY_RUNS_PER_KIND = 2


def seed(ctx: BenchContext) -> None:
    """Sign households up to every run that is not a draft; set each run's seats taken."""
    rng, scale = ctx.rng, ctx.scale
    households = ctx.made["households"]
    runs = [r for r in ctx.made["runs"] if r.status != RunStatus.DRAFT]
    family_runs = _family_runs(ctx, runs)
    family_runs.add(ctx.targets["course_run_id"])
    next_enrollment = ctx.next_id(Enrollment.__table__)
    enrollments: list[dict] = []
    persons: list[dict] = []
    seats: list[dict] = []
    attendees: list[tuple] = []
    others = households[1:]  # the bench family signs up to its own runs only
    for run in runs:
        wanted = min(len(others), max(1, round(scale.signups_per_run * rng.uniform(0.6, 1.3))))
        chosen = rng.sample(others, wanted)
        if run.id in family_runs:
            chosen[0] = households[0]  # first: the bench family gets its seats
        future = run.starts_at > ctx.now
        taken, waiting, confirmed_people = 0, 0, []
        for household_id, _municipality_id, adults in chosen:
            created = run.starts_at - timedelta(days=rng.randint(3, 85))
            row = _enrollment(next_enrollment, run.id, household_id, adults[0], created)
            row["needs_diet"] = rng.choice(DIETS)
            if run.status == RunStatus.CANCELLED or (
                rng.random() < 0.07 and household_id != households[0][0]
            ):
                row.update(status=EnrollmentStatus.CANCELLED.value, cancelled_at=created + timedelta(days=1))
                row["cancelled_by_id"] = adults[0]
            elif taken + len(adults) <= run.capacity:
                taken += len(adults)
                pending = future and run.is_basic and rng.random() < 0.1
                row.update(
                    status=(EnrollmentStatus.PENDING if pending else EnrollmentStatus.CONFIRMED).value,
                    needs_approval=pending,
                    confirmed_at=None if pending else created,
                )
                if not pending:
                    confirmed_people.extend(adults)
            elif future:
                waiting += 1
                row.update(status=EnrollmentStatus.WAITLISTED.value, waitlist_position=waiting)
            else:
                continue  # a full run in the past: the household went to another one
            enrollments.append(row)
            persons.extend({"enrollment_id": next_enrollment, "user_id": u} for u in adults)
            next_enrollment += 1
        seats.append({"run": run.id, "taken": taken})
        attendees.append((run, confirmed_people))
    ctx.insert(Enrollment.__table__, enrollments)
    ctx.insert(EnrollmentPerson.__table__, persons)
    # Seats taken as enrollment.services.common.seats_taken counts them (no make-ups here).
    table = cast(sa.Table, CourseRun.__table__)
    db.session.execute(
        sa.update(table).where(table.c.id == sa.bindparam("run")).values(seats_taken=sa.bindparam("taken")),
        seats,
    )
    token = secrets.token_urlsafe(32)
    ctx.insert(
        CalendarFeed.__table__, [{"user_id": households[0][2][0], "token": token, "created_at": ctx.now}]
    )
    ctx.made["attendees"] = attendees
    ctx.targets["feed_token"] = token


def _family_runs(ctx: BenchContext, runs: list[BenchRun]) -> set[int]:
    """The runs the bench family is signed up to: BENCH_FAMILY_RUNS_PER_KIND of each kind."""
    chosen: set[int] = set()
    offered = [r for r in runs if r.status != RunStatus.CANCELLED]
    for is_basic in (True, False):
        for upcoming in (False, True):
            pool = [r for r in offered if r.is_basic == is_basic and (r.starts_at > ctx.now) == upcoming]
            chosen.update(r.id for r in ctx.rng.sample(pool, min(BENCH_FAMILY_RUNS_PER_KIND, len(pool))))
    return chosen


def _enrollment(enrollment_id: int, run_id: int, household_id: int, actor: int, created) -> dict:
    return {
        "id": enrollment_id,
        "run_id": run_id,
        "household_id": household_id,
        "makeup_session_id": None,
        "scope": RUN_SCOPE,
        "status": None,
        "waitlist_position": None,
        "offer_expires_at": None,
        "needs_approval": False,
        "needs_diet": "",
        "needs_accessibility": "",
        "needs_interpreter": "",
        "signed_up_by_id": actor,
        "decided_by_id": None,
        "decided_at": None,
        "confirmed_at": None,
        "cancelled_at": None,
        "cancelled_by_id": None,
        "cancel_reason": "",
        "created_at": created,
    }
