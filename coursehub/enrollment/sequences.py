"""Calendar SEQUENCE offsets per person and run (see models.CalendarSequence for the rule)."""

from __future__ import annotations

from coursehub.enrollment.models import CalendarSequence
from coursehub.extensions import db

# A CANCEL is one above the invite it withdraws; the next invite must be above the CANCEL.
STEP_AFTER_CANCEL = 2


def calendar_offset(user_id: int, run_id: int) -> int:
    """Return how far the person's SEQUENCE for the run's sessions is ahead of their revisions."""
    row = db.session.get(CalendarSequence, (user_id, run_id))
    return row.sequence_offset if row is not None else 0


def advance_after_cancel(user_id: int, run_id: int) -> None:
    """Raise the person's offset once a CANCEL for the run's sessions has been queued for them.

    Callers hold the run's lock (enrollment.services.common.lock_run), so two cancellations of the
    same person and run cannot both create the row.
    """
    row = db.session.get(CalendarSequence, (user_id, run_id))
    if row is None:
        row = CalendarSequence(user_id=user_id, run_id=run_id, sequence_offset=0)
        db.session.add(row)
    row.sequence_offset += STEP_AFTER_CANCEL
    db.session.flush()
