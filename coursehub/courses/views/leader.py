"""The course leaders' start page."""

from __future__ import annotations

from flask import render_template

from coursehub import clock
from coursehub.accounts.models import LEADER_ROLES
from coursehub.accounts.permissions import roles_required
from coursehub.courses import queries
from coursehub.courses.views import bp
from coursehub.lib.params import page_arg
from coursehub.lib.work import actor


@bp.get("/kursledare")
@roles_required(*LEADER_ROLES)
def leader_home():
    """Show the leader's runs and their next sessions."""
    user = actor()
    page = queries.leader_runs_page(user, page=page_arg())
    sessions = queries.next_sessions_for_leader(user, now=clock.now())
    return render_template("courses/leader_home.html", page=page, sessions=sessions)
