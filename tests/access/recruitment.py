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
