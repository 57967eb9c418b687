"""`distinct_values`: each value of a column once, in order, without NULL, read by skipping
through the column's index."""

from __future__ import annotations

from datetime import UTC, datetime

from coursehub.accounts.models import AuditEntry
from coursehub.lib.distinct import distinct_values


def test_each_value_once_in_order_and_no_null(db, count_queries):
    assert distinct_values(AuditEntry.action) == []
    at = datetime(2026, 12, 4, 9, 0, tzinfo=UTC)
    for action, kind in [
        ("user.read", "users"),
        ("case.read", None),
        ("user.read", "users"),
        ("account.login", "users"),
        ("case.read", "recruitment_cases"),
        ("user.read", None),
    ]:
        db.session.add(AuditEntry(action=action, object_type=kind, at=at))
    db.session.flush()

    with count_queries() as statements:
        actions = distinct_values(AuditEntry.action)
    assert actions == ["account.login", "case.read", "user.read"]
    assert len(statements) == 1
    assert distinct_values(AuditEntry.object_type) == ["recruitment_cases", "users"]
