"""Rules of course runs, sessions and themes, as staff meet them through the services."""

from __future__ import annotations

from datetime import date, time, timedelta

import icalendar
import pytest
from sqlalchemy import func, select

from coursehub import clock, events
from coursehub.courses import queries, services
from coursehub.courses.errors import CourseError, PublishError
from coursehub.courses.models import CourseRun, CourseSession, CourseTheme, RunStatus, SessionStatus
from coursehub.errors import CoursehubError
from coursehub.extensions import db
from coursehub.notifications.models import OutboxMessage
from tests.courses.conftest import SUMMER_TUESDAY, utc
from tests.factories import CourseRunFactory, EnrollmentFactory, UserFactory, VenueFactory


@pytest.fixture(autouse=True)
def request_context(app):
    """Messages are translated for a request's locale (services raise them inside a request)."""
    with app.test_request_context():
        yield


def details(venue, leaders=(), **overrides):
    values = {
        "title": "Ett hem att växa i, hösten 2026",
        "capacity": 24,
        "signup_opens_at": utc(2026, 9, 1, 8),
        "signup_closes_at": utc(2026, 10, 1, 21, 59),
        "venue": venue,
        "leaders": list(leaders),
    }
    values.update(overrides)
    return services.RunDetails(**values)


def make_run(course_type, staff, venue, leaders=(), first=SUMMER_TUESDAY, **overrides):
    return services.create_run(
        course_type,
        actor=staff,
        now=clock.now(),
        details=details(venue, leaders, **overrides),
        first_date=first,
        start_time=time(18, 0),
        end_time=time(21, 0),
    )


def local(moment):
    return clock.to_local(moment)


def run_count():
    return db.session.scalar(select(func.count(CourseRun.id)))


# -- proposing sessions ------------------------------------------------------------------------


def test_weekly_sessions_keep_18_local_across_the_end_of_summer_time(basic_type, staff, venue):
    run = make_run(basic_type, staff, venue)

    assert len(run.sessions) == 8
    starts = [local(s.starts_at) for s in run.sessions]
    assert [s.date() for s in starts] == [SUMMER_TUESDAY + timedelta(weeks=w) for w in range(8)]
    assert {(s.hour, s.minute) for s in starts} == {(18, 0)}
    assert {local(s.ends_at).hour for s in run.sessions} == {21}
    # Summer time (+02) for the three October sessions before the 25th, winter time (+01) after.
    offsets = [s.utcoffset() for s in starts]
    assert offsets == [timedelta(hours=2)] * 3 + [timedelta(hours=1)] * 5
    assert [s.starts_at.hour for s in run.sessions] == [16] * 3 + [17] * 5
    assert [s.title for s in run.sessions] == [t.title for t in basic_type.active_themes]
    assert run.starts_at == run.sessions[0].starts_at
    assert run.status == RunStatus.DRAFT


def test_end_before_start_is_refused_and_nothing_is_saved(basic_type, staff, venue):
    with pytest.raises(CourseError) as caught:
        services.create_run(
            basic_type,
            actor=staff,
            now=clock.now(),
            details=details(venue),
            first_date=SUMMER_TUESDAY,
            start_time=time(21),
            end_time=time(18),
        )
    assert caught.value.field == "end_time"
    assert "efter starttiden" in caught.value.message
    db.session.rollback()
    assert run_count() == 0


@pytest.mark.parametrize(
    "capacity, words",
    [
        (0, "minst 1"),
        (-4, "minst 1"),
        ("-4", "minst 1"),
        (501, "högst 500"),
        (100000, "högst 500"),
        ("tio", "siffror"),
        ("12a", "siffror"),
        ("１２", "siffror"),
        (None, "siffror"),
        (True, "siffror"),
    ],
)
def test_capacity_outside_1_to_500_is_refused_beside_the_field(basic_type, staff, venue, capacity, words):
    with pytest.raises(CourseError) as caught:
        make_run(basic_type, staff, venue, capacity=capacity)
    assert caught.value.field == "capacity"
    assert words in caught.value.message
    db.session.rollback()
    assert run_count() == 0


def test_a_sign_up_window_closing_after_the_first_session_is_refused(basic_type, staff, venue):
    with pytest.raises(CourseError) as caught:
        make_run(basic_type, staff, venue, signup_closes_at=utc(2026, 10, 6, 17))
    assert caught.value.field == "signup_closes_date"
    assert "första träffen" in caught.value.message
    db.session.rollback()
    assert run_count() == 0


