"""Access rules of the reports area: staff's start page."""

from tests.access import STAFF, Rule

RULES = [
    Rule("reports.start", STAFF, denied_status=(403,)),
]
