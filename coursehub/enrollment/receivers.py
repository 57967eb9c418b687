"""What enrollment does when the course area sends an event (connected in `enrollment.init_app`).

Each receiver is `receiver(sender, *, actor, now, **kw)` and runs inside the sender's transaction:
it flushes, never commits. See `coursehub.events` for what each event carries.
"""

from __future__ import annotations

from datetime import datetime

from coursehub.accounts.models import User
from coursehub.courses.models import CourseRun, CourseSession
from coursehub.enrollment import services


def cancel_enrollments(run: CourseRun, *, actor: User | None, now: datetime, **_kw: object) -> None:
    """Cancel every sign-up of a cancelled run and tell everyone (with METHOD:CANCEL)."""
    services.cancel_run_enrollments(run, actor=actor, now=now)


def send_updated_invites(session: CourseSession, *, actor: User | None, now: datetime, **_kw: object) -> None:
    """Send every confirmed participant the updated invite of a moved or cancelled session."""
    services.notify_session_changed(session, now=now)


def check_seats_taken(
    run: CourseRun, *, new_capacity: int, actor: User | None, now: datetime, **_kw: object
) -> None:
    """Refuse (CapacityError on the capacity field) a capacity below the seats already taken."""
    services.check_capacity_change(run, new_capacity)


def offer_free_seats(run: CourseRun, *, actor: User | None, now: datetime, **_kw: object) -> None:
    """Offer seats that a raised capacity freed to the waiting list."""
    services.fill_free_seats(run, now=now)


def go_on_with_signups(user: User, *, actor: User | None, now: datetime, **_kw: object) -> None:
    """Let a self-registered family's waiting sign-ups go on once an adult confirmed the address."""
    services.go_on_after_confirmation(user, now=now)
