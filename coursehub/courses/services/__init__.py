"""Every write and rule of the courses area: course types, themes, venues, runs and sessions.

What higher areas hear of
-------------------------
courses sits below enrollment, so it never imports it. Instead its services send the named
events of `coursehub.events`, and higher areas connect receivers in their `init_app`:

- `cancel_run` sends `events.run_cancelled` after it has set the run's status;
- `update_session` (and `update_run` when the run's place moves its sessions, `cancel_session`,
  and `save_venue` when a venue's name or address changes under sessions
  still to come) sends `events.session_changed` after a session's time, place, title or theme
  changed, or it was cancelled, and its `revision` grew;
- `update_run` sends `events.capacity_changing` before it changes the capacity (a receiver may
  refuse, e.g. a capacity below the seats already taken, by raising a CoursehubError) and
  `events.capacity_changed` after;
- the hourly job `courses.jobs.complete_finished_runs` sends `events.run_finished` per run.

Receivers run in the same transaction; they flush, never commit, and may raise a CoursehubError
to undo the change. `coursehub/events.py` documents each event's arguments and receivers.
"""

from coursehub.courses.services.held import note_attendance_taken, note_attendance_taken_at
from coursehub.courses.services.reminders import mark_sessions_reminded
from coursehub.courses.services.runs import (
    RunDetails,
    SessionDetails,
    SpeakerDetails,
    add_session,
    cancel_run,
    cancel_session,
    copy_run,
    create_run,
    propose_sessions,
    publish_run,
    remove_session,
    update_run,
    update_session,
)
from coursehub.courses.services.types import (
    ThemeDetails,
    TypeDetails,
    add_theme,
    create_course_type,
    move_theme,
    remove_theme,
    update_course_type,
    update_theme,
)
from coursehub.courses.services.venues import (
    VenueDetails,
    save_venue,
    sessions_held_at,
)

# The public names: views, jobs, the demo and other areas use `services.<name>`; `__all__` makes
# these re-exports explicit (mypy's implicit_reexport = false, and ruff's F401).
__all__ = [
    "RunDetails",
    "SessionDetails",
    "SpeakerDetails",
    "ThemeDetails",
    "TypeDetails",
    "VenueDetails",
    "add_session",
    "add_theme",
    "cancel_run",
    "copy_run",
    "create_course_type",
    "create_run",
    "mark_sessions_reminded",
    "move_theme",
    "note_attendance_taken",
    "note_attendance_taken_at",
    "propose_sessions",
    "publish_run",
    "remove_session",
    "cancel_session",
    "remove_theme",
    "save_venue",
    "sessions_held_at",
    "update_course_type",
    "update_run",
    "update_session",
    "update_theme",
]
