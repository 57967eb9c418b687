"""The yearly survey: sent to networks and roles, once per person, never twice, with a clear refusal."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import urlencode

import pytest
from sqlalchemy import func, select

from coursehub.accounts.models import Role
from coursehub.evaluations.models import Evaluation, Invitation
from coursehub.evaluations.services import asking
from coursehub.evaluations.services import survey as services
from coursehub.extensions import db
from coursehub.notifications.models import OutboxMessage
from tests.evaluations import results_data as data
from tests.factories import UserFactory
from tests.forum.factories import MembershipFactory, NetworkFactory

SEND = "/admin/utvarderingar/arsenkat/skicka"


@pytest.fixture
def staff(db):
    return UserFactory(staff=True)


@pytest.fixture
def version(db):
    return data.survey_form()


@pytest.fixture
def people(db, clock):
    """Two networks sharing one member, a steering-group member, a family and a deactivated member."""
    fosterage, kinship = NetworkFactory(name="Familjehemsnätverket"), NetworkFactory(name="Släktingnätverket")
    both = UserFactory(member=True, email="bada@exempel.se")
    MembershipFactory(network=fosterage, user=both)
    MembershipFactory(network=kinship, user=both)
    only_one = MembershipFactory(network=kinship, user=UserFactory(member=True, email="en@exempel.se")).user
    gone = MembershipFactory(network=fosterage, user=UserFactory(member=True, email="slutat@exempel.se")).user
    gone.deactivated_at = clock.now - timedelta(days=3)
    steering = UserFactory(steering=True, email="styrgrupp@exempel.se")
    family = UserFactory(family=True, email="familj@exempel.se")
    db.session.flush()
    return {
        "networks": (fosterage, kinship),
        "both": both,
        "one": only_one,
        "gone": gone,
        "steering": steering,
        "family": family,
    }


def _invited(survey) -> list[int]:
    return sorted(
        db.session.scalars(select(Invitation.user_id).where(Invitation.evaluation_id == survey.id)).all()
    )


def _mails(address: str) -> int:
    return db.session.scalar(
        select(func.count()).select_from(OutboxMessage).where(OutboxMessage.recipient == address)
    )


def test_each_person_is_asked_once_whatever_networks_and_roles_they_are_in(db, clock, staff, version, people):
    networks = [n.id for n in people["networks"]]
    sent = services.send_survey(
        version, year=2026, network_ids=networks, roles=[Role.STEERING], actor=staff, now=clock.now
    )
    assert sent.created and sent.invited == 3
    assert sent.survey.survey_year == 2026 and sent.survey.run_id is None
    assert _invited(sent.survey) == sorted([people["both"].id, people["one"].id, people["steering"].id])
    assert sent.survey.invited_count == 3
    for who in ("both", "one", "steering"):
        assert _mails(people[who].email) == 1
    assert _mails(people["gone"].email) == 0 and _mails(people["family"].email) == 0


def test_sending_again_asks_only_those_not_yet_asked(db, clock, staff, version, people):
    fosterage, kinship = people["networks"]
    first = services.send_survey(
        version, year=2026, network_ids=[fosterage.id], roles=[], actor=staff, now=clock.now
    )
    again = services.send_survey(
        version, year=2026, network_ids=[fosterage.id], roles=[], actor=staff, now=clock.now
    )
    assert first.invited == 1 and again.invited == 0 and again.survey.id == first.survey.id
    more = services.send_survey(
        version,
        year=2026,
        network_ids=[fosterage.id, kinship.id],
        roles=[Role.STEERING],
        actor=staff,
        now=clock.now,
    )
    assert more.invited == 2 and not more.created
    assert _mails(people["both"].email) == 1
    assert db.session.scalar(select(func.count()).select_from(Evaluation)) == 1


def test_a_closed_survey_is_not_sent_again(db, clock, staff, version, people):
    fosterage, kinship = people["networks"]
    sent = services.send_survey(
        version, year=2026, network_ids=[fosterage.id], roles=[], actor=staff, now=clock.now
    )
    clock.advance(days=60)
    asking.close_due(clock.now)
    with pytest.raises(services.SurveyError, match="stängd"):
        services.send_survey(
            version, year=2026, network_ids=[kinship.id], roles=[], actor=staff, now=clock.now
        )
    assert _invited(sent.survey) == []  # the answered list went at closing and nobody was asked anew
    assert _mails(people["one"].email) == 0


def test_only_a_published_survey_form_is_sent(db, clock, staff, people):
    draft = data.survey_form(name="Utkast", published=False)
    course = data.course_form()
    for version in (draft, course):
        with pytest.raises(services.SurveyError, match="publicerat formulär"):
            services.send_survey(
                version, year=2026, network_ids=[], roles=[Role.STEERING], actor=staff, now=clock.now
            )
    assert db.session.scalar(select(func.count()).select_from(Evaluation)) == 0


def _form(chosen, **fields):
    return {"version": str(chosen.id), "year": "2026", **fields}


def test_staff_send_the_survey_from_the_page_and_see_it_listed(db, client, login_as, staff, version, people):
    fosterage, kinship = people["networks"]
    db.session.commit()
    login_as(client, staff)
    page = data.html(client.get(SEND))
    assert "Familjehemsnätverket" in page and "Styrgrupp" in page and "Familjehem<" not in page

    response = client.post(
        SEND, data=_form(version, networks=[str(fosterage.id), str(kinship.id)], roles=["steering"])
    )
    assert response.status_code == 302
    listing = data.html(client.get(response.location))
    assert "Årsenkäten är skickad till 3 personer." in listing
    assert "Årsenkät 2026" in listing and "<td>2026</td><td>3</td><td>0</td>" in listing

    again = client.post(SEND, data=_form(version, networks=[str(fosterage.id)]), follow_redirects=True)
    assert "Alla som valdes hade redan fått årsenkäten. Ingen fick den två gånger." in data.html(again)
    assert _mails(people["both"].email) == 1


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({}, "Välj minst ett nätverk eller en roll."),
        ({"roles": ["family"]}, "Välj bland alternativen som visas."),
        ({"roles": ["steering"], "year": "2031"}, "Välj ett år mellan 2025 och 2027."),
        ({"roles": ["steering"], "year": "tjugo"}, "Skriv ett heltal med siffror"),
        ({"roles": ["steering"], "networks": ["999999"]}, "Välj bland alternativen"),
        ({"roles": ["steering"], "version": "0"}, "Välj ett formulär."),
    ],
)
def test_bad_input_is_refused_beside_its_field_and_nothing_is_sent(
    db, client, login_as, staff, version, people, fields, message
):
    db.session.commit()
    login_as(client, staff)
    response = client.post(SEND, data=_form(version, **fields))
    assert response.status_code == 422
    assert message in data.html(response)
    assert db.session.scalar(select(func.count()).select_from(Evaluation)) == 0
    assert db.session.scalar(select(func.count()).select_from(OutboxMessage)) == 0


def test_a_course_form_is_not_offered_for_the_survey(db, client, login_as, staff, version, people):
    course = data.course_form()
    db.session.commit()
    login_as(client, staff)
    response = client.post(SEND, data={"version": str(course.id), "year": "2026", "roles": ["steering"]})
    assert response.status_code == 422
    assert "Välj bland alternativen som visas." in data.html(response)


def test_two_sends_at_once_make_one_survey_and_ask_each_person_once(app, db, clock, staff, version, people):
    from tests.support.race import post_at_once, session_cookie

    fosterage, kinship = people["networks"]
    body = urlencode(
        {"version": version.id, "year": 2026, "networks": [fosterage.id, kinship.id], "roles": "steering"},
        doseq=True,
    )
    cookie = session_cookie(app, staff)
    db.session.commit()

    replies = post_at_once(app, [(SEND, cookie, body)] * 2)

    assert [reply.status for reply in replies] == [302, 302]
    db.session.rollback()
    assert db.session.scalar(select(func.count()).select_from(Evaluation)) == 1
    assert db.session.scalar(select(func.count()).select_from(Invitation)) == 3
    for who in ("both", "one", "steering"):
        assert _mails(people[who].email) == 1


def test_a_survey_link_answers_once_and_only_those_who_have_not_answered_are_reminded(
    db, client, clock, staff, version, people
):
    from tests.evaluations.support import answers_for, token_from_outbox

    fosterage, kinship = people["networks"]
    sent = services.send_survey(
        version, year=2026, network_ids=[fosterage.id, kinship.id], roles=[], actor=staff, now=clock.now
    )
    db.session.commit()
    path = f"/utvardering/{token_from_outbox(people['both'].email)}"
    assert client.post(path, data=answers_for(sent.survey)).status_code == 302
    assert client.post(path, data=answers_for(sent.survey)).status_code != 302  # the link is used up

    clock.advance(days=8)
    assert asking.send_reminders(clock.now) == 1
    assert asking.send_reminders(clock.now) == 0
    reminded = db.session.scalars(
        select(OutboxMessage.recipient).where(OutboxMessage.dedupe_key.like("evaluations.reminder:%"))
    ).all()
    assert reminded == [people["one"].email]
