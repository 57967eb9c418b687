"""Access rules of the evaluations area: staff build forms and open evaluations."""

from tests.access import STAFF, Rule

RULES = [
    Rule("evaluations.forms", STAFF),
]
