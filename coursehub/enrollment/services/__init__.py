"""Every write and rule of the enrollment area (a package: sign-up, waiting list, cancellation)."""

from coursehub.enrollment.services.cancel import (
    cancel_enrollment,
    cancel_run_enrollments,
    notify_session_changed,
)
from coursehub.enrollment.services.common import seats_taken
from coursehub.enrollment.services.feeds import create_calendar_feed, revoke_calendar_feed
from coursehub.enrollment.services.households import (
    NewAdult,
    confirm_household,
    create_household,
    go_on_after_confirmation,
    lapse_unverified_signups,
    register_family,
)
from coursehub.enrollment.services.signup import (
    approve_enrollment,
    decline_enrollment,
    makeup_scope,
    sign_up,
    sign_up_for_makeup,
    sign_up_professional,
    sign_up_professionals,
    update_needs,
)
from coursehub.enrollment.services.waitlist import (
    accept_offer,
    check_capacity_change,
    expire_offers,
    fill_free_seats,
    reorder_waitlist,
)

__all__ = [
    "NewAdult",
    "accept_offer",
    "approve_enrollment",
    "cancel_enrollment",
    "cancel_run_enrollments",
    "check_capacity_change",
    "confirm_household",
    "create_calendar_feed",
    "create_household",
    "decline_enrollment",
    "expire_offers",
    "fill_free_seats",
    "go_on_after_confirmation",
    "lapse_unverified_signups",
    "makeup_scope",
    "notify_session_changed",
    "register_family",
    "reorder_waitlist",
    "revoke_calendar_feed",
    "seats_taken",
    "sign_up",
    "sign_up_professional",
    "sign_up_professionals",
    "update_needs",
    "sign_up_for_makeup",
]
