"""Access rules of the courses area."""

from tests.access import EVERYONE, Rule

RULES = [
    Rule("courses.catalogue", EVERYONE),
]
