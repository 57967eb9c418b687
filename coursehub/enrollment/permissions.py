"""Who may do what with sign-ups. Views check one of these; services check them again."""

from __future__ import annotations

from coursehub.accounts.models import FIGURE_ROLES, STAFF_ROLES, Role
from coursehub.accounts.permissions import is_staff
from coursehub.enrollment import queries


def is_family(user) -> bool:
    """A family member with a household."""
    return user is not None and user.has_role(Role.FAMILY) and user.household_id is not None


def is_municipal(user) -> bool:
    """A municipal worker bound to a municipality."""
    return user is not None and user.has_role(Role.MUNICIPAL) and user.municipality_id is not None


def can_sign_up_own_household(user, run) -> bool:
    """A family member signs up their own household."""
    return is_family(user)


def can_manage_household(user, household) -> bool:
    """Staff, and municipal workers of the household's municipality."""
    if household is None or user is None:
        return False
    return is_staff(user) or (is_municipal(user) and user.municipality_id == household.municipality_id)


def can_see_enrollment(user, enrollment) -> bool:
    """The household's adults, its municipality and staff; for a professional, they themselves too."""
    if user is None or enrollment is None:
        return False
    if enrollment.household_id is None:
        return user.id == enrollment.professional_id or can_act_for_professional(
            user, enrollment.professional
        )
    if is_family(user) and user.household_id == enrollment.household_id:
        return True
    return can_manage_household(user, enrollment.household)


def can_cancel_enrollment(user, enrollment) -> bool:
    """The family, their municipality or staff cancel a sign-up."""
    return can_see_enrollment(user, enrollment)


def can_answer_offer(user, enrollment) -> bool:
    """The household's adults (and those acting for it) answer an offer of seats."""
    return can_see_enrollment(user, enrollment)


def can_decide_enrollment(user, enrollment) -> bool:
    """Municipal workers of the household's (or professional's) municipality, and staff, decide."""
    if enrollment is None:
        return False
    if enrollment.household_id is None:
        return can_act_for_professional(user, enrollment.professional)
    return can_manage_household(user, enrollment.household)


def can_act_for_professional(user, person) -> bool:
    """Staff, and municipal workers of the professional's own municipality."""
    if user is None or person is None:
        return False
    return is_staff(user) or (
        is_municipal(user)
        and person.municipality_id is not None
        and user.municipality_id == person.municipality_id
    )


def is_professional(user) -> bool:
    """Municipal workers, network members, leaders and staff: they take courses for professionals."""
    return (
        user is not None
        and user.is_authenticated
        and user.has_role(Role.MUNICIPAL, Role.MEMBER, Role.LEADER, *STAFF_ROLES)
    )


def can_sign_up_professionals(user, run) -> bool:
    """A professional signs up (themselves; a municipal worker colleagues too; staff anyone)."""
    return is_professional(user) and run.course_type.is_for_professionals


def has_own_professional_page(user) -> bool:
    """Professionals who are not a family (a family has its own "Mina kurser") nor staff (who
    reach every run from their pages) have a "Mina kurser" of their own sign-ups in the menu."""
    return is_professional(user) and not is_family(user) and not is_staff(user)


def can_see_participants(user, run) -> bool:
    """Staff and the run's own leaders see its participants and exports."""
    if user is None or run is None:
        return False
    return is_staff(user) or (user.has_role(Role.LEADER) and queries.leads_run(run, user))


def can_manage_waitlist(user, run=None) -> bool:
    """Staff reorder the waiting list."""
    return is_staff(user)


def can_see_municipality_counts(user) -> bool:
    """Staff and the steering group see counts per municipality."""
    return user is not None and user.has_role(*FIGURE_ROLES)
