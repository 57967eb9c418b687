"""E-mails of recruitment (templates/emails/recruitment_<event>/): never any case content.

A mail about a case says only that something happened and where to log in or reach the
resource; what the case holds stays on the staff's pages (SECURITY.md, Privacy).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask_babel import force_locale

from coursehub.notifications.models import OutboxMessage
from coursehub.notifications.services import link
from coursehub.notifications.services import queue_email as _queue_email
from coursehub.recruitment.models import Case, CaseAdult

WITHDRAW_PATH = "/bli-familjehem/avbryt/"


def _queue(**kwargs: Any) -> OutboxMessage | None:
    with force_locale("sv"):
        return _queue_email(**kwargs)


def queue_registration_received(
    case: Case, adult: CaseAdult, *, token: str, now: datetime
) -> OutboxMessage | None:
    """Thank an adult for the registration; the link lets the family withdraw it."""
    return _queue(
        dedupe_key=f"recruitment-received:{case.id}:{adult.id}",
        recipient=adult.email,
        template="recruitment_received",
        first_name=adult.first_name,
        withdraw_url=link(WITHDRAW_PATH + token),
    )


def queue_registered_again(adult: CaseAdult, *, now: datetime) -> OutboxMessage | None:
    """Tell an adult whose registration is already with us that a new one was not needed."""
    return _queue(
        dedupe_key=f"recruitment-again:{adult.id}:{now.strftime('%Y%m%d')}",
        recipient=adult.email,
        template="recruitment_registered_again",
        first_name=adult.first_name,
    )
