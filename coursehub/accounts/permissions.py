"""Roles, the role-checking decorator and the account area's own permission predicates."""

from __future__ import annotations

from functools import wraps

from flask import abort
from flask_login import current_user

from coursehub.accounts.models import STAFF_ROLES, Role, User


def roles_required(*roles: Role):
    """Let a view through for logged-in users holding one of `roles`; 403 for others.

    Anonymous visitors are sent to the login page. Object-level checks (another municipality's
    household, another leader's run) answer 404 in the view itself, so that nothing leaks.
    """

    def decorator(view):
        @wraps(view)
        def wrapper(*args, **kwargs):
            if not current_user.is_authenticated:
                from coursehub.extensions import login_manager

                return login_manager.unauthorized()
            if roles and not current_user.has_role(*roles):
                abort(403)
            return view(*args, **kwargs)

        return wrapper

    return decorator


def login_required(view):
    """Let any logged-in user through; send visitors to the login page."""
    return roles_required()(view)


def is_staff(user) -> bool:
    """Return True for the resource's staff and admins."""
    return user is not None and user.has_role(*STAFF_ROLES)


def can_manage_users(user) -> bool:
    """Admins and staff list, invite and edit users."""
    return is_staff(user)


def can_grant_role(user, role: Role) -> bool:
    """Only admins hand out the admin and staff roles; staff may hand out the rest."""
    if user is None:
        return False
    if role in STAFF_ROLES:
        return user.has_role(Role.ADMIN)
    return is_staff(user)


def can_read_audit_log(user) -> bool:
    """Admins and staff review who read and changed what."""
    return is_staff(user)


def can_manage_county(user) -> bool:
    """Staff define the county parts and the list of kinds of home."""
    return is_staff(user)


def permission_required(predicate):
    """Let a view through when `predicate(current_user)` holds; visitors go to the login page."""

    def decorator(view):
        @wraps(view)
        def wrapper(*args, **kwargs):
            if not current_user.is_authenticated:
                from coursehub.extensions import login_manager

                return login_manager.unauthorized()
            if not predicate(current_user):
                abort(403)
            return view(*args, **kwargs)

        return wrapper

    return decorator


def grantable_roles(user) -> list[Role]:
    """Return the roles `user` may hand out, in the order of Role."""
    return [role for role in Role if can_grant_role(user, role)]


def can_edit_account(user: User | None, target: User | None) -> bool:
    """Staff change other people's accounts; only admins change staff and admin accounts.

    Any detail: name, phone, municipality, roles, activation. Staff change their own phone and
    password on their profile page, not here.
    """
    if user is None or not can_manage_users(user) or target is None:
        return False
    return user.has_role(Role.ADMIN) or not target.is_staff


def can_change_activation(user: User | None, target: User | None) -> bool:
    """Deactivate or reactivate an account one may edit, other than one's own."""
    return can_edit_account(user, target) and user is not None and target is not None and user.id != target.id


def can_export_person(user: User | None, target: User | None) -> bool:
    """Staff take out a person's data for them (on request); anyone takes out their own."""
    if user is None or target is None:
        return False
    return user.id == target.id or is_staff(user)


def can_erase_person(user: User | None, target: User | None) -> bool:
    """Erase a person on request: staff for families and others, admins for staff; never oneself."""
    return can_change_activation(user, target)


def can_use_second_factor(user) -> bool:
    """Staff, admins and whoever reads recruitment cases may turn on a second factor (TOTP).

    recruitment.permissions.can_read_cases gives the cases to staff and admins today, so the one test
    here covers all three; accounts may not import recruitment (a higher area), and
    tests/accounts/test_second_factor.py fails if the case readers ever grow beyond it.
    """
    return user is not None and bool(getattr(user, "is_authenticated", False)) and is_staff(user)


def can_reset_second_factor(user, target) -> bool:
    """Only an admin takes away another person's second factor (when they have lost it)."""
    return user is not None and target is not None and user.has_role(Role.ADMIN) and user.id != target.id
