"""Benchmark data of the courses area: course types and themes, venues, runs with their sessions."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from coursehub.clock import to_local
from coursehub.courses.demo import BASIC_NAME, BASIC_THEMES
from coursehub.courses.models import (
    CourseKind,
    CourseRun,
    CourseSession,
    CourseTheme,
    CourseType,
    RunStatus,
    SessionStatus,
    Venue,
    run_leaders,
)
from coursehub.lib.bench import STREETS, BenchContext
from coursehub.lib.localtime import local_moment

# (name, theme, description): the continuing-education evenings, one meeting each.
EVENINGS = (
    ("Fortbildning: Sömn och trygga kvällar", "Sömn och rutiner", "Hur barnet varvar ner och sover tryggt."),
    (
        "Fortbildning: Skolan och familjehemmet",
        "Skolan",
        "Att stödja barnets skolgång tillsammans med skolan.",
    ),
    (
        "Fortbildning: Umgänge med föräldrar",
        "Umgänge",
        "Förbered och följ upp barnets träffar med föräldrar.",
    ),
    (
        "Fortbildning: Barn som bär på trauma",
        "Trauma",
        "Att förstå reaktioner som har sina rötter i svåra minnen.",
    ),
    (
        "Fortbildning: Ekonomi och ersättning",
        "Ersättning",
        "Arvode, omkostnader, försäkringar och deklaration.",
    ),
)
BASIC_SHARE = 0.85  # of runs: the basic training (eight meetings); the rest are single evenings


@dataclass
class BenchRun:
    """What the enrollment and attendance seeders need to know of a generated run."""

    id: int
    status: RunStatus
    capacity: int
    type_id: int
    is_basic: bool
    leader_ids: list[int]
    starts_at: datetime  # of the first session, scheduled or (in a cancelled run) not
    ends_at: datetime
    sessions: list[tuple[int, datetime, datetime]] = field(default_factory=list)  # scheduled only


def seed(ctx: BenchContext) -> None:
    """Add the course types, one venue per municipality (up to the scale's count), runs and sessions."""
    basic_id, basic_themes, evening_types = _course_types(ctx)
    venue_ids = _venues(ctx)
    scale, rng = ctx.scale, ctx.rng
    persons = scale.signups_per_run * scale.adults_per_household
    first_run = ctx.next_id(CourseRun.__table__)
    next_session = ctx.next_id(CourseSession.__table__)
    runs: list[dict] = []
    sessions: list[dict] = []
    leaders: list[dict] = []
    made: list[BenchRun] = []
    today = ctx.now.date()
    for number in range(scale.runs):
        run_id = first_run + number
        is_basic = rng.random() < BASIC_SHARE
        type_id, themes = (basic_id, basic_themes) if is_basic else rng.choice(evening_types)
        first_day = today - timedelta(days=rng.randint(-180, 365 * scale.years - 180))
        first_day += timedelta(days=(1 - first_day.weekday()) % 7 + rng.choice((0, 1, 2)))  # Tue-Thu
        starts = [local_moment(first_day + timedelta(weeks=w), time(18, 0)) for w in range(len(themes))]
        ends = [start + timedelta(hours=3) for start in starts]
        status = _status(ctx, starts[0], ends[-1])
        cancelled = status == RunStatus.CANCELLED
        online = rng.random() < 0.15
        venue_id = None if online else rng.choice(venue_ids)
        capacity = max(8, round(persons * (1.0 if is_basic else 1.4) * rng.uniform(0.85, 1.1)))
        run_leader_ids = [ctx.made["leader_ids"][number % scale.leaders]]
        if rng.random() < 0.4:
            run_leader_ids.append(rng.choice(ctx.made["leader_ids"]))
        leaders.extend({"run_id": run_id, "user_id": u} for u in dict.fromkeys(run_leader_ids))
        local_first = to_local(starts[0])
        title = (
            f"{BASIC_NAME}, {_term(local_first.date())}"
            if is_basic
            else f"{themes[0][1]}, {local_first:%Y-%m-%d}"
        )
        runs.append(
            {
                "id": run_id,
                "course_type_id": type_id,
                "title": title[:200],
                "edition": "2024" if is_basic else "",
                "status": status.value,
                "capacity": min(capacity, 500),
                "signup_opens_at": starts[0] - timedelta(days=90),
                "signup_closes_at": starts[0] - timedelta(days=2),
                "is_open_to_all": True,
                "venue_id": venue_id,
                "online_url": "https://mote.example/rum/" + str(run_id) if online else None,
                "description": "Träffarna leds av erfarna kursledare. Fika ingår.",
                "contact_name": "Petra Personal",
                "contact_email": "bench.personal@bench.example",
                "starts_at": starts[0],
                "ends_at": None if cancelled else ends[-1],
                "seats_taken": 0,
                "created_at": starts[0] - timedelta(days=120),
                "cancelled_at": starts[0] - timedelta(days=10) if cancelled else None,
            }
        )
        bench_run = BenchRun(
            run_id, status, min(capacity, 500), type_id, is_basic, run_leader_ids, starts[0], ends[-1]
        )
        for (theme_id, theme_title), start, end in zip(themes, starts, ends, strict=True):
            started = start <= ctx.now
            sessions.append(
                {
                    "id": next_session,
                    "run_id": run_id,
                    "theme_id": theme_id,
                    "title": theme_title,
                    "starts_at": start,
                    "ends_at": end,
                    "venue_id": venue_id,
                    "online_url": None if venue_id else "https://mote.example/rum/" + str(run_id),
                    "status": (SessionStatus.CANCELLED if cancelled else SessionStatus.SCHEDULED).value,
                    "revision": 1 if cancelled else 0,
                    "reminded_at": start - timedelta(hours=47) if started and not cancelled else None,
                }
            )
            if not cancelled:
                bench_run.sessions.append((next_session, start, end))
            next_session += 1
        made.append(bench_run)
    ctx.insert(CourseRun.__table__, runs)
    ctx.insert(CourseSession.__table__, sessions)
    ctx.insert(run_leaders, leaders)
    ctx.made["runs"] = made
    ctx.targets["basic_type_id"] = basic_id
    _targets(ctx, made)


def _status(ctx: BenchContext, first_start: datetime, last_end: datetime) -> RunStatus:
    roll = ctx.rng.random()
    if roll < 0.04:
        return RunStatus.CANCELLED
    if last_end < ctx.now:
        return RunStatus.COMPLETED
    if first_start > ctx.now and roll < 0.10:
        return RunStatus.DRAFT
    return RunStatus.PUBLISHED


def _term(day: date) -> str:
    return f"{'våren' if day.month < 7 else 'hösten'} {day.year}"


def _course_types(
    ctx: BenchContext,
) -> tuple[int, list[tuple[int, str]], list[tuple[int, list[tuple[int, str]]]]]:
    """Insert the basic training and the evenings with their themes; return their ids."""
    next_type = ctx.next_id(CourseType.__table__)
    next_theme = ctx.next_id(CourseTheme.__table__)
    types, themes = [], []
    basic_themes: list[tuple[int, str]] = []
    evenings: list[tuple[int, list[tuple[int, str]]]] = []
    base = {"audience": "Familjehem, jourhem och nätverkshem.", "created_at": ctx.now - timedelta(days=3650)}
    types.append(
        {
            "id": next_type,
            "name": BASIC_NAME,
            "kind": CourseKind.BASIC.value,
            "description": "Den nationella grundutbildningen för familjehem: åtta träffar med var sitt tema.",
            "allowed_absences": 1,
            "allows_makeup": True,
            "issues_certificate": True,
            "requires_municipal_approval": True,
            **base,
        }
    )
    for position, (title, description) in enumerate(BASIC_THEMES, start=1):
        themes.append(_theme(next_theme, next_type, position, title, description))
        basic_themes.append((next_theme, title))
        next_theme += 1
    for offset, (name, title, description) in enumerate(EVENINGS, start=1):
        type_id = next_type + offset
        types.append(
            {
                "id": type_id,
                "name": name,
                "kind": CourseKind.CONTINUING.value,
                "description": description,
                "allowed_absences": 0,
                "allows_makeup": False,
                "issues_certificate": False,
                "requires_municipal_approval": False,
                **base,
            }
        )
        themes.append(_theme(next_theme, type_id, 1, title, description))
        evenings.append((type_id, [(next_theme, title)]))
        next_theme += 1
    ctx.insert(CourseType.__table__, types)
    ctx.insert(CourseTheme.__table__, themes)
    return next_type, basic_themes, evenings


def _theme(theme_id: int, type_id: int, position: int, title: str, description: str) -> dict:
    return {
        "id": theme_id,
        "course_type_id": type_id,
        "position": position,
        "title": title,
        "description": description,
        "mandatory_content": "",
        "optional_exercises": "",
        "suggested_minutes": 180,
        "is_retired": False,
    }


def _venues(ctx: BenchContext) -> list[int]:
    first = ctx.next_id(Venue.__table__)
    rows = []
    for number, municipality_id in enumerate(ctx.made["municipality_ids"][: ctx.scale.venues]):
        rows.append(
            {
                "id": first + number,
                "name": f"Familjehemsresursens lokal {number + 1}",
                "street": f"{ctx.rng.choice(STREETS)} {ctx.rng.randint(1, 60)}",
                "postcode": f"{ctx.rng.randint(100, 989)} {ctx.rng.randint(10, 99)}",
                "city": "",
                "municipality_id": municipality_id,
                "accessibility_notes": "Entré i markplan. Hörslinga i salen.",
            }
        )
    ctx.insert(Venue.__table__, rows)
    return [row["id"] for row in rows]


def _targets(ctx: BenchContext, runs: list[BenchRun]) -> None:
    """Pick the runs and sessions whose pages the benchmark visits."""
    leader = ctx.made["leader_ids"][0]
    upcoming = [r for r in runs if r.status == RunStatus.PUBLISHED and r.starts_at > ctx.now]
    led = [r for r in runs if leader in r.leader_ids and r.sessions]
    led_upcoming = [r for r in led if r in upcoming] or led
    held = [(s, r) for r in led for s in r.sessions if s[1] <= ctx.now]
    session = max(held, key=lambda pair: pair[0][1])[0] if held else led[0].sessions[0]
    # The course page's run is a basic training's (eight meetings) at every scale, not whichever
    # run comes first: its page, and the bench family's calendar that holds it, are then alike.
    first = [r for r in upcoming if r.is_basic] or upcoming
    ctx.targets.update(
        course_run_id=min(first, key=lambda r: r.starts_at).id if first else runs[0].id,
        participants_run_id=min(led_upcoming, key=lambda r: r.starts_at).id,
        sheet_session_id=session[0],
    )
