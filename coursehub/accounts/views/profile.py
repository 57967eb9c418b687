"""The logged-in person's own account: details, phone number and password."""

from __future__ import annotations

from flask import flash, redirect, render_template, session, url_for
from flask_babel import gettext as _
from flask_login import login_user

from coursehub import clock
from coursehub.accounts import permissions, services
from coursehub.accounts.errors import AccountError
from coursehub.accounts.forms import ChangePasswordForm, PhoneForm, role_label
from coursehub.lib.forms import required
from coursehub.lib.work import actor, attempt

from . import bp


def _render(phone_form=None, password_form=None):
    user = actor()
    return render_template(
        "accounts/profile.html",
        user=user,
        roles=sorted(role_label(role) for role in user.roles),
        phone_form=phone_form or PhoneForm(formdata=None, phone=user.phone),
        password_form=password_form or ChangePasswordForm(formdata=None),
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
