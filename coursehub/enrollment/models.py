"""Sign-ups (anmälningar) of households and professionals to course runs, their persons, calendar feeds."""

from __future__ import annotations

import enum
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from coursehub.accounts.models import Household, Municipality, User
from coursehub.courses.models import CourseRun, CourseSession, RunStatus
from coursehub.db import Base, created_at_column, intpk, partial_index, str_enum


class EnrollmentStatus(enum.StrEnum):
    PENDING = "pending"  # waits for the municipality's approval; holds its seats
    CONFIRMED = "confirmed"
    WAITLISTED = "waitlisted"
    OFFERED = "offered"  # promoted from the waiting list, waiting for the family's answer
    CANCELLED = "cancelled"
    DECLINED = "declined"  # the municipality said no
    # A family registered itself and no adult has confirmed the e-mail address yet (accepted the
    # invitation). Holds no seat and is not active: on confirmation the sign-up goes through the
    # normal rules (services.signup.sign_up); past the deadline it lapses and the household goes.
    UNVERIFIED = "unverified"


class ParticipantKind(enum.StrEnum):
    """Who a sign-up is for: a foster family (a household) or a professional (a social worker)."""

    FAMILY = "family"
    PROFESSIONAL = "professional"


# The scope of a whole-run sign-up ("session:<id>" is a make-up). Private to enrollment: other areas
# ask queries.signup_persons / queries.session_participants, which say `whole_run` / `is_makeup`.
RUN_SCOPE = "run"

# Statuses whose persons count against the run's capacity.
SEAT_HOLDING = (EnrollmentStatus.PENDING, EnrollmentStatus.CONFIRMED, EnrollmentStatus.OFFERED)
ACTIVE = (*SEAT_HOLDING, EnrollmentStatus.WAITLISTED)
# Waiting for the municipality's approval, in SQL: the predicate of a partial index, written as the
# staff's start page's condition is rendered (statuses as literals; SQLAlchemy writes the boolean
# as 1 on SQLite, whose planner matches the terms' text) so that each database's planner uses it.
_ACTIVE_IN = "status IN ({})".format(", ".join(f"'{status.value}'" for status in ACTIVE))
AWAITING_APPROVAL = f"needs_approval IS true AND {_ACTIVE_IN}"
AWAITING_APPROVAL_SQLITE = f"needs_approval IS 1 AND {_ACTIVE_IN}"


