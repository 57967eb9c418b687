"""Benchmark data of recruitment: cases with their adults, kinds and step history.

Sized from the households as the national set asks (20,000 cases with their history for 30,000
households; the county set 1,333). Cases are spread over the years of history; those registered
in the last year are mostly open, older ones mostly closed, so the board shows a realistic share.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from coursehub.lib.bench import BenchContext, person_name
from coursehub.recruitment.models import Case, CaseAdult, CaseKind, StepChange
from coursehub.recruitment.models.enums import AssignmentKind, Step

_STEPS = list(Step)
_KINDS = list(AssignmentKind)
_CITIES = ("Jönköping", "Värnamo", "Nässjö", "Vetlanda", "Tranås", "Gislaved", "Eksjö")


def seed(ctx: BenchContext) -> None:
    """Add the cases; the board (run.sh) reads them as the bench staff member."""
    rng = ctx.rng
    count = max(20, ctx.scale.households * 2 // 3)
    case_id = ctx.next_id(Case.__table__)
    adult_id = ctx.next_id(CaseAdult.__table__)
    change_id = ctx.next_id(StepChange.__table__)
    staff_id = ctx.made["staff_id"]
    municipalities = ctx.made["municipality_ids"]
    span = timedelta(days=365 * ctx.scale.years)
    cases: list[dict[str, Any]] = []
    adults: list[dict[str, Any]] = []
    kinds: list[dict[str, Any]] = []
    changes: list[dict[str, Any]] = []
    for number in range(count):
        cid = case_id + number
        registered = ctx.now - span * rng.random() - timedelta(days=1)
        recent = ctx.now - registered < timedelta(days=365)
        closed = not recent and rng.random() < 0.9
        reached = rng.randrange(len(_STEPS)) if not recent else rng.randrange(5)
        at = registered
        changes.append(_change(change_id, cid, None, _STEPS[0], at, None))
        change_id += 1
        for step in range(1, reached + 1):
            at = min(at + timedelta(days=rng.randint(3, 40)), ctx.now - timedelta(minutes=1))
            changes.append(_change(change_id, cid, _STEPS[step - 1], _STEPS[step], at, staff_id))
            change_id += 1
        # Most cases older than a year are closed, a month after their last step (not after now).
        closed_at = at + timedelta(days=30) if closed else None
        if closed_at is not None and closed_at >= ctx.now:
            closed_at = None
        first, last = person_name(rng)
        youngest = rng.randint(0, 12)
        cases.append(
            {
                "id": cid,
                "reference": f"{registered.year}-{cid:05d}",
                "step": _STEPS[reached],
                "step_changed_at": at,
                "registered_at": registered,
                "first_contact_due_on": (registered + timedelta(days=7)).date(),
                "first_contact_at": registered + timedelta(days=rng.randint(1, 10)) if reached else None,
                "assigned_to_id": staff_id if rng.random() < 0.8 else None,
                "municipality_id": rng.choice(municipalities),
                "channel_id": None,
                "street": f"Storgatan {rng.randint(1, 80)}",
                "postal_code": f"{rng.randint(550, 579)} {rng.randint(10, 99)}",
                "city": rng.choice(_CITIES),
                "housing": "Villa med egen trädgård.",
                "experience": "",
                "other_household": "",
                "min_child_age": youngest,
                "max_child_age": min(20, youngest + rng.randint(0, 8)),
                "consent_at": registered,
                "consent_version": "2026-1",
                "withdrawn_at": None,
                "closed_at": closed_at,
                "close_reason": "Avslutat efter utredning" if closed_at else None,
                "closed_by_id": staff_id if closed_at else None,
            }
        )
        for position in range(1, rng.choice((2, 3))):
            given = first if position == 1 else person_name(rng)[0]
            adults.append(
                {
                    "id": adult_id,
                    "case_id": cid,
                    "position": position,
                    "first_name": given,
                    "last_name": last,
                    "email": f"intresse{cid}.{position}@exempel.test",
                    "phone": f"070-{rng.randint(1000000, 9999999)}",
                    "identity_number": None,
                }
            )
            adult_id += 1
        for kind in rng.sample(_KINDS, rng.randint(1, 2)):
            kinds.append({"case_id": cid, "kind": kind})
    ctx.insert(Case.__table__, cases)
    ctx.insert(CaseAdult.__table__, adults)
    ctx.insert(CaseKind.__table__, kinds)
    ctx.insert(StepChange.__table__, changes)


def _change(
    change_id: int, case_id: int, before: Step | None, after: Step, at: Any, actor: int | None
) -> dict:
    return {
        "id": change_id,
        "case_id": case_id,
        "from_step": before,
        "to_step": after,
        "at": at,
        "actor_id": actor,
    }
