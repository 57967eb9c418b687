"""Retention of ended recruitment cases and requests (SECURITY.md, Privacy; issue 23, point 3).

A case that was closed, or withdrawn by the family, is anonymised COURSEHUB_RETENTION_CASE_DAYS
after its last entry: its end, or a later note or step change. Case files are commonly kept five
years. The steering group's figures (queries_figures) count the rows, so the case stays with what
they read: its dates, steps and step history, municipality, channel, the kinds of assignment and
child ages it was open to, requirement outcomes, placements, offers and matches. It loses:

- the family's names, e-mail addresses, phone numbers and identity numbers (the adults' rows);
- the children's data (their rows: ages, identity numbers) and every register check made for
  an adult or a child;
- the address, housing, experience, others in the home, and the reason it was closed;
- the staff's notes; the summaries and references' names of the checklist (its dates stay);
- the text of every version of its presentation (when it was sent and approved stays).

Recruitment keeps no uploaded files, so none are removed from storage. Mail sent to the family
goes by the outbox's own retention (its bodies), and the audit log keeps only ids.

`anonymised_at` marks a case done: the job reads only ended cases not yet anonymised, through two
indexes ((anonymised_at, closed_at) and (anonymised_at, withdrawn_at)), at most `batch` a run.

A municipality's request (`blank_ended_requests`) describes a child in its free text, the needs.
Once it has ended — matched, or closed by the municipality or staff — nothing more is written on it
or its offers (services.matching refuses them), so its end is its last entry; the needs are blanked
the same COURSEHUB_RETENTION_CASE_DAYS after it: the request is part of the same matching record as
the offers and the match on the family's case, kept as long. What the figures count stays: the
request, who asked and when, the kind of assignment, the child's age, how and when it ended.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import ColumnElement, and_, delete, exists, or_, select, update

from coursehub.extensions import db
from coursehub.recruitment.models import (
    Case,
    CaseAdult,
    CaseChild,
    ChecklistEntry,
    Note,
    Presentation,
    PresentationVersion,
    RegisterCheck,
    Request,
    RequestStatus,
    StepChange,
)

logger = logging.getLogger(__name__)

# A request that has ended: matched with a family, or closed without one.
ENDED_REQUESTS = (RequestStatus.MATCHED, RequestStatus.CLOSED)


def _ended_before(cutoff: datetime) -> ColumnElement[bool]:
    """An ended case whose last entry (its end, a note, a step change) came before `cutoff`."""
    later_note = exists().where(Note.case_id == Case.id, Note.created_at >= cutoff)
    later_step = exists().where(StepChange.case_id == Case.id, StepChange.at >= cutoff)
    return and_(
        Case.anonymised_at.is_(None),
        or_(Case.closed_at < cutoff, and_(Case.closed_at.is_(None), Case.withdrawn_at < cutoff)),
        ~later_note,
        ~later_step,
    )


def _cutoff(now: datetime) -> datetime:
    return now - timedelta(days=int(current_app.config["COURSEHUB_RETENTION_CASE_DAYS"]))


def anonymise_ended_cases(*, now: datetime, batch: int) -> int:
    """Anonymise the cases that ended before the retention period; return how many."""
    cutoff = _cutoff(now)
    due = list(
        db.session.scalars(select(Case.id).where(_ended_before(cutoff)).order_by(Case.id).limit(batch))
    )
    if not due:
        return 0
    _remove_case_data(due)
    result = db.session.execute(
        update(Case)
        # Checked again in the update: a second scheduler that read the same ids changes nothing.
        .where(Case.id.in_(due), Case.anonymised_at.is_(None))
        .values(
            street="",
            postal_code="",
            city="",
            housing="",
            experience="",
            other_household="",
            close_reason=None,
            withdraw_token_hash=None,
            anonymised_at=now,
        )
        .execution_options(synchronize_session=False)
    )
    anonymised = int(result.rowcount or 0)  # type: ignore[attr-defined]
    logger.info("recruitment retention: %s ended cases anonymised", anonymised)
    return anonymised


def _remove_case_data(case_ids: list[int]) -> None:
    """Remove the personal rows and texts of the cases `case_ids` (bulk statements, no ORM loads)."""

    def run(statement) -> None:  # type: ignore[no-untyped-def]
        db.session.execute(statement.execution_options(synchronize_session=False))

    # The checklist keeps its dates and decisions; the adult it named goes below.
    run(
        update(ChecklistEntry)
        .where(ChecklistEntry.case_id.in_(case_ids))
        .values(adult_id=None, summary="", reference_name=None, reference_relation=None)
    )
    run(delete(RegisterCheck).where(RegisterCheck.case_id.in_(case_ids)))
    run(delete(Note).where(Note.case_id.in_(case_ids)))
    run(delete(CaseAdult).where(CaseAdult.case_id.in_(case_ids)))
    run(delete(CaseChild).where(CaseChild.case_id.in_(case_ids)))
    presentations = select(Presentation.id).where(Presentation.case_id.in_(case_ids)).scalar_subquery()
    run(
        update(PresentationVersion)
        .where(PresentationVersion.presentation_id.in_(presentations))
        .values(text="")
    )
    run(update(Presentation).where(Presentation.case_id.in_(case_ids)).values(approval_token_hash=None))


def _request_due(cutoff: datetime) -> ColumnElement[bool]:
    """A request that ended before `cutoff` and still holds free text (a blanked one is done)."""
    return and_(Request.status.in_(ENDED_REQUESTS), Request.closed_at < cutoff, Request.needs != "")


def blank_ended_requests(*, now: datetime, batch: int) -> int:
    """Blank the free text of the requests that ended before the retention period; return how many."""
    cutoff = _cutoff(now)
    due = list(
        db.session.scalars(select(Request.id).where(_request_due(cutoff)).order_by(Request.id).limit(batch))
    )
    if not due:
        return 0
    result = db.session.execute(
        update(Request)
        # Checked again in the update: a second scheduler that read the same ids changes nothing.
        .where(Request.id.in_(due), _request_due(cutoff))
        .values(needs="")
        .execution_options(synchronize_session=False)
    )
    blanked = int(result.rowcount or 0)  # type: ignore[attr-defined]
    logger.info("recruitment retention: free text of %s ended requests blanked", blanked)
    return blanked
