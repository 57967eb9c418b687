"""Access rules of the public pages."""

from tests.access import EVERYONE, Rule

RULES = [
    Rule("pages.index", EVERYONE),
    Rule("pages.accessibility", EVERYONE),
    Rule("pages.contact", EVERYONE),
    Rule("pages.privacy", EVERYONE),
    Rule("pages.set_language", EVERYONE, method="POST", data=lambda user: {"locale": "en"}),
]
