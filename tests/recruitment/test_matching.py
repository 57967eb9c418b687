"""Requests, the families that fit, offers, answers and matches (issue 21, point 5)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from coursehub.accounts.models import AuditEntry, AuditOutcome, Role
from coursehub.extensions import db
from coursehub.recruitment.errors import RecruitmentError
from coursehub.recruitment.models import (
    Answer,
    AssignmentKind,
    CaseKind,
    Decision,
    Placement,
    Request,
    RequestStatus,
    Step,
    StepChange,
)
from coursehub.recruitment.services import matching
from coursehub.recruitment.services.free_text import find_identifying
from tests.factories import MunicipalityFactory, UserFactory
from tests.recruitment.factories import CaseFactory

JONKOPING = {"latitude": 57.7826, "longitude": 14.1618}
STOCKHOLM = {"latitude": 59.3293, "longitude": 18.0686}
VAXJO = {"latitude": 56.8777, "longitude": 14.8091}
KIRUNA = {"latitude": 67.8558, "longitude": 20.2253}


@pytest.fixture
def staff(app):
    return UserFactory(roles=[Role.STAFF], full_name="Sara Medarbetare")


@pytest.fixture
def jonkoping(app):
    return MunicipalityFactory(name="Jönköping", **JONKOPING)


@pytest.fixture
def worker(jonkoping):
    return UserFactory(roles=[Role.MUNICIPAL], municipality=jonkoping, full_name="Kim Handläggare")


def _request(
    worker, *, age=8, kind="long_term", proximity="near", needs="Behöver lugn och struktur.", now=None
):
    from coursehub import clock as app_clock

    return matching.send_request(
        municipality=worker.municipality,
        actor=worker,
        child_age=age,
        needs=needs,
        kind=kind,
        wanted_start_on=None,
        proximity=proximity,
        confirmed_anonymous=False,
        now=now or app_clock.now(),
    )


def _available(municipality, **kwargs):
    return CaseFactory(step=Step.AVAILABLE, municipality=municipality, **kwargs)


# -- what looks like it names a child ------------------------------------------------------------


def test_a_valid_identity_number_is_found_and_a_telephone_number_is_not():
    found = find_identifying("Pojke 8 år, 811218-9876. Ring 070-1234567 eller 0701234567.")
    assert found.identity_numbers == ("811218-9876",)
    assert not find_identifying("Ring 070-1234567. Tolv siffror 201503121234 med fel kontrollsiffra.")


def test_names_in_any_script_are_found_but_not_the_first_word_places_or_abbreviations():
    found = find_identifying(
        "Flicka, 12 år. Bor hos mormor Åsa Öberg i Växjö och kallas Łucja. Har ADHD. Mamma heter Ли Мин.",
        known_words=["Växjö"],
    )
    assert found.names == ("Åsa", "Öberg", "Łucja", "Ли", "Мин")
    assert not find_identifying("Pojke 8 år. Behöver lugn miljö och stöd i skolan. BBIC finns.")


def test_a_request_whose_needs_hold_a_name_is_warned_and_nothing_is_saved(worker, clock):
    with pytest.raises(matching.IdentifyingTextError) as raised:
        _request(worker, needs="Pojke 8 år. Han heter Elias Berg och är 20150312-1239 enligt journalen.")
    assert "Elias, Berg" in raised.value.message
    assert raised.value.field == "needs"
    assert db.session.scalar(select(func.count(Request.id))) == 0


def test_a_confirmed_request_is_sent_with_its_warning_noted(worker, clock):
    request = matching.send_request(
        municipality=worker.municipality,
        actor=worker,
        child_age=8,
        needs="Pojke 8 år. Tycker om Minecraft.",
        kind="long_term",
        wanted_start_on=clock.now.date() + timedelta(days=30),
        proximity="far",
        confirmed_anonymous=True,
        now=clock.now,
    )
    assert request.status == RequestStatus.OPEN
    assert request.municipality_id == worker.municipality_id
    row = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "recruitment.request.send")).one()
    assert row.detail == "warned"


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"age": None}, "child_age"),
        ({"age": 21}, "child_age"),
        ({"kind": "pet_sitting"}, "kind"),
        ({"proximity": "moon"}, "proximity"),
        ({"needs": "x" * 2001}, "needs"),
    ],
)
def test_bad_request_input_is_refused_beside_its_field(worker, clock, changes, field):
    with pytest.raises(RecruitmentError) as raised:
        _request(worker, **changes)
    assert raised.value.field == field
    assert db.session.scalar(select(func.count(Request.id))) == 0


# -- the families that fit -------------------------------------------------------------------------


def test_distance_is_the_great_circle_between_reference_points(app):
    a = MunicipalityFactory(**JONKOPING)
    b = MunicipalityFactory(**STOCKHOLM)
    assert matching.distance_km(a, b) == pytest.approx(285, abs=5)
    assert matching.distance_km(a, a) == pytest.approx(0)
    assert matching.distance_km(a, MunicipalityFactory()) is None  # no coordinates


def test_only_available_families_open_to_the_kind_and_age_fit_nearest_first(worker, jonkoping):
    stockholm = MunicipalityFactory(name="Stockholm", **STOCKHOLM)
    vaxjo = MunicipalityFactory(name="Växjö", **VAXJO)
    far = _available(stockholm)
    near = _available(vaxjo)
    _available(vaxjo, max_child_age=5)  # the child is too old
    _available(vaxjo, kinds=[CaseKind(kind=AssignmentKind.CONTACT)])  # another kind
    CaseFactory(step=Step.PRESENTATION, municipality=vaxjo)  # not approved yet
    _available(vaxjo, closed_at=near.registered_at, close_reason="Flyttat")  # closed
    request = _request(worker, age=8)

    candidates = matching.fitting_families(request)

    assert [c.case for c in candidates] == [near, far]
    assert candidates[0].distance_km < candidates[1].distance_km


def test_far_is_better_puts_the_farthest_first(worker):
    near = _available(MunicipalityFactory(**VAXJO))
    farthest = _available(MunicipalityFactory(**KIRUNA))
    request = _request(worker, proximity="far")
    assert [c.case for c in matching.fitting_families(request)] == [farthest, near]


def test_candidates_show_current_placements_and_one_from_the_requester(worker, jonkoping, clock):
    other = MunicipalityFactory(name="Eksjö")
    case = _available(MunicipalityFactory(**VAXJO))
    db.session.add_all(
        [
            Placement(case_id=case.id, municipality_id=other.id, started_on=date(2025, 1, 1)),
            Placement(case_id=case.id, municipality_id=jonkoping.id, started_on=date(2024, 1, 1)),
            Placement(case_id=case.id, municipality_id=other.id, ended_on=date(2023, 1, 1)),
        ]
    )
    db.session.flush()
    (candidate,) = matching.fitting_families(_request(worker))
    assert sorted(m.name for m in candidate.placements) == ["Eksjö", "Jönköping"]
    assert candidate.placed_by_requester


# -- offers, answers, the match, the municipality's outcome ------------------------------------------


@pytest.fixture
def offer(worker, staff, clock):
    case = _available(MunicipalityFactory(**VAXJO))
    return matching.make_offer(_request(worker), case, actor=staff, now=clock.now)


def test_an_offer_is_made_once_and_only_of_a_family_that_fits(worker, staff, clock, offer):
    with pytest.raises(RecruitmentError, match="redan erbjuden"):
        matching.make_offer(offer.request, offer.case, actor=staff, now=clock.now)
    unfit = CaseFactory(step=Step.PRESENTATION)
    with pytest.raises(RecruitmentError, match="passar inte"):
        matching.make_offer(offer.request, unfit, actor=staff, now=clock.now)


def test_a_match_needs_both_sides_yes(staff, clock, offer):
    matching.answer_offer(offer, side="family", answer="yes", actor=staff, now=clock.now)
    with pytest.raises(RecruitmentError, match="Båda parter"):
        matching.record_match(offer, actor=staff, now=clock.now)
    matching.answer_offer(offer, side="municipality", answer="no", actor=staff, now=clock.now)
    assert not matching.may_match(offer)
    with pytest.raises(RecruitmentError, match="Välj ja eller nej"):
        matching.answer_offer(offer, side="municipality", answer="maybe", actor=staff, now=clock.now)


def _matched(offer, staff, clock):
    for side in matching.SIDES:
        matching.answer_offer(offer, side=side, answer="yes", actor=staff, now=clock.now)
    return matching.record_match(offer, actor=staff, now=clock.now)


def test_a_match_hands_the_family_to_the_requesting_municipality(staff, clock, offer):
    match = _matched(offer, staff, clock)
    assert match.municipality_id == offer.request.municipality_id
    assert offer.request.status == RequestStatus.MATCHED
    assert offer.case.step == Step.MATCHED
    change = db.session.scalars(select(StepChange).where(StepChange.case_id == offer.case_id)).one()
    assert (change.from_step, change.to_step, change.actor_id) == (Step.AVAILABLE, Step.MATCHED, staff.id)
    with pytest.raises(RecruitmentError):
        matching.answer_offer(offer, side="family", answer="no", actor=staff, now=clock.now)


def test_assessment_and_decision_are_dates_and_outcomes_in_order(staff, clock, offer):
    match = _matched(offer, staff, clock)
    today = clock.now.date()
    with pytest.raises(RecruitmentError) as raised:
        matching.record_decision(match, decided_on=today, outcome="approved", actor=staff, now=clock.now)
    assert "utredningen först" in raised.value.message
    with pytest.raises(RecruitmentError) as raised:
        matching.record_assessment(
            match,
            started_on=today,
            decided_on=today - timedelta(days=1),
            outcome="approved",
            actor=staff,
            now=clock.now,
        )
    assert raised.value.field == "assessment_decided_on"
    matching.record_assessment(
        match, started_on=today, decided_on=None, outcome=None, actor=staff, now=clock.now
    )
    assert offer.case.step == Step.ASSESSMENT
    matching.record_decision(
        match, decided_on=today + timedelta(days=90), outcome="approved", actor=staff, now=clock.now
    )
    assert (match.decision_outcome, offer.case.step) == (Decision.APPROVED, Step.DECIDED)
    assert match.offer.family_answer == Answer.YES


# -- who sees what ---------------------------------------------------------------------------------


def _denied(action):
    return db.session.scalar(
        select(func.count(AuditEntry.id)).where(
            AuditEntry.action == action, AuditEntry.outcome == AuditOutcome.DENIED
        )
    )


def test_the_matched_municipality_sees_the_family_and_others_see_nothing(
    app, client, login_as, worker, staff, clock, offer
):
    offer.case.adults[0].first_name = "Åsa"
    _matched(offer, staff, clock)
    request_id = offer.request_id
    db.session.commit()

    login_as(client, worker)
    page = client.get(f"/kommun/forfragningar/{request_id}").get_data(as_text=True)
    assert "Åsa" in page and offer.case.adults[0].email in page
    assert (
        db.session.scalar(
            select(func.count(AuditEntry.id)).where(
                AuditEntry.action == "recruitment.presentation.read", AuditEntry.actor_id == worker.id
            )
        )
        == 1
    )

    stranger = UserFactory(roles=[Role.MUNICIPAL], municipality=MunicipalityFactory())
    db.session.commit()
    login_as(client, stranger)
    assert client.get(f"/kommun/forfragningar/{request_id}").status_code == 404
    assert client.post(f"/kommun/forfragningar/{request_id}/beslut", data={}).status_code == 404
    assert "Åsa" not in client.get("/kommun/forfragningar").get_data(as_text=True)
    assert _denied("recruitment.request.read") == 2
    # Offers and the families that fit are staff's: a worker gets 404 and a denied row.
    assert (
        client.post(f"/rekrytering/erbjudanden/{offer.id}/svar", data={"side": "family"}).status_code == 404
    )
    assert client.get(f"/rekrytering/forfragningar/{request_id}").status_code == 404


def test_the_request_form_warns_then_sends_when_confirmed(app, client, login_as, worker):
    db.session.commit()
    login_as(client, worker)
    data = {
        "child_age": "9",
        "kind": "short_term",
        "proximity": "near",
        "needs": "Pojke. Mamma Lisa bor nära.",
    }
    page = client.post("/kommun/forfragningar/ny", data=data).get_data(as_text=True)
    assert "ord som kan vara namn (Lisa)" in page
    assert "Texten pekar inte ut barnet" in page
    assert db.session.scalar(select(func.count(Request.id))) == 0

    response = client.post("/kommun/forfragningar/ny", data={**data, "confirm_anonymous": "y"})
    assert response.status_code == 302
    assert db.session.scalars(select(Request.needs)).one() == "Pojke. Mamma Lisa bor nära."


# -- closing a request that needs no family any more ------------------------------------------------


def test_an_open_request_is_closed_once_and_then_gets_no_offers(worker, staff, clock):
    request = _request(worker)
    matching.close_request(request, actor=worker, now=clock.now)
    assert (request.status, request.closed_at) == (RequestStatus.CLOSED, clock.now)
    entry = db.session.scalars(
        select(AuditEntry).where(AuditEntry.action == "recruitment.request.close")
    ).one()
    assert entry.actor_id == worker.id
    with pytest.raises(RecruitmentError, match="redan avslutad"):
        matching.close_request(request, actor=staff, now=clock.now)
    with pytest.raises(RecruitmentError):
        matching.make_offer(request, _available(MunicipalityFactory(**VAXJO)), actor=staff, now=clock.now)


def test_the_requesting_worker_closes_a_request_from_its_page(app, client, login_as, worker, clock):
    request_id = _request(worker).id
    db.session.commit()
    login_as(client, worker)
    page = client.get(f"/kommun/forfragningar/{request_id}").get_data(as_text=True)
    assert "Avsluta förfrågan" in page

    response = client.post(f"/kommun/forfragningar/{request_id}/avsluta", follow_redirects=True)
    page = response.get_data(as_text=True)
    assert response.request.path == f"/kommun/forfragningar/{request_id}"
    assert "Förfrågan är avslutad." in page and "Avslutad" in page
    assert "Avsluta förfrågan" not in page  # nothing left to close
    assert db.session.get(Request, request_id).status == RequestStatus.CLOSED

    again = client.post(f"/kommun/forfragningar/{request_id}/avsluta", follow_redirects=True)
    assert "redan avslutad" in again.get_data(as_text=True)


def test_another_municipality_cannot_close_a_request_and_a_matched_one_stays_matched(
    app, client, login_as, worker, staff, clock, offer
):
    open_id = _request(worker).id
    stranger = UserFactory(roles=[Role.MUNICIPAL], municipality=MunicipalityFactory())
    db.session.commit()
    login_as(client, stranger)
    assert client.post(f"/kommun/forfragningar/{open_id}/avsluta").status_code == 404
    assert _denied("recruitment.request.read") == 1
    assert db.session.get(Request, open_id).status == RequestStatus.OPEN

    _matched(offer, staff, clock)
    db.session.commit()
    login_as(client, staff)
    response = client.post(f"/kommun/forfragningar/{offer.request_id}/avsluta", follow_redirects=True)
    assert response.request.path == f"/rekrytering/forfragningar/{offer.request_id}"  # staff's page
    assert "redan avslutad" in response.get_data(as_text=True)
    assert db.session.get(Request, offer.request_id).status == RequestStatus.MATCHED


def test_staff_close_an_open_request_from_their_own_page(app, client, login_as, worker, staff, clock):
    request_id = _request(worker).id
    db.session.commit()
    login_as(client, staff)
    assert "Avsluta förfrågan" in client.get(f"/rekrytering/forfragningar/{request_id}").get_data(
        as_text=True
    )
    response = client.post(f"/kommun/forfragningar/{request_id}/avsluta", follow_redirects=True)
    page = response.get_data(as_text=True)
    assert response.request.path == f"/rekrytering/forfragningar/{request_id}"
    assert "Förfrågan är avslutad." in page and "Avsluta förfrågan" not in page
    assert "Tillgängliga familjer som passar" not in page  # no families offered for it any more
