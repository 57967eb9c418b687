"""Logging in and out, and the e-mailed links: password reset and invitation."""

from __future__ import annotations

from flask import current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, logout_user

from coursehub import clock
from coursehub.accounts import permissions, services
from coursehub.accounts.errors import AccountError, InvalidLinkError, LoginFailedError, LoginThrottledError
from coursehub.accounts.forms import ForgotPasswordForm, LoginForm, SetPasswordForm
from coursehub.accounts.models import TokenPurpose
from coursehub.extensions import limiter
from coursehub.lib import ratelimits
from coursehub.lib.checks import known
from coursehub.lib.forms import required
from coursehub.lib.work import actor, attempt

from . import bp
from . import second_factor as second_factor_views


def _address_limit() -> str:
    return current_app.config["COURSEHUB_LOGIN_LIMIT_ADDRESS"]


def _failed(response) -> bool:
    # A failed login re-renders the form (200); a successful one redirects.
    return response.status_code == 200


@bp.route("/logga-in", methods=["GET", "POST"])
@limiter.limit(_address_limit, methods=["POST"], deduct_when=_failed, scope="login-address")
def login():
    """Log a person in by e-mail address or username.

    Failed logins make the next tries wait, growing, per account and per address, without ever
    refusing the owner's right password from an address that has not failed
    (services.check_login_throttle says how).
    """
    form = LoginForm()
    if form.validate_on_submit():
        now = clock.now()
        login_name, address = required(form.login), request.remote_addr or ""

        def check_and_authenticate():
            services.check_login_throttle(login_name, address, now=now)
            return services.authenticate(login_name, required(form.password), now=now)

        outcome = attempt(
            check_and_authenticate,
            form=form,
            default="password",
            catch=(LoginFailedError, LoginThrottledError),
        )
        if isinstance(outcome.error, LoginThrottledError):
            return render_template("accounts/login.html", form=form), 429
        if isinstance(outcome.error, LoginFailedError):
            attempt(lambda: services.record_login_failure(login_name, address, now=now))
        if outcome.ok:
            # Logged in now, or (with a second factor) only once the code step has passed.
            return second_factor_views.after_password(
                known(outcome.value, "a user"), now, request.args.get("next")
            )
    return render_template("accounts/login.html", form=form)


@bp.post("/logga-ut")
@permissions.login_required
def logout():
    """Log out and end every session of this user."""
    attempt(lambda: services.end_sessions(actor()))
    logout_user()
    session.clear()
    flash(_("Du är utloggad."), "info")
    return redirect(url_for("pages.index"))


@bp.route("/glomt-losenord", methods=["GET", "POST"])
@limiter.limit(_address_limit, methods=["POST"], scope="reset-address")
def forgot_password():
    """Ask for a reset link; the answer is the same whether the address is known or not."""
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        attempt(lambda: services.request_password_reset(required(form.email), now=clock.now()))
        flash(
            ngettext(
                "Om det finns ett konto med den adressen har vi skickat ett e-postmeddelande "
                "med en länk. Länken gäller i %(num)d timme.",
                "Om det finns ett konto med den adressen har vi skickat ett e-postmeddelande "
                "med en länk. Länken gäller i %(num)d timmar.",
                current_app.config["COURSEHUB_RESET_TOKEN_HOURS"],
            ),
            "info",
        )
        return redirect(url_for("accounts.login"))
    return render_template("accounts/forgot_password.html", form=form)


def _set_password_page(token: str, purpose: TokenPurpose, template: str, done: str):
    """Show or handle the form behind a single-use link (reset or invitation)."""
    now = clock.now()
    try:
        link = services.find_link(token, purpose, now=now)
    except InvalidLinkError as error:
        ratelimits.refused_link()
        return render_template("accounts/link_invalid.html", message=error.message, purpose=purpose.value)
    form = SetPasswordForm()
    if form.validate_on_submit():
        outcome = attempt(
            lambda: services.set_password_by_link(
                token, purpose, password=required(form.password), confirm=required(form.confirm), now=now
            ),
            form=form,
            default="password",
            catch=AccountError,
        )
        if isinstance(outcome.error, InvalidLinkError):
            ratelimits.refused_link()
            return render_template(
                "accounts/link_invalid.html", message=outcome.error.message, purpose=purpose.value
            )
        if outcome.ok:
            if current_user.is_authenticated:
                logout_user()
                session.clear()
            flash(done, "success")
            return redirect(url_for("accounts.login"))
    return render_template(template, form=form, user=link.user)


@bp.route("/aterstall-losenord/<token>", methods=["GET", "POST"])
@ratelimits.personal_link
def reset_password(token):
    """Choose a new password through the link in a reset mail."""
    return _set_password_page(
        token,
        TokenPurpose.RESET,
        "accounts/reset_password.html",
        _("Ditt lösenord är bytt. Logga in med det nya lösenordet."),
    )


@bp.route("/inbjudan/<token>", methods=["GET", "POST"])
@ratelimits.personal_link
def accept_invitation(token):
    """Choose a first password through the link in an invitation mail."""
    return _set_password_page(
        token,
        TokenPurpose.INVITATION,
        "accounts/accept_invitation.html",
        _("Ditt lösenord är sparat. Välkommen! Logga in för att börja."),
    )
