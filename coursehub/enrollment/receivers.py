"""What enrollment does when the course area sends an event (connected in `enrollment.init_app`).

Each receiver is `receiver(sender, *, actor, now, **kw)` and runs inside the sender's transaction:
it flushes, never commits. See `coursehub.events` for what each event carries.
"""

from __future__ import annotations

from coursehub.enrollment import services


def cancel_enrollments(run, *, actor, now, **_kw) -> None:
    """Cancel every sign-up of a cancelled run and tell everyone (with METHOD:CANCEL)."""
    services.cancel_run_enrollments(run, actor=actor, now=now)


def send_updated_invites(session, *, actor, now, **_kw) -> None:
    """Send every confirmed participant the updated invite of a moved or cancelled session."""
    services.notify_session_changed(session, now=now)


def check_seats_taken(run, *, new_capacity, actor, now, **_kw) -> None:
    """Refuse (CapacityError on the capacity field) a capacity below the seats already taken."""
    services.check_capacity_change(run, new_capacity)


def offer_free_seats(run, *, actor, now, **_kw) -> None:
    """Offer seats that a raised capacity freed to the waiting list."""
    services.fill_free_seats(run, now=now)
