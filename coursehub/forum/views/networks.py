"""The list of one's networks, a network's page, what is new, and its members."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from coursehub import clock
from coursehub.accounts.permissions import is_staff, login_required
from coursehub.errors import CoursehubError
from coursehub.forum import permissions, queries
from coursehub.forum.forms import ButtonForm, MemberForm, NetworkForm, SubjectForm
from coursehub.forum.models import DESCRIPTION_MAX
from coursehub.forum.services import networks as network_services
from coursehub.forum.views import bp
from coursehub.forum.views.common import (
    load_membership,
    load_network,
    load_network_standing,
    standing,
)
from coursehub.forum.views.thread_rows import thread_rows
from coursehub.lib.checks import known
from coursehub.lib.forms import required, shown_again_status
from coursehub.lib.params import page_arg
from coursehub.lib.work import actor, attempt


@bp.get("/")
@login_required
def networks():
    """List the networks the user is in (every network for staff); none is an empty list."""
    page = queries.networks_page(user_id=current_user.id, everything=is_staff(current_user), page=page_arg())
    from coursehub.forum import permissions_documents, queries_documents

    # The news of the joint development work, for those who read the library (issue 19, point 4).
    news = queries_documents.latest_news() if permissions_documents.can_read_library(current_user) else []
    can_search = permissions_documents.can_search(current_user)
    return render_template(
        "forum/networks.html",
        page=page,
        news=news,
        can_search=can_search,
        can_manage=permissions.can_manage_networks(current_user),
    )


@bp.route("/ny", methods=["GET", "POST"])
@login_required
def new_network():
    """Staff and admins create a network (a name and a description)."""
    if not permissions.can_manage_networks(current_user):
        abort(404)
    form = NetworkForm()
    if form.validate_on_submit():
        outcome = attempt(
            lambda: network_services.create_network(
                form.name.data or "",
                description=form.description.data or "",
                actor=actor(),
                now=clock.now(),
            ),
            form=form,
            default="name",
        )
        if outcome.ok:
            flash(_("Nätverket är skapat. Lägg till dess medlemmar."), "success")
            created = known(outcome.value, "create_network returns the network")
            return redirect(url_for("forum.members", network_id=created.id))
    return render_template(
        "forum/network_form.html", form=form, network=None, description_max=DESCRIPTION_MAX
    ), shown_again_status(form)


@bp.route("/<int:network_id>/andra", methods=["GET", "POST"])
@login_required
def edit_network(network_id: int):
    """Staff and admins rename a network and change its description."""
    found = load_network(network_id)
    if not permissions.can_manage_networks(current_user):
        abort(404)
    initial = {"name": found.name, "description": found.description}
    form = NetworkForm(data=initial if request.method == "GET" else None)
    if form.validate_on_submit():
        outcome = attempt(
            lambda: network_services.update_network(
                found,
                form.name.data or "",
                description=form.description.data or "",
                actor=actor(),
                now=clock.now(),
            ),
            form=form,
            default="name",
        )
        if outcome.ok:
            flash(_("Ändringen är sparad."), "success")
            return redirect(url_for("forum.network", network_id=found.id))
    return render_template(
        "forum/network_form.html", form=form, network=found, description_max=DESCRIPTION_MAX
    ), shown_again_status(form)


@bp.get("/<int:network_id>")
@login_required
def network(network_id: int):
    """Show a network: its subjects and its latest threads."""
    visit, here = load_network_standing(network_id)
    # The subjects' counts add up to the network's threads: the thread list needs no COUNT of its own.
    page = queries.network_threads(
        visit.network.id, user_id=current_user.id, page=page_arg(), total=visit.threads
    )
    return render_template(
        "forum/network.html",
        network=visit.network,
        subjects=visit.subjects,
        counts=visit.counts,
        page=page,
        rows=thread_rows(page),
        standing=here,
        subject_form=SubjectForm() if here.is_moderator else None,  # only moderators add subjects
    )


@bp.get("/<int:network_id>/nytt")
@login_required
def unread(network_id: int):
    """The threads with posts the member has not read: new since their last visit."""
    found = load_network(network_id)
    page = queries.unread_threads(found.id, user_id=current_user.id, page=page_arg())
    return render_template(
        "forum/unread.html",
        network=found,
        page=page,
        rows=thread_rows(page),
        standing=standing(found),
    )


@bp.get("/<int:network_id>/medlemmar")
@login_required
def members(network_id: int):
    """Who is in the network; staff add and remove members and name moderators here."""
    found = load_network(network_id)
    return _render_members(found, MemberForm())


def _render_members(found, form: MemberForm, status: int = 200):
    return (
        render_template(
            "forum/members.html",
            network=found,
            page=queries.members(found.id, page=page_arg()),
            standing=standing(found),
            form=form,
            button=ButtonForm(),
        ),
        status,
    )


@bp.post("/<int:network_id>/medlemmar")
@login_required
def add_member(network_id: int):
    """Staff add a member (by username or e-mail address)."""
    found = load_network(network_id)
    if not permissions.can_manage_members(current_user, found):
        abort(404)
    form = MemberForm()
    if not form.validate():
        return _render_members(found, form, 422)
    user = queries.find_user(required(form.who))

    def add():
        if user is None:
            raise CoursehubError(
                _("Det finns ingen användare med det användarnamnet eller den adressen."), field="who"
            )
        return network_services.add_member(
            found, user, is_moderator=bool(form.is_moderator.data), actor=actor(), now=clock.now()
        )

    outcome = attempt(add, form=form, default="who")
    if not outcome.ok:
        return _render_members(found, form, 422)
    flash(_("%(name)s är nu medlem i nätverket.", name=user.full_name if user else ""), "success")
    return redirect(url_for("forum.members", network_id=network_id))


@bp.post("/medlemskap/<int:membership_id>/ta-bort")
@login_required
def remove_member(membership_id: int):
    """Staff end a membership."""
    membership = load_membership(membership_id)
    network_id = membership.network_id
    if (
        ButtonForm().validate()
        and attempt(lambda: network_services.remove_member(membership, actor=actor())).ok
    ):
        flash(_("Medlemskapet är avslutat."), "success")
    return redirect(url_for("forum.members", network_id=network_id))


@bp.post("/medlemskap/<int:membership_id>/moderator")
@login_required
def toggle_moderator(membership_id: int):
    """Staff make a member a moderator, or a plain member again."""
    membership = load_membership(membership_id)
    network_id = membership.network_id
    wanted = not membership.is_moderator
    if (
        ButtonForm().validate()
        and attempt(lambda: network_services.set_moderator(membership, wanted, actor=actor())).ok
    ):
        flash(_("Ändringen är sparad."), "success")
    return redirect(url_for("forum.members", network_id=network_id))
