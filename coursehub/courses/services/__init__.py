"""Every write and rule of the courses area: course types, themes, venues, runs and sessions.

Hooks for higher areas
----------------------
courses sits below enrollment, so it never imports it. Instead, enrollment registers plain
functions here, from its own module, when it is imported:

    from coursehub.courses import services as course_services
    course_services.on_run_cancelled(handle_run_cancelled)      # f(run, *, actor, now, reason)
    course_services.on_session_changed(handle_session_changed)  # f(session, *, actor, now)

    course_services.on_capacity_changed(handle_capacity)        # f(run, *, actor, now)
    course_services.register_capacity_check(check_capacity)     # f(run, new_capacity), may raise

`cancel_run` calls every function in RUN_CANCELLED_HOOKS after it has set the run's status;
`update_session` (and `update_run` when the run's place moves its sessions, and `save_venue` when a
venue's name or address changes under sessions still to come) calls every function in
SESSION_CHANGED_HOOKS after a session's time, place, title or theme changed, or it was cancelled,
and its `revision` grew. `update_run` asks every CAPACITY_CHECKS function before it changes the
capacity (one may refuse a capacity below the seats already taken by raising a CoursehubError) and
calls every CAPACITY_CHANGED_HOOKS function after the capacity changed. Hooks run in
the same transaction; they flush, never commit, and may raise a CoursehubError to undo the change.
"""

from coursehub.courses.services.hooks import (  # noqa: F401
    CAPACITY_CHANGED_HOOKS,
    CAPACITY_CHECKS,
    LEADER_ROLES,
    RUN_CANCELLED_HOOKS,
    SESSION_CHANGED_HOOKS,
    local_moment,
    on_capacity_changed,
    on_run_cancelled,
    on_session_changed,
    register_capacity_check,
)
from coursehub.courses.services.runs import (  # noqa: F401
    RunDetails,
    SessionDetails,
    add_session,
    cancel_run,
    copy_run,
    create_run,
    propose_sessions,
    publish_run,
    remove_session,
    update_run,
    update_session,
)
from coursehub.courses.services.types import (  # noqa: F401
    ThemeDetails,
    TypeDetails,
    add_theme,
    count_runs_of_type,
    create_course_type,
    move_theme,
    remove_theme,
    update_course_type,
    update_theme,
)
from coursehub.courses.services.venues import (  # noqa: F401
    VenueDetails,
    save_venue,
    sessions_held_at,
)
