"""What moderators do: arrange subjects, hide posts, lock, pin and move threads."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from coursehub import clock
from coursehub.accounts.permissions import login_required
from coursehub.forum import permissions, queries
from coursehub.forum.forms import ButtonForm, HideForm, MoveThreadForm, SubjectForm
from coursehub.forum.models import Subject
from coursehub.forum.services import discussions
from coursehub.forum.views import bp
from coursehub.forum.views.common import load_network, load_post, load_subject, load_thread
from coursehub.lib.forms import offered_records, shown_again_status
from coursehub.lib.params import get_or_none
from coursehub.lib.work import ERROR, actor, attempt


def _moderates(network) -> None:
    if not permissions.can_moderate(current_user, network):
        abort(404)


def _flash_errors(form) -> None:
    for errors in form.errors.values():
        for error in errors:
            flash(error, ERROR)


@bp.post("/<int:network_id>/amnen")
@login_required
def create_subject(network_id: int):
    """Add a subject to the network."""
    network = load_network(network_id)
    _moderates(network)
    form = SubjectForm()
    if not form.validate():
        _flash_errors(form)
    elif attempt(
        lambda: discussions.create_subject(network, form.name.data or "", actor=actor(), now=clock.now())
    ).ok:
        flash(_("Ämnesområdet är skapat."), "success")
    return redirect(url_for("forum.network", network_id=network_id))


@bp.post("/amne/<int:subject_id>/namn")
@login_required
def rename_subject(subject_id: int):
    """Give a subject a new name."""
    subject = load_subject(subject_id)
    _moderates(subject.network)
    form = SubjectForm()
    if not form.validate():
        _flash_errors(form)
    elif attempt(lambda: discussions.rename_subject(subject, form.name.data or "", actor=actor())).ok:
        flash(_("Ämnesområdet har fått ett nytt namn."), "success")
    return redirect(url_for("forum.subject", subject_id=subject_id))


@bp.post("/amne/<int:subject_id>/flytta-upp")
@login_required
def subject_up(subject_id: int):
    """Move a subject one place up."""
    return _move_subject(subject_id, up=True)


@bp.post("/amne/<int:subject_id>/flytta-ned")
@login_required
def subject_down(subject_id: int):
    """Move a subject one place down."""
    return _move_subject(subject_id, up=False)


def _move_subject(subject_id: int, *, up: bool):
    subject = load_subject(subject_id)
    _moderates(subject.network)
    network_id = subject.network_id
    if ButtonForm().validate():
        attempt(lambda: discussions.move_subject(subject, up=up, actor=actor()))
    return redirect(url_for("forum.network", network_id=network_id))


@bp.post("/inlagg/<int:post_id>/dolj")
@login_required
def hide_post(post_id: int):
    """Hide a post from the members, with a reason."""
    post = load_post(post_id)
    _moderates(post.thread.network)
    thread_id, number = post.thread_id, post.number
    form = HideForm()
    if not form.validate():
        _flash_errors(form)
    elif attempt(
        lambda: discussions.hide_post(post, form.reason.data or "", actor=actor(), now=clock.now())
    ).ok:
        flash(_("Inlägget är dolt."), "success")
    return redirect(url_for("forum.post", thread_id=thread_id, number=number))


@bp.post("/inlagg/<int:post_id>/visa")
@login_required
def unhide_post(post_id: int):
    """Show a hidden post again."""
    post = load_post(post_id)
    _moderates(post.thread.network)
    thread_id, number = post.thread_id, post.number
    if ButtonForm().validate() and attempt(lambda: discussions.unhide_post(post, actor=actor())).ok:
        flash(_("Inlägget visas igen."), "success")
    return redirect(url_for("forum.post", thread_id=thread_id, number=number))


@bp.post("/trad/<int:thread_id>/las")
@login_required
def toggle_lock(thread_id: int):
    """Lock a thread (no more replies), or open it again."""
    thread = load_thread(thread_id)
    _moderates(thread.network)
    wanted = not thread.is_locked
    if (
        ButtonForm().validate()
        and attempt(lambda: discussions.set_thread_flags(thread, is_locked=wanted, actor=actor())).ok
    ):
        flash(_("Tråden är låst.") if wanted else _("Tråden är öppen igen."), "success")
    return redirect(url_for("forum.thread", thread_id=thread_id))


@bp.post("/trad/<int:thread_id>/fast")
@login_required
def toggle_pin(thread_id: int):
    """Pin a thread first in its subject, or unpin it."""
    thread = load_thread(thread_id)
    _moderates(thread.network)
    wanted = not thread.is_pinned
    if (
        ButtonForm().validate()
        and attempt(lambda: discussions.set_thread_flags(thread, is_pinned=wanted, actor=actor())).ok
    ):
        flash(_("Tråden är fäst överst.") if wanted else _("Tråden är inte längre fäst."), "success")
    return redirect(url_for("forum.thread", thread_id=thread_id))


@bp.route("/trad/<int:thread_id>/flytta", methods=["GET", "POST"])
@login_required
def move_thread(thread_id: int):
    """Move a thread to another subject of the same network: a page of its own, since moving is
    seldom done, so that the thread page does not load the network's subjects on every view."""
    thread = load_thread(thread_id)
    _moderates(thread.network)
    form = MoveThreadForm()
    if request.method == "GET":
        form.subject_id.data = thread.subject_id
    elif form.validate():  # any id passes the form (validate_choice=False): the list is not needed
        target = get_or_none(Subject, form.subject_id.data)
        if attempt(lambda: discussions.move_thread(thread, target, actor=actor()), form=form).ok:
            flash(_("Tråden är flyttad."), "success")
            return redirect(url_for("forum.thread", thread_id=thread_id))
    # Read only for the page shown: a first line asking for a choice, as a required list must
    # have, then the network's subjects (the present one chosen).
    form.subject_id.choices = offered_records(_("Välj ämnesområde"), queries.subjects(thread.network_id))
    return (
        render_template("forum/move_thread.html", thread=thread, network=thread.network, form=form),
        shown_again_status(form),
    )
