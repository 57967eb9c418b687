"""Network meetings: planning, minutes and attendance by the moderator, figures per half-year."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from coursehub import clock
from coursehub.errors import NotFoundError
from coursehub.extensions import db
from coursehub.forum import documents, meetings
from coursehub.forum.errors import ForumError
from coursehub.forum.models import Meeting, MeetingAttendance
from tests.forum.docs_support import PDF, member
from tests.forum.test_documents import user_network


def _meeting(network, moderator, *, starts_at, online: bool = False, place: str = "Kommunhuset"):
    return meetings.create_meeting(
        network,
        starts_at=starts_at,
        place="" if online else place,
        online_url="https://möte.example.se/1" if online else "",
        agenda="1. Inledning",
        actor=moderator,
        now=clock.now(),
    )


def test_a_moderator_plans_a_meeting_and_records_minutes_and_who_attended(client, login_as):
    moderator = member(moderator=True)
    network = user_network(moderator)
    attendee = member(network)
    absent = member(network)
    minutes = documents.add_document(
        network,
        folder_id=None,
        title="Protokoll mars",
        filename="p.pdf",
        data=PDF,
        actor=moderator,
        now=clock.now(),
    )
    db.session.commit()
    login_as(client, moderator)
    response = client.post(
        f"/natverk/{network.id}/moten/nytt",
        data={
            "day": "2026-03-10",
            "time": "13:00",
            "place": "Kommunhuset, Jönköping",
            "agenda": "1. Inledning",
        },
    )
    assert response.status_code == 302
    meeting = db.session.scalars(select(Meeting)).one()
    assert meeting.starts_at == datetime(2026, 3, 10, 12, 0, tzinfo=UTC)
    response = client.post(
        f"/natverk/{network.id}/moten/{meeting.id}/protokoll",
        data={"minutes_document_id": str(minutes.id), "attendees": [str(attendee.id), str(moderator.id)]},
    )
    assert response.status_code == 302
    page = client.get(f"/natverk/{network.id}/moten/{meeting.id}").get_data(as_text=True)
    assert "Protokoll mars" in page and attendee.full_name in page and absent.full_name not in page


def test_a_meeting_needs_a_place_or_an_https_link(client, login_as):
    moderator = member(moderator=True)
    network = user_network(moderator)
    db.session.commit()
    login_as(client, moderator)
    nowhere = client.post(f"/natverk/{network.id}/moten/nytt", data={"day": "2026-03-10", "time": "13:00"})
    assert "Ange en plats, en länk till mötet eller båda." in nowhere.get_data(as_text=True)
    script = client.post(
        f"/natverk/{network.id}/moten/nytt",
        data={"day": "2026-03-10", "time": "13:00", "online_url": "javascript:alert(1)"},
    )
    assert "Ange en fullständig länk som börjar med https://" in script.get_data(as_text=True)
    assert db.session.scalar(select(func.count(Meeting.id))) == 0


def test_attendance_is_chosen_from_the_members_and_minutes_from_the_networks_documents(app):
    moderator = member(moderator=True)
    network = user_network(moderator)
    outsider = member()
    other_document = documents.add_document(
        user_network(outsider),
        folder_id=None,
        title="x",
        filename="x.pdf",
        data=PDF,
        actor=outsider,
        now=clock.now(),
    )
    meeting = _meeting(network, moderator, starts_at=clock.now() - timedelta(days=1))
    db.session.commit()
    with pytest.raises(ForumError, match="Välj bara bland nätverkets medlemmar"):
        meetings.record_meeting(
            meeting, minutes_document_id=None, attendee_ids=[outsider.id], actor=moderator, now=clock.now()
        )
    db.session.rollback()
    with pytest.raises(NotFoundError):
        meetings.record_meeting(
            meeting, minutes_document_id=other_document.id, attendee_ids=[], actor=moderator, now=clock.now()
        )
    db.session.rollback()
    assert db.session.scalar(select(func.count(MeetingAttendance.id))) == 0


def test_a_member_who_is_no_moderator_cannot_record_and_an_outsider_sees_nothing(client, login_as):
    moderator = member(moderator=True)
    network = user_network(moderator)
    plain = member(network)
    outsider = member()
    meeting = _meeting(network, moderator, starts_at=clock.now())
    db.session.commit()
    login_as(client, plain)
    assert client.get(f"/natverk/{network.id}/moten/{meeting.id}").status_code == 200
    assert client.get(f"/natverk/{network.id}/moten/{meeting.id}/protokoll").status_code == 404
    login_as(client, outsider)
    assert client.get(f"/natverk/{network.id}/moten").status_code == 404
    assert client.get(f"/natverk/{network.id}/moten/{meeting.id}").status_code == 404
