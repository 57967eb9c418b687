"""Course types and their meeting themes, venues, course runs, sessions and leaders."""

from __future__ import annotations

import enum
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from coursehub.accounts.models import CountyPart, HomeKind, Municipality, ReferenceMark, User
from coursehub.db import Base, created_at_column, intpk, partial_index, str_enum
from coursehub.lib import change_marks


class CourseKind(enum.StrEnum):
    BASIC = "basic"  # grundutbildning, e.g. Ett hem att växa i
    CONTINUING = "continuing"  # fortbildning
    OTHER = "other"


course_type_home_kinds = sa.Table(
    "course_type_home_kinds",
    Base.metadata,
    sa.Column("course_type_id", sa.ForeignKey("course_types.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("home_kind_id", sa.ForeignKey("home_kinds.id", ondelete="CASCADE"), primary_key=True),
)


class IntendedFor(enum.StrEnum):
    """Whom a course type is for: foster families, professionals (social workers), or both."""

    FAMILIES = "families"
    PROFESSIONALS = "professionals"
    BOTH = "both"


# What families (and visitors) may see and sign up for; professionals see every course type.
FAMILY_AUDIENCES = (IntendedFor.FAMILIES, IntendedFor.BOTH)
PROFESSIONAL_AUDIENCES = (IntendedFor.PROFESSIONALS, IntendedFor.BOTH)


class CourseType(Base):
    __tablename__ = "course_types"

    id: Mapped[intpk]
    name: Mapped[str] = mapped_column(sa.String(120), unique=True)
    kind: Mapped[CourseKind] = mapped_column(str_enum(CourseKind, "course_kind"))
    description: Mapped[str] = mapped_column(sa.Text, default="")
    audience: Mapped[str] = mapped_column(sa.Text, default="")
    # Whom the course is for. A family never sees (nor signs up for) a run of a type for
    # professionals only: the catalogue, the run's page and its calendar file leave it out.
    intended_for: Mapped[IntendedFor] = mapped_column(
        str_enum(IntendedFor, "intended_for"),
        default=IntendedFor.FAMILIES,
        server_default=IntendedFor.FAMILIES.value,
    )
    # Completion settings: course-type settings, never constants in code.
    allowed_absences: Mapped[int] = mapped_column(default=0)
    allows_makeup: Mapped[bool] = mapped_column(default=True)
    issues_certificate: Mapped[bool] = mapped_column(default=False)
    # Basic training: a family's own sign-up waits for its municipality's approval.
    requires_municipal_approval: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = created_at_column()

    themes: Mapped[list[CourseTheme]] = relationship(
        back_populates="course_type",
        order_by="CourseTheme.position",
        cascade="all, delete-orphan",
    )
    # The kinds of home the course is aimed at; none: every family.
    home_kinds: Mapped[list[HomeKind]] = relationship(
        secondary=course_type_home_kinds, order_by="HomeKind.name"
    )

    __table_args__ = (sa.CheckConstraint("allowed_absences >= 0", name="allowed_absences_not_negative"),)

    @property
    def is_for_families(self) -> bool:
        return self.intended_for in FAMILY_AUDIENCES

    @property
    def is_for_professionals(self) -> bool:
        return self.intended_for in PROFESSIONAL_AUDIENCES

    @property
    def active_themes(self) -> list[CourseTheme]:
        return [t for t in self.themes if not t.is_retired]


class CourseTheme(Base):
    """One meeting's theme in a course type; retired, never deleted, once a run has used it."""

    __tablename__ = "course_themes"

    id: Mapped[intpk]
    course_type_id: Mapped[int] = mapped_column(
        sa.ForeignKey("course_types.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int]
    title: Mapped[str] = mapped_column(sa.String(200))
    description: Mapped[str] = mapped_column(sa.Text, default="")
    mandatory_content: Mapped[str] = mapped_column(sa.Text, default="")
    optional_exercises: Mapped[str] = mapped_column(sa.Text, default="")
    suggested_minutes: Mapped[int] = mapped_column(default=180)
    is_retired: Mapped[bool] = mapped_column(default=False)

    course_type: Mapped[CourseType] = relationship(back_populates="themes")

    __table_args__ = (sa.CheckConstraint("suggested_minutes > 0", name="suggested_minutes_positive"),)


class Venue(Base):
    __tablename__ = "venues"

    id: Mapped[intpk]
    name: Mapped[str] = mapped_column(sa.String(120))
    street: Mapped[str] = mapped_column(sa.String(120), default="")
    postcode: Mapped[str] = mapped_column(sa.String(10), default="")
    city: Mapped[str] = mapped_column(sa.String(80), default="")
    municipality_id: Mapped[int | None] = mapped_column(sa.ForeignKey("municipalities.id"))
    accessibility_notes: Mapped[str] = mapped_column(sa.Text, default="")

    municipality: Mapped[Municipality | None] = relationship()

    @property
    def address(self) -> str:
        return venue_address(self.street, self.postcode, self.city)


def venue_address(street: str, postcode: str, city: str) -> str:
    """Return a venue's address as one line: "Storgatan 1, 553 16 Jönköping" (parts left out when empty)."""
    return ", ".join(p for p in (street, f"{postcode} {city}".strip()) if p)


class RunStatus(enum.StrEnum):
    DRAFT = "draft"
    PUBLISHED = "published"
    CANCELLED = "cancelled"
    COMPLETED = "completed"


run_leaders = sa.Table(
    "run_leaders",
    Base.metadata,
    sa.Column("run_id", sa.ForeignKey("course_runs.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("user_id", sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
    # A leader's runs (their start page, attendance list and next meetings): the key begins with
    # the run, so without this each of those read every run's leaders.
    sa.Index("ix_run_leaders_user_id_run_id", "user_id", "run_id"),
)

run_municipalities = sa.Table(
    "run_municipalities",
    Base.metadata,
    sa.Column("run_id", sa.ForeignKey("course_runs.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("municipality_id", sa.ForeignKey("municipalities.id", ondelete="CASCADE"), primary_key=True),
)

run_county_parts = sa.Table(
    "run_county_parts",
    Base.metadata,
    sa.Column("run_id", sa.ForeignKey("course_runs.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("county_part_id", sa.ForeignKey("county_parts.id", ondelete="CASCADE"), primary_key=True),
)

MAX_CAPACITY = 500
# A session's note of contents and its speakers (SessionSpeaker).
MAX_CONTENTS_NOTE = 1000
MAX_SPEAKERS = 4
SPEAKER_NAME_LENGTH = 120
SPEAKER_TITLE_LENGTH = 120
SPEAKER_ORGANISATION_LENGTH = 160


class CourseRun(Base):
    __tablename__ = "course_runs"

    id: Mapped[intpk]
    course_type_id: Mapped[int] = mapped_column(sa.ForeignKey("course_types.id"), index=True)
    title: Mapped[str] = mapped_column(sa.String(200))
    edition: Mapped[str] = mapped_column(sa.String(60), default="")  # edition of the material
    status: Mapped[RunStatus] = mapped_column(
        str_enum(RunStatus, "run_status"), default=RunStatus.DRAFT, index=True
    )
    capacity: Mapped[int]  # in persons
    # The fewest confirmed participants (persons) the run needs to be held; None: no minimum.
    min_participants: Mapped[int | None]
    signup_opens_at: Mapped[datetime]
    signup_closes_at: Mapped[datetime]
    # Audience: every member municipality (the whole county), or else the municipalities in
    # `municipalities` together with those of the county parts in `county_parts`.
    is_open_to_all: Mapped[bool] = mapped_column(default=True)
    venue_id: Mapped[int | None] = mapped_column(sa.ForeignKey("venues.id"))
    online_url: Mapped[str | None] = mapped_column(sa.String(500))
    description: Mapped[str] = mapped_column(sa.Text, default="")
    contact_name: Mapped[str] = mapped_column(sa.String(120), default="")
    contact_email: Mapped[str] = mapped_column(sa.String(254), default="")
    # First session's start, kept by services so that the catalogue sorts and filters in SQL.
    starts_at: Mapped[datetime | None] = mapped_column(index=True)
    # Last scheduled session's end, kept by services with `starts_at`: the catalogue asks whether a
    # run is over of the run itself, instead of scanning every session for its end.
    ends_at: Mapped[datetime | None]
    # The seats a whole-run sign-up cannot have: persons of whole-run sign-ups holding seats
    # (pending, confirmed, offered) plus the most make-ups held at any one session (a make-up holds
    # a seat at its one session only), so that the catalogue filters and pages in SQL. Only
    # enrollment writes it (`enrollment.services.common.seats_taken`), under the run's row lock;
    # courses leaves it at its default.
    seats_taken: Mapped[int] = mapped_column(default=0, server_default=sa.text("0"))
    created_at: Mapped[datetime] = created_at_column()
    cancelled_at: Mapped[datetime | None]

    course_type: Mapped[CourseType] = relationship()
    venue: Mapped[Venue | None] = relationship()
    leaders: Mapped[list[User]] = relationship(secondary=run_leaders, order_by="User.full_name")
    municipalities: Mapped[list[Municipality]] = relationship(
        secondary=run_municipalities, order_by="Municipality.name"
    )
    county_parts: Mapped[list[CountyPart]] = relationship(
        secondary=run_county_parts, order_by="CountyPart.name"
    )
    sessions: Mapped[list[CourseSession]] = relationship(
        back_populates="run", order_by="CourseSession.starts_at", cascade="all, delete-orphan"
    )

    __table_args__ = (
        sa.CheckConstraint(f"capacity > 0 AND capacity <= {MAX_CAPACITY}", name="capacity_range"),
        sa.CheckConstraint("signup_closes_at > signup_opens_at", name="signup_window_order"),
        sa.CheckConstraint("seats_taken >= 0", name="seats_taken_not_negative"),
        sa.CheckConstraint("min_participants >= 1", name="min_participants_positive"),
        # The catalogue: published runs in order of their first session, paged in SQL.
        sa.Index("ix_course_runs_status_starts_at", "status", "starts_at", "id"),
        # The catalogue's count and page on PostgreSQL: the published runs with what they are
        # filtered by, read from the index alone (migration a7e5c0d2f301). Not seats_taken, which
        # every sign-up changes: an index on it would make each such change write the index too.
        partial_index(
            "ix_course_runs_published",
            "starts_at",
            "id",
            where="status = 'published'",
            postgresql_include=["ends_at", "course_type_id", "venue_id"],
        ).ddl_if(dialect="postgresql"),
    )

    @property
    def is_online(self) -> bool:
        return self.venue_id is None and bool(self.online_url)

    @property
    def seats_left(self) -> int:
        """Return the free seats (none when more hold seats than the capacity allows)."""
        return max(self.capacity - self.seats_taken, 0)

    def is_signup_open(self, now: datetime) -> bool:
        """Return True when a sign-up is allowed at `now` by status and window."""
        return self.status == RunStatus.PUBLISHED and self.signup_opens_at <= now < self.signup_closes_at

    def is_led_by(self, user) -> bool:
        return any(leader.id == user.id for leader in self.leaders)


class SessionStatus(enum.StrEnum):
    SCHEDULED = "scheduled"
    CANCELLED = "cancelled"


# The condition of ix_course_sessions_unmarked (CourseSession): a meeting to be held or held,
# where no attendance has been recorded.
UNMARKED = "status = 'scheduled' AND attendance_taken_at IS NULL"


class CourseSession(Base):
    """One meeting (träff) of a run."""

    __tablename__ = "course_sessions"

    id: Mapped[intpk]
    run_id: Mapped[int] = mapped_column(sa.ForeignKey("course_runs.id", ondelete="CASCADE"), index=True)
    theme_id: Mapped[int | None] = mapped_column(sa.ForeignKey("course_themes.id"), index=True)
    # The theme's title as it was when the run was made: runs keep what they were created with.
    title: Mapped[str] = mapped_column(sa.String(200))
    starts_at: Mapped[datetime] = mapped_column(index=True)
    ends_at: Mapped[datetime]
    venue_id: Mapped[int | None] = mapped_column(sa.ForeignKey("venues.id"))
    online_url: Mapped[str | None] = mapped_column(sa.String(500))
    status: Mapped[SessionStatus] = mapped_column(
        str_enum(SessionStatus, "session_status"), default=SessionStatus.SCHEDULED
    )
    # Grows with every change of time or place; calendar invites use it as SEQUENCE.
    revision: Mapped[int] = mapped_column(default=0)
    # When the participants' reminders were queued (enrollment's reminder job, through
    # courses.services.mark_sessions_reminded): the job then looks only at sessions not reminded.
    reminded_at: Mapped[datetime | None]
    # When attendance was first recorded at the session (attendance's services, through
    # courses.services.note_attendance_taken): the staff's lists of meetings still to be marked
    # then look only at the sessions without it (ix_course_sessions_unmarked), not at every mark.
    attendance_taken_at: Mapped[datetime | None]
    # Why staff cancelled the session; the families' mail and the run page show it.
    cancel_reason: Mapped[str] = mapped_column(sa.String(300), default="", server_default="")
    # What the meeting holds beyond its theme (a guest's talk, a panel); shown on the run's page,
    # in the calendar invite and on the attendance sheet.
    contents_note: Mapped[str] = mapped_column(sa.String(MAX_CONTENTS_NOTE), default="", server_default="")

    run: Mapped[CourseRun] = relationship(back_populates="sessions")
    theme: Mapped[CourseTheme | None] = relationship()
    venue: Mapped[Venue | None] = relationship()
    speakers: Mapped[list[SessionSpeaker]] = relationship(
        back_populates="session", order_by="SessionSpeaker.position", cascade="all, delete-orphan"
    )

    __table_args__ = (
        sa.CheckConstraint("ends_at > starts_at", name="ends_after_start"),
        sa.CheckConstraint("revision >= 0", name="revision_not_negative"),
        # The scheduled sessions of each run where nobody has been marked yet: those past their
        # end are what the staff's start page and a leader's run list call unmarked.
        partial_index("ix_course_sessions_unmarked", "run_id", "ends_at", where=UNMARKED),
    )

    def has_started(self, now: datetime) -> bool:
        return self.starts_at <= now

    @property
    def guests_line(self) -> str:
        """Return the speakers as one line: "Name (title, organisation); …" (empty without any)."""
        return "; ".join(speaker.label for speaker in self.speakers)


class SessionSpeaker(Base):
    """A speaker or guest at one session (a child psychiatrist, an experienced foster family)."""

    __tablename__ = "session_speakers"

    id: Mapped[intpk]
    session_id: Mapped[int] = mapped_column(
        sa.ForeignKey("course_sessions.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int]
    name: Mapped[str] = mapped_column(sa.String(SPEAKER_NAME_LENGTH))
    title: Mapped[str] = mapped_column(sa.String(SPEAKER_TITLE_LENGTH), default="")
    organisation: Mapped[str] = mapped_column(sa.String(SPEAKER_ORGANISATION_LENGTH), default="")

    session: Mapped[CourseSession] = relationship(back_populates="speakers")

    __table_args__ = (
        sa.UniqueConstraint("session_id", "position"),
        sa.CheckConstraint("length(name) > 0", name="speaker_name_not_empty"),
    )

    @property
    def label(self) -> str:
        details = ", ".join(part for part in (self.title, self.organisation) if part)
        return f"{self.name} ({details})" if details else self.name


# The staff run list: newest start first, runs without sessions (no start) last, paged in SQL:
# `starts_at DESC NULLS LAST, id DESC`. SQLite sorts NULL below every value, so it reads
# ix_course_runs_starts_at and ix_course_runs_status_starts_at backwards for that order (its
# indexes end with the rowid, the id). PostgreSQL sorts NULL above, and gets two indexes with
# NULLS FIRST to read backwards (migrations and the drift check honour `ddl_if`, see
# coursehub.db.include_for_dialect).
for _name, _columns in (
    ("ix_course_runs_start_order", ()),
    ("ix_course_runs_status_start_order", (CourseRun.status,)),
):
    sa.Index(_name, *_columns, CourseRun.starts_at.nulls_first(), CourseRun.id).ddl_if(dialect="postgresql")

# The catalogue's filters offer these (and accounts' lists): a change moves the reference mark.
change_marks.watch(
    Base.metadata, ReferenceMark.__tablename__, ("course_types", "venues", "course_type_home_kinds")
)
