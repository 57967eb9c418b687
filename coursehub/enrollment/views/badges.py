"""A sign-up's status as a badge: written by the lists that write their rows in one loop
(participant_rows, course_rows), and by `status_badge` for the pages that write theirs in the
template (a household's page, the approvals, a professional's courses).

`tests/enrollment/test_actions.py` holds it to the macro it replaced, on every status."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from flask import current_app, g
from flask_babel import get_locale, get_translations
from markupsafe import Markup, escape

from coursehub.enrollment.labels import STATUS_LABELS
from coursehub.enrollment.models import EnrollmentStatus

# The badge of each status, as the macro colours it.
BADGES = {
    EnrollmentStatus.CONFIRMED: "text-bg-success",
    EnrollmentStatus.PENDING: "text-bg-warning",
    EnrollmentStatus.WAITLISTED: "text-bg-secondary",
    EnrollmentStatus.OFFERED: "text-bg-info",
}
OTHER_BADGE = "text-bg-light border"
AWAITING_MUNICIPALITY = (EnrollmentStatus.WAITLISTED, EnrollmentStatus.OFFERED)


class StatusBadges:
    """Writes the badge of a sign-up: anything with the status, waiting list position, offer
    deadline and approval of an Enrollment (the ORM object or a list's row)."""

    def __init__(self, labels: Mapping[EnrollmentStatus, Markup]) -> None:
        """`labels`: each status's label as HTML, as the page printed it."""
        self.labels = labels
        self.local_datetime: Callable[[Any], str] = current_app.jinja_env.filters["local_datetime"]
        # The request's translations looked up once; named as the extraction keyword, so that
        # `pybabel extract` still finds the words.
        _ = get_translations().ugettext
        self.queue, self.answer_by = _("nr %(n)d i kön"), _("svara senast %(when)s")
        self.not_approved = escape(_("Kommunen har inte godkänt ännu"))

    def __call__(self, row: Any) -> str:
        """Return the badge (and the municipality's, while it has not approved) as HTML."""
        status = row.status
        label = str(self.labels[status])
        if status == EnrollmentStatus.WAITLISTED:
            label = f"{label} – {escape(self.queue % {'n': row.waitlist_position})}"
        elif status == EnrollmentStatus.OFFERED:
            when = self.local_datetime(row.offer_expires_at)
            label = f"{label} – {escape(self.answer_by % {'when': when})}"
        html = f'<span class="badge {BADGES.get(status, OTHER_BADGE)}">{label}</span>'
        if row.needs_approval and status in AWAITING_MUNICIPALITY:
            html += f'\n<span class="badge text-bg-light border">{self.not_approved}</span>'
        return html


def own_label(label: object) -> Markup:
    """A declared label (a lazy string) in the request's language, as a template printed it:
    unescaped, since it is our own catalogue's text ("municipality's" stays as written)."""
    return Markup(str(label))  # noqa: S704  # nosec B704


def status_badge(row: Any) -> Markup:
    """The badge of one sign-up, for a page that writes its rows in the template (a Jinja
    global); one StatusBadges per request and language."""
    locale = get_locale()
    found = g.get("enrollment_status_badges")
    if found is None or found[0] != locale:
        labels = {status: own_label(label) for status, label in STATUS_LABELS.items()}
        found = g.enrollment_status_badges = (locale, StatusBadges(labels))
    # Its values went through escape(); the labels are our own catalogue's text.
    return Markup(found[1](row))  # noqa: S704  # nosec B704
