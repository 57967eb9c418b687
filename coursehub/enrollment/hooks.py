"""The seat counter the course pages use (registered by `enrollment.init_app`).

Kept apart from the event receivers: a seats column on the run replaces it (issue 15, point 3).
"""

from __future__ import annotations


def count_seats(run_ids) -> dict[int, int]:
    """Return {run_id: persons holding seats} for the course pages."""
    from coursehub.enrollment import queries

    return queries.seat_counts(run_ids)