class Enrollment(Base):
    """A sign-up for a run, or for one session of it (a make-up of a missed theme).

    Two kinds share this one table, so that seats, the waiting list, approval, invites, reminders,
    attendance, completion and certificates run through the same services for both:

    - a family's sign-up (`participant_kind` "family"): `household_id` is set, and the persons
      are adults of that household (one or two seats);
    - a professional's sign-up ("professional", a course type for professionals or for both):
      `household_id` is NULL and `professional_id` names the one person, who is also its one
      EnrollmentPerson row. Uniqueness per run and scope is on `professional_id` there (NULLs
      never collide, so each kind's unique constraint leaves the other kind alone).

    A check constraint holds the shape: a family sign-up has a household and no professional, a
    professional's has a professional and no household. Code that reads `household` asks
    `is_professional` first (or `participant_name`, `municipality`, which answer for both).
    """

    __tablename__ = "enrollments"

    id: Mapped[intpk]
    run_id: Mapped[int] = mapped_column(sa.ForeignKey("course_runs.id", ondelete="CASCADE"), index=True)
    participant_kind: Mapped[ParticipantKind] = mapped_column(
        str_enum(ParticipantKind, "participant_kind"),
        default=ParticipantKind.FAMILY,
        server_default=ParticipantKind.FAMILY.value,
    )
    # The family's household; NULL for a professional's sign-up.
    household_id: Mapped[int | None] = mapped_column(sa.ForeignKey("households.id"), index=True)
    # The professional signed up; NULL for a family's sign-up.
    professional_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"), index=True)
    # Set for a make-up sign-up to a single session; NULL for the whole run.
    makeup_session_id: Mapped[int | None] = mapped_column(sa.ForeignKey("course_sessions.id"))
    # "run" for a whole-run sign-up, "session:<id>" for a make-up; unique per household and run.
    scope: Mapped[str] = mapped_column(sa.String(30), default=RUN_SCOPE)
    status: Mapped[EnrollmentStatus] = mapped_column(
        str_enum(EnrollmentStatus, "enrollment_status"), index=True
    )
    waitlist_position: Mapped[int | None]
    offer_expires_at: Mapped[datetime | None]
    # The municipality has still to approve this sign-up (a family's own sign-up to a course type
    # that requires it, or any sign-up of a household no municipal worker has confirmed yet).
    needs_approval: Mapped[bool] = mapped_column(default=False)
    needs_diet: Mapped[str] = mapped_column(sa.String(300), default="")
    needs_accessibility: Mapped[str] = mapped_column(sa.String(300), default="")
    needs_interpreter: Mapped[str] = mapped_column(sa.String(100), default="")  # language, if any
    signed_up_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    decided_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    decided_at: Mapped[datetime | None]
    confirmed_at: Mapped[datetime | None]
    cancelled_at: Mapped[datetime | None]
    cancelled_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    cancel_reason: Mapped[str] = mapped_column(sa.String(300), default="")
    created_at: Mapped[datetime] = created_at_column()

    run: Mapped[CourseRun] = relationship()
    household: Mapped[Household | None] = relationship()
    professional: Mapped[User | None] = relationship(foreign_keys=[professional_id])
    makeup_session: Mapped[CourseSession | None] = relationship()
    persons: Mapped[list[EnrollmentPerson]] = relationship(
        back_populates="enrollment", cascade="all, delete-orphan", order_by="EnrollmentPerson.id"
    )

    __table_args__ = (
        sa.UniqueConstraint("run_id", "household_id", "scope"),
        sa.UniqueConstraint("run_id", "professional_id", "scope"),
        sa.CheckConstraint(
            "(participant_kind = 'family' AND household_id IS NOT NULL AND professional_id IS NULL)"
            " OR (participant_kind = 'professional' AND household_id IS NULL"
            " AND professional_id IS NOT NULL)",
            name="participant_shape",
        ),
        sa.CheckConstraint(
            "(status = 'waitlisted') = (waitlist_position IS NOT NULL)",
            name="waitlist_position_iff_waitlisted",
        ),
        sa.CheckConstraint(
            "(status = 'offered') = (offer_expires_at IS NOT NULL)",
            name="offer_deadline_iff_offered",
        ),
        # Staff's start page finds the sign-ups waiting for a municipality's approval among all
        # sign-ups ever made (the status alone does not narrow it: confirmed ones are most).
        sa.Index("ix_enrollments_needs_approval_status", "needs_approval", "status"),
        # ... and its oldest few in order: a short range of this small index, not a sort of them all.
        # With the sign-up's household and professional carried in it (PostgreSQL), a
        # municipality's count of them (its members' menu) reads this index alone.
        partial_index(
            "ix_enrollments_awaiting_approval",
            "created_at",
            "id",
            where=AWAITING_APPROVAL,
            sqlite_where=AWAITING_APPROVAL_SQLITE,
            postgresql_include=["household_id", "professional_id"],
        ),
    )

    @property
    def seats(self) -> int:
        return len(self.persons)

    @property
    def holds_seats(self) -> bool:
        return self.status in SEAT_HOLDING

    @property
    def is_professional(self) -> bool:
        return self.participant_kind == ParticipantKind.PROFESSIONAL

    @property
    def participant_name(self) -> str:
        """Return the family's name, or the professional's own name."""
        if self.household is not None:
            return self.household.name
        return self.professional.full_name if self.professional is not None else ""

    @property
    def municipality(self) -> Municipality | None:
        """Return the household's municipality, or the professional's (None for one without)."""
        if self.household is not None:
            return self.household.municipality
        return self.professional.municipality if self.professional is not None else None

    @property
    def municipality_id(self) -> int | None:
        if self.household is not None:
            return self.household.municipality_id
        return self.professional.municipality_id if self.professional is not None else None

    @property
    def is_makeup(self) -> bool:
        return self.makeup_session_id is not None

    def can_cancel(self, now: datetime) -> bool:
        """Return True while the sign-up is active and the run has not ended."""
        return self.status in ACTIVE and self.run.status not in (RunStatus.CANCELLED, RunStatus.COMPLETED)

    def can_accept_offer(self, now: datetime) -> bool:
        """Return True while an offer of seats is open."""
        return (
            self.status == EnrollmentStatus.OFFERED
            and self.offer_expires_at is not None
            and now < self.offer_expires_at
        )


class EnrollmentPerson(Base):
    """One adult covered by a sign-up; capacity counts these."""

    __tablename__ = "enrollment_persons"

    id: Mapped[intpk]
    enrollment_id: Mapped[int] = mapped_column(
        sa.ForeignKey("enrollments.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), index=True)

    enrollment: Mapped[Enrollment] = relationship(back_populates="persons")
    user: Mapped[User] = relationship()

    __table_args__ = (sa.UniqueConstraint("enrollment_id", "user_id"),)


class CalendarFeed(Base):
    """A user's private, revocable calendar feed address."""

    __tablename__ = "calendar_feeds"

    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    token: Mapped[str] = mapped_column(sa.String(64), unique=True)
    created_at: Mapped[datetime] = created_at_column()

    user: Mapped[User] = relationship()


class CalendarSequence(Base):
    """How far a person's calendar SEQUENCE for a run's sessions is ahead of their revisions.

    A calendar program drops a message whose SEQUENCE is lower than one it already holds for the
    event (RFC 5546), and a withdrawn sign-up's CANCEL is one above the session's revision. Every
    invite a person gets says revision + offset, every CANCEL revision + offset + 1, and each CANCEL
    raises the offset by 2: so each message is at least as high as the one before, and a new
    sign-up after a cancellation is strictly higher than the CANCEL. One row per person and run
    (not per sign-up row), because a person may hear of the same session through several sign-ups
    (the whole run, then a make-up of one session of it).
    """

    __tablename__ = "calendar_sequences"

    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    run_id: Mapped[int] = mapped_column(sa.ForeignKey("course_runs.id", ondelete="CASCADE"), primary_key=True)
    sequence_offset: Mapped[int] = mapped_column(default=0)

    __table_args__ = (sa.CheckConstraint("sequence_offset >= 0", name="sequence_offset_not_negative"),)
