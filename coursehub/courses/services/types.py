"""Course types, their ordered themes, and venues."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import func, select

from coursehub.accounts.models import HomeKind, User
from coursehub.courses.errors import CourseError
from coursehub.courses.models import (
    CourseKind,
    CourseSession,
    CourseTheme,
    CourseType,
    IntendedFor,
)
from coursehub.extensions import db

logger = logging.getLogger(__name__)


# -- course types and themes ------------------------------------------------------------------


@dataclass(frozen=True)
class TypeDetails:
    name: str
    kind: CourseKind
    description: str = ""
    audience: str = ""
    allowed_absences: int = 0
    allows_makeup: bool = True
    issues_certificate: bool = False
    requires_municipal_approval: bool = False
    # The kinds of home the course is aimed at (none: every family).
    home_kinds: tuple[HomeKind, ...] = ()
    intended_for: IntendedFor = IntendedFor.FAMILIES


@dataclass(frozen=True)
class ThemeDetails:
    title: str
    description: str = ""
    mandatory_content: str = ""
    optional_exercises: str = ""
    suggested_minutes: int = 180


def _check_type(details: TypeDetails, existing: CourseType | None) -> None:
    if not details.name:
        raise CourseError(_("Skriv kurstypens namn."), field="name")
    clash = db.session.scalar(select(CourseType.id).where(CourseType.name == details.name))
    if clash is not None and (existing is None or clash != existing.id):
        raise CourseError(_("Det finns redan en kurstyp med det namnet."), field="name")
    if not 0 <= details.allowed_absences <= 20:
        raise CourseError(_("Ange ett antal mellan 0 och 20."), field="allowed_absences")


def create_course_type(
    *, actor: User, now: datetime, details: TypeDetails, themes: Sequence[ThemeDetails] = ()
) -> CourseType:
    """Create a course type, optionally with its first themes."""
    _check_type(details, None)
    course_type = CourseType(**_columns(details), home_kinds=_aimed_at(details), created_at=now)
    for position, theme in enumerate(themes, start=1):
        _check_theme(theme)
        course_type.themes.append(CourseTheme(position=position, is_retired=False, **theme.__dict__))
    db.session.add(course_type)
    db.session.flush()
    logger.info("course type created id=%s by=%s", course_type.id, actor.id)
    return course_type


def update_course_type(
    course_type: CourseType, *, actor: User, now: datetime, details: TypeDetails
) -> CourseType:
    """Change a course type's name, texts and completion settings."""
    _check_type(details, course_type)
    for key, value in _columns(details).items():
        setattr(course_type, key, value)
    course_type.home_kinds = _aimed_at(details)
    db.session.flush()
    logger.info("course type updated id=%s by=%s", course_type.id, actor.id)
    return course_type


def _columns(details: TypeDetails) -> dict[str, object]:
    """Return the details that are columns of the course type (not its kinds of home)."""
    return {key: value for key, value in details.__dict__.items() if key != "home_kinds"}


def _aimed_at(details: TypeDetails) -> list[HomeKind]:
    return sorted({kind.id: kind for kind in details.home_kinds}.values(), key=lambda kind: kind.name)


def _check_theme(details: ThemeDetails) -> None:
    if not details.title:
        raise CourseError(_("Skriv temats rubrik."), field="title")
    if not 15 <= details.suggested_minutes <= 600:
        raise CourseError(_("Ange en längd mellan 15 och 600 minuter."), field="suggested_minutes")


def add_theme(course_type: CourseType, *, actor: User, now: datetime, details: ThemeDetails) -> CourseTheme:
    """Add a theme at the end of the type's list; existing runs keep their sessions."""
    _check_theme(details)
    position = max((t.position for t in course_type.themes), default=0) + 1
    theme = CourseTheme(position=position, is_retired=False, **details.__dict__)
    course_type.themes.append(theme)
    _renumber(course_type)
    db.session.flush()
    logger.info("theme added id=%s type=%s by=%s", theme.id, course_type.id, actor.id)
    return theme


def update_theme(theme: CourseTheme, *, actor: User, now: datetime, details: ThemeDetails) -> CourseTheme:
    """Change a theme's texts; sessions of existing runs keep the title they were made with."""
    if theme.is_retired:
        raise CourseError(_("Temat är arkiverat och kan inte ändras."))
    _check_theme(details)
    for key, value in details.__dict__.items():
        setattr(theme, key, value)
    db.session.flush()
    logger.info("theme updated id=%s by=%s", theme.id, actor.id)
    return theme


def remove_theme(theme: CourseTheme, *, actor: User, now: datetime) -> bool:
    """Remove a theme from the list: retire it when a run used it, else delete it.

    Return True when the theme was retired (kept for the runs that used it).
    """
    if theme.is_retired:
        raise CourseError(_("Temat är redan borttaget ur listan."))
    course_type = theme.course_type
    if len(course_type.active_themes) <= 1:
        raise CourseError(_("En kurstyp behöver minst ett tema. Lägg till ett nytt tema först."))
    used = db.session.scalar(select(func.count(CourseSession.id)).where(CourseSession.theme_id == theme.id))
    if used:
        theme.is_retired = True
    else:
        course_type.themes.remove(theme)
    _renumber(course_type)
    db.session.flush()
    logger.info("theme removed id=%s retired=%s by=%s", theme.id, bool(used), actor.id)
    return bool(used)


def move_theme(theme: CourseTheme, *, actor: User, now: datetime, offset: int) -> CourseTheme:
    """Move an active theme one step up (offset -1) or down (+1) in the list."""
    active = theme.course_type.active_themes
    index = active.index(theme)
    target = index + (1 if offset > 0 else -1)
    if theme.is_retired or not 0 <= target < len(active):
        return theme
    other = active[target]
    theme.position, other.position = other.position, theme.position
    db.session.flush()
    theme.course_type.themes.sort(key=lambda t: t.position)
    logger.info("theme moved id=%s by=%s", theme.id, actor.id)
    return theme


def _renumber(course_type: CourseType) -> None:
    ordered = sorted(course_type.themes, key=lambda t: (t.is_retired, t.position))
    for position, theme in enumerate(ordered, start=1):
        theme.position = position