def test_a_window_that_closes_before_it_opens_is_refused(basic_type, staff, venue):
    with pytest.raises(CourseError) as caught:
        make_run(
            basic_type, staff, venue, signup_opens_at=utc(2026, 10, 2), signup_closes_at=utc(2026, 10, 1)
        )
    assert caught.value.field == "signup_closes_date"


def test_only_leaders_and_staff_can_lead(basic_type, staff, venue):
    family = UserFactory(family=True, full_name="Fatima Andersson")
    with pytest.raises(CourseError) as caught:
        make_run(basic_type, staff, venue, leaders=[family])
    assert caught.value.field == "leaders"
    assert "Fatima Andersson" in caught.value.message


def test_a_run_needs_a_venue_or_an_https_link(basic_type, staff):
    with pytest.raises(CourseError) as caught:
        make_run(basic_type, staff, None)
    assert caught.value.field == "venue"
    with pytest.raises(CourseError) as caught:
        make_run(basic_type, staff, None, online_url="http://moten.example/x")
    assert caught.value.field == "online_url"
    run = make_run(basic_type, staff, None, online_url="https://moten.example/x")
    assert run.is_online and run.sessions[0].online_url == "https://moten.example/x"


# -- publishing --------------------------------------------------------------------------------


def test_publishing_needs_a_leader(basic_type, staff, venue):
    run = make_run(basic_type, staff, venue)
    with pytest.raises(PublishError) as caught:
        services.publish_run(run, actor=staff, now=clock.now())
    assert "kursledare" in caught.value.message
    assert run.status == RunStatus.DRAFT


def test_publishing_needs_a_session(basic_type, staff, venue, leader):
    run = make_run(basic_type, staff, venue, leaders=[leader])
    for session in list(run.sessions):
        services.remove_session(session, actor=staff, now=clock.now())
    assert run.sessions == [] and run.starts_at is None
    with pytest.raises(PublishError) as caught:
        services.publish_run(run, actor=staff, now=clock.now())
    assert "minst en träff" in caught.value.message


def test_publishing_refuses_a_window_closing_after_the_first_session(basic_type, staff, venue, leader):
    run = make_run(basic_type, staff, venue, leaders=[leader])
    run.signup_closes_at = utc(2026, 10, 7)  # as if the data came from elsewhere
    with pytest.raises(PublishError) as caught:
        services.publish_run(run, actor=staff, now=clock.now())
    assert "första träffen" in caught.value.message
    assert run.status == RunStatus.DRAFT


def test_a_complete_draft_is_published(basic_type, staff, venue, leader):
    run = make_run(basic_type, staff, venue, leaders=[leader])
    services.publish_run(run, actor=staff, now=clock.now())
    assert run.status == RunStatus.PUBLISHED
    with pytest.raises(PublishError):
        services.publish_run(run, actor=staff, now=clock.now())


# -- sessions ----------------------------------------------------------------------------------


def session_details(session, **overrides):
    start, end = local(session.starts_at), local(session.ends_at)
    values = {
        "day": start.date(),
        "start_time": start.time().replace(tzinfo=None),
        "end_time": end.time().replace(tzinfo=None),
        "title": session.title,
        "theme": session.theme,
        "venue": session.venue,
        "online_url": session.online_url,
    }
    values.update(overrides)
    return services.SessionDetails(**values)


def test_a_change_of_time_place_or_title_raises_the_revision_and_sends_the_event(
    basic_type, staff, venue, leader
):
    calls = []

    def heard(session, *, actor, now):
        calls.append((session.id, actor))

    with events.session_changed.connected_to(heard):
        run = make_run(basic_type, staff, venue, leaders=[leader])
        session = run.sessions[3]

        services.update_session(
            session, actor=staff, now=clock.now(), details=session_details(session, day=date(2026, 10, 28))
        )
        assert session.revision == 1
        assert local(session.starts_at).strftime("%Y-%m-%d %H:%M") == "2026-10-28 18:00"

        services.update_session(
            session, actor=staff, now=clock.now(), details=session_details(session, start_time=time(17, 30))
        )
        assert session.revision == 2

        services.update_session(
            session, actor=staff, now=clock.now(), details=session_details(session, venue=VenueFactory())
        )
        assert session.revision == 3

        services.update_session(
            session,
            actor=staff,
            now=clock.now(),
            details=session_details(session, title="Med gästföreläsare"),
        )
        assert session.revision == 4  # the title is shown in calendars (SUMMARY)
        assert session.title == "Med gästföreläsare"
        assert calls == [(session.id, staff)] * 4

        services.update_session(session, actor=staff, now=clock.now(), details=session_details(session))
        assert session.revision == 4  # saving the form unchanged tells nobody anything
        assert calls == [(session.id, staff)] * 4


