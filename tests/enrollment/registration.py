"""Helpers for tests of a family registering itself: accepting the invitation it was mailed."""

from __future__ import annotations

import re

from coursehub import clock
from coursehub.accounts import services as account_services
from coursehub.accounts.models import TokenPurpose, User
from coursehub.notifications.models import OutboxMessage

NEW_PASSWORD = "ett-langt-losenord-1"


def invitation_token(mail: OutboxMessage) -> str:
    """Return the token of the invitation link in a queued mail."""
    found = re.search(r"/inbjudan/(\S+)", mail.body_text)
    if found is None:
        raise AssertionError("no invitation link in the mail")
    return found.group(1)


def accept_invitation(mail: OutboxMessage) -> User:
    """Choose a password through the invitation in `mail`, as the recipient would."""
    return account_services.set_password_by_link(
        invitation_token(mail),
        TokenPurpose.INVITATION,
        password=NEW_PASSWORD,
        confirm=NEW_PASSWORD,
        now=clock.now(),
    )
