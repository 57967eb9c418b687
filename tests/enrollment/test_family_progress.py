"""The family courses page reads its sign-ups' progress from plain session rows: the same
progress, next meeting and place as progress_of reads from the loaded sessions."""

from __future__ import annotations

from datetime import timedelta

from coursehub import clock
from coursehub.courses.models import RunStatus, SessionStatus
from coursehub.enrollment import queries, services
from coursehub.enrollment.models import CalendarFeed
from tests.factories import (
    CourseRunFactory,
    CourseSessionFactory,
    EnrollmentFactory,
    UserFactory,
    VenueFactory,
)


def _seen(progress):
    if progress is None:
        return None
    meeting = progress.next_session
    place = None
    if meeting is not None:
        venue = meeting.venue
        place = (
            meeting.title,
            meeting.starts_at,
            meeting.ends_at,
            meeting.online_url,
            meeting.run.title,
            venue and (venue.name, venue.address),
        )
    return (progress.held, progress.total, progress.is_finished, place)


def test_family_progress_is_progress_of_from_plain_rows(db, make_family):
    household, (adult,) = make_family(1)
    now = clock.now()
    going = CourseRunFactory(sessions=False, title="Pågår")
    CourseSessionFactory(run=going, title="Förra", starts_at=now - timedelta(days=7))
    CourseSessionFactory(
        run=going, title="Inställd", starts_at=now + timedelta(days=1), status=SessionStatus.CANCELLED
    )
    CourseSessionFactory(
        run=going, title="Nästa", starts_at=now + timedelta(days=3), venue=VenueFactory(city="")
    )
    CourseSessionFactory(
        run=going, title="Sista", starts_at=now + timedelta(days=9), online_url="https://x.se/m"
    )
    online = CourseRunFactory(sessions=False, title="På nätet")
    CourseSessionFactory(
        run=online, title="Möte", starts_at=now + timedelta(days=2), online_url="https://x.se/n"
    )
    done = CourseRunFactory(sessions=False, title="Klar", status=RunStatus.COMPLETED)
    CourseSessionFactory(run=done, title="Gammal", starts_at=now - timedelta(days=30))
    over = CourseRunFactory(sessions=False, title="Över")
    CourseSessionFactory(run=over, title="Förr", starts_at=now - timedelta(days=20))
    empty = CourseRunFactory(sessions=False, title="Tom")
    later = CourseRunFactory(title="Senare")  # the factory's weekly sessions, at the run's venue
    for run in (going, online, done, over, empty, later):
        EnrollmentFactory(run=run, household=household, persons=[adult])
    EnrollmentFactory(run=CourseRunFactory(), household=household, persons=[adult], waitlisted=True)
    db.session.commit()

    expected = {
        e.id: _seen(queries.progress_of(e, now)) for e in queries.household_enrollments(household.id).items
    }
    db.session.expire_all()
    page = queries.family_courses(household.id)
    got = {e_id: _seen(p) for e_id, p in queries.family_progress(page.items, now).items()}

    assert got == expected
    assert len(got) == 7
    assert sorted(p[:3] for p in got.values() if p) == sorted(
        [(1, 3, False), (0, 1, False), (1, 1, True), (1, 1, True), (0, 0, False), (0, 3, False)]
    )
    assert queries.next_meeting(queries.family_progress(page.items, now).values()).title == "Möte"


def test_persons_names_are_the_persons_in_their_order(db, make_family):
    household, (first, second) = make_family(2)
    both = EnrollmentFactory(household=household, persons=[second, first])
    one = EnrollmentFactory(household=household, persons=[first])
    db.session.commit()
    names = queries.persons_names([both.id, one.id, 0])
    assert names == {
        both.id: [p.user.full_name for p in both.persons],
        one.id: [first.full_name],
        0: [],
    }
    assert names[both.id] == [second.full_name, first.full_name]
    assert queries.persons_names([]) == {}


def test_family_rows_are_progress_names_and_adults_in_one_statement(db, make_family, count_queries):
    household, (first, second) = make_family(2)
    now = clock.now()
    going = CourseRunFactory(sessions=False, title="Pågår")
    CourseSessionFactory(run=going, title="Förra", starts_at=now - timedelta(days=7))
    CourseSessionFactory(run=going, title="Nästa", starts_at=now + timedelta(days=3), venue=VenueFactory())
    later = CourseRunFactory(title="Senare")
    both = EnrollmentFactory(run=going, household=household, persons=[second, first])
    EnrollmentFactory(run=later, household=household, persons=[first])
    EnrollmentFactory(run=CourseRunFactory(), household=household, persons=[second], waitlisted=True)
    services.create_calendar_feed(second, now=now)
    gone = UserFactory(household=household, full_name="Flyttat Vuxen", deactivated_at=now)
    neighbours, (neighbour,) = make_family(1)
    db.session.commit()
    page = queries.family_courses(household.id)
    ids = [e.id for e in page.items]
    expected_progress = {e_id: _seen(p) for e_id, p in queries.family_progress(page.items, now).items()}
    expected_names = queries.persons_names(ids)

    with count_queries() as counted:
        shown = queries.family_rows(household.id, page.items, now)

    assert len(counted) == 1
    assert {e_id: _seen(p) for e_id, p in shown.progress.items()} == expected_progress
    assert shown.names == expected_names
    assert shown.names[both.id] == [second.full_name, first.full_name]
    assert sorted(map(len, shown.names.values())) == [1, 1, 2]
    assert shown.progress[both.id].next_session.title == "Nästa"
    assert shown.progress[both.id].held == 1
    # The household's active adults by id, each with their calendar link if they have one; not
    # an adult who has left, nor another household's.
    token = db.session.get(CalendarFeed, second.id).token
    assert shown.adults == sorted(
        [
            queries.Adult(first.id, first.full_name, None),
            queries.Adult(second.id, second.full_name, token),
        ],
        key=lambda adult: adult.id,
    )
    assert [adult.has_feed for adult in shown.adults] == [adult.id == second.id for adult in shown.adults]
    assert gone.id not in {adult.id for adult in shown.adults}
    assert neighbour.id not in {adult.id for adult in shown.adults}
    # A household with no sign-ups yet still has its adults.
    empty = queries.family_rows(neighbours.id, [], now)
    assert (empty.names, empty.progress) == ({}, {})
    assert empty.adults == [queries.Adult(neighbour.id, neighbour.full_name, None)]
    assert not empty.adults[0].has_feed
