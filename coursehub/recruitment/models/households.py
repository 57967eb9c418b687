"""Which household of the platform a recruited family became, when it was brought into the courses."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from coursehub.accounts.models import Household, Municipality
from coursehub.db import Base, created_at_column


class CaseHousehold(Base):
    """A case's family as a household of a municipality (one per case, made once).

    Written by services.into_courses when the family is matched (or approved, by the setting
    COURSEHUB_RECRUITMENT_ENROL_ON); the case's course progress is read through it.
    """

    __tablename__ = "recruitment_case_households"

    case_id: Mapped[int] = mapped_column(
        sa.ForeignKey("recruitment_cases.id", ondelete="CASCADE"), primary_key=True
    )
    household_id: Mapped[int] = mapped_column(sa.ForeignKey("households.id"), unique=True)
    municipality_id: Mapped[int] = mapped_column(sa.ForeignKey("municipalities.id"), index=True)
    created_at: Mapped[datetime] = created_at_column()
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))

    household: Mapped[Household] = relationship()
    municipality: Mapped[Municipality] = relationship()
