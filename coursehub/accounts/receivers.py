"""What the accounts area does when a lower area tells it something (coursehub/events.py)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from coursehub.accounts import audit


def audit_outbox_read(message: Any, *, actor: Any, now: datetime, **_kw: Any) -> None:
    """Write the audit row of a read of one outbox message: who, which message, when; no content."""
    audit.record(actor, "outbox.message.read", object_type="outbox_messages", object_id=message.id)
