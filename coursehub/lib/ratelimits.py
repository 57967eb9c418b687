"""Rate limits counted by hand, for a form whose keys are known only once it is read.

Flask-Limiter's decorators key a limit on something of the request (the client's address). A
public form also needs limits keyed on what was typed (each e-mail address), and one answer of its
own when a limit is reached. These helpers count in the same storage as the decorators
(RATELIMIT_STORAGE_URI: shared by every worker in production), so they hold across processes.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app
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
