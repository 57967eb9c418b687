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
