"""Attendance marks and their correction log, advance absence notices, completions, certificates."""

from __future__ import annotations

import enum
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from coursehub.accounts.models import User
from coursehub.courses.models import CourseSession, CourseType
from coursehub.db import Base, created_at_column, intpk, partial_index, str_enum


class AttendanceStatus(enum.StrEnum):
    PRESENT = "present"
    ABSENT = "absent"
    EXCUSED = "excused"  # anmäld frånvaro: absent, with notice


class AttendanceMark(Base):
    """One person's attendance at one session; corrections change it and log an AttendanceChange."""

    __tablename__ = "attendance_marks"

    id: Mapped[intpk]
    # Its own index beside the unique (session_id, user_id): a quarter of that one's size, and
    # the one PostgreSQL reads for a period's marks (tests/test_indexes.py says why it stays).
    session_id: Mapped[int] = mapped_column(
        sa.ForeignKey("course_sessions.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), index=True)
    status: Mapped[AttendanceStatus] = mapped_column(str_enum(AttendanceStatus, "attendance_status"))
    remark: Mapped[str] = mapped_column(sa.String(300), default="")
    recorded_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    recorded_at: Mapped[datetime]

    session: Mapped[CourseSession] = relationship()
    user: Mapped[User] = relationship(foreign_keys=[user_id])
    recorded_by: Mapped[User | None] = relationship(foreign_keys=[recorded_by_id])
    changes: Mapped[list[AttendanceChange]] = relationship(
        back_populates="mark", cascade="all, delete-orphan", order_by="AttendanceChange.id"
    )

    __table_args__ = (sa.UniqueConstraint("session_id", "user_id"),)

    @property
    def is_present(self) -> bool:
        return self.status == AttendanceStatus.PRESENT


class AttendanceChange(Base):
    """A correction of a mark: who changed it, when, and from what to what."""

    __tablename__ = "attendance_changes"

    id: Mapped[intpk]
    mark_id: Mapped[int] = mapped_column(sa.ForeignKey("attendance_marks.id", ondelete="CASCADE"), index=True)
    changed_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    changed_at: Mapped[datetime]
    from_status: Mapped[AttendanceStatus] = mapped_column(
        str_enum(AttendanceStatus, "attendance_change_from")
    )
    to_status: Mapped[AttendanceStatus] = mapped_column(str_enum(AttendanceStatus, "attendance_change_to"))
    from_remark: Mapped[str] = mapped_column(sa.String(300), default="")
    to_remark: Mapped[str] = mapped_column(sa.String(300), default="")

    mark: Mapped[AttendanceMark] = relationship(back_populates="changes")
    changed_by: Mapped[User | None] = relationship()

    __table_args__ = (
        sa.CheckConstraint("from_status <> to_status OR from_remark <> to_remark", name="something_changed"),
    )


class AbsenceNotice(Base):
    """A family's advance notice that a person will miss a session."""

    __tablename__ = "absence_notices"

    id: Mapped[intpk]
    session_id: Mapped[int] = mapped_column(
        sa.ForeignKey("course_sessions.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), index=True)
    reported_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    reported_at: Mapped[datetime] = created_at_column()
    reason: Mapped[str] = mapped_column(sa.String(300), default="")

    session: Mapped[CourseSession] = relationship()
    user: Mapped[User] = relationship(foreign_keys=[user_id])
    reported_by: Mapped[User | None] = relationship(foreign_keys=[reported_by_id])

    __table_args__ = (sa.UniqueConstraint("session_id", "user_id"),)


class Completion(Base):
    """A person has met a course type's completion rule; made once, dated by the completing session."""

    __tablename__ = "completions"

    id: Mapped[intpk]
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), index=True)
    course_type_id: Mapped[int] = mapped_column(sa.ForeignKey("course_types.id"), index=True)
    # The start of the session that completed the rule: "the date of completion".
    completed_at: Mapped[datetime]
    completing_session_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("course_sessions.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = created_at_column()

    user: Mapped[User] = relationship()
    course_type: Mapped[CourseType] = relationship()
    certificates: Mapped[list[Certificate]] = relationship(
        back_populates="completion", order_by="Certificate.id"
    )

    __table_args__ = (sa.UniqueConstraint("user_id", "course_type_id"),)


class Certificate(Base):
    """Proof of a completion; a public page checks its code. Revoked, never deleted."""

    __tablename__ = "certificates"

    id: Mapped[intpk]
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), index=True)
    course_type_id: Mapped[int] = mapped_column(sa.ForeignKey("course_types.id"), index=True)
    completion_id: Mapped[int] = mapped_column(sa.ForeignKey("completions.id"), index=True)
    code: Mapped[str] = mapped_column(sa.String(32), unique=True)
    issued_at: Mapped[datetime]
    revoked_at: Mapped[datetime | None]
    revoked_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    revoke_reason: Mapped[str] = mapped_column(sa.String(300), default="")

    user: Mapped[User] = relationship(foreign_keys=[user_id])
    course_type: Mapped[CourseType] = relationship()
    completion: Mapped[Completion] = relationship(back_populates="certificates")
    revoked_by: Mapped[User | None] = relationship(foreign_keys=[revoked_by_id])

    __table_args__ = (
        sa.CheckConstraint("(revoked_at IS NULL) = (revoked_by_id IS NULL)", name="revoked_with_actor"),
        sa.CheckConstraint("length(code) >= 10", name="code_long_enough"),
        # At most one valid certificate per completion: a reissue revokes the old one first.
        partial_index(
            "uq_certificates_valid_completion",
            "completion_id",
            where="revoked_at IS NULL",
            unique=True,
        ),
    )

    @property
    def is_valid(self) -> bool:
        return self.revoked_at is None
