"""The family's presentation: staff write it (every version kept), the family approves it by a link.

The presentation is what a requesting municipality reads about a family once it is matched, so
the family must have approved the very text: staff send a version, the family gets a mail with a
single-use link (only its hash is stored) and no content, reads the text on a public page and
approves it. The approval records the date and the version, and moves the case on to "available"
(step 7), from where staff can offer the family for a request. A link that is used again, has
expired, or was replaced by a newer one answers with a polite refusal.
"""

from __future__ import annotations

import hashlib
import logging
import secrets
import unicodedata
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select, update

from coursehub.accounts import audit
from coursehub.accounts.models import User
from coursehub.extensions import db
from coursehub.lib.database import lock_for_update
from coursehub.notifications.services import link, queue_email
from coursehub.recruitment.errors import RecruitmentError
from coursehub.recruitment.models import Case, Presentation, PresentationVersion, Step
from coursehub.recruitment.services import later_steps

logger = logging.getLogger(__name__)

# A presentation is a page or two of plain text.
MAX_TEXT = 8000


class PresentationLinkError(RecruitmentError):
    """The approval link cannot be used; the message says why, politely."""


def hash_link_token(token: str) -> str:
    """Return the SHA-256 (hex) under which an approval link's token is stored."""
    return hashlib.sha256((token or "").encode("utf-8")).hexdigest()


def approval_path(token: str) -> str:
    """Return the path of the family's approval page for `token`."""
    return f"/presentation/{token}"


def presentation_of(case: Case) -> Presentation | None:
    """Return the case's presentation, or None when nobody has written one yet."""
    return db.session.scalar(select(Presentation).where(Presentation.case_id == case.id))


def latest_version(presentation: Presentation | None) -> PresentationVersion | None:
    """Return the newest version of a presentation, or None."""
    if presentation is None or not presentation.versions:
        return None
    return presentation.versions[-1]


def _check_writable(case: Case) -> None:
    if not case.is_open:
        raise RecruitmentError(_("Ärendet är avslutat."))
    if case.step != Step.PRESENTATION:
        raise RecruitmentError(
            _("Presentationen skrivs och skickas i steg 6, Presentation. Ärendet är inte där nu.")
        )


def _clean_text(text: str | None) -> str:
    cleaned = unicodedata.normalize("NFC", text or "").replace("\r\n", "\n").strip()
    if not cleaned:
        raise RecruitmentError(_("Skriv presentationen."), field="text")
    if len(cleaned) > MAX_TEXT:
        raise RecruitmentError(_("Högst %(n)d tecken.", n=MAX_TEXT), field="text")
    return cleaned


def save_presentation(case: Case, *, text: str, actor: User, now: datetime) -> PresentationVersion:
    """Save `text` as the presentation's next version (an unchanged text makes no new version)."""
    _check_writable(case)
    cleaned = _clean_text(text)
    presentation = presentation_of(case)
    if presentation is None:
        presentation = Presentation(case_id=case.id, created_at=now)
        db.session.add(presentation)
        db.session.flush()
    latest = latest_version(presentation)
    if latest is not None and latest.text == cleaned:
        return latest
    version = PresentationVersion(
        presentation=presentation,
        number=(latest.number + 1) if latest is not None else 1,
        text=cleaned,
        author_id=actor.id,
        created_at=now,
    )
    db.session.add(version)
    db.session.flush()
    audit.record(actor, "recruitment.presentation.save", obj=case, detail=f"version {version.number}")
    logger.info("presentation version %s saved case=%s", version.number, case.id)
    return version


