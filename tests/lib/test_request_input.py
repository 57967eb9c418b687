"""Control characters are stripped once, as the request is parsed (coursehub/lib/request_input.py).

PostgreSQL refuses a NUL byte in text: before the fix each of these was a 500 there, and on SQLite
the NUL (or the escape code) was kept, so that a name held an invisible character, a search found
nothing and a certificate link with a stray character did not work.
"""

from __future__ import annotations

import html as html_module
import secrets

from sqlalchemy import select

from coursehub.courses.models import Venue
from coursehub.enrollment.models import CalendarFeed
from coursehub.extensions import db
from coursehub.lib.request_input import has_control_characters, strip_control_characters
from tests.factories import UserFactory


def _text(response) -> str:
    return html_module.unescape(response.get_data(as_text=True))


def test_a_posted_name_is_saved_without_control_characters(client, login_as):
    staff = UserFactory(staff=True)
    db.session.commit()
    login_as(client, staff)
    response = client.post(
        "/admin/lokaler/ny", data={"name": "Kurs\x00lokalen\x1b[31m", "city": "Väx\x7fjö\x85"}
    )
    assert response.status_code == 302
    venue = db.session.scalars(select(Venue)).one()
    assert (venue.name, venue.city) == ("Kurslokalen[31m", "Växjö")


def test_a_textarea_keeps_its_line_breaks_and_a_line_field_gets_a_space(client, login_as):
    staff = UserFactory(staff=True)
    db.session.commit()
    login_as(client, staff)
    response = client.post(
        "/admin/lokaler/ny",
        data={"name": "Stora\r\nsalen\t", "accessibility_notes": "Hiss.\r\n\tRamp\x00 vid entrén."},
    )
    assert response.status_code == 302
    venue = db.session.scalars(select(Venue)).one()
    assert venue.name == "Stora salen"
    assert venue.accessibility_notes == "Hiss.\r\n\tRamp vid entrén."


def test_a_search_with_a_control_character_finds_the_person(client, login_as):
    staff = UserFactory(staff=True, full_name="Sara Berg")
    UserFactory(full_name="Annika Lund")
    db.session.commit()
    login_as(client, staff)
    response = client.get("/admin/anvandare", query_string={"sok": "Anni\x00ka"})
    assert response.status_code == 200
    page = _text(response)
    assert "Annika Lund" in page
    assert 'value="Annika"' in page  # the search box shows what was searched for


def test_a_calendar_link_with_a_stray_control_character_still_works(client):
    feed = CalendarFeed(user=UserFactory(family=True), token=secrets.token_urlsafe(32))
    db.session.add(feed)
    db.session.commit()
    for stray in ("%00", "%1B", "%0A"):
        response = client.get(f"/kalender/{feed.token}{stray}.ics")
        assert response.status_code == 200, stray
        assert response.mimetype == "text/calendar"
        assert b"BEGIN:VCALENDAR" in response.data


def test_a_redirect_target_with_a_line_break_goes_to_the_start_page(client):
    response = client.post("/sprak", data={"locale": "en", "next": "/kurser\r\nSet-Cookie: x=1"})
    assert response.status_code in (302, 303)
    assert "\n" not in response.location and response.location.endswith("/")


def test_the_strip_rule_itself():
    assert strip_control_characters("a\x00b\x1fc\x7fd\x80e\x9ff\u00a0g") == "abcdef\u00a0g"
    assert strip_control_characters("a\tb\r\nc\x0bd", multiline=True) == "a\tb\r\ncd"
    assert strip_control_characters("a\tb\r\nc") == "abc"
    assert has_control_characters("x\ny") and not has_control_characters("x\ny", multiline=True)
