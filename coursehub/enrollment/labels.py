"""The one Swedish label of each enrollment status, shared by the pages and the exports."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from coursehub.enrollment.models import EnrollmentStatus

STATUS_LABELS = {
    EnrollmentStatus.PENDING: _l("Väntar på kommunens godkännande"),
    EnrollmentStatus.CONFIRMED: _l("Bekräftad"),
    EnrollmentStatus.WAITLISTED: _l("Reservlista"),
    EnrollmentStatus.OFFERED: _l("Plats erbjuden"),
    EnrollmentStatus.CANCELLED: _l("Avbokad"),
    EnrollmentStatus.DECLINED: _l("Inte godkänd av kommunen"),
    EnrollmentStatus.UNVERIFIED: _l("Väntar på att e-postadressen bekräftas"),
}


def status_label(status: EnrollmentStatus | str) -> str:
    """Return the label of `status`, in the language of the request."""
    return str(STATUS_LABELS[EnrollmentStatus(status)])
