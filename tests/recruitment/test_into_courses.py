"""Into the courses: a matched family becomes a household and is signed up for basic training (point 6)."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from coursehub.accounts.models import AccountToken, Household, Role, User
from coursehub.courses.models import CourseKind
from coursehub.enrollment.models import Enrollment, EnrollmentStatus
from coursehub.extensions import db
from coursehub.notifications.models import OutboxMessage
from coursehub.recruitment.models import CaseAdult, Step
from coursehub.recruitment.services import into_courses, matching
from coursehub.recruitment.services import presentation as presentation_services
from tests.factories import (
    CourseRunFactory,
    CourseTypeFactory,
    EnrollmentFactory,
    MunicipalityFactory,
    UserFactory,
)
from tests.recruitment.factories import CaseFactory


@pytest.fixture
def staff(app):
    return UserFactory(roles=[Role.STAFF])


@pytest.fixture
def requester(app):
    return MunicipalityFactory(name="Jönköping")


@pytest.fixture
def basic(app):
    return CourseTypeFactory(name="Ett hem att växa i", kind=CourseKind.BASIC, themes=2)


def _match(requester, staff, clock, **case_kwargs):
    worker = UserFactory(roles=[Role.MUNICIPAL], municipality=requester)
    case = CaseFactory(step=Step.AVAILABLE, **case_kwargs)
    request = matching.send_request(
        municipality=requester,
        actor=worker,
        child_age=5,
        needs="",
        kind="long_term",
        wanted_start_on=None,
        proximity="either",
        confirmed_anonymous=False,
        now=clock.now,
    )
    offer = matching.make_offer(request, case, actor=staff, now=clock.now)
    for side in matching.SIDES:
        matching.answer_offer(offer, side=side, answer="yes", actor=staff, now=clock.now)
    matching.record_match(offer, actor=staff, now=clock.now)
    return case


def _invitations():
    return db.session.scalar(select(func.count(AccountToken.id)))


def test_a_match_makes_a_household_of_the_requester_and_signs_it_up_for_the_next_basic_run(
    requester, staff, basic, clock
):
    later = CourseRunFactory(
        course_type=basic, title="Grund, våren", sessions__start=clock.now.replace(month=11)
    )
    first = CourseRunFactory(course_type=basic, title="Grund, hösten")
    CourseRunFactory(course_type=CourseTypeFactory(kind=CourseKind.CONTINUING), title="Fortbildning")
    assert _invitations() == 0  # nothing before the match

    case = _match(requester, staff, clock)

    link = into_courses.case_household(case)
    household = link.household
    assert household.municipality_id == requester.id and household.is_confirmed
    assert [adult.email for adult in household.adults] == [case.adults[0].email]
    assert _invitations() == 1
    enrollment = db.session.scalars(select(Enrollment).where(Enrollment.household_id == household.id)).one()
    assert (enrollment.run_id, enrollment.status) == (first.id, EnrollmentStatus.CONFIRMED)
    assert later.id != first.id
    templates = set(db.session.scalars(select(OutboxMessage.subject)))
    assert any("lösenord" in subject for subject in templates)


def test_a_full_run_puts_the_family_on_its_waiting_list(requester, staff, basic, clock):
    run = CourseRunFactory(course_type=basic, capacity=1)
    EnrollmentFactory(run=run)  # the one seat is taken
    case = _match(requester, staff, clock)
    enrollment = db.session.scalar(select(Enrollment).order_by(Enrollment.id.desc()))
    assert enrollment.status == EnrollmentStatus.WAITLISTED
    assert enrollment.household_id == into_courses.case_household(case).household_id


def test_with_no_run_open_the_household_waits_and_staff_sign_it_up_later(requester, staff, basic, clock):
    case = _match(requester, staff, clock)
    assert into_courses.case_household(case) is not None
    assert db.session.scalar(select(func.count(Enrollment.id))) == 0
    run = CourseRunFactory(course_type=basic)
    result = into_courses.bring_into_courses(case, municipality=requester, actor=staff, now=clock.now)
    assert result.enrollment.run_id == run.id
    again = into_courses.bring_into_courses(case, municipality=requester, actor=staff, now=clock.now)
    assert again.enrollment.id == result.enrollment.id
    assert db.session.scalar(select(func.count(Household.id))) == 1
    assert db.session.scalar(select(func.count(Enrollment.id))) == 1


def test_an_adult_who_already_has_an_account_leaves_the_match_standing(requester, staff, basic, clock):
    CourseRunFactory(course_type=basic)
    UserFactory(email="familj@hem.test")
    adult = CaseAdult(position=1, first_name="Ida", last_name="Ek", email="familj@hem.test", phone="070-1")
    case_obj = _match(requester, staff, clock, adults=[adult])
    assert case_obj.step == Step.MATCHED
    assert into_courses.case_household(case_obj) is None
    assert db.session.scalar(select(func.count(User.id)).where(User.household_id.is_not(None))) == 0


@pytest.mark.parametrize("app_config", [{"COURSEHUB_RECRUITMENT_ENROL_ON": "approval"}])
def test_the_setting_approval_brings_the_family_in_when_it_approves(staff, basic, clock):
    import re

    run = CourseRunFactory(course_type=basic)
    home = MunicipalityFactory(name="Vaggeryd")
    case = CaseFactory(step=Step.PRESENTATION, municipality=home, assigned_to=staff)
    presentation_services.save_presentation(case, text="Vi", actor=staff, now=clock.now)
    presentation_services.send_presentation(case, actor=staff, now=clock.now)
    token = re.search(
        r"/presentation/([\w-]+)", db.session.scalars(select(OutboxMessage.body_text)).one()
    ).group(1)
    presentation_services.approve_presentation(token, now=clock.now)
    household = into_courses.case_household(case).household
    assert household.municipality_id == home.id
    assert db.session.scalars(select(Enrollment.run_id)).one() == run.id


def test_the_case_page_shows_the_sign_up(client, login_as, requester, staff, basic, clock):
    CourseRunFactory(course_type=basic, title="Ett hem att växa i, hösten 2026")
    case = _match(requester, staff, clock)
    db.session.commit()
    login_as(client, staff)
    page = client.get(f"/rekrytering/arenden/{case.id}/koppling").get_data(as_text=True)
    assert "Ett hem att växa i, hösten 2026: Bekräftad" in page
    assert "Jönköping" in page
