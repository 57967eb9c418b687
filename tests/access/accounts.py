"""Access rules of the accounts area."""

from tests.access import LOGGED_IN, STAFF, Rule

RULES = [
    Rule("accounts.login", frozenset({"anonymous"}) | LOGGED_IN),
    Rule("accounts.logout", LOGGED_IN, method="POST"),
    Rule("accounts.profile", LOGGED_IN),
    Rule("accounts.admin_users", STAFF),
]
