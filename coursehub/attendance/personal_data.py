"""Attendance's part of a person's data: attendance, absence notices, completions, certificates.

Export: the person's attendance at each session (with the leader's remark), their advance absence
notices, completed courses and certificates (code, issued, revoked). Erasure keeps marks, notices
and completions with their dates and statuses (attendance figures count them) and clears their
free text; a certificate is revoked, never deleted (the law and the public check need to know it
existed), with the erasure's reason, so that the public check says it no longer holds.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import selectinload
from sqlalchemy.orm.interfaces import ORMOption

from coursehub.attendance.models import (
    AbsenceNotice,
    AttendanceChange,
    AttendanceMark,
    Certificate,
    Completion,
)
from coursehub.courses.models import CourseSession
from coursehub.extensions import db
from coursehub.lib.checks import known
from coursehub.lib.personal_data import ErasureContext, Person, Provider, Rows, row


def _mine(model, person: Person, *options: ORMOption) -> list:
    """The person's rows of `model`; `options` load what the export shows with them, in one
    statement per relationship instead of one per row."""
    stmt = sa.select(model).where(model.user_id == person.id).order_by(model.id).options(*options)
    return list(db.session.scalars(stmt))


def export(person: Person) -> Rows:
    """Return the person's attendance, absence notices, completions and certificates."""
    return {
        "Närvaro": [
            row(
                {
                    "Kurs": mark.session.run.title,
                    "Träff": mark.session.title,
                    "Tid": mark.session.starts_at,
                    "Närvaro": mark.status,
                    "Anteckning": mark.remark,
                }
            )
            for mark in _mine(
                AttendanceMark, person, selectinload(AttendanceMark.session).selectinload(CourseSession.run)
            )
        ],
        "Frånvaroanmälningar": [
            row(
                {
                    "Träff": notice.session.title,
                    "Tid": notice.session.starts_at,
                    "Anmäld": notice.reported_at,
                    "Skäl": notice.reason,
                }
            )
            for notice in _mine(AbsenceNotice, person, selectinload(AbsenceNotice.session))
        ],
        "Slutförda kurser": [
            row({"Kurs": completion.course_type.name, "Slutförd": completion.completed_at})
            for completion in _mine(Completion, person, selectinload(Completion.course_type))
        ],
        "Intyg": [
            row(
                {
                    "Kurs": certificate.course_type.name,
                    "Kontrollkod": certificate.code,
                    "Utfärdat": certificate.issued_at,
                    "Återkallat": certificate.revoked_at,
                    "Skäl": certificate.revoke_reason,
                }
            )
            for certificate in _mine(Certificate, person, selectinload(Certificate.course_type))
        ],
    }


def erase(person: Person, context: ErasureContext) -> None:
    """Clear the free text of marks and notices; revoke the person's valid certificates."""
    marks = _mine(AttendanceMark, person)
    mark_ids = [mark.id for mark in marks]
    # A correction that changed only the remark says nothing once the remarks are gone.
    db.session.execute(
        sa.delete(AttendanceChange).where(
            AttendanceChange.mark_id.in_(mark_ids), AttendanceChange.from_status == AttendanceChange.to_status
        )
    )
    db.session.execute(
        sa.update(AttendanceChange)
        .where(AttendanceChange.mark_id.in_(mark_ids))
        .values(from_remark="", to_remark="")
    )
    for mark in marks:
        mark.remark = ""
    for notice in _mine(AbsenceNotice, person):
        notice.reason = ""
    for certificate in _mine(Certificate, person):
        if certificate.revoked_at is None:
            certificate.revoked_at = context.now
            certificate.revoked_by_id = known(context.actor_id, "erasure is done by a member of staff")
            certificate.revoke_reason = context.reason[:300]
    db.session.flush()


provider = Provider(
    area="attendance",
    tables=("attendance_marks", "attendance_changes", "absence_notices", "completions", "certificates"),
    export=export,
    erase=erase,
)
