"""The staff page of the outbox: what waits, what failed, what went out, and each message's text."""

from __future__ import annotations

import re

from flask import Blueprint, abort, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from coursehub import clock
from coursehub.lib.forms import BaseForm, expired_form_message
from coursehub.lib.nav import ADMINISTRATION, NavItem
from coursehub.lib.params import page_arg
from coursehub.lib.work import ERROR, actor, attempt, commit_audit_now, load_or_404, write_from_here
from coursehub.notifications import permissions, queries, services
from coursehub.notifications.forms import RecipientForm
from coursehub.notifications.models import OutboxMessage

bp = Blueprint("notifications", __name__)

nav_items = [
    NavItem(
        _l("Utkorg"), "notifications.outbox", permissions.can_read_outbox, order=95, group=ADMINISTRATION
    ),
]


# The secret part of a single-use link (password reset, invitation, ...): a long random path
# segment or query value. Whoever holds it can act as the recipient, so staff reading the outbox
# see that a link is there, never the link itself.
_SECRET_IN_LINK = re.compile(r"(https?://\S*?[/=])[A-Za-z0-9_-]{24,}")
HIDDEN_PART = "[…]"


def without_link_secrets(text: str) -> str:
    """Return `text` with the secret part of every single-use link replaced by a marker."""
    return _SECRET_IN_LINK.sub(lambda match: match.group(1) + HIDDEN_PART, text or "")


class RetryForm(BaseForm):
    """A button only; the form carries the CSRF token."""


@bp.get("/admin/utkorg")
@login_required
def outbox():
    """List failed and waiting messages first, then the latest sent."""
    if not permissions.can_read_outbox(current_user):
        abort(403)
    asked = page_arg()
    counts = queries.outbox_counts(asked)
    page = queries.outbox_page(asked, counts)
    return render_template(
        "notifications/outbox.html",
        page=page,
        counts=counts,
        mail_server_configured=bool(current_app.config.get("MAIL_SERVER")),
        retry_form=RetryForm(),
    )


@bp.get("/admin/utkorg/<int:message_id>")
@login_required
def message(message_id: int):
    """Show one message as it will be (or was) sent: subject, recipient and text; the read is audited."""
    if not permissions.can_read_outbox(current_user):
        abort(403)
    # The text is personal data: each read writes an audit row (who, which message; no content),
    # committed before the page is shown.
    write_from_here()
    found = load_or_404(OutboxMessage, message_id)
    services.record_message_read(found, actor=actor(), now=clock.now())
    commit_audit_now()
    return render_template(
        "notifications/message.html",
        message=found,
        body_text=without_link_secrets(found.body_text),
        mail_server_configured=bool(current_app.config.get("MAIL_SERVER")),
        retry_form=RetryForm(),
        correction_form=_recipient_form(found),
        can_correct=_can_correct(found),
    )


@bp.post("/admin/utkorg/<int:message_id>/forsok-igen")
@login_required
def retry(message_id: int):
    """Put an unsent message back in line for the next outbox run."""
    if not permissions.can_retry_message(current_user):
        abort(403)
    found = load_or_404(OutboxMessage, message_id)
    form = RetryForm()
    if not form.validate_on_submit():
        flash(expired_form_message(), ERROR)
        return redirect(url_for(".message", message_id=found.id))
    if attempt(
        lambda: services.retry_message(found, actor=actor(), now=clock.now()), catch=services.OutboxError
    ).ok:
        flash(_("Meddelandet skickas vid nästa utskick, inom någon minut."), "success")
    return redirect(url_for(".message", message_id=found.id))


def _can_correct(message: OutboxMessage) -> bool:
    return (
        message.failed_at is not None
        and message.sent_at is None
        and message.body_dropped_at is None  # nothing left to send (services.retry_message)
        and permissions.can_correct_recipient(current_user)
    )


def _recipient_form(message: OutboxMessage) -> RecipientForm:
    """The correction form, filled with the address as it stands (typed input after a POST)."""
    form = RecipientForm()
    if not form.is_submitted():
        form.recipient.data = message.recipient
    return form


@bp.route("/admin/utkorg/<int:message_id>/mottagare", methods=["GET", "POST"])
@login_required
def correct_recipient(message_id: int) -> str | Response:
    """Correct the recipient address of a failed message, which puts it back in line."""
    if not permissions.can_correct_recipient(current_user):
        abort(403)
    found = load_or_404(OutboxMessage, message_id)
    if not _can_correct(found):
        if found.body_dropped_at is not None:
            flash(_("Texten i meddelandet är gallrad, så det kan inte skickas igen."), ERROR)
        else:
            flash(_("Bara ett meddelande som inte kunde skickas kan få en ny mottagare."), ERROR)
        return redirect(url_for(".message", message_id=found.id))
    form = _recipient_form(found)
    if form.validate_on_submit():
        outcome = attempt(
            lambda: services.correct_recipient(
                found, form.recipient.data or "", actor=actor(), now=clock.now()
            ),
            form=form,
            default="recipient",
            catch=services.OutboxError,
        )
        if outcome.ok:
            flash(
                _("Adressen är ändrad. Meddelandet skickas vid nästa utskick, inom någon minut."), "success"
            )
            return redirect(url_for(".message", message_id=found.id))
    return render_template("notifications/recipient.html", message=found, form=form)
