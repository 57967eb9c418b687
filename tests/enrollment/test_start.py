"""Each person lands on what is theirs after login; a family's start shows its next meeting,
its progress, and lets it change its needs."""

from __future__ import annotations

from datetime import timedelta

import pytest

from coursehub.accounts.models import Role
from coursehub.enrollment.models import Enrollment
from tests.factories import (
    PASSWORD,
    CourseRunFactory,
    CourseTypeFactory,
    EnrollmentFactory,
    HouseholdFactory,
    UserFactory,
)
from tests.forum.factories import MembershipFactory


def html(response) -> str:
    return response.get_data(as_text=True)


def _log_in(client, user):
    return client.post("/logga-in", data={"login": user.email, "password": PASSWORD})


@pytest.mark.parametrize(
    ("traits", "start"),
    [
        ({"family": True}, "/mina-kurser"),
        ({"leader": True}, "/narvaro"),
        ({"staff": True}, "/att-gora"),  # what needs action now (reports)
        ({}, "/"),
    ],
)
def test_login_lands_on_the_persons_own_start_page(client, db, traits, start):
    user = UserFactory(**traits)
    db.session.commit()
    response = _log_in(client, user)
    assert response.status_code == 302 and response.location == start


def test_a_network_member_lands_on_their_networks_and_the_steering_group_on_the_report(client, db):
    """Neither is a family to be recruited: the public welcome page ("Vill ni bli familjehem?")
    is not where they start. A member of no network (yet) still starts there."""
    member = MembershipFactory().user
    steering = MembershipFactory(user=UserFactory(roles=[Role.STEERING, Role.MEMBER])).user
    no_network = UserFactory(member=True)
    both = MembershipFactory(user=UserFactory(roles=[Role.MEMBER, Role.LEADER])).user
    db.session.commit()
    assert _log_in(client, member).location == "/natverk/"
    client.post("/logga-ut")
    assert _log_in(client, steering).location == "/rapport"  # what they come for, before the forum
    client.post("/logga-ut")
    assert _log_in(client, no_network).location == "/"
    client.post("/logga-ut")
    assert _log_in(client, both).location == "/narvaro"  # the leader's sheets come first


def test_a_page_asked_for_before_login_still_wins(client, db):
    user = UserFactory(family=True)
    db.session.commit()
    response = client.post("/logga-in?next=/kurser", data={"login": user.email, "password": PASSWORD})
    assert response.location == "/kurser"


@pytest.fixture
def family_in_course(db, clock):
    """A family halfway through an eight-meeting run (three held), the fourth next Tuesday."""
    run = CourseRunFactory(
        course_type=CourseTypeFactory(themes=8), sessions__start=clock.now - timedelta(weeks=3, hours=2)
    )
    household = HouseholdFactory(name="Familjen Berg")
    adult = UserFactory(household=household, roles=[Role.FAMILY], full_name="Anna Berg")
    enrollment = EnrollmentFactory(run=run, household=household, persons=[adult], needs_diet="Vegetarisk")
    db.session.commit()
    return run, adult, enrollment


def test_the_family_start_shows_the_next_meeting_and_the_progress(client, login_as, family_in_course):
    run, adult, _enrollment = family_in_course
    login_as(client, adult)
    page = html(client.get("/mina-kurser"))
    nxt = run.sessions[3]
    card = page[page.index('id="next-meeting"') : page.index("</section>")]
    assert nxt.title in card and "Anmäl frånvaro" in card and 'href="/mina-framsteg"' in card
    total = len(run.sessions)
    assert '<progress id="progress-' in page and f'value="3" max="{total}"' in page
    assert f"3 av {total} träffar, nästa:" in page


def test_a_finished_run_says_so(client, login_as, db, clock, family_in_course):
    run, adult, _enrollment = family_in_course
    clock.set(run.sessions[-1].ends_at + timedelta(days=1))
    login_as(client, adult)
    page = html(client.get("/mina-kurser"))
    assert "Kursen är avslutad." in page and 'id="next-meeting"' not in page


def test_the_start_page_runs_a_fixed_number_of_queries(client, login_as, db, clock, family_in_course):
    from tests.support.sql import count_traffic

    run, adult, _enrollment = family_in_course
    login_as(client, adult)
    client.get("/mina-kurser")
    db.session.commit()
    with count_traffic(db.engine) as few:
        client.get("/mina-kurser")
    for _n in range(3):
        EnrollmentFactory(
            run=CourseRunFactory(sessions__start=clock.now + timedelta(days=3)),
            household=adult.household,
            persons=[adult],
        )
    db.session.commit()
    with count_traffic(db.engine) as many:
        client.get("/mina-kurser")
    assert len(many.statements) == len(few.statements)


