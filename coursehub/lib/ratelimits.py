"""Rate limits that Flask-Limiter's plain decorators cannot express.

`take` counts by hand, for a form whose keys are known only once it is read; `personal_link`
counts only the refused links of the pages that e-mailed links open.

Flask-Limiter's decorators key a limit on something of the request (the client's address). A
public form also needs limits keyed on what was typed (each e-mail address), and one answer of its
own when a limit is reached. These helpers count in the same storage as the decorators
(RATELIMIT_STORAGE_URI: shared by every worker in production), so they hold across processes.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar, cast

from flask import Response, current_app, g
from limits import parse

from coursehub.extensions import limiter


@dataclass(frozen=True)
class Limit:
    """One limit: a Flask-Limiter string ("5 per hour"), a bucket (a name) and the key counted in it."""

    rule: str
    bucket: str
    key: str


def take(limits: list[Limit]) -> bool:
    """Count one hit on every limit and return True, or return False (counting none) if any is spent.

    Off when RATELIMIT_ENABLED is off, like the decorators.
    """
    if not current_app.config.get("RATELIMIT_ENABLED", True):
        return True
    strategy = limiter.limiter
    parsed = [(parse(limit.rule), limit) for limit in limits]
    if not all(strategy.test(item, limit.bucket, limit.key) for item, limit in parsed):
        return False
    for item, limit in parsed:
        strategy.hit(item, limit.bucket, limit.key)
    return True


# --- Personal links -------------------------------------------------------------------------------
#
# A link sent by e-mail carries a long random token (answering an evaluation, choosing a password,
# approving a presentation, withdrawing a registration, unsubscribing). Guessing one is hopeless, but
# an address that keeps opening links that lead nowhere is trying anyway; it is slowed down here.
# Only refused links count, so a family opening its own link again and again never meets the limit.
# The calendar feed is left out on purpose: calendar services fetch every family's feed from a few
# shared addresses, and a limit there would cut off families who did nothing wrong.

_REFUSED_LINK = "coursehub_refused_link"
_View = TypeVar("_View", bound=Callable[..., Any])


def refused_link() -> None:
    """Mark this request's personal link as refused (unknown, used or out of date)."""
    g.setdefault(_REFUSED_LINK, True)


def _was_refused(_response: Response) -> bool:
    return bool(g.get(_REFUSED_LINK, False))


def _link_limit() -> str:
    return current_app.config["COURSEHUB_LINK_LIMIT_ADDRESS"]


def personal_link(view: _View) -> _View:
    """Limit per client address the refused personal links, summed over every personal-link page."""
    limited = limiter.shared_limit(_link_limit, scope="personal-link", deduct_when=_was_refused)
    return cast("_View", limited(view))
