"""Following networks, subjects and threads; the mention and reply notices; unsubscribe links."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from coursehub import clock
from coursehub.accounts.permissions import login_required
from coursehub.extensions import csrf
from coursehub.forum import permissions, queries
from coursehub.forum.forms import ButtonForm, FollowForm, NoticesForm
from coursehub.forum.models import Delivery, Network, Subject, Subscription, Thread
from coursehub.forum.services import notify
from coursehub.forum.views import bp
from coursehub.forum.views.common import load_network, load_subject, load_thread, standing
from coursehub.lib import ratelimits
from coursehub.lib.work import ERROR, actor, attempt, load_or_404


def _member_of(network: Network) -> None:
    if not standing(network).is_member:
        abort(404)


@bp.get("/<int:network_id>/bevakning")
@login_required
def follows(network_id: int):
    """What the member follows in a network, and the notices they get."""
    network = load_network(network_id)
    _member_of(network)
    membership = permissions.membership(current_user, network)
    notices = NoticesForm(
        data={"mentions": membership.notify_mentions, "replies": membership.notify_replies}
        if membership
        else None
    )
    following_network = queries.subscription_for(current_user.id, network.id, "network")
    return render_template(
        "forum/follows.html",
        network=network,
        rows=queries.subscriptions(network.id, current_user.id),
        follow_form=FollowForm(
            data={"delivery": following_network.delivery.value} if following_network else None
        ),
        notices=notices,
        button=ButtonForm(),
        following_network=following_network,
    )


def _follow(network: Network, back: str, *, subject: Subject | None = None, thread: Thread | None = None):
    _member_of(network)
    form = FollowForm()
    if not form.validate():
        flash(_("Välj hur du vill få e-post."), ERROR)
        return redirect(back)
    delivery = Delivery(form.delivery.data)
    outcome = attempt(
        lambda: notify.follow(
            network, subject=subject, thread=thread, delivery=delivery, actor=actor(), now=clock.now()
        )
    )
    if outcome.ok:
        flash(_("Du följer nu det här. Du kan sluta när du vill."), "success")
    return redirect(back)


@bp.post("/<int:network_id>/folj")
@login_required
def follow_network(network_id: int):
    """Follow every new post of a network."""
    network = load_network(network_id)
    return _follow(network, url_for("forum.follows", network_id=network_id))


@bp.post("/amne/<int:subject_id>/folj")
@login_required
def follow_subject(subject_id: int):
    """Follow the new posts of a subject."""
    subject = load_subject(subject_id)
    return _follow(subject.network, url_for("forum.subject", subject_id=subject_id), subject=subject)


@bp.post("/trad/<int:thread_id>/folj")
@login_required
def follow_thread(thread_id: int):
    """Follow the new posts of a thread."""
    thread = load_thread(thread_id)
    return _follow(thread.network, url_for("forum.thread", thread_id=thread_id), thread=thread)


@bp.post("/bevakning/<int:subscription_id>/sluta")
@login_required
def unfollow(subscription_id: int):
    """Stop following (one's own subscription; another's answers 404)."""
    subscription = load_or_404(
        Subscription, subscription_id, allowed=lambda user, row: row.user_id == user.id
    )
    network_id = subscription.network_id
    if ButtonForm().validate() and attempt(lambda: notify.unfollow(subscription, actor=actor())).ok:
        flash(_("Du följer inte längre det här."), "success")
    return redirect(url_for("forum.follows", network_id=network_id))


@bp.post("/<int:network_id>/aviseringar")
@login_required
def set_notices(network_id: int):
    """Turn the mention and reply notices on or off."""
    network = load_network(network_id)
    membership = permissions.membership(current_user, network)
    if membership is None:
        abort(404)
    form = NoticesForm()
    if form.validate():
        outcome = attempt(
            lambda: notify.set_default_notices(
                membership, mentions=bool(form.mentions.data), replies=bool(form.replies.data), actor=actor()
            )
        )
        if outcome.ok:
            flash(_("Dina val är sparade."), "success")
    return redirect(url_for("forum.follows", network_id=network_id))


@bp.get("/avregistrera/<token>")
@ratelimits.personal_link
def unsubscribe(token: str):
    """The page an unsubscribe link opens (logged in or not): what it turns off, and a button."""
    request_ = notify.read_unsubscribe_token(token)
    if request_ is None:
        ratelimits.refused_link()
        abort(404)
    what = notify.describe_unsubscribe(request_)
    return render_template("forum/unsubscribe.html", token=token, what=what, done=False)


@bp.post("/avregistrera/<token>")
@csrf.exempt  # RFC 8058: mail programs post here without a form; the signed token is the proof
@ratelimits.personal_link
def unsubscribe_one_click(token: str):
    """Turn off what the link names: the page's button and the mail program's one click."""
    request_ = notify.read_unsubscribe_token(token)
    if request_ is None:
        ratelimits.refused_link()
        abort(404)
    what = notify.describe_unsubscribe(request_)
    attempt(lambda: notify.unsubscribe(request_, now=clock.now()))
    return render_template("forum/unsubscribe.html", token=token, what=what, done=True)
