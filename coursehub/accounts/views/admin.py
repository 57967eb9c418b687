"""Staff pages: list, invite and edit users, deactivate and reactivate them."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from coursehub import clock
from coursehub.accounts import permissions, queries, second_factor, services
from coursehub.accounts.errors import StaffAccountError
from coursehub.accounts.forms import (
    EditUserForm,
    InviteUserForm,
    UserSearchForm,
    role_label,
)
from coursehub.accounts.models import Municipality, Role, User
from coursehub.lib.checks import known
from coursehub.lib.forms import required
from coursehub.lib.params import get_or_none, page_arg
from coursehub.lib.work import ERROR, actor, attempt, load_or_404

from . import bp

manage_users = permissions.permission_required(permissions.can_manage_users)


@bp.get("/admin/anvandare")
@manage_users
def admin_users():
    """List users, with a search box and a role filter."""
    form = UserSearchForm(formdata=request.args)
    valid = form.validate()
    role = Role(form.roll.data) if valid and form.roll.data else None
    q = form.sok.data if valid else None
    page = queries.search_users(q=q, role=role, page=page_arg())
    args = {key: value for key, value in (("sok", q), ("roll", role and role.value)) if value}
    return render_template(
        "accounts/admin_users.html", form=form, page=page, args=args, role_label=role_label
    )


@bp.route("/admin/anvandare/ny", methods=["GET", "POST"])
@manage_users
def invite_user():
    """Create an account and send the person an invitation to choose a password."""
    form = InviteUserForm(
        grantable_roles=permissions.grantable_roles(actor()), municipalities=queries.municipalities()
    )
    if form.validate_on_submit():
        municipality = get_or_none(Municipality, form.municipality.data)
        outcome = attempt(
            lambda: services.invite_user(
                actor=actor(),
                full_name=required(form.full_name),
                email=required(form.email),
                username=form.username.data,
                phone=form.phone.data,
                roles=form.roles.data or (),
                municipality=municipality,
                now=clock.now(),
            ),
            form=form,
            default="email",
        )
        if outcome.ok:
            user = known(outcome.value, "invite_user returns the new account")
            flash(
                _("%(name)s har fått en inbjudan till %(email)s.", name=user.full_name, email=user.email),
                "success",
            )
            return redirect(url_for("accounts.edit_user", user_id=user.id))
    return render_template("accounts/invite_user.html", form=form)


@bp.route("/admin/anvandare/<int:user_id>", methods=["GET", "POST"])
@manage_users
def edit_user(user_id):
    """Change a user's name, phone, roles and municipality."""
    user = load_or_404(User, user_id)
    if not permissions.can_edit_account(actor(), user):
        # A staff or admin account, and the reader is not an admin: the page offers no form.
        if request.method == "POST":  # so this one was forged; nothing is saved
            flash(StaffAccountError().message, ERROR)
            return redirect(url_for("accounts.edit_user", user_id=user.id))
        return render_template(
            "accounts/edit_user.html",
            form=None,
            user=user,
            fixed_roles=sorted(role_label(role) for role in user.roles),
            read_only_reason=StaffAccountError().message,
            can_change_activation=False,
        )
    # Roles of staff and admins are offered to admins only; others see them as fixed.
    grantable = permissions.grantable_roles(actor())
    form = EditUserForm(
        grantable_roles=grantable,
        municipalities=queries.municipalities(),
        data=None
        if request.method == "POST"
        else {
            "full_name": user.full_name,
            "phone": user.phone,
            "municipality": user.municipality_id,
            "roles": [role.value for role in grantable if role in user.roles],
            "gender": user.gender.value if user.gender else "",
        },
    )
    if form.validate_on_submit():
        municipality = get_or_none(Municipality, form.municipality.data)
        outcome = attempt(
            lambda: services.update_user(
                user,
                actor=actor(),
                full_name=required(form.full_name),
                phone=form.phone.data,
                roles=form.roles.data,
                municipality=municipality,
                now=clock.now(),
                gender=services.KEEP_GENDER if form.gender.data is None else form.gender.data,
            ),
            form=form,
            default="full_name",
        )
        if outcome.ok:
            flash(_("Ändringarna är sparade."), "success")
            return redirect(url_for("accounts.edit_user", user_id=user.id))
    fixed_roles = sorted(role_label(role) for role in user.roles if role not in grantable)
    return render_template(
        "accounts/edit_user.html",
        form=form,
        user=user,
        fixed_roles=fixed_roles,
        can_change_activation=permissions.can_change_activation(actor(), user),
        can_reset_second_factor=permissions.can_reset_second_factor(actor(), user)
        and second_factor.factor_of(user) is not None,
    )


@bp.post("/admin/anvandare/<int:user_id>/avaktivera")
@manage_users
def deactivate_user(user_id):
    """Close an account; every session of it ends."""
    user = load_or_404(User, user_id)
    if attempt(lambda: services.deactivate_user(user, actor=actor(), now=clock.now())).ok:
        flash(_("Kontot för %(name)s är avaktiverat.", name=user.full_name), "success")
    return redirect(url_for("accounts.edit_user", user_id=user_id))


@bp.post("/admin/anvandare/<int:user_id>/aktivera")
@manage_users
def reactivate_user(user_id):
    """Open a closed account again."""
    user = load_or_404(User, user_id)
    if attempt(lambda: services.reactivate_user(user, actor=actor(), now=clock.now())).ok:
        flash(_("Kontot för %(name)s är aktivt igen.", name=user.full_name), "success")
    return redirect(url_for("accounts.edit_user", user_id=user_id))
