"""Staff's start page: what needs action now, each item with its count, first rows and a link."""

from __future__ import annotations

from flask import g, render_template

from coursehub import clock
from coursehub.accounts.permissions import is_staff, permission_required
from coursehub.reports import queries_start
from coursehub.reports.views import bp

_CACHE = "reports_action_counts"


def _moment() -> queries_start.Moment:
    now = clock.now()
    return queries_start.Moment.at(now, clock.to_local(now).date())


def action_counts() -> dict[str, int]:
    """Return the counts of what needs action, counted once per request (one query)."""
    counts = g.get(_CACHE)
    if counts is None:
        counts = queries_start.action_counts(_moment())
        setattr(g, _CACHE, counts)
    return counts


def waiting_total(user: object) -> int:
    """The menu's count beside "Att göra": everything that needs action (staff only; no query else)."""
    if not is_staff(user):
        return 0
    return sum(action_counts().values())


@bp.get("/att-gora")
@permission_required(is_staff)
def start() -> str:
    """Show what needs action now, oldest or most urgent first, with links to where it is handled."""
    moment = _moment()
    counts = action_counts()
    return render_template(
        "reports/start.html",
        items=queries_start.ITEMS,
        counts=counts,
        rows=queries_start.action_rows(moment),
        total=sum(counts.values()),
        now=moment.now,
        per_item=queries_start.ROWS_PER_ITEM,
    )
