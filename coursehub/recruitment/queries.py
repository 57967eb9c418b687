"""Reads of the recruitment pages, each a fixed number of queries whatever the number of cases."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import func, select

from coursehub.extensions import db
from coursehub.recruitment.models import Case, Step


@dataclass
class Column:
    """One step's column of the board: its count and the cases shown in it."""

    step: Step
    count: int = 0
    cases: list[Case] = field(default_factory=list)


def board_columns() -> list[Column]:
    """Return a column per step with the number of open cases in it."""
    counts = dict(
        db.session.execute(
            select(Case.step, func.count())
            .where(Case.closed_at.is_(None), Case.withdrawn_at.is_(None))
            .group_by(Case.step)
        ).all()
    )
    return [Column(step=step, count=counts.get(step, 0)) for step in Step]
