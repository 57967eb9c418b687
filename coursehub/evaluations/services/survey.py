"""The yearly survey: staff send a published survey form for a year to networks and roles.

The members of the chosen networks and the holders of the chosen roles are asked once each, with
the same single-use links, reminder and closing as a course evaluation (the invitation service of
this area does the asking). One survey per form and year: sending again adds only people not yet
asked, so a double click or a second send with one more network asks nobody twice.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy import select

from coursehub.accounts.models import Role, User, UserRole
from coursehub.evaluations.errors import EvaluationError
from coursehub.evaluations.models import Evaluation, EvaluationForm, FormPurpose, FormVersion
from coursehub.evaluations.services import asking
from coursehub.extensions import db
from coursehub.forum.models import Network, NetworkMembership
from coursehub.lib.database import lock_for_update

logger = logging.getLogger(__name__)

# Who the survey may be sent to by role: the steering group and the professionals (not families).
SURVEY_ROLES = (Role.STEERING, Role.MEMBER, Role.MUNICIPAL, Role.LEADER, Role.STAFF)


class SurveyError(EvaluationError):
    """The survey cannot be sent as asked."""


@dataclass(frozen=True)
class SurveySent:
    """What a send did: the survey, and how many were newly asked."""

    survey: Evaluation
    invited: int
    created: bool


def recipients(*, network_ids: Sequence[int], roles: Sequence[Role]) -> list[User]:
    """Return the active users in any of the networks or holding any of the roles, each once."""
    wanted = []
    if network_ids:
        wanted.append(
            User.id.in_(
                select(NetworkMembership.user_id).where(NetworkMembership.network_id.in_(network_ids))
            )
        )
    if roles:
        wanted.append(User.id.in_(select(UserRole.user_id).where(UserRole.role.in_(list(roles)))))
    if not wanted:
        return []
    stmt = select(User).where(User.deactivated_at.is_(None), sa.or_(*wanted)).order_by(User.id)
    return list(db.session.scalars(stmt))


def survey_of(form_id: int, year: int) -> Evaluation | None:
    """Return the survey of a form for a year, if it has been sent."""
    stmt = (
        select(Evaluation)
        .join(FormVersion, Evaluation.version_id == FormVersion.id)
        .where(FormVersion.form_id == form_id, Evaluation.survey_year == year)
        .order_by(Evaluation.id)
    )
    return db.session.scalars(stmt).first()


def send_survey(
    version: FormVersion,
    *,
    year: int,
    network_ids: Sequence[int],
    roles: Sequence[Role],
    actor: Any,
    now: datetime,
) -> SurveySent:
    """Ask the members of the networks and the holders of the roles to answer `version` for `year`.

    Creates the year's survey on the first send; a later send of the same form and year asks
    only people not yet asked. A closed survey is never sent again (its answered list is gone).
    """
    if version.published_at is None or version.form.purpose != FormPurpose.SURVEY:
        raise SurveyError(_("Välj ett publicerat formulär för årsenkäten."), field="version")
    if not network_ids and not roles:
        raise SurveyError(_("Välj minst ett nätverk eller en roll."), field="roles")
    _check_networks(network_ids)
    # One sender at a time per form: two sends of one year must find one survey, not make two.
    lock_for_update(EvaluationForm, version.form_id)
    survey = survey_of(version.form_id, year)
    created = survey is None
    if survey is None:
        survey = _new_survey(version, year=year, now=now)
    elif survey.closed_at is not None or not survey.is_open(now):
        raise SurveyError(
            _("Årsenkäten för %(year)d är stängd och kan inte skickas igen.", year=year), field="year"
        )
    elif survey.version_id != version.id:
        raise SurveyError(
            _("Årsenkäten för %(year)d är redan skickad med en annan version av formuläret.", year=year),
            field="version",
        )
    people = recipients(network_ids=network_ids, roles=roles)
    invited = asking.invite_people(survey, people, now=now)
    logger.info("survey %s sent: %d newly asked", survey.id, invited)
    return SurveySent(survey, invited, created)


def _check_networks(network_ids: Sequence[int]) -> None:
    if not network_ids:
        return
    found = db.session.scalar(select(sa.func.count()).select_from(Network).where(Network.id.in_(network_ids)))
    if found != len(set(network_ids)):
        raise SurveyError(_("Välj bland nätverken som visas."), field="networks")


def _new_survey(version: FormVersion, *, year: int, now: datetime) -> Evaluation:
    title = _("%(name)s %(year)d", name=version.form.name, year=year)
    return asking.create_evaluation(version, title=title, now=now, survey_year=year)


def survey_choices() -> list[tuple[int, str]]:
    """Return (version id, label) of the latest published version of each survey form."""
    latest = (
        select(FormVersion.form_id, sa.func.max(FormVersion.number).label("number"))
        .where(FormVersion.published_at.is_not(None))
        .group_by(FormVersion.form_id)
        .subquery()
    )
    stmt = (
        select(FormVersion.id, EvaluationForm.name, FormVersion.number)
        .join(latest, sa.and_(latest.c.form_id == FormVersion.form_id, latest.c.number == FormVersion.number))
        .join(EvaluationForm, FormVersion.form_id == EvaluationForm.id)
        .where(EvaluationForm.purpose == FormPurpose.SURVEY)
        .order_by(EvaluationForm.name)
    )
    return [
        (vid, _("%(name)s (version %(n)d)", name=name, n=number))
        for vid, name, number in db.session.execute(stmt)
    ]


def network_choices() -> list[tuple[int, str]]:
    """Return (id, name) of every network, by name."""
    return [
        (nid, name)
        for nid, name in db.session.execute(select(Network.id, Network.name).order_by(Network.name))
    ]
