"""Who may see and act on requests, offers and matches; loaders that write denied rows.

A municipal worker sees the requests of their own municipality and, once one of them is matched,
that family's presentation and contact details — nothing of any other family, request or
municipality: those answer 404, as if they did not exist, and the refused attempt writes a
"denied" row in the audit log (committed at once, like recruitment.permissions does for cases).
Staff (the case readers) see and work everything.
"""

from __future__ import annotations

from typing import Any

from flask import abort
from flask_login import current_user

from coursehub.accounts import audit
from coursehub.accounts.models import AuditOutcome, Role
from coursehub.extensions import db
from coursehub.lib import work
from coursehub.lib.params import as_id
from coursehub.lib.work import commit_audit_now
from coursehub.recruitment.models import Offer, Request
from coursehub.recruitment.permissions import can_read_cases, can_work_cases


def is_municipal(user: Any) -> bool:
    """A municipal worker bound to a municipality."""
    return (
        user is not None
        and bool(getattr(user, "is_authenticated", False))
        and user.has_role(Role.MUNICIPAL)
        and user.municipality_id is not None
    )


def can_send_requests(user: Any) -> bool:
    """Municipal workers send requests for a family, for their own municipality."""
    return is_municipal(user)


def can_see_request(user: Any, request: Request) -> bool:
    """Staff, and the workers of the requesting municipality."""
    if can_read_cases(user):
        return True
    return is_municipal(user) and user.municipality_id == request.municipality_id


def can_match(user: Any) -> bool:
    """Staff see the fitting families, make offers, record answers and matches."""
    return can_work_cases(user)


def _actor() -> Any:
    return current_user._get_current_object()


def deny(what: str, object_type: str, object_id: int | None) -> None:
    """Write and commit a "denied" audit row for the current user's refused attempt."""
    work.write_from_here()
    audit.record(
        _actor(),
        f"recruitment.{what}.read",
        object_type=object_type,
        object_id=object_id,
        outcome=AuditOutcome.DENIED,
        committed_at_once=True,
    )
    commit_audit_now()


def load_request(ident: object) -> Request:
    """Load a request the current user may see; else 404 and a denied row."""
    number = as_id(ident)
    work.write_from_here()
    request = db.session.get(Request, number) if number is not None else None
    if request is None or not can_see_request(current_user, request):
        deny("request", "recruitment_requests", number)
        abort(404)
    return request


def load_offer(ident: object) -> Offer:
    """Load an offer for staff who make and answer offers; else 404 and a denied row."""
    number = as_id(ident)
    work.write_from_here()
    offer = db.session.get(Offer, number) if number is not None else None
    if offer is None or not can_match(current_user):
        deny("offer", "recruitment_offers", number)
        abort(404)
    return offer


def record_read(what: str, obj: Any) -> None:
    """Write and commit the audit row of the current user's read of `obj`."""
    audit.record(_actor(), f"recruitment.{what}.read", obj=obj, committed_at_once=True)
    commit_audit_now()
