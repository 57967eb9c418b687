"""Registration of the functions higher areas want called (see the package docstring)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, time

from coursehub.accounts.models import Role
from coursehub.clock import local_to_utc

RUN_CANCELLED_HOOKS: list[Callable] = []
SESSION_CHANGED_HOOKS: list[Callable] = []
CAPACITY_CHECKS: list[Callable] = []
CAPACITY_CHANGED_HOOKS: list[Callable] = []
LEADER_ROLES = (Role.LEADER, Role.STAFF, Role.ADMIN)


def on_run_cancelled(func: Callable) -> Callable:
    """Register `func(run, *, actor, now, reason)` to run after a run is cancelled."""
    if func not in RUN_CANCELLED_HOOKS:
        RUN_CANCELLED_HOOKS.append(func)
    return func


def on_session_changed(func: Callable) -> Callable:
    """Register `func(session, *, actor, now)` to run after a session's time or place changed."""
    if func not in SESSION_CHANGED_HOOKS:
        SESSION_CHANGED_HOOKS.append(func)
    return func


def on_capacity_changed(func: Callable) -> Callable:
    """Register `func(run, *, actor, now)` to run after a run's capacity changed."""
    if func not in CAPACITY_CHANGED_HOOKS:
        CAPACITY_CHANGED_HOOKS.append(func)
    return func


def register_capacity_check(func: Callable) -> Callable:
    """Register `func(run, new_capacity)` that raises a CoursehubError to refuse a new capacity."""
    if func not in CAPACITY_CHECKS:
        CAPACITY_CHECKS.append(func)
    return func


def local_moment(day: date, wall_clock: time) -> datetime:
    """Return the UTC moment of a Europe/Stockholm date and wall-clock time."""
    return local_to_utc(datetime.combine(day, wall_clock))
