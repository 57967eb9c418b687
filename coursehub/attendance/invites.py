"""Invite a group of families to a run: choose them, count them, and queue one mail per adult.

It lives in attendance because one of its choices is "has not completed the basic training",
which only this area knows (`Completion`); the rest it asks of the areas below. The mail links to
the run's sign-up; its dedupe key is the run and the adult, so that sending again, with the same
choice or an overlapping one, sends nobody the same invitation twice.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import ColumnElement, Select, String, cast, exists, func, literal, select
from sqlalchemy.orm import joinedload

from coursehub.accounts.models import (
    CountyPart,
    HomeKind,
    Household,
    Municipality,
    Role,
    User,
    UserRole,
    county_part_municipalities,
    household_home_kinds,
)
from coursehub.attendance.models import Completion
from coursehub.courses.ical import contact_of
from coursehub.courses.models import CourseKind, CourseRun, CourseType, SessionStatus
from coursehub.enrollment.models import ACTIVE, Enrollment
from coursehub.enrollment.queries import audience_municipalities
from coursehub.enrollment.services.common import check_run_takes_signups
from coursehub.errors import CoursehubError, NotFoundError
from coursehub.extensions import db
from coursehub.notifications.models import OutboxMessage
from coursehub.notifications.services import link, queue_email

logger = logging.getLogger(__name__)

TEMPLATE = "attendance_group_invite"
# More than a county's families: a choice this wide is a mistake, not an invitation.
MAX_RECIPIENTS = 2000


class InviteError(CoursehubError):
    """A group invitation that cannot be sent."""


@dataclass(frozen=True)
class Choice:
    """Which families to invite: every filter narrows; within one, any of the values will do.

    Municipalities and county parts are one filter, the place: a family of a chosen municipality
    or of a municipality in a chosen part.
    """

    home_kind_ids: frozenset[int] = field(default_factory=frozenset)
    municipality_ids: frozenset[int] = field(default_factory=frozenset)
    county_part_ids: frozenset[int] = field(default_factory=frozenset)
    without_basic_training: bool = False


@dataclass(frozen=True)
class Preview:
    """What sending would do: the adults and households chosen, and how many were invited before."""

    adults: int
    households: int
    invited_before: int

    @property
    def to_send(self) -> int:
        return self.adults - self.invited_before


def dedupe_key(run_id: int, user_id: int) -> str:
    """Return the outbox key of one adult's invitation to one run."""
    return f"attendance.group_invite:{run_id}:{user_id}"


def _place(choice: Choice) -> ColumnElement[bool] | None:
    if not choice.municipality_ids and not choice.county_part_ids:
        return None
    in_parts = select(county_part_municipalities.c.municipality_id).where(
        county_part_municipalities.c.county_part_id.in_(choice.county_part_ids)
    )
    return Household.municipality_id.in_(choice.municipality_ids) | Household.municipality_id.in_(in_parts)


def _recipients(run: CourseRun, choice: Choice, *, actor: User) -> Select[Any]:
    """Return the query of the chosen adults: active family members of confirmed households in the
    run's audience (a municipal worker's own municipality only), not signed up for the run yet."""
    audience = [m.id for m in audience_municipalities(run)]
    if not actor.is_staff:
        audience = [i for i in audience if i == actor.municipality_id]
    stmt = (
        select(User)
        .join(Household, Household.id == User.household_id)
        .where(
            User.deactivated_at.is_(None),
            exists().where(UserRole.user_id == User.id, UserRole.role == Role.FAMILY),
            Household.is_confirmed.is_(True),
            Household.municipality_id.in_(audience),
            ~exists().where(
                Enrollment.run_id == run.id,
                Enrollment.household_id == Household.id,
                Enrollment.status.in_(ACTIVE),
            ),
        )
    )
    place = _place(choice)
    if place is not None:
        stmt = stmt.where(place)
    if choice.home_kind_ids:
        stmt = stmt.where(
            exists().where(
                household_home_kinds.c.household_id == Household.id,
                household_home_kinds.c.home_kind_id.in_(choice.home_kind_ids),
            )
        )
    if choice.without_basic_training:
        stmt = stmt.where(
            ~exists().where(
                Completion.user_id == User.id,
                CourseType.id == Completion.course_type_id,
                CourseType.kind == CourseKind.BASIC,
            )
        )
    return stmt


