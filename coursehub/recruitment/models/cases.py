"""A family's case: its registration data, step history, checklists, notes and requirements."""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from coursehub.accounts.models import Municipality, User
from coursehub.db import Base, created_at_column, intpk, partial_index, str_enum
from coursehub.recruitment.models.enums import (
    AssignmentKind,
    ChecklistKind,
    CheckOutcome,
    Register,
    RequirementOutcome,
    Step,
)

NAME_MAX = 80
REASON_MAX = 300
TEXT_MAX = 4000
IDENTITY_NUMBER_LENGTH = 12  # the canonical form: YYYYMMDDNNNN
OPEN_CASE = "closed_at IS NULL AND withdrawn_at IS NULL"  # the predicate of Case.is_open, in SQL
AWAITING_CONTACT = OPEN_CASE + " AND first_contact_at IS NULL"


class Channel(Base):
    """Where families heard of the resource (a list staff keep)."""

    __tablename__ = "recruitment_channels"

    id: Mapped[intpk]
    name: Mapped[str] = mapped_column(sa.String(NAME_MAX), unique=True)
    position: Mapped[int] = mapped_column(default=0)
    is_active: Mapped[bool] = mapped_column(default=True)


class BasicRequirement(Base):
    """One of the basic requirements the resource sets for a family (a list staff keep)."""

    __tablename__ = "recruitment_requirements"

    id: Mapped[intpk]
    text: Mapped[str] = mapped_column(sa.String(REASON_MAX), unique=True)
    position: Mapped[int] = mapped_column(default=0)
    is_active: Mapped[bool] = mapped_column(default=True)


class Case(Base):
    """A family's way from its interest registration on; the registration data are its own."""

    __tablename__ = "recruitment_cases"

    id: Mapped[intpk]
    # Shown to staff and in the family's mail, e.g. "2026-0042"; given from the id once flushed.
    reference: Mapped[str | None] = mapped_column(sa.String(20), unique=True)
    step: Mapped[Step] = mapped_column(
        str_enum(Step, "recruitment_step"), default=Step.REGISTERED, index=True
    )
    step_changed_at: Mapped[datetime]
    registered_at: Mapped[datetime] = created_at_column()
    # Working days counted at registration (closure weeks and public holidays left out).
    first_contact_due_on: Mapped[date]
    first_contact_at: Mapped[datetime | None]
    assigned_to_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"), index=True)
    municipality_id: Mapped[int] = mapped_column(sa.ForeignKey("municipalities.id"), index=True)
    channel_id: Mapped[int | None] = mapped_column(sa.ForeignKey("recruitment_channels.id"), index=True)
    # The registration: address, household and what the family is open to.
    street: Mapped[str] = mapped_column(sa.String(120))
    postal_code: Mapped[str] = mapped_column(sa.String(6))
    city: Mapped[str] = mapped_column(sa.String(NAME_MAX))
    housing: Mapped[str] = mapped_column(sa.Text, default="")
    experience: Mapped[str] = mapped_column(sa.Text, default="")
    other_household: Mapped[str] = mapped_column(sa.Text, default="")  # others living in the home
    min_child_age: Mapped[int]
    max_child_age: Mapped[int]
    consent_at: Mapped[datetime]
    consent_version: Mapped[str] = mapped_column(sa.String(20))
    # The family's withdrawal link (its hash only; the link itself is in the family's mail).
    withdraw_token_hash: Mapped[str | None] = mapped_column(sa.String(64), unique=True)
    withdrawn_at: Mapped[datetime | None]
    closed_at: Mapped[datetime | None] = mapped_column(index=True)
    close_reason: Mapped[str | None] = mapped_column(sa.String(REASON_MAX))
    closed_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    # When retention removed the family's data from the ended case (services.retention): the
    # dates, steps, municipality and channel stay for the figures.
    anonymised_at: Mapped[datetime | None]

    municipality: Mapped[Municipality] = relationship()
    channel: Mapped[Channel | None] = relationship()
    assigned_to: Mapped[User | None] = relationship(foreign_keys=[assigned_to_id])
    adults: Mapped[list[CaseAdult]] = relationship(
        back_populates="case", cascade="all, delete-orphan", order_by="CaseAdult.position"
    )
    children: Mapped[list[CaseChild]] = relationship(
        back_populates="case", cascade="all, delete-orphan", order_by="CaseChild.position"
    )
    kinds: Mapped[list[CaseKind]] = relationship(back_populates="case", cascade="all, delete-orphan")
    history: Mapped[list[StepChange]] = relationship(
        back_populates="case", cascade="all, delete-orphan", order_by="StepChange.id"
    )

    __table_args__ = (
        sa.CheckConstraint("min_child_age >= 0 AND max_child_age <= 20", name="child_ages_in_range"),
        sa.CheckConstraint("min_child_age <= max_child_age", name="child_ages_in_order"),
        # What retention looks for: ended long ago, not anonymised yet (services.retention).
        sa.Index("ix_recruitment_cases_closed_retention", "anonymised_at", "closed_at"),
        sa.Index("ix_recruitment_cases_withdrawn_retention", "anonymised_at", "withdrawn_at"),
        # The board (queries.board_columns): each step's oldest open cases as one short range, and
        # the counts per step from the index alone, however many cases have ended over the years.
        partial_index(
            "ix_recruitment_cases_open_board",
            "step",
            "registered_at",
            "id",
            "first_contact_due_on",
            "first_contact_at",
            where=OPEN_CASE,
        ),
        # The board's municipality filter (queries.board_choices): the municipalities that have
        # open cases, from this small index alone rather than a probe per municipality.
        partial_index(
            "ix_recruitment_cases_open_municipality",
            "municipality_id",
            where=OPEN_CASE,
        ),
        # Staff's start page (reports.queries_start): open cases nobody has contacted yet, by
        # deadline; the late ones are a range of it, counted and listed without reading the rest.
        partial_index(
            "ix_recruitment_cases_awaiting_contact",
            "first_contact_due_on",
            "id",
            where=AWAITING_CONTACT,
        ),
    )

    @property
    def is_open(self) -> bool:
        """Whether the case is still running: neither closed nor withdrawn."""
        return self.closed_at is None and self.withdrawn_at is None

    def is_past_first_contact(self, today: date) -> bool:
        """Whether nobody has contacted the family yet and the deadline has passed."""
        return self.is_open and self.first_contact_at is None and today > self.first_contact_due_on

    def __repr__(self) -> str:
        return f"<Case {self.id}>"


