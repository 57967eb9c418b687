"""The audit log helper: one row per sensitive read or write, never with content."""

from __future__ import annotations

import logging

from coursehub import clock
from coursehub.accounts.models import AuditEntry, AuditOutcome
from coursehub.extensions import db

logger = logging.getLogger(__name__)


def record(
    actor,
    action: str,
    *,
    obj=None,
    object_type: str | None = None,
    object_id: int | None = None,
    outcome: AuditOutcome = AuditOutcome.OK,
    detail: str | None = None,
) -> AuditEntry:
    """Add an audit row for `actor` doing `action` on `obj`; flushes, never commits."""
    if obj is not None:
        object_type = object_type or type(obj).__tablename__
        object_id = object_id if object_id is not None else obj.id
    entry = AuditEntry(
        at=clock.now(),
        actor_id=getattr(actor, "id", None),
        actor_roles=",".join(sorted(actor.roles)) if actor is not None else "",
        action=action,
        object_type=object_type,
        object_id=object_id,
        outcome=outcome,
        detail=(detail or None) and detail[:300],
    )
    db.session.add(entry)
    db.session.flush()
    logger.info("audit %s %s:%s %s", action, object_type, object_id, outcome.value)
    return entry
