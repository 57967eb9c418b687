"""Reads behind the certificate and progress pages: one row by code, and pages of listings."""

from __future__ import annotations

import functools
from typing import Any

from sqlalchemy import Select, bindparam, select
from sqlalchemy.orm import lazyload, selectinload

from coursehub.accounts.models import Household, User
from coursehub.attendance.models import Certificate, Completion
from coursehub.extensions import db
from coursehub.lib.pagination import Page, paginate


def certificate_by_code(code: str) -> Certificate | None:
    """Return the certificate with this check code, with its person, course type and completion."""
    return db.session.scalar(
        select(Certificate)
        .where(Certificate.code == code)
        .options(
            selectinload(Certificate.user),
            selectinload(Certificate.course_type),
            selectinload(Certificate.completion),
        )
    )


def certificates_page(*, page: int, per_page: int = 25) -> Page:
    """Return a page of certificates, newest first, with what the staff list shows of each."""
    stmt = (
        select(Certificate)
        .options(
            selectinload(Certificate.user),
            selectinload(Certificate.course_type),
            selectinload(Certificate.completion).selectinload(Completion.certificates),
        )
        .order_by(Certificate.issued_at.desc(), Certificate.id.desc())
    )
    return paginate(stmt, page, per_page)


@functools.cache
def _adults_statement() -> Select[Any]:
    return (
        select(User)
        .where(User.household_id == bindparam("household_id"))
        .order_by(User.full_name, User.id)
        .options(lazyload(User.role_rows))  # the pages show names; roles only if asked
    )


def household_adults(household_id: int) -> list[User]:
    """Return the adults of a household by name."""
    return list(db.session.scalars(_adults_statement(), {"household_id": household_id}))


def municipality_households_page(municipality_id: int, *, page: int, per_page: int = 20) -> Page:
    """Return a page of a municipality's households by name, with their adults loaded."""
    stmt = (
        select(Household)
        .where(Household.municipality_id == municipality_id)
        .options(selectinload(Household.adults))
        .order_by(Household.name, Household.id)
    )
    return paginate(stmt, page, per_page)
