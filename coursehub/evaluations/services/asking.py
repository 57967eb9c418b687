"""An asking of a form: create it, invite people by single-use links, remind once, close.

Shared by course evaluations and the yearly survey. A link is a random token; only its SHA-256 is
kept, on the invitation (the answered list), which the closing job deletes.
"""

from __future__ import annotations

import hashlib
import logging
import secrets
from collections.abc import Iterable
from datetime import datetime, timedelta

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import delete, insert, select, update

from coursehub.accounts.models import User
from coursehub.courses.models import CourseRun
from coursehub.evaluations import emails
from coursehub.evaluations.errors import EvaluationError
from coursehub.evaluations.models import (
    TITLE_MAX,
    Evaluation,
    FormVersion,
    IndicatorTally,
    Invitation,
    indicator_counts,
    quote_tally,
    tallies,
    uncounted,
)
from coursehub.extensions import db

logger = logging.getLogger(__name__)

TOKEN_BYTES = 32


def hash_token(token: str) -> str:
    """Return the stored form of a link token."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def new_token() -> tuple[str, str]:
    """Return a fresh random link token and its hash."""
    token = secrets.token_urlsafe(TOKEN_BYTES)
    return token, hash_token(token)


def create_evaluation(
    version: FormVersion,
    *,
    title: str,
    now: datetime,
    run: CourseRun | None = None,
    survey_year: int | None = None,
) -> Evaluation:
    """Open an asking of a published version now; reminder and closing follow the settings."""
    if not version.is_published:
        raise EvaluationError(_("Formuläret har ingen publicerad version."))
    if run is None and survey_year is None:
        raise EvaluationError(_("Ange kursomgång eller år."))
    config = current_app.config
    evaluation = Evaluation(
        version=version,
        run=run,
        survey_year=survey_year,
        title=title.strip()[:TITLE_MAX],
        created_at=now,
        opens_at=now,
        closes_at=now + timedelta(days=config["COURSEHUB_EVALUATION_OPEN_DAYS"]),
        remind_at=now + timedelta(days=config["COURSEHUB_EVALUATION_REMINDER_DAYS"]),
        invited_count=0,
    )
    db.session.add(evaluation)
    db.session.flush()
    logger.info("evaluation opened evaluation=%s", evaluation.id)
    return evaluation


def invite_people(evaluation: Evaluation, users: Iterable[User], *, now: datetime) -> int:
    """Invite each user not yet invited: a personal link by e-mail. Return how many were invited."""
    if evaluation.closed_at is not None:
        raise EvaluationError(_("Utvärderingen är stängd."))
    wanted = {user.id: user for user in users}
    if not wanted:
        return 0
    already = set(
        db.session.scalars(
            select(Invitation.user_id).where(
                Invitation.evaluation_id == evaluation.id, Invitation.user_id.in_(wanted)
            )
        )
    )
    count = 0
    for user_id in sorted(wanted.keys() - already):
        token, token_hash = new_token()
        db.session.add(
            Invitation(evaluation_id=evaluation.id, user_id=user_id, token_hash=token_hash, created_at=now)
        )
        emails.queue_invitation_email(evaluation, wanted[user_id], token)
        count += 1
    evaluation.invited_count += count
    db.session.flush()
    logger.info("evaluation invitations evaluation=%s count=%s", evaluation.id, count)
    return count


def send_reminders(now: datetime) -> int:
    """Send the one reminder of every evaluation due one to those who have not answered.

    The work follows what is due: the due evaluations by an index, then their unanswered
    invitations. Each reminder carries a new link (the first was never stored); the first link
    keeps working. Returns how many reminders were queued; a second run queues none.
    """
    due = list(
        db.session.scalars(
            select(Evaluation)
            .where(
                Evaluation.reminded_at.is_(None),
                Evaluation.remind_at <= now,
                Evaluation.closed_at.is_(None),
                Evaluation.closes_at > now,
            )
            .order_by(Evaluation.id)
        )
    )
    count = 0
    for evaluation in due:
        rows = db.session.execute(
            select(Invitation, User)
            .join(User, User.id == Invitation.user_id)
            .where(
                Invitation.evaluation_id == evaluation.id,
                Invitation.answered_at.is_(None),
                Invitation.reminded_at.is_(None),
            )
            .order_by(Invitation.id)
        ).all()
        for invitation, user in rows:
            token, invitation.reminder_token_hash = new_token()
            invitation.reminded_at = now
            emails.queue_reminder_email(evaluation, user, token)
            count += 1
        evaluation.reminded_at = now
    db.session.flush()
    logger.info("evaluation reminders queued: %s", count)
    return count


def close_due(now: datetime) -> int:
    """Close every evaluation past its closing time, count its figures and delete its answered
    list; return how many closed."""
    due = list(
        db.session.scalars(
            select(Evaluation.id).where(Evaluation.closed_at.is_(None), Evaluation.closes_at <= now)
        )
    )
    if due:
        db.session.execute(update(Evaluation).where(Evaluation.id.in_(due)).values(closed_at=now))
        count_tallies(due)
        db.session.execute(delete(Invitation).where(Invitation.evaluation_id.in_(due)))
        db.session.flush()
        db.session.expire_all()
    logger.info("evaluations closed: %s", len(due))
    return len(due)


def count_tallies(evaluation_ids: Iterable[int]) -> None:
    """Store the figures of closed evaluations, counted from their answers (models.uncounted).

    Called when they close: no answer comes in after the closing time, nor changes, so the
    figures stand for good and the results pages need not count every answer of every year.
    An evaluation still open is left uncounted.
    """
    ids = list(evaluation_ids)
    live = uncounted(Evaluation.id.in_(ids))
    figures = db.session.execute(
        select(Evaluation.id, *tallies(live), quote_tally(live))
        .outerjoin(live, live.c.evaluation_id == Evaluation.id)
        .where(Evaluation.id.in_(ids), Evaluation.closed_at.is_not(None))
    ).all()
    if figures:
        # Each indicator question's figures too (models.IndicatorTally), counted anew.
        counted = [row[0] for row in figures]
        db.session.execute(delete(IndicatorTally).where(IndicatorTally.evaluation_id.in_(counted)))
        db.session.execute(
            insert(IndicatorTally).from_select(
                ["evaluation_id", "question_id", "top", "answered"],
                indicator_counts(Evaluation.id.in_(counted)),
            )
        )
        db.session.execute(
            update(Evaluation),
            [
                {
                    "id": eid,
                    "response_count": responses,
                    "indicator_top": top,
                    "indicator_answered": answered,
                    "quote_count": quotes,
                }
                for eid, responses, top, answered, quotes in figures
            ],
        )