def test_a_session_cannot_end_before_it_starts(basic_type, staff, venue):
    run = make_run(basic_type, staff, venue)
    session = run.sessions[0]
    with pytest.raises(CourseError) as caught:
        services.update_session(
            session, actor=staff, now=clock.now(), details=session_details(session, end_time=time(17))
        )
    assert caught.value.field == "end_time"


def test_moving_the_first_session_before_sign_up_closes_is_refused(basic_type, staff, venue):
    run = make_run(basic_type, staff, venue)
    session = run.sessions[0]
    with pytest.raises(CourseError) as caught:
        services.update_session(
            session, actor=staff, now=clock.now(), details=session_details(session, day=date(2026, 9, 29))
        )
    assert caught.value.field == "signup_closes_date"


def test_changing_the_theme_brings_its_title_and_tells_the_calendars(basic_type, staff, venue):
    calls = []
    run = make_run(basic_type, staff, venue)
    session = run.sessions[0]
    other = basic_type.active_themes[5]
    with events.session_changed.connected_to(lambda session, **kw: calls.append(session.id)):
        services.update_session(
            session, actor=staff, now=clock.now(), details=session_details(session, theme=other)
        )
    assert (session.theme, session.title, session.revision) == (other, other.title, 1)
    assert calls == [session.id]


def test_cancelling_a_session_of_a_published_run_keeps_it_with_its_reason(basic_type, staff, venue, leader):
    calls = []
    run = make_run(basic_type, staff, venue, leaders=[leader])
    services.publish_run(run, actor=staff, now=clock.now())
    session = run.sessions[7]
    with events.session_changed.connected_to(lambda session, **kw: calls.append(session.id)):
        services.cancel_session(session, reason="  Kursledaren   är sjuk ", actor=staff, now=clock.now())
    assert session in run.sessions
    assert session.status == SessionStatus.CANCELLED and session.revision == 1
    assert session.cancel_reason == "Kursledaren är sjuk"
    assert calls == [session.id]


def test_a_published_session_is_never_simply_removed(basic_type, staff, venue, leader):
    run = make_run(basic_type, staff, venue, leaders=[leader])
    services.publish_run(run, actor=staff, now=clock.now())
    session = run.sessions[0]
    with pytest.raises(CourseError) as caught:
        services.remove_session(session, actor=staff, now=clock.now())
    assert "ställ in träffen" in caught.value.message
    assert session in run.sessions and session.status == SessionStatus.SCHEDULED


@pytest.mark.parametrize("reason", ["", "   ", "x" * 301])
def test_cancelling_a_session_needs_a_short_reason(basic_type, staff, venue, leader, reason):
    run = make_run(basic_type, staff, venue, leaders=[leader])
    services.publish_run(run, actor=staff, now=clock.now())
    session = run.sessions[0]
    with pytest.raises(CourseError) as caught:
        services.cancel_session(session, reason=reason, actor=staff, now=clock.now())
    assert caught.value.field == "reason"
    assert session.status == SessionStatus.SCHEDULED and session.cancel_reason == ""


def test_a_session_that_has_started_cannot_be_cancelled(basic_type, staff, venue, leader):
    run = make_run(basic_type, staff, venue, leaders=[leader])
    services.publish_run(run, actor=staff, now=clock.now())
    session = run.sessions[0]
    with pytest.raises(CourseError) as caught:
        services.cancel_session(session, reason="Storm", actor=staff, now=session.starts_at)
    assert "redan börjat" in caught.value.message
    assert session.status == SessionStatus.SCHEDULED


def test_run_place_change_moves_the_sessions_held_there(basic_type, staff, venue, leader):
    calls = []
    run = make_run(basic_type, staff, venue, leaders=[leader])
    elsewhere = VenueFactory(name="Annan lokal")
    services.update_session(
        run.sessions[0],
        actor=staff,
        now=clock.now(),
        details=session_details(run.sessions[0], venue=elsewhere),
    )
    new_venue = VenueFactory(name="Ny lokal")
    with events.session_changed.connected_to(lambda session, **kw: calls.append(session.id)):
        services.update_run(run, actor=staff, now=clock.now(), details=details(new_venue, [leader]))
    assert run.sessions[0].venue == elsewhere
    assert {s.venue.name for s in run.sessions[1:]} == {"Ny lokal"}
    assert {s.revision for s in run.sessions[1:]} == {1}
    assert len(calls) == 7


