"""Ids and page numbers that come from a request, bounded so they never reach the database wrong.

Ids are 32-bit integers on PostgreSQL: a larger number names no record and must answer 404 or a
message, not a database error. The same holds for a page number whose OFFSET would not fit.
"""

from __future__ import annotations

from flask import request
from werkzeug.routing import IntegerConverter

MAX_ID = 2**31 - 1
# A page number beyond this shows an empty page, rather than an OFFSET too large for the database.
MAX_PAGE = 100_000
# The query-string key of a listing's page number; query-string keys are Swedish, like the paths.
PAGE_KEY = "sida"


class IdConverter(IntegerConverter):
    """The app's `<int:...>` converter: a number above MAX_ID matches no route (404)."""

    def __init__(self, map, fixed_digits=0, min=None, max=MAX_ID, signed=False):  # noqa: A002
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=max, signed=signed)


def as_id(value) -> int | None:
    """Return `value` as a record id, or None when it cannot be one."""
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if 0 < number <= MAX_ID else None


def get_or_none(model, ident):
    """Load a record by a posted id, or None (also for an id malformed or too large to be one)."""
    from coursehub.extensions import db

    ident = as_id(ident)
    return db.session.get(model, ident) if ident is not None else None


def page_arg() -> int:
    """Return the ?sida= number of a listing, between 1 and MAX_PAGE."""
    return min(max(1, request.args.get(PAGE_KEY, 1, type=int)), MAX_PAGE)
