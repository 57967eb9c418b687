"""The feed reads each session's facts from columns: the same facts a loaded session gives."""

from __future__ import annotations

from datetime import timedelta

from coursehub import clock
from coursehub.courses.ical import SessionFacts, event_info, session_info
from coursehub.courses.models import CourseSession, SessionSpeaker
from coursehub.enrollment import queries, services
from tests.factories import CourseRunFactory, VenueFactory


def _session(run, days, **values):
    start = clock.now() + timedelta(days=days)
    session = CourseSession(
        title=f"Träff {days}", starts_at=start, ends_at=start + timedelta(hours=3), **values
    )
    run.sessions.append(session)
    return session


def test_the_feeds_facts_are_those_of_the_loaded_sessions(db, make_family):
    household, (adult,) = make_family(1)
    placed = CourseRunFactory(contact_name="Kim Kursledare", contact_email="kim@exempel.se")
    placed.course_type.themes[0].description = "  Om barnets behov.  "
    own_place = _session(placed, 40, venue=VenueFactory(name="Biblioteket", street="", postcode=""))
    online = _session(placed, 41, online_url="https://mote.exempel.se/a", contents_note="Ta med kaffe.")
    guests = _session(placed, 42)
    guests.speakers.extend(
        [
            SessionSpeaker(position=2, name="Bo Barnpsykiatriker", title="läkare", organisation="BUP"),
            SessionSpeaker(position=1, name="Fia Familjehem"),
        ]
    )
    # A run online, with no contact of its own: its sessions fall back to the run's link.
    remote = CourseRunFactory(venue=None, online_url="https://mote.exempel.se/kurs")
    db.session.flush()
    for run in (placed, remote):
        services.sign_up(run, household, [adult], actor=adult, now=clock.now())
    db.session.commit()
    db.session.expire_all()

    facts = [fact for fact, _offset in queries.feed_sessions(adult.id)]
    loaded = sorted(
        (db.session.get(CourseSession, fact.id) for fact in facts), key=lambda session: session.starts_at
    )
    assert facts == [SessionFacts.of(session) for session in loaded]
    by_id = {fact.id: fact for fact in facts}
    assert by_id[guests.id].guests_line == "Fia Familjehem; Bo Barnpsykiatriker (läkare, BUP)"
    assert (by_id[own_place.id].venue_name, by_id[own_place.id].venue_address) == ("Biblioteket", "Jönköping")
    assert (by_id[online.id].venue_name, by_id[online.id].online_url) == (None, "https://mote.exempel.se/a")
    assert {by_id[s.id].online_url for s in remote.sessions} == {"https://mote.exempel.se/kurs"}
    assert {by_id[s.id].contact for s in placed.sessions} == {"Kim Kursledare, kim@exempel.se"}
    assert any(fact.theme_description == "  Om barnets behov.  " for fact in facts)
    # And so the events are the same, whichever way the facts were read.
    for fact, session in zip(facts, loaded, strict=True):
        assert event_info(fact, url="https://x.test/kurs") == session_info(session, url="https://x.test/kurs")
