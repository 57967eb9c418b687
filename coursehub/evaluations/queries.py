"""Reads of the evaluations area: listings of forms and evaluations."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from coursehub.evaluations.models import EvaluationForm
from coursehub.lib.pagination import Page, paginate

PER_PAGE = 25


def forms_page(*, page: int) -> Page:
    """Return a page of forms by name, each with its versions loaded."""
    stmt = (
        select(EvaluationForm)
        .options(selectinload(EvaluationForm.versions))
        .order_by(EvaluationForm.name, EvaluationForm.id)
    )
    return paginate(stmt, page, PER_PAGE)
