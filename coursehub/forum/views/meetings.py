"""A network's meetings: the list, one meeting, planning one, recording minutes and attendance."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from coursehub import clock
from coursehub.forum import meetings, queries_documents
from coursehub.forum import permissions_documents as rights
from coursehub.forum.errors import ForumError
from coursehub.forum.forms_documents import MeetingForm, RecordMeetingForm
from coursehub.forum.models import Meeting, Network
from coursehub.forum.views import bp
from coursehub.forum.views.documents import load_network
from coursehub.lib.forms import required
from coursehub.lib.localtime import local_moment
from coursehub.lib.params import page_arg
from coursehub.lib.work import actor, attempt, load_or_404


def _load_meeting(network: Network, meeting_id: int) -> Meeting:
    return load_or_404(Meeting, meeting_id, allowed=lambda _user, meeting: meeting.network_id == network.id)


@bp.get("/<int:network_id>/moten")
def meetings_list(network_id: int):
    """A network's meetings, the latest first, with how many attended."""
    network = load_network(network_id, rights.can_read_meetings)
    return render_template(
        "forum/meetings/list.html",
        network=network,
        page=queries_documents.meetings_page(network.id, page=page_arg()),
        can_manage=rights.can_manage_meetings(current_user, network),
        now=clock.now(),
    )


@bp.route("/<int:network_id>/moten/nytt", methods=["GET", "POST"])
def new_meeting(network_id: int):
    """A moderator plans a meeting."""
    network = load_network(network_id, rights.can_manage_meetings)
    form = MeetingForm()
    if form.validate_on_submit():
        day, time = required(form.day), required(form.time)

        def create() -> Meeting:
            starts_at = local_moment(day, time, field="time", error=ForumError)
            return meetings.create_meeting(
                network,
                starts_at=starts_at,
                place=form.place.data or "",
                online_url=form.online_url.data or "",
                agenda=form.agenda.data or "",
                actor=actor(),
                now=clock.now(),
            )

        outcome = attempt(create, form=form, default="place")
        if outcome.ok and outcome.value is not None:
            flash(_("Mötet är inlagt."), "success")
            return redirect(
                url_for("forum.meeting_detail", network_id=network.id, meeting_id=outcome.value.id)
            )
    return render_template("forum/meetings/form.html", network=network, form=form)


@bp.get("/<int:network_id>/moten/<int:meeting_id>")
def meeting_detail(network_id: int, meeting_id: int):
    """One meeting: when, where, agenda, minutes and who attended."""
    network = load_network(network_id, rights.can_read_meetings)
    meeting = _load_meeting(network, meeting_id)
    return render_template(
        "forum/meetings/detail.html",
        network=network,
        meeting=meeting,
        attendees=sorted((a.user for a in meeting.attendances), key=lambda user: user.full_name),
        can_manage=rights.can_manage_meetings(current_user, network),
    )


@bp.route("/<int:network_id>/moten/<int:meeting_id>/protokoll", methods=["GET", "POST"])
def record_meeting(network_id: int, meeting_id: int):
    """A moderator records the meeting's minutes and who attended."""
    network = load_network(network_id, rights.can_manage_meetings)
    meeting = _load_meeting(network, meeting_id)
    form = RecordMeetingForm(
        documents=queries_documents.minutes_choices(network.id),
        members=[(user.id, user.full_name) for user in queries_documents.network_members(network.id)],
        data={
            "minutes_document_id": meeting.minutes_document_id,
            "attendees": [a.user_id for a in meeting.attendances],
        },
    )
    if form.validate_on_submit():
        outcome = attempt(
            lambda: meetings.record_meeting(
                meeting,
                minutes_document_id=form.minutes_document_id.data,
                attendee_ids=[i for i in form.attendees.data or [] if i is not None],
                actor=actor(),
                now=clock.now(),
            ),
            form=form,
            default="attendees",
        )
        if outcome.ok:
            flash(_("Protokoll och närvaro är sparade."), "success")
            return redirect(url_for("forum.meeting_detail", network_id=network.id, meeting_id=meeting.id))
    return render_template("forum/meetings/record.html", network=network, meeting=meeting, form=form)
