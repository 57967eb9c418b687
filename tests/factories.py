"""factory_boy factories, one per model, flushing into the test's session."""

from __future__ import annotations

from datetime import timedelta

import factory
from factory.alchemy import SQLAlchemyModelFactory

from coursehub import clock
from coursehub.accounts import passwords
from coursehub.accounts.models import Household, Municipality, Role, User, UserRole
from coursehub.courses.models import (
    CourseKind,
    CourseRun,
    CourseSession,
    CourseTheme,
    CourseType,
    RunStatus,
    SessionStatus,
    Venue,
)
from coursehub.enrollment.models import Enrollment, EnrollmentPerson, EnrollmentStatus
from coursehub.enrollment.services.common import recount_seats
from coursehub.extensions import db

PASSWORD = "rätt-lösenord-för-test"
_HASH = passwords.hash_password(PASSWORD)  # hashed once: Argon2 is slow on purpose


class Base(SQLAlchemyModelFactory):
    class Meta:
        abstract = True
        sqlalchemy_session_factory = lambda: db.session  # noqa: E731
        sqlalchemy_session_persistence = "flush"


class MunicipalityFactory(Base):
    class Meta:
        model = Municipality

    name = factory.Sequence(lambda n: f"Kommun {n}")
    code = factory.Sequence(lambda n: f"{9000 + n % 1000:04d}")
    is_member = True


class HouseholdFactory(Base):
    class Meta:
        model = Household

    name = factory.Sequence(lambda n: f"Familjen Test {n}")
    municipality = factory.SubFactory(MunicipalityFactory)
    is_confirmed = True


class UserFactory(Base):
    class Meta:
        model = User

    full_name = factory.Sequence(lambda n: f"Person Nummer{n}")
    username = factory.Sequence(lambda n: f"person.nummer{n}")
    email = factory.Sequence(lambda n: f"person{n}@exempel.test")
    password_hash = _HASH

    role_rows = factory.LazyAttribute(lambda o: [UserRole(role=Role(r)) for r in o.roles])

    class Params:
        roles = ()
        admin = factory.Trait(roles=[Role.ADMIN])
        staff = factory.Trait(roles=[Role.STAFF])
        leader = factory.Trait(roles=[Role.LEADER])
        steering = factory.Trait(roles=[Role.STEERING])
        member = factory.Trait(roles=[Role.MEMBER])
        municipal = factory.Trait(
            roles=[Role.MUNICIPAL], municipality=factory.SubFactory(MunicipalityFactory)
        )
        family = factory.Trait(roles=[Role.FAMILY], household=factory.SubFactory(HouseholdFactory))


class CourseTypeFactory(Base):
    class Meta:
        model = CourseType

    name = factory.Sequence(lambda n: f"Kurstyp {n}")
    kind = CourseKind.BASIC
    allowed_absences = 0
    allows_makeup = True
    issues_certificate = True
    requires_municipal_approval = False

    @factory.post_generation
    def themes(self, create, extracted, **kwargs):
        """Three themes "Tema 1" … by default; `themes=5` for five, `themes=[titles]` for these."""
        if isinstance(extracted, list | tuple):
            titles = list(extracted)
        else:
            titles = [f"Tema {n}" for n in range(1, (extracted if isinstance(extracted, int) else 3) + 1)]
        for position, title in enumerate(titles, start=1):
            self.themes.append(CourseTheme(position=position, title=title))
        db.session.flush()


class VenueFactory(Base):
    class Meta:
        model = Venue

    name = factory.Sequence(lambda n: f"Lokal {n}")
    street = "Storgatan 1"
    postcode = "553 20"
    city = "Jönköping"


class CourseRunFactory(Base):
    """A run with one session per theme on a weekly rhythm at the run's venue, starting four weeks
    after now."""

    class Meta:
        model = CourseRun

    course_type = factory.SubFactory(CourseTypeFactory)
    title = factory.LazyAttribute(lambda o: o.course_type.name)
    status = RunStatus.PUBLISHED
    capacity = 20
    signup_opens_at = factory.LazyFunction(lambda: clock.now() - timedelta(days=7))
    signup_closes_at = factory.LazyFunction(lambda: clock.now() + timedelta(days=21))
    venue = factory.SubFactory(VenueFactory)

    class Params:
        draft = factory.Trait(status=RunStatus.DRAFT)

    @factory.post_generation
    def sessions(self, create, extracted, **kwargs):
        """One session per theme, weekly; `sessions=False` for none, `sessions__start=` to move."""
        if extracted is False:
            return
        first = kwargs.get("start") or (clock.now() + timedelta(days=28)).replace(
            hour=16, minute=0, second=0, microsecond=0
        )
        for index, theme in enumerate(self.course_type.active_themes):
            start = first + timedelta(weeks=index)
            self.sessions.append(
                CourseSession(
                    theme=theme,
                    title=theme.title,
                    starts_at=start,
                    ends_at=start + timedelta(hours=3),
                    venue=self.venue,  # as the courses services place a new run's sessions
                )
            )
        self.starts_at = min((s.starts_at for s in self.sessions), default=None)
        self.ends_at = max((s.ends_at for s in self.sessions), default=None)
        db.session.flush()

    @factory.post_generation
    def leaders(self, create, extracted, **kwargs):
        for leader in extracted or ():
            self.leaders.append(leader)
        db.session.flush()


class CourseSessionFactory(Base):
    class Meta:
        model = CourseSession

    run = factory.SubFactory(CourseRunFactory, sessions=False)
    title = "Träff"
    starts_at = factory.LazyFunction(lambda: clock.now() + timedelta(days=10))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + timedelta(hours=3))

    @factory.post_generation
    def run_times(self, create, extracted, **kwargs):
        """Keep the run's last scheduled end as the courses services do."""
        scheduled = [s for s in self.run.sessions if s.status == SessionStatus.SCHEDULED]
        self.run.ends_at = max((s.ends_at for s in scheduled), default=None)
        db.session.flush()


class EnrollmentFactory(Base):
    """A confirmed sign-up of every adult in a household (one adult by default)."""

    class Meta:
        model = Enrollment

    run = factory.SubFactory(CourseRunFactory)
    household = factory.SubFactory(HouseholdFactory)
    status = EnrollmentStatus.CONFIRMED
    confirmed_at = factory.LazyFunction(clock.now)

    class Params:
        waitlisted = factory.Trait(status=EnrollmentStatus.WAITLISTED, waitlist_position=1, confirmed_at=None)
        pending = factory.Trait(status=EnrollmentStatus.PENDING, confirmed_at=None)

    @factory.post_generation
    def persons(self, create, extracted, **kwargs):
        people = extracted
        if people is None:
            people = self.household.adults or [UserFactory(household=self.household, roles=[Role.FAMILY])]
        for person in people:
            self.persons.append(EnrollmentPerson(user=person))
        # As the enrollment services do: the run's seats_taken follows its sign-ups.
        recount_seats(self.run)