def test_capacity_receivers_may_refuse_and_hear_of_changes(basic_type, staff, venue):
    heard = []

    def refuse_below_ten(run, *, new_capacity, actor, now):
        if new_capacity < 10:
            raise CoursehubError("Det finns redan fler anmälda än så.")

    def capacity_changed(run, *, actor, now):
        heard.append(run.capacity)

    run = make_run(basic_type, staff, venue)
    db.session.commit()
    with (
        events.capacity_changing.connected_to(refuse_below_ten),
        events.capacity_changed.connected_to(capacity_changed),
    ):
        with pytest.raises(CourseError) as caught:
            services.update_run(run, actor=staff, now=clock.now(), details=details(venue, capacity=5))
        assert caught.value.field == "capacity"
        db.session.rollback()
        run = db.session.get(CourseRun, run.id)
        assert run.capacity == 24
        services.update_run(run, actor=staff, now=clock.now(), details=details(venue, capacity=30))
    assert heard == [30]


# -- copy and cancel ---------------------------------------------------------------------------


def test_copy_moves_the_sessions_and_keeps_local_times_across_spring_forward(
    basic_type, staff, venue, leader
):
    run = make_run(basic_type, staff, venue, leaders=[leader])
    services.publish_run(run, actor=staff, now=clock.now())
    copy = services.copy_run(run, actor=staff, now=clock.now(), first_date=date(2027, 3, 9))

    assert copy.id != run.id and copy.status == RunStatus.DRAFT
    starts = [local(s.starts_at) for s in copy.sessions]
    assert [s.date() for s in starts] == [date(2027, 3, 9) + timedelta(weeks=w) for w in range(8)]
    assert {s.strftime("%H:%M") for s in starts} == {"18:00"}
    # Summer time starts on 28 March 2027: three winter sessions, then five in summer time.
    assert [s.utcoffset().seconds // 3600 for s in starts] == [1] * 3 + [2] * 5
    assert copy.leaders == [leader] and copy.venue == venue
    assert [s.title for s in copy.sessions] == [s.title for s in run.sessions]
    assert {s.revision for s in copy.sessions} == {0}
    assert local(copy.signup_closes_at).date() == date(2027, 3, 4)
    assert run.status == RunStatus.PUBLISHED and len(run.sessions) == 8


def test_cancel_sets_the_status_and_sends_the_event(basic_type, staff, venue, leader):
    calls = []

    def cancelled(run, *, actor, now, reason):
        calls.append((run.id, actor, now, reason))

    run = make_run(basic_type, staff, venue, leaders=[leader])
    services.publish_run(run, actor=staff, now=clock.now())

    with events.run_cancelled.connected_to(cancelled):
        services.cancel_run(run, actor=staff, now=clock.now(), reason="För få anmälda")

    assert run.status == RunStatus.CANCELLED and run.cancelled_at == clock.now()
    assert calls == [(run.id, staff, clock.now(), "För få anmälda")]
    assert {(s.status, s.revision) for s in run.sessions} == {(SessionStatus.CANCELLED, 1)}
    with pytest.raises(CourseError):
        services.cancel_run(run, actor=staff, now=clock.now())
    with pytest.raises(CourseError):
        services.update_run(run, actor=staff, now=clock.now(), details=details(venue))


def test_a_second_app_does_not_connect_the_receivers_twice(app, basic_type, staff, venue, leader):
    from coursehub import create_app
    from tests.conftest import _base_config

    create_app(_base_config(app.config["SQLALCHEMY_DATABASE_URI"]))  # every area's init_app again
    run = make_run(basic_type, staff, venue, leaders=[leader])
    services.publish_run(run, actor=staff, now=clock.now())
    assert len(events.run_cancelled.receivers) == 1
    calls = []
    with events.run_cancelled.connected_to(lambda run, **kw: calls.append(run.id)):
        services.cancel_run(run, actor=staff, now=clock.now())
    assert calls == [run.id]


# -- themes ------------------------------------------------------------------------------------


def test_editing_the_theme_list_leaves_existing_runs_as_they_were(basic_type, staff, venue):
    run = make_run(basic_type, staff, venue)
    first, second = basic_type.active_themes[:2]
    old_title = first.title

    services.update_theme(
        first,
        actor=staff,
        now=clock.now(),
        details=services.ThemeDetails(title="Barnets ursprung", suggested_minutes=150),
    )
    retired = services.remove_theme(second, actor=staff, now=clock.now())
    services.add_theme(
        basic_type, actor=staff, now=clock.now(), details=services.ThemeDetails(title="Nytt tema")
    )

    db.session.expire_all()
    run = db.session.get(CourseRun, run.id)
    assert retired is True
    assert db.session.get(CourseTheme, second.id).is_retired  # kept, not deleted
    assert len(run.sessions) == 8
    assert run.sessions[0].title == old_title
    assert run.sessions[1].theme_id == second.id
    titles = [t.title for t in basic_type.active_themes]
    assert titles[0] == "Barnets ursprung" and titles[-1] == "Nytt tema" and len(titles) == 8
    assert [t.position for t in basic_type.active_themes] == list(range(1, 9))
    new_run = make_run(basic_type, staff, venue)
    assert [s.title for s in new_run.sessions] == titles


def test_an_unused_theme_is_deleted_and_the_last_one_stays(staff):
    from tests.factories import CourseTypeFactory

    course_type = CourseTypeFactory(themes=2)
    first, second = course_type.active_themes
    assert services.remove_theme(second, actor=staff, now=clock.now()) is False
    assert db.session.get(CourseTheme, second.id) is None
    with pytest.raises(CourseError) as caught:
        services.remove_theme(first, actor=staff, now=clock.now())
    assert "minst ett tema" in caught.value.message


def test_themes_move_up_and_down(basic_type, staff):
    third = basic_type.active_themes[2]
    services.move_theme(third, actor=staff, now=clock.now(), offset=-1)
    assert basic_type.active_themes[1] is third
    services.move_theme(basic_type.active_themes[0], actor=staff, now=clock.now(), offset=-1)
    assert basic_type.active_themes[1] is third


def test_a_theme_needs_a_sensible_length(basic_type, staff):
    with pytest.raises(CourseError) as caught:
        services.add_theme(
            basic_type,
            actor=staff,
            now=clock.now(),
            details=services.ThemeDetails(title="Kort", suggested_minutes=5),
        )
    assert caught.value.field == "suggested_minutes"


def test_course_type_names_are_unique(basic_type, staff):
    from coursehub.courses.models import CourseKind

    with pytest.raises(CourseError) as caught:
        services.create_course_type(
            actor=staff,
            now=clock.now(),
            details=services.TypeDetails(name="Ett hem att växa i", kind=CourseKind.BASIC),
        )
    assert caught.value.field == "name"


# -- warnings ----------------------------------------------------------------------------------


def test_a_session_on_a_public_holiday_gets_a_warning(basic_type, staff, venue):
    run = make_run(basic_type, staff, venue)
    christmas = services.add_session(
        run,
        actor=staff,
        now=clock.now(),
        details=services.SessionDetails(
            day=date(2026, 12, 25), start_time=time(18), end_time=time(21), title="Extra träff", venue=venue
        ),
    )
    warnings = queries.session_warnings(run)
    assert warnings[christmas.id] == ["Träffen ligger på en helgdag: Juldagen."]
    assert warnings[run.sessions[0].id] == []


def test_a_leader_booked_on_overlapping_sessions_gets_a_warning(basic_type, staff, venue, leader):
    autumn = make_run(basic_type, staff, venue, leaders=[leader])
    evening = make_run(
        basic_type, staff, venue, leaders=[leader], title="Fortbildningskväll", first=date(2026, 10, 13)
    )
    warnings = queries.session_warnings(autumn)
    overlapping = [s for s in autumn.sessions if warnings[s.id]]
    # The evening run's sessions start a week later, so seven of eight overlap.
    assert len(overlapping) == 7
    assert warnings[autumn.sessions[1].id] == [
        "Lars Holm leder också Fortbildningskväll samtidigt (2026-10-13 18:00)."
    ]
    assert warnings[autumn.sessions[0].id] == []
    services.cancel_run(evening, actor=staff, now=clock.now())
    assert not any(queries.session_warnings(autumn).values())


def test_sessions_are_stored_in_utc(basic_type, staff, venue):
    run = make_run(basic_type, staff, venue)
    db.session.commit()
    db.session.expire_all()
    stored = db.session.scalars(
        select(CourseSession).where(CourseSession.run_id == run.id).order_by(CourseSession.starts_at)
    ).all()
    assert stored[0].starts_at == utc(2026, 10, 6, 16)
    assert stored[3].starts_at == utc(2026, 10, 27, 17)


# -- venues: a new name or address is a change of place ----------------------------------------

# Two of the eight Tuesdays from 6 October have been held; six are still to come.
MID_COURSE = utc(2026, 10, 14, 12)


def venue_details(venue, **changes):
    values = {
        "name": venue.name,
        "street": venue.street,
        "postcode": venue.postcode,
        "city": venue.city,
        "municipality": venue.municipality,
        "accessibility_notes": venue.accessibility_notes,
    }
    values.update(changes)
    return services.VenueDetails(**values)


def published_run_at(basic_type, staff, venue):
    run = make_run(basic_type, staff, venue, leaders=[UserFactory(leader=True)])
    services.publish_run(run, actor=staff, now=utc(2026, 9, 1))
    return run


def test_a_new_address_moves_every_session_still_to_come(basic_type, staff, venue):
    run = published_run_at(basic_type, staff, venue)
    # Sessions with no venue of their own are held at their run's venue.
    inherited = CourseRunFactory(venue=venue, sessions__start=utc(2026, 11, 3, 17))
    cancelled = CourseRunFactory(
        venue=venue, status=RunStatus.CANCELLED, sessions__start=utc(2026, 11, 3, 17)
    )
    elsewhere = CourseRunFactory(sessions__start=utc(2026, 11, 3, 17))
    changed = []
    with events.session_changed.connected_to(lambda session, **kw: changed.append((session.id, kw["now"]))):
        services.save_venue(
            venue, actor=staff, now=MID_COURSE, details=venue_details(venue, street="Nygatan 5")
        )

    past = [s for s in run.sessions if s.starts_at < MID_COURSE]
    future = [s for s in run.sessions if s.starts_at > MID_COURSE] + list(inherited.sessions)
    assert len(past) == 2 and len(future) == 6 + len(inherited.sessions)
    assert {s.revision for s in future} == {1}
    assert sorted(changed) == sorted((s.id, MID_COURSE) for s in future)  # once each
    assert {s.revision for s in past} == {0}
    assert {s.revision for s in cancelled.sessions + elsewhere.sessions} == {0}
    assert venue.address == "Nygatan 5, 553 20 Jönköping"


def test_a_new_name_is_a_change_of_place_too(basic_type, staff, venue):
    run = published_run_at(basic_type, staff, venue)
    services.save_venue(venue, actor=staff, now=MID_COURSE, details=venue_details(venue, name="Aulan"))
    services.save_venue(
        venue, actor=staff, now=MID_COURSE, details=venue_details(venue, postcode="553 21", city="Huskvarna")
    )
    assert sorted(s.revision for s in run.sessions) == [0, 0] + [2] * 6


def test_new_accessibility_notes_are_not_a_change_of_place(basic_type, staff, venue):
    """The invite shows the name and address only: new notes would send everyone a new invite
    for the same door. The course page shows the notes as they are now."""
    run = published_run_at(basic_type, staff, venue)
    changed = []
    with events.session_changed.connected_to(lambda session, **kw: changed.append(session.id)):
        services.save_venue(
            venue,
            actor=staff,
            now=MID_COURSE,
            details=venue_details(venue, accessibility_notes="Ramp vid sidoingången."),
        )
        services.save_venue(venue, actor=staff, now=MID_COURSE, details=venue_details(venue))
    assert venue.accessibility_notes == "Ramp vid sidoingången."
    assert {s.revision for s in run.sessions} == {0} and changed == []


def test_participants_get_an_updated_invite_with_the_new_address(basic_type, staff, venue):
    run = published_run_at(basic_type, staff, venue)
    enrollment = EnrollmentFactory(run=run)
    services.save_venue(venue, actor=staff, now=MID_COURSE, details=venue_details(venue, street="Nygatan 5"))
    mails = list(
        db.session.scalars(select(OutboxMessage).where(OutboxMessage.dedupe_key.like("session-changed:%")))
    )
    assert len(mails) == 6
    assert {m.recipient for m in mails} == {enrollment.persons[0].user.email}
    events = [icalendar.Calendar.from_ical(m.calendar_ics).walk("VEVENT")[0] for m in mails]
    assert {int(e["SEQUENCE"]) for e in events} == {1}
    assert all("Nygatan 5" in str(e["LOCATION"]) for e in events)
