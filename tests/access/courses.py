"""Access rules of the courses area."""

from tests.access import EVERYONE, STAFF, Rule

LEADING = STAFF | {"leader"}


def _run(user=None, **kwargs):
    """A committed run with a leader: a refused POST rolls back, and the run must still be there."""
    from coursehub.extensions import db
    from tests.factories import CourseRunFactory, UserFactory

    run = CourseRunFactory(leaders=[UserFactory(leader=True)], **kwargs)
    db.session.commit()
    return run


def _run_id(user):
    return {"run_id": _run().id}


def _draft_id(user):
    return {"run_id": _run(draft=True).id}


def _session_ids(user):
    run = _run(draft=True)
    return {"run_id": run.id, "session_id": run.sessions[-1].id}


def _published_session_ids(user):
    run = _run()
    return {"run_id": run.id, "session_id": run.sessions[-1].id}


def _type_id(user):
    from tests.factories import CourseTypeFactory

    return {"type_id": CourseTypeFactory().id}


def _theme_ids(user):
    from tests.factories import CourseTypeFactory

    course_type = CourseTypeFactory(themes=3)
    return {"type_id": course_type.id, "theme_id": course_type.themes[-1].id}


def _venue_id(user):
    from tests.factories import VenueFactory

    return {"venue_id": VenueFactory().id}


RULES = [
    Rule("courses.catalogue", EVERYONE),
    Rule("courses.detail", EVERYONE, args=_run_id),
    Rule("courses.schedule_ics", EVERYONE, args=_run_id),
    Rule("courses.leader_home", LEADING),
    Rule("courses.admin_runs", STAFF),
    Rule("courses.new_run", STAFF),
    Rule("courses.manage_run", STAFF, args=_run_id),
    Rule("courses.edit_run", STAFF, args=_run_id),
    Rule("courses.edit_session", STAFF, args=_session_ids),
    Rule("courses.add_session", STAFF, args=_run_id),
    Rule("courses.remove_session", STAFF, method="POST", args=_session_ids),
    Rule("courses.cancel_session", STAFF, args=_published_session_ids),
    Rule("courses.publish_run", STAFF, method="POST", args=_draft_id),
    Rule("courses.cancel_run", STAFF, args=_run_id),
    Rule("courses.copy_run", STAFF, args=_run_id),
    Rule("courses.admin_types", STAFF),
    Rule("courses.new_type", STAFF),
    Rule("courses.edit_type", STAFF, args=_type_id),
    Rule(
        "courses.add_theme",
        STAFF,
        method="POST",
        args=_type_id,
        data=lambda user: {"theme-title": "Nytt tema", "theme-suggested_minutes": "120"},
    ),
    Rule("courses.edit_theme", STAFF, args=_theme_ids),
    Rule("courses.remove_theme", STAFF, method="POST", args=_theme_ids),
    Rule("courses.move_theme", STAFF, method="POST", args=_theme_ids),
    Rule("courses.admin_venues", STAFF),
    Rule("courses.new_venue", STAFF),
    Rule("courses.edit_venue", STAFF, args=_venue_id),
]
