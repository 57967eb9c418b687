"""Access rules of the outbox pages (notifications area)."""

from tests.access import STAFF, Rule
from tests.notifications.factories import OutboxMessageFactory

RULES = [
    Rule("notifications.outbox", STAFF, denied_status=(403,)),
    Rule(
        "notifications.message",
        STAFF,
        denied_status=(403,),
        args=lambda user: {"message_id": OutboxMessageFactory().id},
    ),
    Rule(
        "notifications.retry",
        STAFF,
        method="POST",
        denied_status=(403,),
        args=lambda user: {"message_id": OutboxMessageFactory(failed=True).id},
    ),
    Rule(
        "notifications.correct_recipient",
        STAFF,
        denied_status=(403,),
        args=lambda user: {"message_id": OutboxMessageFactory(failed=True).id},
    ),
]
