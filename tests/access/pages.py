"""Access rules of the public pages."""

from tests.access import EVERYONE, Rule

RULES = [
    Rule("pages.index", EVERYONE),
    Rule("pages.accessibility", EVERYONE),
    # The health probes (coursehub/health.py) answer everyone: a load balancer has no login.
    Rule("health.alive", EVERYONE),
    Rule("health.ready", EVERYONE),
    Rule("pages.contact", EVERYONE),
    Rule("pages.privacy", EVERYONE),
    Rule("pages.set_language", EVERYONE, method="POST", data=lambda user: {"locale": "en"}),
]
