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


def _open_run(user):
    from coursehub.extensions import db
    from tests.factories import CourseRunFactory

    run = CourseRunFactory()
    db.session.commit()
    return {"run_id": run.id}


def _certificate(user):
    from tests.attendance.factories import CertificateFactory

    return CertificateFactory()


def _own_adult(user):
    """An adult of a household the visitor may act for when municipal (their municipality)."""
    from tests.factories import HouseholdFactory, UserFactory

    municipality = getattr(user, "municipality", None)
    household = HouseholdFactory(municipality=municipality) if municipality else HouseholdFactory()
    return UserFactory(household=household, family=True)


def _notice(user):
    """An advance notice of the visitor's own (a family member's) absence from a coming session."""
    from coursehub.attendance.models import AbsenceNotice
    from coursehub.extensions import db
    from tests.factories import CourseSessionFactory, UserFactory

    person = user if user is not None and user.household_id else UserFactory(family=True)
    notice = AbsenceNotice(session=CourseSessionFactory(), user_id=person.id)
    db.session.add(notice)
    db.session.flush()
    return notice


RULES = [
    Rule("attendance.runs", LEADING),
    # Staff invite families to any published run; a municipal worker (of a member municipality,
    # which a run open to all includes) their own.
    Rule("attendance.invite_group", STAFF | {"municipal"}, args=_open_run),
    Rule("attendance.municipal_invites", frozenset({"municipal"})),
    Rule("attendance.sheet", STAFF, args=lambda user: {"session_id": _started_session(user).id}),
    Rule(
        "attendance.mark",
        STAFF,
        method="POST",
        args=lambda user: {"session_id": _started_session(user).id},
        data=lambda user: {"user_id": "0", "status": "present"},
    ),
    Rule(
        "attendance.mark_all",
        STAFF,
        method="POST",
        args=lambda user: {"session_id": _started_session(user).id},
    ),
    Rule("attendance.run_attendance", STAFF, args=lambda user: {"run_id": _started_session(user).run_id}),
    Rule("attendance.my_progress", frozenset({"family"})),
    Rule("attendance.report_absence", frozenset({"family"}), method="POST"),
    Rule("attendance.municipal_progress", frozenset({"municipal"})),
    Rule(
        "attendance.family_makeup",
        frozenset({"family"}),
        method="POST",
        data=lambda user: {"user_id": getattr(user, "id", 0), "session_id": "0"},
    ),
    Rule(
        "attendance.household_makeup",
        STAFF | {"municipal"},
        method="POST",
        data=lambda user: {"user_id": _own_adult(user).id, "session_id": "0"},
    ),
    Rule(
        "attendance.household_progress",
        STAFF | {"municipal"},
        args=lambda user: {"household_id": _own_adult(user).household_id},
    ),
    Rule(
        "attendance.withdraw_absence",
        frozenset({"family"}),
        method="POST",
        args=lambda user: {"notice_id": _notice(user).id},
    ),
    Rule("attendance.rates", FIGURES),
    Rule("attendance.rates_chart", FIGURES),
    Rule("attendance.rates_export", FIGURES, args=lambda user: {"fmt": "csv"}),
    Rule("attendance.verify_form", EVERYONE),
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