class CaseKind(Base):
    """One kind of assignment the family is open to."""

    __tablename__ = "recruitment_case_kinds"

    case_id: Mapped[int] = mapped_column(
        sa.ForeignKey("recruitment_cases.id", ondelete="CASCADE"), primary_key=True
    )
    kind: Mapped[AssignmentKind] = mapped_column(
        str_enum(AssignmentKind, "assignment_kind"), primary_key=True, index=True
    )

    case: Mapped[Case] = relationship(back_populates="kinds")


class CaseAdult(Base):
    """An adult of the registering household; the identity number is asked for at the checks."""

    __tablename__ = "recruitment_adults"

    id: Mapped[intpk]
    case_id: Mapped[int] = mapped_column(sa.ForeignKey("recruitment_cases.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(default=1)
    first_name: Mapped[str] = mapped_column(sa.String(NAME_MAX))
    last_name: Mapped[str] = mapped_column(sa.String(NAME_MAX))
    email: Mapped[str] = mapped_column(sa.String(254), index=True)  # stored lower-case
    phone: Mapped[str] = mapped_column(sa.String(30))
    identity_number: Mapped[str | None] = mapped_column(sa.String(IDENTITY_NUMBER_LENGTH))

    __table_args__ = (
        # A case's adults in their order (the board card's first adult: no sort per card).
        sa.Index("ix_recruitment_adults_case_id_position", "case_id", "position", "id"),
    )

    case: Mapped[Case] = relationship(back_populates="adults")

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"


class CaseChild(Base):
    """A child living in the home: its age at registration; checked above the check age."""

    __tablename__ = "recruitment_children"

    id: Mapped[intpk]
    case_id: Mapped[int] = mapped_column(
        sa.ForeignKey("recruitment_cases.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(default=1)
    age: Mapped[int]
    identity_number: Mapped[str | None] = mapped_column(sa.String(IDENTITY_NUMBER_LENGTH))

    case: Mapped[Case] = relationship(back_populates="children")

    __table_args__ = (sa.CheckConstraint("age >= 0 AND age <= 30", name="age_in_range"),)


class StepChange(Base):
    """A move of a case from one step to another (or its closing): who and when."""

    __tablename__ = "recruitment_step_changes"

    id: Mapped[intpk]
    case_id: Mapped[int] = mapped_column(
        sa.ForeignKey("recruitment_cases.id", ondelete="CASCADE"), index=True
    )
    from_step: Mapped[Step | None] = mapped_column(str_enum(Step, "recruitment_from_step"))
    to_step: Mapped[Step] = mapped_column(str_enum(Step, "recruitment_to_step"))
    at: Mapped[datetime]
    actor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))

    case: Mapped[Case] = relationship(back_populates="history")
    actor: Mapped[User | None] = relationship()


class ChecklistEntry(Base):
    """A checklist item done: the interview, a questionnaire received, the home visit, a reference."""

    __tablename__ = "recruitment_checklist_entries"

    id: Mapped[intpk]
    case_id: Mapped[int] = mapped_column(
        sa.ForeignKey("recruitment_cases.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[ChecklistKind] = mapped_column(str_enum(ChecklistKind, "checklist_kind"))
    adult_id: Mapped[int | None] = mapped_column(sa.ForeignKey("recruitment_adults.id", ondelete="CASCADE"))
    done_on: Mapped[date]
    done_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    go_on: Mapped[bool | None]  # the interview's decision: go on or stop
    # A reference's name and relation; a summary of the home visit or the reference.
    reference_name: Mapped[str | None] = mapped_column(sa.String(NAME_MAX * 2))
    reference_relation: Mapped[str | None] = mapped_column(sa.String(NAME_MAX))
    summary: Mapped[str] = mapped_column(sa.Text, default="")
    created_at: Mapped[datetime] = created_at_column()

    done_by: Mapped[User | None] = relationship()
    adult: Mapped[CaseAdult | None] = relationship()


class RegisterCheck(Base):
    """One register checked for one adult or child: date, who, outcome — never the document."""

    __tablename__ = "recruitment_register_checks"

    id: Mapped[intpk]
    case_id: Mapped[int] = mapped_column(
        sa.ForeignKey("recruitment_cases.id", ondelete="CASCADE"), index=True
    )
    adult_id: Mapped[int | None] = mapped_column(sa.ForeignKey("recruitment_adults.id", ondelete="CASCADE"))
    child_id: Mapped[int | None] = mapped_column(sa.ForeignKey("recruitment_children.id", ondelete="CASCADE"))
    register: Mapped[Register] = mapped_column(str_enum(Register, "register"))
    checked_on: Mapped[date]
    checked_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    outcome: Mapped[CheckOutcome] = mapped_column(str_enum(CheckOutcome, "check_outcome"))
    created_at: Mapped[datetime] = created_at_column()

    checked_by: Mapped[User | None] = relationship()

    __table_args__ = (sa.CheckConstraint("(adult_id IS NULL) <> (child_id IS NULL)", name="one_person"),)


class Note(Base):
    """A staff note on a case."""

    __tablename__ = "recruitment_notes"

    id: Mapped[intpk]
    case_id: Mapped[int] = mapped_column(
        sa.ForeignKey("recruitment_cases.id", ondelete="CASCADE"), index=True
    )
    author_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    body: Mapped[str] = mapped_column(sa.Text)
    created_at: Mapped[datetime] = created_at_column()

    author: Mapped[User | None] = relationship()


class CaseRequirement(Base):
    """A case's outcome for one basic requirement."""

    __tablename__ = "recruitment_case_requirements"

    id: Mapped[intpk]
    case_id: Mapped[int] = mapped_column(
        sa.ForeignKey("recruitment_cases.id", ondelete="CASCADE"), index=True
    )
    requirement_id: Mapped[int] = mapped_column(sa.ForeignKey("recruitment_requirements.id"))
    outcome: Mapped[RequirementOutcome] = mapped_column(str_enum(RequirementOutcome, "requirement_outcome"))
    recorded_at: Mapped[datetime]
    recorded_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))

    requirement: Mapped[BasicRequirement] = relationship()

    __table_args__ = (sa.UniqueConstraint("case_id", "requirement_id"),)


class Placement(Base):
    """A placement the family already has, from another municipality (shown on the case)."""

    __tablename__ = "recruitment_placements"

    id: Mapped[intpk]
    case_id: Mapped[int] = mapped_column(
        sa.ForeignKey("recruitment_cases.id", ondelete="CASCADE"), index=True
    )
    municipality_id: Mapped[int] = mapped_column(sa.ForeignKey("municipalities.id"), index=True)
    started_on: Mapped[date | None]
    ended_on: Mapped[date | None]
    created_at: Mapped[datetime] = created_at_column()

    municipality: Mapped[Municipality] = relationship()
