"""The private calendar feed: created and revoked on the family's page, read without login."""

from __future__ import annotations

from flask import Response, abort, flash, redirect, url_for
from flask_babel import gettext as _

from coursehub import clock
from coursehub.accounts.models import Role
from coursehub.accounts.permissions import roles_required
from coursehub.courses.ical import EventWords, event_info
from coursehub.enrollment import queries, services
from coursehub.enrollment.forms import EmptyForm
from coursehub.enrollment.views import bp
from coursehub.enrollment.views._helpers import calendar_name
from coursehub.lib import ical
from coursehub.lib.work import actor, attempt


@bp.post("/mina-kurser/kalender")
@roles_required(Role.FAMILY)
def create_feed():
    """Create (or renew) the private feed address; an earlier address stops working."""
    if EmptyForm().validate_on_submit():
        if attempt(lambda: services.create_calendar_feed(actor(), now=clock.now())).ok:
            flash(_("Kalenderlänken är klar. Lägg till den i kalenderprogrammet."), "success")
    return redirect(url_for("enrollment.my_courses"))


@bp.post("/mina-kurser/kalender/ta-bort")
@roles_required(Role.FAMILY)
def revoke_feed():
    """Revoke the private feed address."""
    if EmptyForm().validate_on_submit():
        if attempt(lambda: services.revoke_calendar_feed(actor())).ok:
            flash(_("Kalenderlänken är borttagen och fungerar inte längre."), "success")
    return redirect(url_for("enrollment.my_courses"))


@bp.get("/kalender/<token>.ics")
def feed(token: str):
    """Serve a user's confirmed sessions as a calendar; the token is the only key."""
    user_id = queries.feed_user_id(token)
    if user_id is None:
        abort(404)
    sessions = queries.feed_sessions(user_id)
    # Each run's page once, not once per session: a feed holds every session of every run.
    urls = {
        run_id: url_for("courses.detail", run_id=run_id, _external=True)
        for run_id in {s.run_id for s, _offset in sessions}
    }
    words = EventWords.current()
    events = [
        event_info(s, url=urls[s.run_id], sequence_offset=offset, words=words) for s, offset in sessions
    ]
    body = ical.build_feed(
        events,
        name=calendar_name(),
        now=clock.now(),
    )
    response = Response(body, mimetype="text/calendar")
    response.headers["Content-Disposition"] = 'attachment; filename="mina-kurser.ics"'
    response.headers["Cache-Control"] = "no-store"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response
