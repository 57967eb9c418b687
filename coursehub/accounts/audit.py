"""The audit log helper: one row per sensitive read or write, never with content."""

from __future__ import annotations

import functools
import logging
from datetime import datetime, timedelta
from typing import cast

from flask import current_app
from sqlalchemy import Insert, TableClause, delete, insert, select

from coursehub import clock
from coursehub.accounts.models import AuditEntry, AuditOutcome
from coursehub.extensions import db
from coursehub.lib.database import OWN_TRANSACTION

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
    committed_at_once: bool = False,
) -> None:
    """Write an audit row for `actor` doing `action` on `obj`; never commits.

    The row is part of the transaction it is written in, and goes with it if that is rolled back.
    A caller that commits it at once, whatever the page does next (a sensitive read or a refusal,
    `lib.work.commit_audit_now`), says so with `committed_at_once`: on a page that has only read
    it is then written as a transaction of its own (`lib.database.OWN_TRANSACTION`), committed as
    it is written, without the round trips of a BEGIN and a COMMIT. One INSERT, not an object
    through the session's unit of work: nothing reads the row back in the same request.
    """
    if obj is not None:
        object_type = object_type or type(obj).__tablename__
        object_id = object_id if object_id is not None else obj.id
    values = {
        "at": clock.now(),
        "actor_id": getattr(actor, "id", None),
        "actor_roles": ",".join(sorted(actor.roles)) if actor is not None else "",
        "action": action,
        "object_type": object_type,
        "object_id": object_id,
        "outcome": outcome,
        "detail": (detail or None) and detail[:300],
    }
    db.session.execute(_insert_statement(committed_at_once), values)
    logger.info("audit %s %s:%s %s", action, object_type, object_id, outcome.value)


@functools.cache
def _insert_statement(committed_at_once: bool) -> Insert:
    """`record`'s INSERT, built once for each way of committing (the values are bound at
    execution): built with its values on every call, it cost a sensitive read some 0.2 ms of
    building and cache-key making (the board, a case), for the same statement every time. The
    table's INSERT, not the entity's: the session hands an entity's statement to the ORM's bulk
    insert, which copies it, and its cache key is made anew, on every execution."""
    table = cast(TableClause, AuditEntry.__table__)
    return insert(table).execution_options(**{OWN_TRANSACTION: committed_at_once})


def remove_expired_entries(*, now: datetime, batch: int) -> int:
    """Delete the audit rows older than the retention period, oldest first, at most `batch`.

    The period (COURSEHUB_RETENTION_AUDIT_DAYS) is longer than a case is kept: the law asks for
    the record of who read a case after the case itself is gone. Reads by the index on `at`, so
    a run with nothing due costs one short index look-up whatever the size of the log.
    """
    cutoff = now - timedelta(days=int(current_app.config["COURSEHUB_RETENTION_AUDIT_DAYS"]))
    due = list(
        db.session.scalars(
            select(AuditEntry.id)
            .where(AuditEntry.at < cutoff)
            .order_by(AuditEntry.at, AuditEntry.id)
            .limit(batch)
        )
    )
    if not due:
        return 0
    result = db.session.execute(
        delete(AuditEntry).where(AuditEntry.id.in_(due)).execution_options(synchronize_session=False)
    )
    removed = int(result.rowcount or 0)  # type: ignore[attr-defined]
    logger.info("audit retention: %s rows deleted", removed)
    return removed
