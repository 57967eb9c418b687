"""The second factor: the login's code step, one's own pages to turn it on and off, an admin's reset.

The login (session.login) checks the password; for an account with a second factor it keeps only a
pending login in the session (`PENDING`: which user, their session token, when) and sends the
person to the code step. Nobody is logged in until a code passes. The code step is throttled like
the password: the same growing delays per account and address (services.check_login_throttle) and
the same Flask-Limiter limit per address.

With COURSEHUB_REQUIRE_SECOND_FACTOR on, a person who may use a second factor and has none is
logged in with `ENROL_FIRST` set, and every page but the enrolment pages (and logging out) sends
them there until they have turned it on.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import segno
from flask import abort, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_user
from werkzeug.wrappers import Response

from coursehub import clock
from coursehub.accounts import permissions, second_factor, services
from coursehub.accounts.errors import AccountError, LoginThrottledError
from coursehub.accounts.forms import (
    PasswordCheckForm,
    SecondFactorConfirmForm,
    SecondFactorLoginForm,
    SecondFactorOffForm,
)
from coursehub.accounts.models import Role, User
from coursehub.extensions import limiter
from coursehub.lib.forms import required
from coursehub.lib.params import get_or_none
from coursehub.lib.start import start_endpoint
from coursehub.lib.urls import safe_next
from coursehub.lib.work import actor, attempt, load_or_404

from . import bp

PENDING = "second_factor_pending"
ENROL_FIRST = "second_factor_enrol_first"
# What a person who must enrol first may still open.
ENROL_FIRST_OPEN = frozenset(
    {
        "accounts.second_factor",
        "accounts.second_factor_start",
        "accounts.second_factor_enrol",
        "accounts.logout",
        "static",
        "bootstrap.static",
        "health.alive",
        "health.ready",
    }
)


def _address_limit() -> str:
    return current_app.config["COURSEHUB_LOGIN_LIMIT_ADDRESS"]


def _failed(response: Response) -> bool:
    return response.status_code in (200, 429)


# -- logging in ---------------------------------------------------------------------------------


def finish_login(user: User, now: datetime, wanted: str | None) -> Response:
    """Log `user` in on a new session and send them on (to the enrolment first, when required)."""
    session.clear()  # a new session at login: nothing from before carries over
    login_user(user)
    session["login_at"] = session["seen_at"] = now.timestamp()
    if second_factor.must_enrol(user):
        session[ENROL_FIRST] = True
        flash(_("Ditt konto måste ha tvåstegsverifiering. Slå på den innan du fortsätter."), "info")
        return redirect(url_for("accounts.second_factor"))
    if not wanted:  # no page asked for: the person's own start page
        return redirect(url_for(start_endpoint(current_app, user)))
    return redirect(safe_next(wanted))


def after_password(user: User, now: datetime, wanted: str | None) -> Response:
    """The password held: log in, or, with a second factor on, go to the code step first."""
    if not second_factor.is_enabled(user):
        return finish_login(user, now, wanted)
    session.clear()
    session[PENDING] = pending_login(user, now, wanted)
    return redirect(url_for("accounts.second_factor_login"))


def pending_login(user: User, now: datetime, wanted: str | None = None) -> dict[str, object]:
    """Return what the session keeps between the password and the code.

    The session cookie is signed, not encrypted: it holds a hash of the user's session token (to
    notice a logout everywhere or a reset meanwhile), never the token itself.
    """
    return {
        "user": user.id,
        "token": services.hash_token(user.session_token),
        "at": now.timestamp(),
        "next": wanted or "",
    }


def _pending_user(now: datetime) -> User | None:
    """Return the user whose password passed a moment ago in this session, or None."""
    pending = session.get(PENDING)
    if not isinstance(pending, dict):
        return None
    user = get_or_none(User, pending.get("user"))
    limit = timedelta(minutes=current_app.config["COURSEHUB_SECOND_FACTOR_STEP_MINUTES"]).total_seconds()
    if (
        user is None
        or not user.is_active
        or services.hash_token(user.session_token) != pending.get("token")  # sessions ended meanwhile
        or now.timestamp() - float(pending.get("at", 0)) > limit
    ):
        return None
    return user


@bp.route("/logga-in/kod", methods=["GET", "POST"])
@limiter.limit(_address_limit, methods=["POST"], deduct_when=_failed, scope="second-factor-address")
def second_factor_login():
    """The login's second step: a code from the app, or a recovery code instead."""
    now = clock.now()
    user = _pending_user(now)
    if user is None:  # no password a moment ago in this session, or too long ago
        session.pop(PENDING, None)
        return render_template("accounts/second_factor_login.html", form=None)
    form = SecondFactorLoginForm()
    if form.validate_on_submit():
        address = request.remote_addr or ""

        def check_and_verify() -> str:
            services.check_login_throttle(user.username, address, now=now)
            return second_factor.verify_login_code(user, required(form.code), now=now)

        outcome = attempt(check_and_verify, form=form, default="code", catch=AccountError)
        if isinstance(outcome.error, LoginThrottledError):
            return Response(render_template("accounts/second_factor_login.html", form=form), 429)
        if outcome.error is not None:
            attempt(lambda: services.record_login_failure(user.username, address, now=now))
        else:
            wanted = str(session.get(PENDING, {}).get("next") or "")
            response = finish_login(user, now, wanted)  # a new session: flash after it
            if outcome.value == "recovery":
                left = second_factor.unused_recovery_codes(user)
                flash(
                    ngettext(
                        "Du loggade in med en reservkod. Du har %(num)d kvar.",
                        "Du loggade in med en reservkod. Du har %(num)d kvar.",
                        left,
                    ),
                    "info",
                )
            return response
    return render_template("accounts/second_factor_login.html", form=form)


