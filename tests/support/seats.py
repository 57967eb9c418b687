"""The drift check of `course_runs.seats_taken`: recounted here from the sign-up tables.

The count is written in plain SQL on purpose, independent of the application's own (the
statuses that hold seats are spelt out again): if a service forgets to recount, or the
application's count is wrong, the column and this count differ.
"""

from __future__ import annotations

import sqlalchemy as sa

# Whose persons hold seats: sign-ups waiting for approval, confirmed, or offered seats from the
# waiting list; waiting, cancelled and declined ones hold none. A whole-run sign-up holds a seat at
# every session of its run, a make-up (makeup_session_id set) at its one session only. The column
# counts the seats a newcomer to the whole run cannot have: the whole-run holders plus the most
# make-ups held at any one session of the run.
_DRIFT = sa.text("""
    SELECT r.id, r.seats_taken, COALESCE(whole.persons, 0) + COALESCE(busiest.persons, 0)
    FROM course_runs AS r
    LEFT JOIN (
        SELECT e.run_id AS run_id, COUNT(p.id) AS persons
        FROM enrollments AS e
        JOIN enrollment_persons AS p ON p.enrollment_id = e.id
        WHERE e.status IN ('pending', 'confirmed', 'offered') AND e.makeup_session_id IS NULL
        GROUP BY e.run_id
    ) AS whole ON whole.run_id = r.id
    LEFT JOIN (
        SELECT per_session.run_id AS run_id, MAX(per_session.persons) AS persons
        FROM (
            SELECT e.run_id AS run_id, e.makeup_session_id AS session_id, COUNT(p.id) AS persons
            FROM enrollments AS e
            JOIN enrollment_persons AS p ON p.enrollment_id = e.id
            WHERE e.status IN ('pending', 'confirmed', 'offered') AND e.makeup_session_id IS NOT NULL
            GROUP BY e.run_id, e.makeup_session_id
        ) AS per_session
        GROUP BY per_session.run_id
    ) AS busiest ON busiest.run_id = r.id
    WHERE r.seats_taken <> COALESCE(whole.persons, 0) + COALESCE(busiest.persons, 0)
    ORDER BY r.id
""")


def seat_drift(session) -> dict[int, tuple[int, int]]:
    """Return {run_id: (seats_taken column, seats held as counted above)} for every run that differs."""
    session.flush()
    return {run_id: (column, counted) for run_id, column, counted in session.execute(_DRIFT)}


def check_no_seat_drift(session) -> None:
    """Fail when any run's seats_taken differs from the seats held in it (as counted above)."""
    if not session.is_active:  # the test left a failed flush behind: check what was committed
        session.rollback()
    drift = seat_drift(session)
    assert drift == {}, f"seats_taken drifted from the sign-ups, {{run: (column, recount)}}: {drift}"
