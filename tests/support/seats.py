"""The drift check of `course_runs.seats_taken`: recounted here from the sign-up tables.

The count is written in plain SQL on purpose, independent of the application's own (the
statuses that hold seats are spelt out again): if a service forgets to recount, or the
application's count is wrong, the column and this count differ.
"""

from __future__ import annotations

import sqlalchemy as sa

# Whose persons hold seats: sign-ups waiting for approval, confirmed, or offered seats from the
# waiting list; waiting, cancelled and declined ones hold none. A make-up sign-up holds a seat of
# the run its session belongs to (its row's run_id), like any other sign-up of that run.
_DRIFT = sa.text("""
    SELECT r.id, r.seats_taken, COALESCE(held.persons, 0)
    FROM course_runs AS r
    LEFT JOIN (
        SELECT e.run_id AS run_id, COUNT(p.id) AS persons
        FROM enrollments AS e
        JOIN enrollment_persons AS p ON p.enrollment_id = e.id
        WHERE e.status IN ('pending', 'confirmed', 'offered')
        GROUP BY e.run_id
    ) AS held ON held.run_id = r.id
    WHERE r.seats_taken <> COALESCE(held.persons, 0)
    ORDER BY r.id
""")


def seat_drift(session) -> dict[int, tuple[int, int]]:
    """Return {run_id: (seats_taken column, persons holding seats)} for every run that differs."""
    session.flush()
    return {run_id: (column, counted) for run_id, column, counted in session.execute(_DRIFT)}


def check_no_seat_drift(session) -> None:
    """Fail when any run's seats_taken differs from the persons holding seats in it."""
    if not session.is_active:  # the test left a failed flush behind: check what was committed
        session.rollback()
    drift = seat_drift(session)
    assert drift == {}, f"seats_taken drifted from the sign-ups, {{run: (column, recount)}}: {drift}"
