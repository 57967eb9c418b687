"""Users, roles, municipalities, households, one-time account links and the audit log."""

from __future__ import annotations

import enum
import secrets
from datetime import datetime

import sqlalchemy as sa
from flask_login import UserMixin
from sqlalchemy.orm import Mapped, mapped_column, relationship

from coursehub.db import Base, created_at_column, intpk, str_enum
from coursehub.lib import change_marks


class Role(enum.StrEnum):
    """What a user may do; a user may hold several."""

    ADMIN = "admin"
    STAFF = "staff"
    LEADER = "leader"
    MUNICIPAL = "municipal"
    MEMBER = "member"
    FAMILY = "family"
    STEERING = "steering"


# The groups of roles that pages and rules check, named once; compare membership, not order.
STAFF_ROLES = (Role.STAFF, Role.ADMIN)
# May lead a run, and see the lists and attendance sheets of the runs they lead.
LEADER_ROLES = (Role.LEADER, *STAFF_ROLES)
# May see figures across runs (participants per municipality, attendance rates).
FIGURE_ROLES = (*STAFF_ROLES, Role.STEERING)


class Gender(enum.StrEnum):
    """A person's gender as they state it, optional; only used for counts in reports (NULL: not stated)."""

    WOMAN = "woman"
    MAN = "man"
    ANOTHER = "another"


def new_session_token() -> str:
    """Return a fresh random per-user session token."""
    return secrets.token_urlsafe(32)


class Municipality(Base):
    __tablename__ = "municipalities"

    id: Mapped[intpk]
    name: Mapped[str] = mapped_column(sa.String(80), unique=True)
    code: Mapped[str] = mapped_column(sa.String(4), unique=True)  # SCB's four-digit code
    is_member: Mapped[bool] = mapped_column(default=True)
    county: Mapped[str | None] = mapped_column(sa.String(40))  # e.g. "Jönköpings län"
    latitude: Mapped[float | None]
    longitude: Mapped[float | None]

    __table_args__ = (sa.CheckConstraint("length(code) = 4", name="code_four_digits"),)

    def __repr__(self) -> str:
        return f"<Municipality {self.code}>"


