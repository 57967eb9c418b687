"""Database rules of the attendance tables: one mark per person and session, one valid certificate."""

from __future__ import annotations

import pytest
from sqlalchemy.exc import IntegrityError

from coursehub import clock
from coursehub.attendance.models import AttendanceMark, Certificate, Completion
from tests.attendance.factories import AttendanceMarkFactory, CertificateFactory, CompletionFactory


def test_one_mark_per_person_and_session(db):
    mark = AttendanceMarkFactory()
    with pytest.raises(IntegrityError), db.session.begin_nested():
        db.session.add(
            AttendanceMark(
                session_id=mark.session_id, user_id=mark.user_id, status="absent", recorded_at=clock.now()
            )
        )


def test_one_completion_per_person_and_course_type(db):
    completion = CompletionFactory()
    with pytest.raises(IntegrityError), db.session.begin_nested():
        db.session.add(
            Completion(
                user_id=completion.user_id, course_type_id=completion.course_type_id, completed_at=clock.now()
            )
        )


def test_at_most_one_valid_certificate_per_completion(db):
    first = CertificateFactory()
    with pytest.raises(IntegrityError), db.session.begin_nested():
        db.session.add(
            Certificate(
                user_id=first.user_id,
                course_type_id=first.course_type_id,
                completion_id=first.completion_id,
                code="NEWCODE23456",
                issued_at=clock.now(),
            )
        )
    first.revoked_at, first.revoked_by_id = clock.now(), first.user_id
    db.session.flush()
    second = CertificateFactory(completion=first.completion, code="NEWCODE23456")
    assert second.is_valid and not first.is_valid


def test_a_revocation_names_who_revoked(db):
    certificate = CertificateFactory()
    certificate.revoked_at = clock.now()
    with pytest.raises(IntegrityError):
        db.session.flush()


def test_codes_are_long_enough(db):
    with pytest.raises(IntegrityError):
        CertificateFactory(code="SHORT")
