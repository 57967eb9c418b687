"""Login, logout and the profile page."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_user, logout_user

from coursehub import clock
from coursehub.accounts import permissions, services
from coursehub.accounts.errors import LoginFailedError
from coursehub.accounts.forms import LoginForm
from coursehub.extensions import db
from coursehub.lib.nav import NavItem
from coursehub.pages.views import _safe_next

bp = Blueprint("accounts", __name__)

nav_items = [
    NavItem(_l("Användare"), "accounts.admin_users", permissions.can_manage_users, order=90),
]


@bp.route("/logga-in", methods=["GET", "POST"])
def login():
    """Log a person in by e-mail address or username."""
    form = LoginForm()
    if form.validate_on_submit():
        now = clock.now()
        try:
            user = services.authenticate(form.login.data, form.password.data, now=now)
        except LoginFailedError as error:
            db.session.rollback()
            form.password.errors.append(error.message)
        else:
            db.session.commit()
            session.clear()  # a new session at login: nothing from before carries over
            login_user(user)
            session["login_at"] = session["seen_at"] = now.timestamp()
            return redirect(_safe_next(request.args.get("next")) if request.args.get("next")
                            else url_for("pages.index"))
    return render_template("accounts/login.html", form=form)


@bp.post("/logga-ut")
@permissions.login_required
def logout():
    """Log out and end every session of this user."""
    services.end_sessions(current_user._get_current_object())
    db.session.commit()
    logout_user()
    session.clear()
    flash(_("Du är utloggad."), "info")
    return redirect(url_for("pages.index"))


@bp.get("/profil")
@permissions.login_required
def profile():
    """Show the logged-in person's own account."""
    return render_template("accounts/profile.html", user=current_user)


@bp.get("/admin/anvandare")
@permissions.roles_required(*permissions.STAFF_ROLES)
def admin_users():
    """List users (filled out by the accounts issue)."""
    return render_template("accounts/profile.html", user=current_user)
