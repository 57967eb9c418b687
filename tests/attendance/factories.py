"""Factories of the attendance models."""

from __future__ import annotations

import factory

from coursehub import clock
from coursehub.attendance.models import AttendanceMark, Certificate, Completion
from coursehub.attendance.services import new_certificate_code
from tests.factories import Base, CourseSessionFactory, CourseTypeFactory, UserFactory


class AttendanceMarkFactory(Base):
    class Meta:
        model = AttendanceMark

    session = factory.SubFactory(CourseSessionFactory)
    user = factory.SubFactory(UserFactory, family=True)
    status = "present"
    recorded_at = factory.LazyFunction(clock.now)

    @factory.post_generation
    def attendance_taken(mark, create, extracted, **kwargs):  # noqa: N805  # factory_boy's hook
        """Note on the session that attendance was taken, as attendance.services.record_attendance
        does with a session's first mark."""
        session = mark.session
        if session.attendance_taken_at is None or mark.recorded_at < session.attendance_taken_at:
            session.attendance_taken_at = mark.recorded_at


class CompletionFactory(Base):
    class Meta:
        model = Completion

    user = factory.SubFactory(UserFactory, family=True)
    course_type = factory.SubFactory(CourseTypeFactory)
    completed_at = factory.LazyFunction(clock.now)


class CertificateFactory(Base):
    class Meta:
        model = Certificate

    completion = factory.SubFactory(CompletionFactory)
    user = factory.SelfAttribute("completion.user")
    course_type = factory.SelfAttribute("completion.course_type")
    code = factory.LazyFunction(new_certificate_code)
    issued_at = factory.LazyFunction(clock.now)
