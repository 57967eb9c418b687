"""The one Swedish label of each enrollment status, shared by the pages and the exports."""

from __future__ import annotations

from collections.abc import Iterable

from flask_babel import lazy_gettext as _l

from coursehub.enrollment.models import EnrollmentStatus, ParticipantKind

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


def status_labels(statuses: Iterable[EnrollmentStatus]) -> dict[EnrollmentStatus, str]:
    """Return the labels of `statuses`, each translated once (a list's rows share a few statuses)."""
    return {status: status_label(status) for status in set(statuses)}


KIND_LABELS = {
    ParticipantKind.FAMILY: _l("familj"),
    ParticipantKind.PROFESSIONAL: _l("yrkesverksam"),
}


def participant_kind_label(kind: ParticipantKind | str) -> str:
    """Return whether a participant comes as a family or a professional, in the request's language."""
    return str(KIND_LABELS[ParticipantKind(kind)])
