"""Access rules of recruitment: staff read and work cases; everyone else gets 404 (a denied row)."""

from tests.access import STAFF, Rule

ONLY_404 = (404,)

RULES = [
    Rule("recruitment.board", STAFF, denied_status=ONLY_404),
]
