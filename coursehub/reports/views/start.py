"""Staff's start page: what needs action now, each item with its count, first rows and a link."""

from __future__ import annotations

from typing import Any

from flask import g, render_template
from flask_login import current_user

from coursehub import clock
from coursehub.accounts.permissions import is_staff, permission_required
from coursehub.lib.user_facts import loaded_fact
from coursehub.reports import queries_start
from coursehub.reports.views import bp

_CACHE = "reports_action_counts"
_MOMENT = "reports_moment"


def _moment() -> queries_start.Moment:
    """The moment this request judges by, the same for the menu's count and the page."""
    moment = g.get(_MOMENT)
    if moment is None:
        now = clock.now()
        moment = queries_start.Moment.at(now, clock.to_local(now).date())
        setattr(g, _MOMENT, moment)
    return moment


def fact_values() -> dict[str, Any]:
    """The values the menu's count needs in the statement that loads the session's user."""
    return queries_start.values_at(_moment())


def action_counts(user: object) -> dict[str, int]:
    """Return the counts of what needs action for `user` (staff): those loaded with the session's
    user (queries_start.action_count_facts), or counted now, once per request (one statement)."""
    counts = g.get(_CACHE)
    if counts is None:
        loaded = {item: loaded_fact(user, queries_start.ACTION_FACTS[item]) for item in queries_start.ITEMS}
        if None in loaded.values():
            counts = queries_start.action_counts(_moment())
        else:
            counts = {item: int(count or 0) for item, count in loaded.items()}
        setattr(g, _CACHE, counts)
    return counts


def waiting_total(user: object) -> int:
    """The menu's count beside "Att göra": everything that needs action (staff only; no query else)."""
    if not is_staff(user):
        return 0
    return sum(action_counts(user).values())


@bp.get("/att-gora")
@permission_required(is_staff)
def start() -> str:
    """Show what needs action now, oldest or most urgent first, with links to where it is handled."""
    moment = _moment()
    counts = action_counts(current_user)
    return render_template(
        "reports/start.html",
        items=queries_start.ITEMS,
        counts=counts,
        rows=queries_start.action_rows(moment),
        total=sum(counts.values()),
        now=moment.now,
        per_item=queries_start.ROWS_PER_ITEM,
    )
