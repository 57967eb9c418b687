"""Access rules of the enrollment area.

Records are built to belong to the user where the role could own them (the family's own household,
the municipal worker's own municipality, the leader's own run), so that "allowed" is tested on a
record the person may really use and "refused" answers 404 or 403 as the table says.
"""

from tests.access import EVERYONE, STAFF, Rule

FAMILY = frozenset({"family"})
MUNICIPAL = frozenset({"municipal"})
DECIDERS = STAFF | {"family", "municipal"}
LEADING = STAFF | {"leader"}
# Those who take courses for professionals: municipal workers, network members, leaders, staff.
PROFESSIONALS = STAFF | {"leader", "municipal", "member"}


def _commit():
    from coursehub.extensions import db

    db.session.commit()


def _run_id(user):
    from tests.factories import CourseRunFactory

    run = CourseRunFactory()
    _commit()
    return {"run_id": run.id}


def _professional_run_id(user):
    from coursehub.courses.models import IntendedFor
    from tests.factories import CourseRunFactory, CourseTypeFactory

    run = CourseRunFactory(course_type=CourseTypeFactory(intended_for=IntendedFor.PROFESSIONALS))
    _commit()
    return {"run_id": run.id}


def _led_run_id(user):
    from coursehub.accounts.models import Role
    from tests.factories import CourseRunFactory

    leaders = [user] if user is not None and user.has_role(Role.LEADER) else []
    run = CourseRunFactory(leaders=leaders)
    _commit()
    return {"run_id": run.id}


def _household_for(user):
    from tests.factories import HouseholdFactory

    if user is not None and user.household is not None:
        return user.household
    if user is not None and user.municipality is not None:
        return HouseholdFactory(municipality=user.municipality)
    return HouseholdFactory()


def _enrollment(user, **traits):
    from coursehub.accounts.models import Role
    from tests.factories import EnrollmentFactory, UserFactory

    household = _household_for(user)
    adult = (
        user
        if user is not None and user.household_id == household.id
        else UserFactory(household=household, roles=[Role.FAMILY])
    )
    enrollment = EnrollmentFactory(household=household, persons=[adult], **traits)
    _commit()
    return enrollment


def _enrollment_id(user):
    return {"enrollment_id": _enrollment(user).id}


def _pending_id(user):
    enrollment = _enrollment(user, pending=True)
    enrollment.needs_approval = True
    _commit()
    return {"enrollment_id": enrollment.id}


def _waitlisted_id(user):
    return {"enrollment_id": _enrollment(user, waitlisted=True).id}


def _household_id(user):
    household = _household_for(user)
    _commit()
    return {"household_id": household.id}


def _feed_token(user):
    import secrets

    from coursehub.enrollment.models import CalendarFeed
    from coursehub.extensions import db
    from tests.factories import UserFactory

    feed = CalendarFeed(user=UserFactory(family=True), token=secrets.token_urlsafe(32))
    db.session.add(feed)
    _commit()
    return {"token": feed.token}


RULES = [
    Rule("enrollment.sign_up", FAMILY | {"anonymous"}, args=_run_id),
    Rule("enrollment.register_family", EVERYONE, args=_run_id),
    Rule("enrollment.register_family_done", EVERYONE, args=_run_id),
    Rule("enrollment.my_courses", FAMILY),
    Rule("enrollment.sign_up_professionals", PROFESSIONALS, args=_professional_run_id),
    Rule("enrollment.my_professional_courses", PROFESSIONALS),
    Rule("enrollment.create_feed", FAMILY, method="POST"),
    Rule("enrollment.revoke_feed", FAMILY, method="POST"),
    Rule("enrollment.feed", EVERYONE, args=_feed_token),
    Rule("enrollment.cancel", DECIDERS, method="POST", args=_enrollment_id),
    Rule("enrollment.edit_needs", DECIDERS, args=_enrollment_id),
    Rule("enrollment.accept_offer", DECIDERS, method="POST", args=_enrollment_id),
    Rule("enrollment.households", MUNICIPAL),
    Rule("enrollment.new_household", MUNICIPAL),
    Rule("enrollment.household", MUNICIPAL, args=_household_id),
    Rule("enrollment.sign_up_household", MUNICIPAL, method="POST", args=_household_id),
    Rule("enrollment.confirm_household", MUNICIPAL, method="POST", args=_household_id),
    Rule("enrollment.approvals", MUNICIPAL),
    Rule("enrollment.approve", MUNICIPAL, method="POST", args=_pending_id),
    Rule("enrollment.decline", MUNICIPAL, method="POST", args=_pending_id),
    Rule("enrollment.participants", LEADING, args=_led_run_id),
    Rule("enrollment.participants_print", LEADING, args=_led_run_id),
    Rule("enrollment.participants_csv", LEADING, args=_led_run_id),
    Rule("enrollment.participants_xlsx", LEADING, args=_led_run_id),
    Rule("enrollment.waitlist", STAFF, args=_run_id),
    Rule(
        "enrollment.reorder",
        STAFF,
        method="POST",
        args=_waitlisted_id,
        data=lambda user: {"position": "1", "reason": "Förtur"},
    ),
    Rule("enrollment.municipality_counts", STAFF | {"steering"}),
]