def check_may_invite(run: CourseRun, actor: User) -> None:
    """Raise NotFoundError unless `actor` is staff or a municipal worker of the run's audience."""
    if actor.is_staff:
        return
    if actor.has_role(Role.MUNICIPAL) and actor.municipality_id is not None:
        if any(m.id == actor.municipality_id for m in audience_municipalities(run)):
            return
    raise NotFoundError(_("Kursomgången finns inte."))


def preview_group_invite(run: CourseRun, choice: Choice, *, actor: User) -> Preview:
    """Count whom `send_group_invite` would reach with `choice` (three queries, whatever the size)."""
    check_may_invite(run, actor)
    chosen = _recipients(run, choice, actor=actor).subquery()
    adults, households = db.session.execute(
        select(func.count(chosen.c.id), func.count(func.distinct(chosen.c.household_id)))
    ).one()
    keys = select(literal(dedupe_key(run.id, 0)[:-1], String).concat(cast(chosen.c.id, String)))
    before = db.session.scalar(select(func.count(OutboxMessage.id)).where(OutboxMessage.dedupe_key.in_(keys)))
    return Preview(adults=adults, households=households, invited_before=before or 0)


def send_group_invite(run: CourseRun, choice: Choice, *, actor: User, now: datetime) -> int:
    """Queue the run's invitation to every chosen adult not invited before; return how many."""
    check_may_invite(run, actor)
    check_run_takes_signups(run, now)
    users = list(
        db.session.scalars(
            _recipients(run, choice, actor=actor)
            .options(joinedload(User.household))
            .order_by(User.id)
            .limit(MAX_RECIPIENTS + 1)
        )
    )
    if not users:
        raise InviteError(_("Inga familjer matchar urvalet. Ändra valen och försök igen."))
    if len(users) > MAX_RECIPIENTS:
        raise InviteError(
            _("Urvalet är för stort (fler än %(n)d vuxna). Begränsa det och försök igen.", n=MAX_RECIPIENTS)
        )
    context = _mail_context(run)
    sent = 0
    for user in users:
        message = queue_email(
            dedupe_key=dedupe_key(run.id, user.id),
            recipient=user.email,
            template=TEMPLATE,
            user=user,
            greeting_name=user.first_name,
            **context,
        )
        sent += message is not None
    logger.info("group invite run=%s by=%s queued=%s of=%s", run.id, actor.id, sent, len(users))
    return sent


def _mail_context(run: CourseRun) -> dict[str, Any]:
    return {
        "run": run,
        "sessions": [s for s in run.sessions if s.status == SessionStatus.SCHEDULED],
        "contact": contact_of(run),
        "signup_url": link(_path("enrollment.sign_up", run_id=run.id)),
        "course_url": link(_path("courses.detail", run_id=run.id)),
    }


def _path(endpoint: str, **values: Any) -> str:
    path: str = current_app.url_map.bind("localhost").build(endpoint, values)
    return path


@dataclass(frozen=True)
class ChoiceLists:
    """What the invitation form offers; a municipal worker chooses among their own families only."""

    home_kinds: list[HomeKind]
    municipalities: list[Municipality]  # the run's audience
    county_parts: list[CountyPart]


def choice_lists(run: CourseRun, actor: User) -> ChoiceLists:
    """Return the kinds of home, and for staff the municipalities and county parts, to choose from."""
    kinds = list(db.session.scalars(select(HomeKind).order_by(HomeKind.name)))
    if not actor.is_staff:
        return ChoiceLists(kinds, [], [])
    parts = list(db.session.scalars(select(CountyPart).order_by(CountyPart.name)))
    return ChoiceLists(kinds, audience_municipalities(run), parts)


def ids(values: Iterable[object] | None) -> frozenset[int]:
    """Return the posted ids that are whole numbers."""
    return frozenset(int(str(v)) for v in values or () if str(v).isdigit() and len(str(v)) < 10)
