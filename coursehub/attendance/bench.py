"""Benchmark data of the attendance area: marks for every session held, and completions."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta

from coursehub.attendance.models import AttendanceMark, AttendanceStatus, Completion
from coursehub.courses import services as courses_services
from coursehub.lib.bench import BenchContext

REMARKS = ("", "", "", "", "", "Kom lite sent", "Gick tidigare", "Deltog på distans")


def seed(ctx: BenchContext) -> None:
    """Mark the confirmed persons of every session that has begun; record who completed a course,
    and note on each session marked when its attendance was taken (as record_attendance does)."""
    completions: list[dict] = []
    taken: dict[int, datetime] = {}
    ctx.insert(AttendanceMark.__table__, _marks(ctx, completions, taken))
    ctx.insert(Completion.__table__, completions)
    courses_services.note_attendance_taken_at(taken)


def _marks(ctx: BenchContext, completions: list[dict], taken: dict[int, datetime]) -> Iterator[dict]:
    """Yield the marks run by run (a national set holds millions), noting completions and each
    session's first mark as it goes."""
    rng = ctx.rng
    completed: set[tuple[int, int]] = set()
    for run, people in ctx.made["attendees"]:
        held = [s for s in run.sessions if s[1] <= ctx.now]
        if not held:
            continue
        recorder = run.leader_ids[0]
        missed = dict.fromkeys(people, 0)
        last_present: dict[int, tuple[int, object]] = {}
        for session_id, starts_at, ends_at in held:
            for user_id in people:
                roll = rng.random()
                status = (
                    AttendanceStatus.PRESENT
                    if roll < 0.9
                    else AttendanceStatus.EXCUSED
                    if roll < 0.96
                    else AttendanceStatus.ABSENT
                )
                if status == AttendanceStatus.PRESENT:
                    last_present[user_id] = (session_id, starts_at)
                else:
                    missed[user_id] += 1
                recorded_at = ends_at + timedelta(minutes=rng.randint(0, 600))
                if session_id not in taken or recorded_at < taken[session_id]:
                    taken[session_id] = recorded_at
                yield {
                    "session_id": session_id,
                    "user_id": user_id,
                    "status": status.value,
                    "remark": rng.choice(REMARKS) if status == AttendanceStatus.PRESENT else "",
                    "recorded_by_id": recorder,
                    "recorded_at": recorded_at,
                }
        if len(held) < len(run.sessions) or not run.is_basic:
            continue  # completions of the basic training only, once every meeting has been held
        for user_id in people:
            key = (user_id, run.type_id)
            if missed[user_id] <= 1 and user_id in last_present and key not in completed:
                completed.add(key)
                session_id, starts_at = last_present[user_id]
                completions.append(
                    {
                        "user_id": user_id,
                        "course_type_id": run.type_id,
                        "completed_at": starts_at,
                        "completing_session_id": session_id,
                        "created_at": run.ends_at + timedelta(hours=1),
                    }
                )
