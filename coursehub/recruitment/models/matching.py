"""The family's presentation, municipalities' requests, offers and matches."""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from coursehub.accounts.models import Municipality, User
from coursehub.db import Base, created_at_column, intpk, str_enum
from coursehub.recruitment.models.cases import Case
from coursehub.recruitment.models.enums import Answer, AssignmentKind, Decision, Proximity, RequestStatus


class Presentation(Base):
    """The presentation of a family that staff write and the family approves."""

    __tablename__ = "recruitment_presentations"

    id: Mapped[intpk]
    case_id: Mapped[int] = mapped_column(
        sa.ForeignKey("recruitment_cases.id", ondelete="CASCADE"), unique=True
    )
    # The single-use approval link (its hash only), made when a version is sent to the family.
    approval_token_hash: Mapped[str | None] = mapped_column(sa.String(64), unique=True)
    sent_at: Mapped[datetime | None]
    sent_version_id: Mapped[int | None]  # the version the link approves (no foreign key: a cycle)
    approved_at: Mapped[datetime | None]
    approved_version_id: Mapped[int | None]
    created_at: Mapped[datetime] = created_at_column()

    case: Mapped[Case] = relationship()
    versions: Mapped[list[PresentationVersion]] = relationship(
        back_populates="presentation", cascade="all, delete-orphan", order_by="PresentationVersion.number"
    )


class PresentationVersion(Base):
    """One version of a presentation's text; every version is kept."""

    __tablename__ = "recruitment_presentation_versions"

    id: Mapped[intpk]
    presentation_id: Mapped[int] = mapped_column(
        sa.ForeignKey("recruitment_presentations.id", ondelete="CASCADE"), index=True
    )
    number: Mapped[int]
    text: Mapped[str] = mapped_column(sa.Text)
    author_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    created_at: Mapped[datetime] = created_at_column()

    presentation: Mapped[Presentation] = relationship(back_populates="versions")
    author: Mapped[User | None] = relationship()

    __table_args__ = (sa.UniqueConstraint("presentation_id", "number"),)


class Request(Base):
    """A municipality's request for a family for a child: never the child's name."""

    __tablename__ = "recruitment_requests"

    id: Mapped[intpk]
    municipality_id: Mapped[int] = mapped_column(sa.ForeignKey("municipalities.id"), index=True)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    child_age: Mapped[int]
    needs: Mapped[str] = mapped_column(sa.Text, default="")
    kind: Mapped[AssignmentKind] = mapped_column(str_enum(AssignmentKind, "assignment_kind"))
    wanted_start_on: Mapped[date | None]
    proximity: Mapped[Proximity] = mapped_column(str_enum(Proximity, "proximity"), default=Proximity.EITHER)
    status: Mapped[RequestStatus] = mapped_column(
        str_enum(RequestStatus, "request_status"), default=RequestStatus.OPEN, index=True
    )
    created_at: Mapped[datetime] = created_at_column()
    closed_at: Mapped[datetime | None]

    municipality: Mapped[Municipality] = relationship()
    created_by: Mapped[User | None] = relationship()

    __table_args__ = (sa.CheckConstraint("child_age >= 0 AND child_age <= 20", name="child_age_in_range"),)


class Offer(Base):
    """A family offered for a request, with each side's answer."""

    __tablename__ = "recruitment_offers"

    id: Mapped[intpk]
    case_id: Mapped[int] = mapped_column(
        sa.ForeignKey("recruitment_cases.id", ondelete="CASCADE"), index=True
    )
    request_id: Mapped[int] = mapped_column(
        sa.ForeignKey("recruitment_requests.id", ondelete="CASCADE"), index=True
    )
    offered_at: Mapped[datetime]
    offered_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    family_answer: Mapped[Answer] = mapped_column(str_enum(Answer, "family_answer"), default=Answer.PENDING)
    family_answered_at: Mapped[datetime | None]
    municipality_answer: Mapped[Answer] = mapped_column(
        str_enum(Answer, "municipality_answer"), default=Answer.PENDING
    )
    municipality_answered_at: Mapped[datetime | None]

    case: Mapped[Case] = relationship()
    request: Mapped[Request] = relationship()

    __table_args__ = (sa.UniqueConstraint("case_id", "request_id"),)


class Match(Base):
    """A family handed to the requesting municipality; then its assessment and committee decision."""

    __tablename__ = "recruitment_matches"

    id: Mapped[intpk]
    case_id: Mapped[int] = mapped_column(
        sa.ForeignKey("recruitment_cases.id", ondelete="CASCADE"), index=True
    )
    request_id: Mapped[int] = mapped_column(sa.ForeignKey("recruitment_requests.id"), index=True)
    offer_id: Mapped[int] = mapped_column(sa.ForeignKey("recruitment_offers.id"), unique=True)
    municipality_id: Mapped[int] = mapped_column(sa.ForeignKey("municipalities.id"), index=True)
    matched_at: Mapped[datetime]
    matched_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    assessment_started_on: Mapped[date | None]
    assessment_decided_on: Mapped[date | None]
    assessment_outcome: Mapped[Decision | None] = mapped_column(str_enum(Decision, "assessment_outcome"))
    decision_on: Mapped[date | None]
    decision_outcome: Mapped[Decision | None] = mapped_column(str_enum(Decision, "decision_outcome"))

    case: Mapped[Case] = relationship()
    request: Mapped[Request] = relationship()
    offer: Mapped[Offer] = relationship()
    municipality: Mapped[Municipality] = relationship()
