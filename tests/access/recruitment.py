"""Access rules of recruitment: staff read and work cases; everyone else gets 404 (a denied row).

The interest registration, its thank-you page and the family's withdrawal link are public.
"""

import itertools

from tests.access import EVERYONE, STAFF, Rule

ONLY_404 = (404,)
_TOKENS = itertools.count(1)


def case_for(user):
    """An open case (the visitor's role does not matter: only staff read cases)."""
    from tests.recruitment.factories import CaseFactory

    return CaseFactory()


def _case(user) -> dict:
    return {"case_id": case_for(user).id}


def _withdraw_link(user) -> dict:
    from coursehub.recruitment.services.registration import token_hash
    from tests.recruitment.factories import CaseFactory

    token = f"prov-{next(_TOKENS)}-lank"
    CaseFactory(withdraw_token_hash=token_hash(token))
    return {"token": token}


CASE_POSTS = [
    "move",
    "close",
    "assign",
    "add_note",
    "record_checklist",
    "set_identity_number",
    "record_check",
]

RULES = [
    Rule("recruitment.board", STAFF, denied_status=ONLY_404),
    Rule("recruitment.step_cases", STAFF, args=lambda user: {"step": "registered"}, denied_status=ONLY_404),
    Rule("recruitment.lists", STAFF, denied_status=ONLY_404),
    Rule("recruitment.add_channel", STAFF, method="POST", denied_status=ONLY_404),
    Rule("recruitment.add_requirement", STAFF, method="POST", denied_status=ONLY_404),
    Rule("recruitment.case", STAFF, args=_case, denied_status=ONLY_404),
    *[
        Rule(f"recruitment.{name}", STAFF, method="POST", args=_case, denied_status=ONLY_404)
        for name in CASE_POSTS
    ],
    Rule("recruitment.record_requirement", STAFF, method="POST", args=_case, denied_status=ONLY_404),
    Rule("recruitment.interest", EVERYONE),
    Rule("recruitment.registered", EVERYONE),
    Rule("recruitment.withdraw", EVERYONE, args=_withdraw_link),
]


# -- Presentation, requests, offers, matches, into the courses (issue 21, points 4-6) ---------------
# Staff's pages answer 404 to everyone else (a denied row); the family's approval link is public
# (an unknown link gets a polite page); a municipal worker's request pages open for the worker of
# the requesting municipality and for staff, other roles get 403.

from tests.access import EVERYONE  # noqa: E402 - the block's own import, kept beside it

REQUESTERS = STAFF | {"municipal"}


def _case_at(step_name: str):
    def build(user):
        from coursehub.extensions import db
        from coursehub.recruitment.models import Step
        from tests.recruitment.factories import CaseFactory

        case = CaseFactory(step=Step(step_name))
        db.session.commit()
        return {"case_id": case.id}

    return build


def _matched(user) -> dict:
    """A request of the user's municipality (any, for others), matched with an available family."""
    from coursehub import clock
    from coursehub.extensions import db
    from coursehub.recruitment.models import Answer, Match, Offer, Request, Step
    from tests.factories import MunicipalityFactory
    from tests.recruitment.factories import CaseFactory

    municipality = getattr(user, "municipality", None) or MunicipalityFactory()
    case = CaseFactory(step=Step.MATCHED)
    request = Request(municipality_id=municipality.id, child_age=7, kind="long_term", created_at=clock.now())
    db.session.add(request)
    db.session.flush()
    offer = Offer(
        case_id=case.id,
        request_id=request.id,
        offered_at=clock.now(),
        family_answer=Answer.YES,
        municipality_answer=Answer.YES,
    )
    db.session.add(offer)
    db.session.flush()
    db.session.add(
        Match(
            case_id=case.id,
            request_id=request.id,
            offer_id=offer.id,
            municipality_id=municipality.id,
            matched_at=clock.now(),
        )
    )
    db.session.commit()
    return {"request_id": request.id, "offer_id": offer.id}


def _request_id(user) -> dict:
    return {"request_id": _matched(user)["request_id"]}


def _offer_id(user) -> dict:
    return {"offer_id": _matched(user)["offer_id"]}


RULES += [
    Rule("recruitment.presentation", STAFF, args=_case_at("presentation"), denied_status=ONLY_404),
    Rule(
        "recruitment.send_presentation",
        STAFF,
        method="POST",
        args=_case_at("presentation"),
        denied_status=ONLY_404,
    ),
    Rule("recruitment.approval", EVERYONE, args=lambda user: {"token": "ingen-sadan-lank"}),
    Rule("recruitment.approve", EVERYONE, method="POST", args=lambda user: {"token": "ingen-sadan-lank"}),
    Rule("recruitment.my_requests", frozenset({"municipal"})),
    Rule("recruitment.new_request", frozenset({"municipal"})),
    Rule("recruitment.my_request", REQUESTERS, args=_request_id),
    Rule("recruitment.record_assessment", REQUESTERS, method="POST", args=_request_id),
    Rule("recruitment.record_decision", REQUESTERS, method="POST", args=_request_id),
    Rule("recruitment.close_request", REQUESTERS, method="POST", args=_request_id),
    Rule("recruitment.requests", STAFF, denied_status=ONLY_404),
    Rule("recruitment.request_detail", STAFF, args=_request_id, denied_status=ONLY_404),
    Rule("recruitment.make_offer", STAFF, method="POST", args=_request_id, denied_status=ONLY_404),
    Rule("recruitment.answer_offer", STAFF, method="POST", args=_offer_id, denied_status=ONLY_404),
    Rule("recruitment.record_match", STAFF, method="POST", args=_offer_id, denied_status=ONLY_404),
    Rule("recruitment.case_matching", STAFF, args=_case_at("matched"), denied_status=ONLY_404),
    Rule(
        "recruitment.bring_into_courses",
        STAFF,
        method="POST",
        args=_case_at("matched"),
        denied_status=ONLY_404,
    ),
]
