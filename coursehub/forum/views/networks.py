"""The list of one's networks and a network's page."""

from __future__ import annotations

from flask import render_template
from flask_login import current_user

from coursehub.accounts.permissions import is_staff, login_required
from coursehub.forum import permissions, queries
from coursehub.forum.models import Network
from coursehub.forum.views import bp
from coursehub.lib.params import page_arg
from coursehub.lib.work import load_or_404


def load_network(network_id: int) -> Network:
    """Load a network the user may read, or answer 404 (a non-member must not learn it exists)."""
    return load_or_404(Network, network_id, allowed=permissions.can_read_network)


@bp.get("/")
@login_required
def networks():
    """List the networks the user is in (every network for staff); none is an empty list."""
    page = queries.networks_page(user_id=current_user.id, everything=is_staff(current_user), page=page_arg())
    return render_template("forum/networks.html", page=page)


@bp.get("/<int:network_id>")
@login_required
def network(network_id: int):
    """Show a network: its description and subjects."""
    found = load_network(network_id)
    return render_template(
        "forum/network.html",
        network=found,
        subjects=queries.subjects(found.id),
        can_moderate=permissions.can_moderate(current_user, found),
        can_manage_members=permissions.can_manage_members(current_user, found),
    )
