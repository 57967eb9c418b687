"""The moves of a case that the later steps make themselves (approval, match, assessment, decision).

Steps 1–6 are moved by staff on the case page; from the presentation on, the case moves because
something happened: the family approved its presentation (→ available), staff recorded a match
(→ matched), the municipality began its assessment (→ assessment) or its committee decided
(→ decided). Each move is one step forward and writes the step history (who, when) like a move by
hand; a case that is already there is left alone.
"""

from __future__ import annotations

import logging
from datetime import datetime

from flask_babel import gettext as _

from coursehub.accounts.models import User
from coursehub.extensions import db
from coursehub.recruitment.errors import RecruitmentError
from coursehub.recruitment.models import Case, Step, StepChange

logger = logging.getLogger(__name__)

_ORDER = list(Step)


def advance(case: Case, to_step: Step, *, actor: User | None, now: datetime) -> bool:
    """Move `case` one step forward to `to_step`; False when it is there already.

    Raises RecruitmentError when the case is closed or `to_step` is not the next step.
    """
    if case.step == to_step:
        return False
    if not case.is_open:
        raise RecruitmentError(_("Ärendet är avslutat."))
    if _ORDER.index(to_step) != _ORDER.index(case.step) + 1:
        raise RecruitmentError(_("Ärendet är i steg %(n)d och kan inte flyttas hit nu.", n=case.step.number))
    db.session.add(
        StepChange(
            case_id=case.id, from_step=case.step, to_step=to_step, at=now, actor_id=getattr(actor, "id", None)
        )
    )
    case.step = to_step
    case.step_changed_at = now
    db.session.flush()
    logger.info("case %s moved to %s", case.id, to_step.value)
    return True
