"""Views of the enrollment area: one blueprint, split by who uses the pages."""

from flask import Blueprint
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from coursehub.enrollment import permissions, queries
from coursehub.enrollment.labels import KIND_LABELS, STATUS_LABELS, status_label
from coursehub.enrollment.views.badges import status_badge
from coursehub.lib.nav import FIGURES, MUNICIPALITY, NavItem, RunLink
from coursehub.lib.start import StartPage

bp = Blueprint("enrollment", __name__)


@bp.record_once
def _add_status_labels(state):
    # Globals (not context variables) so that imported macros see them: the pages show the same
    # labels as the exports, and a sign-up's badge as the lists written in Python do.
    state.app.jinja_env.globals["enrollment_status_labels"] = STATUS_LABELS
    state.app.jinja_env.globals["participant_kind_labels"] = KIND_LABELS
    state.app.jinja_env.globals["status_badge"] = status_badge


nav_items = [
    NavItem(_l("Mina kurser"), "enrollment.my_courses", permissions.is_family, order=20),
    NavItem(
        _l("Mina kurser"),
        "enrollment.my_professional_courses",
        permissions.has_own_professional_page,
        order=21,
    ),
    NavItem(
        _l("Hushåll i kommunen"),
        "enrollment.households",
        permissions.is_municipal,
        order=30,
        group=MUNICIPALITY,
    ),
    NavItem(
        _l("Godkännanden"),
        "enrollment.approvals",
        permissions.is_municipal,
        order=31,
        count=queries.menu_pending_count,
        group=MUNICIPALITY,
    ),
    NavItem(
        _l("Deltagare per kommun"),
        "enrollment.municipality_counts",
        permissions.can_see_municipality_counts,
        order=60,
        group=FIGURES,
    ),
]

# Where a family and a municipal worker land after login (coursehub.lib.start).
start_pages = [
    StartPage("enrollment.my_courses", permissions.is_family, order=10),
    StartPage("enrollment.approvals", permissions.is_municipal, order=20),
]


def own_status(user, run) -> str | None:
    """Tell a family or a professional, on a course's page, that they are signed up and how."""
    if permissions.is_family(user) and run.course_type.is_for_families:
        enrollment = queries.active_enrollment_of(user.household_id, run.id)
        if enrollment is not None:
            return _(
                "Ni är anmälda till kursen: %(status)s. Se Mina kurser för detaljer.",
                status=status_label(enrollment.status),
            )
    elif permissions.is_professional(user) and run.course_type.is_for_professionals:
        enrollment = queries.active_professional_enrollment_of(user.id, run.id)
        if enrollment is not None:
            return _(
                "Du är anmäld till kursen: %(status)s. Se Mina kurser för detaljer.",
                status=status_label(enrollment.status),
            )
    return None


# Shown on the course area's run pages (staff's run page, the leaders' start page).
run_links = [
    RunLink(_l("Deltagare"), "enrollment.participants", permissions.can_see_participants, order=10),
    RunLink(_l("Reservlista"), "enrollment.waitlist", permissions.can_manage_waitlist, order=20),
]

from coursehub.enrollment.views import calendar, family, municipal, professionals, staff  # noqa: E402, F401