county_part_municipalities = sa.Table(
    "county_part_municipalities",
    Base.metadata,
    sa.Column("county_part_id", sa.ForeignKey("county_parts.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("municipality_id", sa.ForeignKey("municipalities.id", ondelete="CASCADE"), primary_key=True),
)


class CountyPart(Base):
    """A named group of municipalities (länsdel) that staff define; a municipality may be in several."""

    __tablename__ = "county_parts"

    id: Mapped[intpk]
    name: Mapped[str] = mapped_column(sa.String(80), unique=True)
    created_at: Mapped[datetime] = created_at_column()

    municipalities: Mapped[list[Municipality]] = relationship(
        secondary=county_part_municipalities, order_by="Municipality.name"
    )

    def __repr__(self) -> str:
        return f"<CountyPart {self.id}>"


class HomeKind(Base):
    """A kind of assignment a family may have or be open to (familjehem, jourhem ...); staff extend it."""

    __tablename__ = "home_kinds"

    id: Mapped[intpk]
    name: Mapped[str] = mapped_column(sa.String(80), unique=True)
    created_at: Mapped[datetime] = created_at_column()

    def __repr__(self) -> str:
        return f"<HomeKind {self.id}>"


class ReferenceMark(Base):
    """The mark of the reference lists (municipalities, county parts, kinds of home, and the course
    types and venues that `courses` adds): its newest id moves whenever one of them changes, by
    the database's own triggers (coursehub.lib.change_marks; read through accounts.reference)."""

    __tablename__ = "reference_marks"
    __table_args__ = {"sqlite_autoincrement": True}  # an id is never given twice, even after deletes

    id: Mapped[intpk]


# The reference lists of this area; courses adds its own (courses.models).
change_marks.watch(
    Base.metadata,
    ReferenceMark.__tablename__,
    ("municipalities", "county_parts", "county_part_municipalities", "home_kinds"),
)


household_home_kinds = sa.Table(
    "household_home_kinds",
    Base.metadata,
    sa.Column("household_id", sa.ForeignKey("households.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("home_kind_id", sa.ForeignKey("home_kinds.id", ondelete="CASCADE"), primary_key=True),
)


class Household(Base):
    """A family of one or more adults, tied to the municipality responsible for it."""

    __tablename__ = "households"

    id: Mapped[intpk]
    name: Mapped[str] = mapped_column(sa.String(120))
    municipality_id: Mapped[int] = mapped_column(sa.ForeignKey("municipalities.id"))
    # A household that registered itself counts only once a municipal worker has confirmed it.
    is_confirmed: Mapped[bool] = mapped_column(default=False)
    confirmed_at: Mapped[datetime | None]
    # The confirming user's id, without a foreign key: users already point at households, and a
    # cycle would make the tables impossible to create or drop in order. The audit log has the row.
    confirmed_by_id: Mapped[int | None]
    created_at: Mapped[datetime] = created_at_column()

    municipality: Mapped[Municipality] = relationship()
    adults: Mapped[list[User]] = relationship(
        back_populates="household", foreign_keys="User.household_id", order_by="User.id"
    )
    # The kinds of assignment the family has or is open to.
    home_kinds: Mapped[list[HomeKind]] = relationship(
        secondary=household_home_kinds, order_by="HomeKind.name"
    )

    __table_args__ = (
        # What retention looks for: unconfirmed households registered long ago (enrollment's
        # services.retention); confirmed ones are most and never read by it.
        sa.Index("ix_households_unconfirmed_created", "is_confirmed", "created_at"),
        # A municipality's households, their ids from the index alone (the members' menu count).
        sa.Index("ix_households_municipality_id_id", "municipality_id", "id"),
    )


class User(UserMixin, Base):
    __tablename__ = "users"

    id: Mapped[intpk]
    email: Mapped[str] = mapped_column(sa.String(254), unique=True)  # stored lower-case
    username: Mapped[str] = mapped_column(sa.String(80), unique=True)  # fornamn.efternamn
    full_name: Mapped[str] = mapped_column(sa.String(120))
    phone: Mapped[str | None] = mapped_column(sa.String(30))
    password_hash: Mapped[str | None] = mapped_column(sa.String(255))  # None until invited user sets one
    # Returned by get_id(); changed at logout, password change and deactivation to end sessions.
    session_token: Mapped[str] = mapped_column(sa.String(64), unique=True, default=new_session_token)
    municipality_id: Mapped[int | None] = mapped_column(sa.ForeignKey("municipalities.id"), index=True)
    household_id: Mapped[int | None] = mapped_column(sa.ForeignKey("households.id"), index=True)
    gender: Mapped[Gender | None] = mapped_column(str_enum(Gender, "gender"))
    deactivated_at: Mapped[datetime | None]
    last_login_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = created_at_column()

    role_rows: Mapped[list[UserRole]] = relationship(
        back_populates="user", cascade="all, delete-orphan", lazy="selectin"
    )
    municipality: Mapped[Municipality | None] = relationship()
    household: Mapped[Household | None] = relationship(back_populates="adults", foreign_keys=[household_id])

    # The staff's user list is ordered by name: a page of it read from the index in that order,
    # not every account sorted to show 25 (55,000 accounts: 37 ms -> 1 ms on PostgreSQL).
    __table_args__ = (sa.Index("ix_users_full_name_id", "full_name", "id"),)

    # -- Flask-Login --
    def get_id(self) -> str:
        return self.session_token

    @property
    def is_active(self) -> bool:
        return self.deactivated_at is None

    # -- roles --
    @property
    def roles(self) -> frozenset[Role]:
        return frozenset(Role(r.role) for r in self.role_rows)

    def has_role(self, *roles: Role) -> bool:
        """Return True when the user holds at least one of `roles`.

        Read from the rows, without building `roles`: the menu asks some thirty times a page.
        """
        return any(row.role in roles for row in self.role_rows)  # a Role equals its value

    @property
    def is_staff(self) -> bool:
        return self.has_role(*STAFF_ROLES)

    @property
    def first_name(self) -> str:
        return self.full_name.split(" ", 1)[0]

    def __repr__(self) -> str:
        return f"<User {self.id}>"


class UserRole(Base):
    __tablename__ = "user_roles"

    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    # Indexed on its own for "everyone with a role" (staff lists, the case board's filter): the
    # primary key leads with the user.
    role: Mapped[Role] = mapped_column(str_enum(Role, "role"), primary_key=True, index=True)

    user: Mapped[User] = relationship(back_populates="role_rows")


class TokenPurpose(enum.StrEnum):
    RESET = "reset"
    INVITATION = "invitation"


class AccountToken(Base):
    """A single-use link sent by e-mail; only a hash of the token is stored."""

    __tablename__ = "account_tokens"

    id: Mapped[intpk]
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    purpose: Mapped[TokenPurpose] = mapped_column(str_enum(TokenPurpose, "token_purpose"))
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    created_at: Mapped[datetime] = created_at_column()
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))

    user: Mapped[User] = relationship(foreign_keys=[user_id])

    def is_usable(self, now: datetime) -> bool:
        """Return True when the link has not been used and has not expired."""
        return self.used_at is None and now < self.expires_at


class LoginThrottle(Base):
    """Failed logins counted per account or per address (see services.check_login_throttle).

    Kept in the database, not in process memory, so that every worker on every host counts together.
    """

    __tablename__ = "login_throttles"

    key: Mapped[str] = mapped_column(sa.String(300), primary_key=True)  # "address:…" or "account:…"
    failures: Mapped[int] = mapped_column(default=0)
    last_failure_at: Mapped[datetime]


class AuditOutcome(enum.StrEnum):
    OK = "ok"
    DENIED = "denied"


class AuditEntry(Base):
    """Who did or read what, when. Never content, never personal data beyond the actor's id."""

    __tablename__ = "audit_entries"

    id: Mapped[intpk]
    at: Mapped[datetime] = created_at_column()
    actor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    actor_roles: Mapped[str] = mapped_column(sa.String(120), default="")
    action: Mapped[str] = mapped_column(sa.String(80))  # e.g. "user.deactivate"
    object_type: Mapped[str | None] = mapped_column(sa.String(40))
    object_id: Mapped[int | None]
    outcome: Mapped[AuditOutcome] = mapped_column(
        str_enum(AuditOutcome, "audit_outcome"), default=AuditOutcome.OK
    )
    detail: Mapped[str | None] = mapped_column(sa.String(300))  # a reason, never personal data

    actor: Mapped[User | None] = relationship()

    # The review page filters by actor, action or record and shows the newest first; the unusual-read
    # flags count one actor's reads within minutes. Each filter has an index ending in the time, so
    # that a page of a big log is read from the index in order (EXPLAIN in the migration's commit).
    __table_args__ = (
        sa.Index("ix_audit_entries_at", "at"),
        sa.Index("ix_audit_entries_actor_id_at", "actor_id", "at"),
        sa.Index("ix_audit_entries_action_at", "action", "at"),
        sa.Index("ix_audit_entries_object_at", "object_type", "object_id", "at"),
    )


class SecondFactor(Base):
    """A user's TOTP second factor (accounts.second_factor); one per user.

    `secret` holds the TOTP secret sealed with a key derived from SECRET_KEY, so that a database dump
    alone does not give it away. `enabled_at` is None while an enrolment waits for its first code.
    `last_used_step` is the TOTP time step of the last code accepted: a code of that step or an
    earlier one is refused, so that no code is accepted twice.
    """

    __tablename__ = "second_factors"

    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    secret: Mapped[str] = mapped_column(sa.String(200))
    created_at: Mapped[datetime] = created_at_column()
    enabled_at: Mapped[datetime | None]
    last_used_step: Mapped[int | None]


class RecoveryCode(Base):
    """A single-use code that stands in for a TOTP code; only a hash is stored."""

    __tablename__ = "recovery_codes"

    id: Mapped[intpk]
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    code_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    created_at: Mapped[datetime] = created_at_column()
    used_at: Mapped[datetime | None]
