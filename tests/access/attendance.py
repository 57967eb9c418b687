"""Access rules of the attendance area."""

from datetime import timedelta

from tests.access import EVERYONE, STAFF, Rule

LEADING = STAFF | {"leader"}
FIGURES = STAFF | {"steering"}


def _started_session(user):
    """A session of a run the visitor does not lead: only staff may see its sheet."""
    from coursehub import clock
    from coursehub.extensions import db
    from tests.factories import CourseRunFactory

    start = clock.now() - timedelta(hours=1)
    session = CourseRunFactory(sessions__start=start).sessions[0]
    db.session.commit()  # a refused mark rolls the request back; the session must outlive it
    return session


def _certificate(user):
    from tests.attendance.factories import CertificateFactory

    return CertificateFactory()


RULES = [
    Rule("attendance.runs", LEADING),
    Rule("attendance.sheet", STAFF, args=lambda user: {"session_id": _started_session(user).id}),
    Rule(
        "attendance.mark",
        STAFF,
        method="POST",
        args=lambda user: {"session_id": _started_session(user).id},
        data=lambda user: {"user_id": "0", "status": "present"},
    ),
    Rule("attendance.run_attendance", STAFF, args=lambda user: {"run_id": _started_session(user).run_id}),
    Rule("attendance.my_progress", frozenset({"family"})),
    Rule("attendance.report_absence", frozenset({"family"}), method="POST"),
    Rule("attendance.municipal_progress", frozenset({"municipal"})),
    Rule("attendance.rates", FIGURES),
    Rule("attendance.rates_chart", FIGURES),
    Rule("attendance.rates_export", FIGURES, args=lambda user: {"fmt": "csv"}),
    Rule("attendance.verify_certificate", EVERYONE, args=lambda user: {"code": _certificate(user).code}),
    Rule("attendance.certificate_pdf", STAFF, args=lambda user: {"certificate_id": _certificate(user).id}),
    Rule("attendance.admin_certificates", STAFF),
    Rule(
        "attendance.revoke_certificate",
        STAFF,
        method="POST",
        args=lambda user: {"certificate_id": _certificate(user).id},
        data=lambda user: {"reason": "Utfärdat av misstag"},
    ),
    Rule(
        "attendance.reissue_certificate",
        STAFF,
        method="POST",
        args=lambda user: {"certificate_id": _certificate(user).id},
    ),
]
