"""Who may read the outbox, checked with real users (roles are compared by their values)."""

from __future__ import annotations

import pytest

from coursehub.notifications.permissions import can_read_outbox, can_retry_message
from tests.factories import UserFactory


@pytest.mark.parametrize(
    ("traits", "allowed"),
    [
        ({"staff": True}, True),
        ({"admin": True}, True),
        ({"family": True}, False),
        ({"leader": True}, False),
        ({"municipal": True}, False),
        ({"steering": True}, False),
        ({"member": True}, False),
    ],
)
def test_only_staff_and_admins_read_and_retry(app, traits, allowed):
    user = UserFactory(**traits)
    assert can_read_outbox(user) is allowed
    assert can_retry_message(user) is allowed


def test_nobody_logged_in_may_not(app):
    from flask_login import AnonymousUserMixin

    assert can_read_outbox(None) is False
    assert can_read_outbox(AnonymousUserMixin()) is False