def send_presentation(case: Case, *, actor: User, now: datetime) -> Presentation:
    """Send the newest version to the family's adults: a mail with a new single-use link.

    A link sent before stops working: only the newest version can be approved.
    """
    _check_writable(case)
    presentation = presentation_of(case)
    version = latest_version(presentation)
    if presentation is None or version is None:
        raise RecruitmentError(_("Skriv presentationen innan den skickas."), field="text")
    token = secrets.token_urlsafe(32)
    presentation.approval_token_hash = hash_link_token(token)
    presentation.sent_at = now
    presentation.sent_version_id = version.id
    db.session.flush()
    days = current_app.config["COURSEHUB_RECRUITMENT_PRESENTATION_LINK_DAYS"]
    for adult in case.adults:
        queue_email(
            dedupe_key=f"recruitment.presentation:{presentation.id}:{adult.id}:{token[:12]}",
            recipient=adult.email,
            template="recruitment_presentation",
            first_name=adult.first_name,
            url=link(approval_path(token)),
            days=days,
        )
    audit.record(actor, "recruitment.presentation.send", obj=case, detail=f"version {version.number}")
    logger.info("presentation sent case=%s version=%s", case.id, version.number)
    return presentation


@dataclass(frozen=True)
class ApprovalPage:
    """What the family's approval page shows: the text sent to it."""

    presentation: Presentation
    version: PresentationVersion


def _refuse(presentation: Presentation | None, now: datetime) -> None:
    """Raise PresentationLinkError when the link of `presentation` may not be used now."""
    if presentation is None or not presentation.case.is_open or presentation.sent_version_id is None:
        raise PresentationLinkError(
            _("Länken gäller inte. Kontrollera att ni använt hela länken i e-postmeddelandet.")
        )
    if presentation.approved_at is not None:
        raise PresentationLinkError(
            _(
                "Ni har redan godkänt presentationen, och länken fungerar bara en gång. "
                "Tack! Vi hör av oss när en kommun söker en familj som er."
            )
        )
    days = current_app.config["COURSEHUB_RECRUITMENT_PRESENTATION_LINK_DAYS"]
    sent_at = presentation.sent_at
    if sent_at is None or now >= sent_at + timedelta(days=days):
        raise PresentationLinkError(_("Länken har gått ut. Kontakta oss gärna, så skickar vi en ny."))


def find_approval(token: str, *, now: datetime) -> ApprovalPage:
    """Return what the approval page for `token` shows, or raise PresentationLinkError."""
    presentation = db.session.scalar(
        select(Presentation).where(Presentation.approval_token_hash == hash_link_token(token))
    )
    _refuse(presentation, now)
    found = presentation if presentation is not None else None
    version = db.session.get(PresentationVersion, getattr(found, "sent_version_id", None) or 0)
    if found is None or version is None:
        raise PresentationLinkError(_("Länken gäller inte."))
    return ApprovalPage(found, version)


def approve_presentation(token: str, *, now: datetime) -> Presentation:
    """The family approves the version it was sent; the case becomes available for matching."""
    page = find_approval(token, now=now)
    presentation = lock_for_update(Presentation, page.presentation.id)
    _refuse(presentation, now)  # a twin request may have approved it while this one waited
    # A conditional update as well: of two requests racing with one link, only one gets the row.
    spent = db.session.execute(
        update(Presentation)
        .where(
            Presentation.id == presentation.id,
            Presentation.approved_at.is_(None),
            Presentation.approval_token_hash == hash_link_token(token),
        )
        .values(approved_at=now, approved_version_id=presentation.sent_version_id)
        .execution_options(synchronize_session="fetch")
    )
    if getattr(spent, "rowcount", 0) != 1:
        _refuse(db.session.get(Presentation, presentation.id), now)
    db.session.refresh(presentation)
    case = presentation.case
    later_steps.advance(case, Step.AVAILABLE, actor=None, now=now)
    audit.record(None, "recruitment.presentation.approve", obj=case)
    logger.info("presentation approved by the family case=%s", case.id)
    from coursehub.recruitment.services import into_courses

    if current_app.config["COURSEHUB_RECRUITMENT_ENROL_ON"] == "approval":
        into_courses.bring_in_after_approval(case, now=now)
    return presentation