def test_a_family_changes_its_needs_after_sign_up(client, login_as, db, family_in_course):
    _run, adult, enrollment = family_in_course
    login_as(client, adult)
    url = f"/anmalan/{enrollment.id}/behov"
    assert url in html(client.get("/mina-kurser"))
    assert 'value="Vegetarisk"' in html(client.get(url))
    too_long = client.post(url, data={"diet": "x" * 301, "accessibility": "", "interpreter": ""})
    assert 'id="diet-error"' in html(too_long)
    db.session.expire_all()
    assert db.session.get(Enrollment, enrollment.id).needs_diet == "Vegetarisk"
    needs = {"diet": "Vegan", "accessibility": "Rullstol", "interpreter": "Arabiska"}
    response = client.post(url, data=needs)
    assert response.status_code == 302
    db.session.expire_all()
    saved = db.session.get(Enrollment, enrollment.id)
    assert (saved.needs_diet, saved.needs_accessibility, saved.needs_interpreter) == (
        "Vegan",
        "Rullstol",
        "Arabiska",
    )


def test_a_municipal_worker_lands_on_approvals_with_their_count_in_the_menu(client, login_as, db):
    from tests.support.sql import count_traffic

    worker = UserFactory(municipal=True)
    db.session.commit()
    assert _log_in(client, worker).location == "/kommun/godkannanden"
    page = html(client.get("/tillganglighet"))
    assert ">Godkännanden</a>" in page  # nothing waits: no number
    db.session.commit()
    with count_traffic(db.engine) as few:
        client.get("/tillganglighet")
    for _n in range(2):
        household = HouseholdFactory(municipality=worker.municipality)
        adult = UserFactory(household=household, roles=[Role.FAMILY])
        EnrollmentFactory(household=household, persons=[adult], pending=True, needs_approval=True)
    db.session.commit()
    with count_traffic(db.engine) as many:
        page = html(client.get("/tillganglighet"))
    assert ">Godkännanden (2)</a>" in page
    assert len(many.statements) == len(few.statements)


def test_the_menu_counts_a_workers_waiting_signups_in_the_statement_that_loads_them(
    client, login_as, db, clock
):
    # The count comes with the session's user (enrollment's user fact): no statement of its own.
    # Only the worker's own municipality counts, households and professionals alike.
    from coursehub.courses.models import IntendedFor
    from coursehub.enrollment import services
    from tests.support.sql import count_traffic

    worker = UserFactory(municipal=True)
    other_place = UserFactory(municipal=True)
    ours = HouseholdFactory(municipality=worker.municipality)
    EnrollmentFactory(
        household=ours, persons=[UserFactory(household=ours)], pending=True, needs_approval=True
    )
    professional = UserFactory(roles=[Role.MEMBER], municipality=worker.municipality)
    pro_type = CourseTypeFactory(intended_for=IntendedFor.PROFESSIONALS, requires_municipal_approval=True)
    services.sign_up_professional(
        CourseRunFactory(course_type=pro_type), professional, actor=professional, now=clock.now
    )
    theirs = HouseholdFactory(municipality=other_place.municipality)
    EnrollmentFactory(
        household=theirs, persons=[UserFactory(household=theirs)], pending=True, needs_approval=True
    )
    decided = HouseholdFactory(municipality=worker.municipality)
    EnrollmentFactory(household=decided, persons=[UserFactory(household=decided)], needs_approval=False)
    db.session.commit()
    login_as(client, worker)
    with count_traffic(db.engine) as traffic:
        page = html(client.get("/tillganglighet"))
    assert ">Godkännanden (2)</a>" in page
    reads = [s for s in traffic.statements if "enrollments" in s]
    assert len(reads) == 1 and "session_token" in reads[0], traffic.statements
    login_as(client, other_place)
    assert ">Godkännanden (1)</a>" in html(client.get("/tillganglighet"))


def test_the_course_page_shows_a_signed_up_family_its_status_instead_of_the_button(
    client, login_as, db, clock
):
    run = CourseRunFactory(signup_closes_at=clock.now + timedelta(days=5))
    household = HouseholdFactory()
    adult = UserFactory(household=household, roles=[Role.FAMILY])
    other = UserFactory(household=HouseholdFactory(), roles=[Role.FAMILY])
    EnrollmentFactory(run=run, household=household, persons=[adult], waitlisted=True)
    db.session.commit()
    login_as(client, other)
    assert "Anmäl er till kursen" in html(client.get(f"/kurser/{run.id}"))
    login_as(client, adult)
    page = html(client.get(f"/kurser/{run.id}"))
    assert "Ni är anmälda till kursen: Reservlista." in page
    assert "Anmäl er till kursen" not in page
