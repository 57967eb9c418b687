"""A person's own data: the export they (or staff for them) download, and erasure on request.

Both go through every area's provider (coursehub/lib/personal_data.py) and write an audit row.
"""

from __future__ import annotations

import logging
from datetime import datetime

from flask import current_app
from flask_babel import gettext as _

from coursehub import events
from coursehub.accounts import audit, permissions
from coursehub.accounts.errors import AccountError
from coursehub.accounts.models import User
from coursehub.accounts.personal_data import is_erased
from coursehub.errors import PermissionDeniedError
from coursehub.lib.personal_data import ErasureContext, Rows, erase_person, export_person

logger = logging.getLogger(__name__)

REASON_MAX = 300


def export_data(person: User, *, actor: User) -> dict[str, Rows]:
    """Return everything the platform holds about `person`, by area; audited (own or staff's)."""
    if actor.id != person.id and not permissions.can_export_person(actor, person):
        raise PermissionDeniedError(_("Du får inte ta ut den här personens uppgifter."))
    audit.record(actor, "person.export", obj=person)
    return export_person(current_app, person)


def erase_user(user: User, *, actor: User, reason: str, now: datetime) -> User:
    """Erase or anonymise `user` through every area, on their request; audited with the reason.

    The account keeps its row (sign-ups, attendance and figures refer to it) under a neutral name
    and an undeliverable address; it can no longer log in. Certificates are revoked, not deleted.
    Rows about the household as a whole go too when no other adult of it is left. The caller
    commits (one transaction for every area).
    """
    if not permissions.can_erase_person(actor, user):
        raise PermissionDeniedError(_("Du får inte ta bort den här personens uppgifter."))
    reason = " ".join(reason.split())
    if not reason:
        raise AccountError(
            _("Skriv varför uppgifterna tas bort, till exempel vem som begärde det."), field="reason"
        )
    if len(reason) > REASON_MAX:
        raise AccountError(_("Skälet får vara högst %(max)d tecken.", max=REASON_MAX), field="reason")
    if is_erased(user):
        raise AccountError(_("Personens uppgifter är redan borttagna."))
    others = [adult for adult in user.household.adults if adult.id != user.id] if user.household else []
    whole_household = all(is_erased(adult) for adult in others)
    audit.record(actor, "person.erase", obj=user, detail=reason)
    erase_person(current_app, user, ErasureContext(actor.id, reason, now, whole_household=whole_household))
    events.person_erased.send(user, actor=actor, now=now)
    logger.info("person erased user=%s", user.id)
    return user