@bp.before_app_request
def enrol_first() -> Response | None:
    """Send a person who must turn on the second factor to its page, from every other page."""
    if not session.get(ENROL_FIRST) or request.endpoint in ENROL_FIRST_OPEN:
        return None
    if not current_user.is_authenticated:
        return None
    if not permissions.can_use_second_factor(current_user):  # the role was taken away meanwhile
        session.pop(ENROL_FIRST, None)
        return None
    return redirect(url_for("accounts.second_factor"))


# -- one's own second factor ----------------------------------------------------------------------


def _own() -> User:
    """The current user, who may use a second factor; others are told there is no such page."""
    user = actor()
    if not permissions.can_use_second_factor(user):
        abort(404)
    return user


def _status_page(
    user: User, off_form: SecondFactorOffForm | None = None, codes_form: PasswordCheckForm | None = None
) -> str:
    factor = second_factor.factor_of(user)
    enabled = factor is not None and factor.enabled_at is not None
    return render_template(
        "accounts/second_factor.html",
        factor=factor,
        enabled=enabled,
        unused=second_factor.unused_recovery_codes(user) if enabled else 0,
        required=bool(current_app.config["COURSEHUB_REQUIRE_SECOND_FACTOR"]),
        off_form=off_form or SecondFactorOffForm(formdata=None),
        codes_form=codes_form or PasswordCheckForm(formdata=None),
    )


@bp.get("/profil/tvastegsverifiering", endpoint="second_factor")
@permissions.login_required
def second_factor_page():
    """Show whether one's second factor is on, and the forms to turn it on or off."""
    return _status_page(_own())


@bp.post("/profil/tvastegsverifiering/borja")
@permissions.login_required
def second_factor_start():
    """Start turning the second factor on: a new secret, shown on the next page."""
    user = _own()
    if attempt(lambda: second_factor.begin_enrolment(user, now=clock.now())).ok:
        return redirect(url_for("accounts.second_factor_enrol"))
    return redirect(url_for("accounts.second_factor"))


@bp.route("/profil/tvastegsverifiering/ny", methods=["GET", "POST"])
@permissions.login_required
def second_factor_enrol():
    """Show the QR code and the secret as text; a first code from the app turns the factor on."""
    user = _own()
    factor = second_factor.factor_of(user)
    if factor is None or factor.enabled_at is not None:
        return redirect(url_for("accounts.second_factor"))
    form = SecondFactorConfirmForm()
    if form.validate_on_submit():
        outcome = attempt(
            lambda: second_factor.confirm_enrolment(user, required(form.code), now=clock.now()),
            form=form,
            default="code",
            catch=AccountError,
        )
        if outcome.ok:
            session.pop(ENROL_FIRST, None)
            return render_template("accounts/recovery_codes.html", codes=outcome.value, first=True)
    details = second_factor.provisioning(user, factor)
    qr = segno.make(details.uri, error="m").svg_data_uri(scale=4, border=4, dark="#000", light="#fff")
    return render_template("accounts/second_factor_enrol.html", form=form, details=details, qr=qr)


@bp.post("/profil/tvastegsverifiering/reservkoder")
@permissions.login_required
def second_factor_codes():
    """Make ten new recovery codes (after the password); the old ones stop working."""
    user = _own()
    form = PasswordCheckForm()
    if form.validate_on_submit():
        outcome = attempt(
            lambda: second_factor.replace_recovery_codes(
                user, password=required(form.password), now=clock.now()
            ),
            form=form,
            default="password",
            catch=AccountError,
        )
        if outcome.ok:
            return render_template("accounts/recovery_codes.html", codes=outcome.value, first=False)
    return _status_page(user, codes_form=form)


@bp.post("/profil/tvastegsverifiering/stang-av")
@permissions.login_required
def second_factor_off():
    """Turn one's second factor off, with the password and a code."""
    user = _own()
    form = SecondFactorOffForm()
    if form.validate_on_submit():
        outcome = attempt(
            lambda: second_factor.turn_off(
                user, password=required(form.password), code=required(form.code), now=clock.now()
            ),
            form=form,
            default="code",
            catch=AccountError,
        )
        if outcome.ok:
            flash(_("Tvåstegsverifieringen är avstängd."), "success")
            return redirect(url_for("accounts.second_factor"))
    return _status_page(user, off_form=form)


# -- an admin's reset ---------------------------------------------------------------------------


@bp.post("/admin/anvandare/<int:user_id>/tvastegsverifiering/aterstall")
@permissions.roles_required(Role.ADMIN)
def reset_second_factor(user_id):
    """An admin takes away a person's second factor (a lost phone); the audit log records it."""
    user = load_or_404(User, user_id)
    if attempt(lambda: second_factor.reset(user, actor=actor(), now=clock.now())).ok:
        flash(_("Tvåstegsverifieringen för %(name)s är återställd.", name=user.full_name), "success")
    return redirect(url_for("accounts.edit_user", user_id=user_id))
