"""Invite a group of families to a run: the choice, the count, one mail per adult, never twice."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from coursehub import clock
from coursehub.accounts.models import CountyPart, HomeKind, Role
from coursehub.attendance import invites
from coursehub.courses.models import CourseKind
from coursehub.enrollment import services as enrollment_services
from coursehub.errors import NotFoundError
from coursehub.extensions import db
from coursehub.notifications.models import OutboxMessage
from tests.attendance.factories import CompletionFactory
from tests.factories import (
    CourseRunFactory,
    CourseTypeFactory,
    HouseholdFactory,
    MunicipalityFactory,
    UserFactory,
)


def _family(municipality, *, adults=2, kinds=(), confirmed=True):
    household = HouseholdFactory(municipality=municipality, is_confirmed=confirmed, home_kinds=list(kinds))
    members = [UserFactory(household=household, roles=[Role.FAMILY]) for _ in range(adults)]
    db.session.refresh(household)
    return household, members


def _invited(run) -> list[str]:
    rows = db.session.scalars(
        select(OutboxMessage)
        .where(OutboxMessage.dedupe_key.like(f"attendance.group_invite:{run.id}:%"))
        .order_by(OutboxMessage.recipient)
    )
    return [m.recipient for m in rows]


@pytest.fixture
def county(db):
    habo, varnamo = MunicipalityFactory(name="Habo"), MunicipalityFactory(name="Värnamo")
    south = CountyPart(name="Södra länsdelen", municipalities=[varnamo])
    jour, network = HomeKind(name="Jourhem"), HomeKind(name="Nätverkshem")
    db.session.add_all([south, jour, network])
    db.session.flush()
    return {"habo": habo, "varnamo": varnamo, "south": south, "jour": jour, "network": network}


@pytest.fixture
def staff(db):
    return UserFactory(staff=True)


def test_staff_invite_the_emergency_homes_once_each_adult_with_a_signup_link(county, staff):
    run = CourseRunFactory(title="Jourhemskväll")
    _jour_home, jour_adults = _family(county["habo"], kinds=[county["jour"]])
    _family(county["habo"], kinds=[county["network"]])
    _family(county["varnamo"], kinds=[county["jour"]], confirmed=False)  # not yet confirmed: left out
    choice = invites.Choice(home_kind_ids=frozenset({county["jour"].id}))

    preview = invites.preview_group_invite(run, choice, actor=staff)
    assert (preview.adults, preview.households, preview.to_send) == (2, 1, 2)

    assert invites.send_group_invite(run, choice, actor=staff, now=clock.now()) == 2
    assert _invited(run) == sorted(a.email for a in jour_adults)
    message = db.session.scalars(
        select(OutboxMessage).where(OutboxMessage.recipient == jour_adults[0].email)
    ).one()
    assert message.subject == "Inbjudan: Jourhemskväll"
    assert f"/kurser/{run.id}/anmalan" in message.body_text and jour_adults[0].first_name in message.body_text

    # Sending again, with the same choice or a wider one, sends nobody the same invitation twice.
    assert invites.preview_group_invite(run, choice, actor=staff).to_send == 0
    assert invites.send_group_invite(run, choice, actor=staff, now=clock.now()) == 0
    assert invites.send_group_invite(run, invites.Choice(), actor=staff, now=clock.now()) == 2
    assert len(_invited(run)) == 4


def test_the_place_filter_takes_municipalities_and_county_parts(county, staff):
    run = CourseRunFactory()
    _h, habo_adults = _family(county["habo"], adults=1)
    _v, varnamo_adults = _family(county["varnamo"], adults=1)
    by_part = invites.Choice(county_part_ids=frozenset({county["south"].id}))
    assert invites.send_group_invite(run, by_part, actor=staff, now=clock.now()) == 1
    assert _invited(run) == [varnamo_adults[0].email]
    by_town = invites.Choice(municipality_ids=frozenset({county["habo"].id}))
    assert invites.preview_group_invite(run, by_town, actor=staff).adults == 1


def test_only_those_without_the_basic_training(county, staff):
    run = CourseRunFactory()
    basic = CourseTypeFactory(kind=CourseKind.BASIC, name="Ett hem att växa i")
    _h, adults = _family(county["habo"])
    CompletionFactory(user=adults[0], course_type=basic)
    choice = invites.Choice(without_basic_training=True)
    assert invites.send_group_invite(run, choice, actor=staff, now=clock.now()) == 1
    assert _invited(run) == [adults[1].email]


def test_families_already_signed_up_get_no_invitation(county, staff):
    run = CourseRunFactory()
    household, adults = _family(county["habo"])
    enrollment_services.sign_up(run, household, adults[:1], actor=adults[0], now=clock.now())
    assert invites.preview_group_invite(run, invites.Choice(), actor=staff).adults == 0


def test_a_municipal_worker_invites_only_their_own_families(county):
    run = CourseRunFactory()
    worker = UserFactory(roles=[Role.MUNICIPAL], municipality=county["habo"])
    _h, habo_adults = _family(county["habo"], adults=1)
    _family(county["varnamo"], adults=1)
    # Even a posted place filter for another municipality reaches none of its families.
    sneaky = invites.Choice(municipality_ids=frozenset({county["varnamo"].id}))
    assert invites.preview_group_invite(run, sneaky, actor=worker).adults == 0
    assert invites.send_group_invite(run, invites.Choice(), actor=worker, now=clock.now()) == 1
    assert _invited(run) == [habo_adults[0].email]


def test_a_municipal_worker_cannot_invite_to_a_run_not_open_to_them(county):
    run = CourseRunFactory(is_open_to_all=False, county_parts=[county["south"]])
    worker = UserFactory(roles=[Role.MUNICIPAL], municipality=county["habo"])
    with pytest.raises(NotFoundError):
        invites.send_group_invite(run, invites.Choice(), actor=worker, now=clock.now())


def test_nobody_chosen_is_a_clear_message_and_nothing_is_sent(county, staff):
    run = CourseRunFactory()
    with pytest.raises(invites.InviteError, match="Inga familjer matchar urvalet"):
        invites.send_group_invite(run, invites.Choice(), actor=staff, now=clock.now())
    assert _invited(run) == []


def test_the_page_counts_first_and_sends_on_the_second_button(client, login_as, county, staff):
    run = CourseRunFactory()
    _family(county["habo"], kinds=[county["jour"]])
    _family(county["varnamo"], kinds=[county["network"]])
    db.session.commit()
    login_as(client, staff)
    form = {"home_kinds": [county["jour"].id], "atgard": "visa"}
    page = client.post(f"/kurser/{run.id}/bjud-in", data=form).get_data(as_text=True)
    assert "Urvalet: 2 vuxna i 1 hushåll." in page and "Skickas nu: 2." in page
    assert re.search(r'name="atgard" value="skicka"', page)
    assert _invited(run) == []  # counting sends nothing
    response = client.post(f"/kurser/{run.id}/bjud-in", data={**form, "atgard": "skicka"})
    assert response.status_code == 302
    assert "Inbjudan är skickad till 2 vuxna." in client.get(response.location).get_data(as_text=True)
    assert len(_invited(run)) == 2
    again = client.post(f"/kurser/{run.id}/bjud-in", data={**form, "atgard": "skicka"}, follow_redirects=True)
    assert "Alla i urvalet har redan fått inbjudan." in again.get_data(as_text=True)
    assert len(_invited(run)) == 2


def test_an_unoffered_choice_is_refused_beside_the_field(client, login_as, county, staff):
    run = CourseRunFactory()
    _family(county["habo"])
    db.session.commit()
    login_as(client, staff)
    page = client.post(f"/kurser/{run.id}/bjud-in", data={"home_kinds": ["999999"], "atgard": "skicka"})
    assert re.search(r"invalid-feedback d-block\">Välj bland alternativen\.<", page.get_data(as_text=True))
    assert _invited(run) == []
