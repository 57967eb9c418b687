"""The logged-in person's own account: details, phone number and password."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, session, url_for
from flask_babel import gettext as _
from flask_login import login_user

from coursehub import clock
from coursehub.accounts import county, permissions, queries, second_factor, services
from coursehub.accounts.errors import AccountError
from coursehub.accounts.forms import (
    ChangePasswordForm,
    GenderForm,
    HouseholdHomeKindsForm,
    PhoneForm,
    role_label,
)
from coursehub.accounts.models import HomeKind, Role
from coursehub.lib.checks import known
from coursehub.lib.forms import required
from coursehub.lib.work import actor, attempt

from . import bp


def _records_home_kinds(user) -> bool:
    """A family member records the kinds of assignment their household has or is open to."""
    return user.household is not None and user.has_role(Role.FAMILY)


def _home_kinds_form(user, formdata=None) -> HouseholdHomeKindsForm | None:
    if not _records_home_kinds(user):
        return None
    if formdata is None:
        return HouseholdHomeKindsForm(
            formdata=None, kinds=county.home_kinds(), home_kinds=[k.id for k in user.household.home_kinds]
        )
    return HouseholdHomeKindsForm(kinds=county.home_kinds())


def _render(phone_form=None, password_form=None, kinds_form=None, gender_form=None):
    user = actor()
    may_use_second_factor = permissions.can_use_second_factor(user)
    return render_template(
        "accounts/profile.html",
        user=user,
        may_use_second_factor=may_use_second_factor,
        second_factor_on=may_use_second_factor and second_factor.is_enabled(user),
        roles=sorted(role_label(role) for role in user.roles),
        household_adults=queries.household_adults(user.household_id) if user.household_id else [],
        phone_form=phone_form or PhoneForm(formdata=None, phone=user.phone),
        password_form=password_form or ChangePasswordForm(formdata=None),
        kinds_form=kinds_form or _home_kinds_form(user),
        gender_form=gender_form or GenderForm(formdata=None, gender=user.gender.value if user.gender else ""),
    )


@bp.get("/profil")
@permissions.login_required
def profile():
    """Show the logged-in person's own account."""
    return _render()


@bp.post("/profil/telefon")
@permissions.login_required
def update_phone():
    """Change one's own phone number."""
    form = PhoneForm()
    if form.validate_on_submit():
        user = actor()
        if attempt(
            lambda: services.update_phone(user, phone=form.phone.data, actor=user),
            form=form,
            default="phone",
            catch=AccountError,
        ).ok:
            flash(_("Telefonnumret är sparat."), "success")
            return redirect(url_for("accounts.profile"))
    return _render(phone_form=form)


@bp.post("/profil/kon")
@permissions.login_required
def update_gender():
    """Set or clear one's own gender (optional; only counted in reports)."""
    form = GenderForm()
    if form.validate_on_submit():
        user = actor()
        if attempt(
            lambda: services.update_gender(user, gender=form.gender.data or "", actor=user),
            form=form,
            default="gender",
            catch=AccountError,
        ).ok:
            flash(_("Uppgiften om kön är sparad."), "success")
            return redirect(url_for("accounts.profile"))
    return _render(gender_form=form)


@bp.post("/profil/uppdrag")
@permissions.login_required
def update_home_kinds():
    """A family member records which kinds of assignment the household has or is open to."""
    user = actor()
    if not _records_home_kinds(user):
        abort(404)
    form = known(_home_kinds_form(user, formdata=True), "a family member with a household")
    if form.validate_on_submit():
        chosen = county.by_ids(HomeKind, form.home_kinds.data)
        if attempt(
            lambda: county.set_household_home_kinds(user.household, chosen, actor=user),
            form=form,
            default="home_kinds",
        ).ok:
            flash(_("Era uppdrag är sparade."), "success")
            return redirect(url_for("accounts.profile"))
    return _render(kinds_form=form)


@bp.post("/profil/losenord")
@permissions.login_required
def change_password():
    """Change one's own password; every other session of the account ends."""
    form = ChangePasswordForm()
    if form.validate_on_submit():
        user = actor()
        if attempt(
            lambda: services.change_password(
                user,
                current_password=required(form.current_password),
                new_password=required(form.new_password),
                confirm=required(form.confirm),
                now=clock.now(),
            ),
            form=form,
            default="new_password",
            catch=AccountError,
        ).ok:
            # This session goes on under the new token (and a fresh cookie); all others end.
            started = session.get("login_at")
            session.clear()
            login_user(user)
            session["login_at"] = started
            session["seen_at"] = clock.now().timestamp()
            flash(_("Ditt lösenord är bytt. Du har loggats ut på alla andra enheter."), "success")
            return redirect(url_for("accounts.profile"))
    return _render(password_form=form)
