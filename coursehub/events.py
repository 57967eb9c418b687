"""The events one area sends so that the areas built on it can act: the map of cross-area paths.

A lower area never imports a higher one (DESIGN.md). When something happens that a higher area
must act on, the lower area's service sends one of the signals below; the higher area connects a
receiver in its `init_app`. Every signal is sent with keyword arguments only, and `actor` (the
user who acted, None for a scheduled job) and `now` (the service's one reading of the clock) are
always passed:

    events.run_cancelled.send(run, actor=actor, now=now, reason=reason)

A receiver is a plain function `receiver(sender, *, actor, now, **kw)`. Receivers run inside the
sender's transaction: they flush, never commit, and a CoursehubError they raise propagates out of
`send` and undoes the whole change. Each docstring names the sender, the keyword arguments and,
on its "Receivers:" line, every receiver connected in the application (dotted paths, or "none");
`tests/test_events.py` prints the map and fails when the code and these lines disagree.

This module imports no area.
"""

from __future__ import annotations

from typing import Final

from blinker import Namespace, Signal

_events = Namespace()

run_cancelled: Final[Signal] = _events.signal(
    "run-cancelled",
    doc="""\
A course run was cancelled; its scheduled sessions are cancelled and their revisions raised.

Sender: the CourseRun (already CANCELLED and flushed), from courses.services.cancel_run.
Keyword arguments: actor (User), now (datetime), reason (str, may be empty).
Receivers: coursehub.enrollment.receivers.cancel_enrollments
""",
)

session_changed: Final[Signal] = _events.signal(
    "session-changed",
    doc="""\
A session's time, place, title or theme changed, or it was cancelled; its revision grew.

Sender: the CourseSession (flushed), from courses.services.update_session, update_run (when the
run's place moves its sessions), cancel_session and save_venue (a new name or address of a venue
under sessions still to come).
Keyword arguments: actor (User), now (datetime).
Receivers: coursehub.enrollment.receivers.send_updated_invites
""",
)

reminder_due: Final[Signal] = _events.signal(
    "reminder-due",
    doc="""\
Reminders of a session are about to be queued. A receiver returns the ids of the users who must
not be reminded (an iterable of int); the sender leaves them out. Nothing is changed by sending.

Sender: the CourseSession, from enrollment.jobs.send_session_reminders.
Keyword arguments: actor (None: a scheduled job), now (datetime).
Receivers: coursehub.attendance.receivers.excused_from_session
""",
)

capacity_changing: Final[Signal] = _events.signal(
    "capacity-changing",
    doc="""\
A run's capacity is about to change (nothing is applied yet). A receiver vetoes the change by
raising a CoursehubError with field="capacity"; it propagates out of `send`, and update_run
shows its message beside the capacity field.

Sender: the CourseRun, from courses.services.update_run.
Keyword arguments: new_capacity (int), actor (User), now (datetime).
Receivers: coursehub.enrollment.receivers.check_seats_taken
""",
)

capacity_changed: Final[Signal] = _events.signal(
    "capacity-changed",
    doc="""\
A run's capacity changed (flushed).

Sender: the CourseRun, from courses.services.update_run.
Keyword arguments: actor (User), now (datetime).
Receivers: coursehub.enrollment.receivers.offer_free_seats
""",
)

run_finished: Final[Signal] = _events.signal(
    "run-finished",
    doc="""\
A published run's last scheduled session has ended and the run is now COMPLETED (flushed).
Sent once per run: a run already completed is not sent again.

Sender: the CourseRun, from the hourly job courses.jobs.complete_finished_runs.
Keyword arguments: actor (None: a scheduled job), now (datetime).
Receivers: coursehub.evaluations.receivers.open_finished_run_evaluation
""",
)

completion_recorded: Final[Signal] = _events.signal(
    "completion-recorded",
    doc="""\
A person completed a course type: the Completion row was just created (and flushed), and the
certificate, when the type issues one, is issued. Sent once per completion.

Sender: the Completion, from attendance.services.evaluate_completion (through record_attendance).
Keyword arguments: actor (the User who recorded the attendance, or None), now (datetime).
Receivers: none
""",
)

user_deactivated: Final[Signal] = _events.signal(
    "user-deactivated",
    doc="""\
An account was closed: it can no longer log in, its sessions and links are spent (flushed).

Sender: the User, from accounts.services.deactivate_user.
Keyword arguments: actor (User), now (datetime).
Receivers: coursehub.forum.receivers.end_notifications
""",
)

invitation_accepted: Final[Signal] = _events.signal(
    "invitation-accepted",
    doc="""\
A person chose a first password through the link in their invitation: their e-mail address is
confirmed (flushed). A self-registered family's sign-up waits for this before it may hold a seat.

Sender: the User, from accounts.services.set_password_by_link (invitation links only).
Keyword arguments: actor (User, the same person), now (datetime).
Receivers: coursehub.enrollment.receivers.go_on_with_signups
""",
)

person_erased: Final[Signal] = _events.signal(
    "person-erased",
    doc="""\
A person's personal data was erased: every area's personal-data provider has run (flushed, not
committed). The providers (coursehub/lib/personal_data.py) do the erasing; this tells anything
else that wants to know.

Sender: the User, from accounts.privacy.erase_user.
Keyword arguments: actor (User), now (datetime).
Receivers: none
""",
)

outbox_message_read: Final[Signal] = _events.signal(
    "outbox-message-read",
    doc="""\
A staff member opened the page that shows one outbox message's text (SECURITY.md, Privacy: a read
of personal data is audited). Nothing is changed by sending; the receiver writes the audit row.

Sender: the OutboxMessage, from notifications.services.record_message_read.
Keyword arguments: actor (User), now (datetime).
Receivers: coursehub.accounts.receivers.audit_outbox_read
""",
)
