"""Access rules of the accounts area.

The e-mailed links (`/aterstall-losenord/<token>`, `/inbjudan/<token>`) are open to everyone: with
a bogus token they answer 200 with a "the link does not work" page, never 404, so that nobody can
tell a wrong token from an old one.
"""

from tests.access import EVERYONE, LOGGED_IN, STAFF, Rule


def _other_user(user):
    from tests.factories import UserFactory

    return {"user_id": UserFactory().id}


def _county_part(user):
    from coursehub.accounts.models import CountyPart
    from coursehub.extensions import db
    from tests.factories import MunicipalityFactory

    municipality = MunicipalityFactory()
    # A new name each call: the fuzz test asks for the arguments once per example.
    part = CountyPart(name=f"Länsdel {municipality.name}", municipalities=[municipality])
    db.session.add(part)
    db.session.flush()
    return {"part_id": part.id}


def _pending_enrolment(user):
    """A second factor being turned on, for those who may have one: the enrolment page shows its form."""
    from coursehub import clock
    from coursehub.accounts import permissions, second_factor

    if permissions.can_use_second_factor(user) and second_factor.factor_of(user) is None:
        second_factor.begin_enrolment(user, now=clock.now())
    return {}


def _bogus_token(user):
    return {"token": "ingen-giltig-lank"}


RULES = [
    Rule("accounts.login", EVERYONE),
    Rule("accounts.logout", LOGGED_IN, method="POST"),
    Rule("accounts.forgot_password", EVERYONE),
    Rule("accounts.reset_password", EVERYONE, args=_bogus_token),
    Rule("accounts.accept_invitation", EVERYONE, args=_bogus_token),
    Rule("accounts.profile", LOGGED_IN),
    Rule("accounts.update_phone", LOGGED_IN, method="POST", data=lambda user: {"phone": ""}),
    Rule("accounts.update_gender", LOGGED_IN, method="POST", data=lambda user: {"gender": ""}),
    Rule("accounts.change_password", LOGGED_IN, method="POST"),
    Rule("accounts.admin_users", STAFF),
    Rule("accounts.invite_user", STAFF),
    Rule("accounts.edit_user", STAFF, args=_other_user),
    Rule("accounts.deactivate_user", STAFF, method="POST", args=_other_user),
    Rule("accounts.reactivate_user", STAFF, method="POST", args=_other_user),
    Rule("accounts.audit_log", STAFF),
    # Exports of the filtered log (each one writes an "audit.export" row).
    Rule("accounts.audit_log_csv", STAFF),
    Rule("accounts.audit_log_xlsx", STAFF),
    Rule("accounts.county_parts", STAFF),
    Rule("accounts.edit_county_part", STAFF, args=_county_part),
    Rule("accounts.home_kinds", STAFF),
    # Only a family member with a household records its kinds of assignment; others get 404.
    Rule("accounts.update_home_kinds", frozenset({"family"}), method="POST"),
    # The login's code step: without a password a moment ago it says to log in first (200).
    Rule("accounts.second_factor_login", EVERYONE),
    # One's own second factor: staff and admins (the case readers); to others there is no such page.
    Rule("accounts.second_factor", STAFF),
    Rule("accounts.second_factor_start", STAFF, method="POST"),
    Rule("accounts.second_factor_enrol", STAFF, args=_pending_enrolment),
    Rule("accounts.second_factor_codes", STAFF, method="POST"),
    Rule("accounts.second_factor_off", STAFF, method="POST"),
    Rule("accounts.reset_second_factor", frozenset({"admin"}), method="POST", args=_other_user),
]

RULES += [
    Rule("accounts.my_data", LOGGED_IN),
    Rule("accounts.my_data_json", LOGGED_IN),
    Rule("accounts.my_data_html", LOGGED_IN),
    Rule("accounts.person_data_json", STAFF, args=_other_user),
    Rule("accounts.person_data_html", STAFF, args=_other_user),
    Rule("accounts.erase_person", STAFF, args=_other_user),
]
