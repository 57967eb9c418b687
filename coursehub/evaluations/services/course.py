"""Course evaluations: opened when a run finishes (or early, at its last meeting, by staff)."""

from __future__ import annotations

import logging
from datetime import datetime

from flask_babel import gettext as _

from coursehub.courses.models import CourseRun
from coursehub.evaluations import queries
from coursehub.evaluations.errors import EvaluationError
from coursehub.evaluations.models import Evaluation, FormVersion
from coursehub.evaluations.services.asking import create_evaluation, invite_people
from coursehub.evaluations.services.forms import published_version
from coursehub.extensions import db

logger = logging.getLogger(__name__)


def open_for_finished_run(run: CourseRun, *, actor: object, now: datetime) -> Evaluation | None:
    """Open a finished run's evaluation and invite its participants who attended a meeting.

    An evaluation staff opened early is kept; only attendees not yet invited (marks recorded
    after the early opening) are invited. A course type without a published form is not
    evaluated: None.
    """
    evaluation = queries.run_evaluation(run.id)
    if evaluation is None:
        version = _version_for(run)
        if version is None:
            logger.info("run not evaluated, no published form run=%s", run.id)
            return None
        evaluation = create_evaluation(version, title=run.title, run=run, now=now)
    if evaluation.closed_at is None:
        invite_people(evaluation, queries.run_attendees(run.id), now=now)
    return evaluation


def open_early(run: CourseRun, *, actor: object, now: datetime) -> Evaluation:
    """Open a run's evaluation before it finishes (answered at the last meeting); invite at once."""
    if queries.run_evaluation(run.id) is not None:
        raise EvaluationError(_("Utvärderingen av kursomgången är redan öppnad."))
    version = _version_for(run)
    if version is None:
        raise EvaluationError(_("Kurstypen har inget publicerat utvärderingsformulär."))
    evaluation = create_evaluation(version, title=run.title, run=run, now=now)
    invite_people(evaluation, queries.run_attendees(run.id), now=now)
    db.session.flush()
    logger.info("evaluation opened early run=%s evaluation=%s", run.id, evaluation.id)
    return evaluation


def _version_for(run: CourseRun) -> FormVersion | None:
    form = queries.course_type_form(run.course_type_id)
    return published_version(form) if form is not None else None
