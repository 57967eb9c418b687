"""Hooks the course area calls: a run cancelled, a session changed, a capacity check and change."""

from __future__ import annotations

import logging

from coursehub import clock

logger = logging.getLogger(__name__)


def handle_run_cancelled(run, *, actor=None, now=None, **_ignored) -> None:
    """Cancel every sign-up of a cancelled run and tell everyone (with METHOD:CANCEL)."""
    from coursehub.enrollment import services

    services.cancel_run_enrollments(run, actor=actor, now=now or clock.now())


def handle_session_changed(session, *, actor=None, now=None, **_ignored) -> None:
    """Send every confirmed participant the updated invite of a moved or cancelled session."""
    from coursehub.enrollment import services

    services.notify_session_changed(session, now=now or clock.now())


def handle_capacity_changed(run, *, actor=None, now=None, **_ignored) -> None:
    """Offer seats that a raised capacity freed to the waiting list."""
    from coursehub.enrollment import services

    services.fill_free_seats(run, now=now or clock.now())


def register() -> list[str]:
    """Register the handlers with the course area; return the names that were registered."""
    registered = []
    try:
        from coursehub.courses import services as course_services
    except ImportError:
        course_services = None
    pairs = [
        (course_services, "on_run_cancelled", handle_run_cancelled),
        (course_services, "on_session_changed", handle_session_changed),
        (course_services, "on_capacity_changed", handle_capacity_changed),
        (course_services, "register_capacity_check", _capacity_check),
    ]
    for module, name, func in pairs:
        hook = getattr(module, name, None) if module is not None else None
        if hook is None:
            logger.debug("courses has no %s yet", name)
            continue
        hook(func)
        registered.append(name)
    return registered


def _capacity_check(run, new_capacity) -> None:
    from coursehub.enrollment import services

    services.check_capacity_change(run, new_capacity)
