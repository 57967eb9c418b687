"""Requests, offers and matches: a municipality asks for a family, staff offer one, both say yes.

A municipal worker sends a request for a family for a child — never the child's name: age, needs,
kind of assignment, wanted start, and whether a family near the municipality or far from it is
better. Staff see the available families that fit (`fitting_families`), offer one or more, and
record each side's answer; when both have said yes, staff record the match. The match hands the
family to the requesting municipality (its workers then see the family's presentation and
contact details), moves the case to "matched" and, when COURSEHUB_RECRUITMENT_ENROL_ON is
"match", brings the family into the courses (`into_courses`). The municipality's own assessment
and its committee's decision are recorded on the match as dates and outcomes.
"""

from __future__ import annotations

import logging
import math
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import ColumnElement, exists, select
from sqlalchemy.orm import selectinload

from coursehub.accounts import audit
from coursehub.accounts.models import Municipality, User
from coursehub.extensions import db
from coursehub.lib.database import lock_for_update
from coursehub.recruitment.errors import RecruitmentError
from coursehub.recruitment.models import (
    Answer,
    AssignmentKind,
    Case,
    CaseKind,
    Decision,
    Match,
    Offer,
    Placement,
    Proximity,
    Request,
    RequestStatus,
    Step,
)
from coursehub.recruitment.services import later_steps
from coursehub.recruitment.services.free_text import Findings, find_identifying

logger = logging.getLogger(__name__)

MAX_NEEDS = 2000
MAX_CHILD_AGE = 20
EARTH_RADIUS_KM = 6371.0


class IdentifyingTextError(RecruitmentError):
    """The request's free text looks like it names the child; the worker must confirm it does not."""

    def __init__(self, message: str, findings: Findings) -> None:
        super().__init__(message, field="needs")
        self.findings = findings


# -- distance ---------------------------------------------------------------------------------------


def distance_km(a: Municipality, b: Municipality) -> float | None:
    """Return the great-circle distance between two municipalities' reference points (haversine)."""
    if None in (a.latitude, a.longitude, b.latitude, b.longitude):
        return None
    lat1, lon1 = math.radians(float(a.latitude or 0)), math.radians(float(a.longitude or 0))
    lat2, lon2 = math.radians(float(b.latitude or 0)), math.radians(float(b.longitude or 0))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))


# -- requests ---------------------------------------------------------------------------------------


def _identifying_message(findings: Findings) -> str:
    parts = []
    if findings.identity_numbers:
        parts.append(_("personnummer (%(found)s)", found=", ".join(findings.identity_numbers)))
    if findings.names:
        parts.append(_("ord som kan vara namn (%(found)s)", found=", ".join(findings.names)))
    return str(
        _(
            "Texten ser ut att innehålla %(what)s. Skriv aldrig barnets namn eller personnummer. "
            "Ta bort det, eller kryssa i rutan nedan om det inte pekar ut barnet, och skicka igen.",
            what=_(" och ").join(parts),
        )
    )


def _place_names() -> list[str]:
    """Municipality names: a place named in the needs is no child's name."""
    return [name for (name,) in db.session.execute(select(Municipality.name))]


def _clean_needs(needs: str | None) -> str:
    text = unicodedata.normalize("NFC", needs or "").replace("\r\n", "\n").strip()
    if len(text) > MAX_NEEDS:
        raise RecruitmentError(_("Högst %(n)d tecken.", n=MAX_NEEDS), field="needs")
    return text


def send_request(
    *,
    municipality: Municipality,
    actor: User,
    child_age: int | None,
    needs: str,
    kind: str,
    wanted_start_on: date | None,
    proximity: str,
    confirmed_anonymous: bool,
    now: datetime,
) -> Request:
    """A municipal worker asks for a family for a child of `municipality` (the worker's own).

    Raises IdentifyingTextError when the needs look like they name the child and the worker has
    not confirmed that they do not; RecruitmentError (with its field) on any other bad input.
    """
    if child_age is None or not 0 <= child_age <= MAX_CHILD_AGE:
        raise RecruitmentError(_("Ange barnets ålder, 0–%(max)d år.", max=MAX_CHILD_AGE), field="child_age")
    if kind not in set(AssignmentKind):
        raise RecruitmentError(_("Välj typ av uppdrag."), field="kind")
    if proximity not in set(Proximity):
        raise RecruitmentError(_("Välj om en familj nära eller långt bort passar bäst."), field="proximity")
    if wanted_start_on is not None and wanted_start_on < now.date():
        raise RecruitmentError(_("Önskad start kan inte ligga bakåt i tiden."), field="wanted_start_on")
    text = _clean_needs(needs)
    findings = find_identifying(text, known_words=_place_names())
    if findings and not confirmed_anonymous:
        raise IdentifyingTextError(_identifying_message(findings), findings)
    request = Request(
        municipality_id=municipality.id,
        created_by_id=actor.id,
        child_age=child_age,
        needs=text,
        kind=AssignmentKind(kind),
        wanted_start_on=wanted_start_on,
        proximity=Proximity(proximity),
        status=RequestStatus.OPEN,
        created_at=now,
    )
    db.session.add(request)
    db.session.flush()
    audit.record(actor, "recruitment.request.send", obj=request, detail="warned" if findings else None)
    logger.info("request %s sent by municipality %s", request.id, municipality.id)
    return request


def close_request(request: Request, *, actor: User, now: datetime) -> Request:
    """Close an open request that needs no family any more (the worker's or staff's choice)."""
    if request.status != RequestStatus.OPEN:
        raise RecruitmentError(_("Förfrågan är redan avslutad."))
    request.status = RequestStatus.CLOSED
    request.closed_at = now
    db.session.flush()
    audit.record(actor, "recruitment.request.close", obj=request)
    logger.info("request %s closed", request.id)
    return request


# -- the families that fit ----------------------------------------------------------------------------


@dataclass
class Candidate:
    """An available family that fits a request, as staff see it when they choose whom to offer."""

    case: Case
    distance_km: float | None
    requester_id: int
    placements: list[Municipality] = field(default_factory=list)
    offer: Offer | None = None

    @property
    def placed_by_requester(self) -> bool:
        """Whether the family already has a placement from the requesting municipality."""
        return any(municipality.id == self.requester_id for municipality in self.placements)


def _fits(request: Request) -> tuple[ColumnElement[bool], ...]:
    return (
        Case.step == Step.AVAILABLE,
        Case.closed_at.is_(None),
        Case.withdrawn_at.is_(None),
        Case.min_child_age <= request.child_age,
        Case.max_child_age >= request.child_age,
        exists().where(CaseKind.case_id == Case.id, CaseKind.kind == request.kind),
    )


def fitting_families(request: Request, *, limit: int = 200) -> list[Candidate]:
    """Return the available families that fit `request`, nearest (or farthest) first.

    A family fits when it is available for matching, is open to the kind of assignment and to a
    child of the request's age. Each comes with its distance from the requesting municipality,
    its current placements (and so the municipalities that have them) and any offer already made
    for this request. Three queries, whatever the number of families.
    """
    cases = list(
        db.session.scalars(
            select(Case)
            .where(*_fits(request))
            .options(selectinload(Case.municipality), selectinload(Case.kinds))
            .order_by(Case.id)
            .limit(limit)
        )
    )
    ids = [case.id for case in cases] or [-1]
    placements: dict[int, list[Municipality]] = defaultdict(list)
    for placement in db.session.scalars(
        select(Placement)
        .where(Placement.case_id.in_(ids), Placement.ended_on.is_(None))
        .options(selectinload(Placement.municipality))
        .order_by(Placement.id)
    ):
        placements[placement.case_id].append(placement.municipality)
    offers = {
        offer.case_id: offer
        for offer in db.session.scalars(
            select(Offer).where(Offer.request_id == request.id, Offer.case_id.in_(ids))
        )
    }
    candidates = []
    for case in cases:
        distance = distance_km(case.municipality, request.municipality)
        candidates.append(
            Candidate(case, distance, request.municipality_id, placements[case.id], offers.get(case.id))
        )
    far_first = request.proximity == Proximity.FAR
    unknown = -1.0 if far_first else math.inf  # a family without coordinates goes last
    candidates.sort(
        key=lambda c: c.distance_km if c.distance_km is not None else unknown,
        reverse=far_first,
    )
    return candidates


# -- offers -------------------------------------------------------------------------------------------


def make_offer(request: Request, case: Case, *, actor: User, now: datetime) -> Offer:
    """Offer the family of `case` for `request`; both sides' answers start as "not yet"."""
    request = lock_for_update(Request, request.id)
    if request.status != RequestStatus.OPEN:
        raise RecruitmentError(_("Förfrågan är inte öppen längre."))
    fits = db.session.scalar(select(Case.id).where(Case.id == case.id, *_fits(request)))
    if fits is None:
        raise RecruitmentError(
            _("Familjen passar inte förfrågan längre (steg, typ av uppdrag eller barnets ålder).")
        )
    if db.session.scalar(select(Offer.id).where(Offer.request_id == request.id, Offer.case_id == case.id)):
        raise RecruitmentError(_("Familjen är redan erbjuden för den här förfrågan."))
    offer = Offer(case_id=case.id, request_id=request.id, offered_at=now, offered_by_id=actor.id)
    db.session.add(offer)
    db.session.flush()
    audit.record(actor, "recruitment.offer.make", obj=offer)
    logger.info("offer %s made: case %s for request %s", offer.id, case.id, request.id)
    return offer


SIDES = ("family", "municipality")


def answer_offer(offer: Offer, *, side: str, answer: str, actor: User, now: datetime) -> Offer:
    """Record the family's or the municipality's answer to an offer (staff record both)."""
    if side not in SIDES:
        raise RecruitmentError(_("Välj vems svar det är."), field="side")
    if answer not in (Answer.YES, Answer.NO):
        raise RecruitmentError(_("Välj ja eller nej."), field="answer")
    offer = lock_for_update(Offer, offer.id)
    if offer.request.status != RequestStatus.OPEN:
        raise RecruitmentError(_("Förfrågan är avslutad, och svaren kan inte ändras."))
    if side == "family":
        offer.family_answer = Answer(answer)
        offer.family_answered_at = now
    else:
        offer.municipality_answer = Answer(answer)
        offer.municipality_answered_at = now
    db.session.flush()
    audit.record(actor, "recruitment.offer.answer", obj=offer, detail=f"{side}:{answer}")
    logger.info("offer %s answered by the %s", offer.id, side)
    return offer


def may_match(offer: Offer) -> bool:
    """Whether both sides have said yes and the request is still open."""
    return (
        offer.family_answer == Answer.YES
        and offer.municipality_answer == Answer.YES
        and offer.request.status == RequestStatus.OPEN
    )


def record_match(offer: Offer, *, actor: User, now: datetime) -> Match:
    """Both sides said yes: hand the family to the requesting municipality."""
    request = lock_for_update(Request, offer.request_id)
    offer = lock_for_update(Offer, offer.id)
    if request.status != RequestStatus.OPEN:
        raise RecruitmentError(_("Förfrågan är inte öppen längre."))
    if offer.family_answer != Answer.YES or offer.municipality_answer != Answer.YES:
        raise RecruitmentError(_("Båda parter behöver ha svarat ja innan familjen kopplas."))
    case = offer.case
    if case.step != Step.AVAILABLE or not case.is_open:
        raise RecruitmentError(_("Familjen är inte tillgänglig för matchning längre."))
    match = Match(
        case_id=case.id,
        request_id=request.id,
        offer_id=offer.id,
        municipality_id=request.municipality_id,
        matched_at=now,
        matched_by_id=actor.id,
    )
    db.session.add(match)
    request.status = RequestStatus.MATCHED
    request.closed_at = now
    db.session.flush()
    later_steps.advance(case, Step.MATCHED, actor=actor, now=now)
    audit.record(actor, "recruitment.match.record", obj=match)
    logger.info("match %s: case %s with municipality %s", match.id, case.id, request.municipality_id)
    if current_app.config["COURSEHUB_RECRUITMENT_ENROL_ON"] == "match":
        from coursehub.recruitment.services import into_courses

        try:
            into_courses.bring_into_courses(case, municipality=request.municipality, actor=actor, now=now)
        except RecruitmentError as error:
            # Nothing of it was written (the adults are checked first); the match stands, and the
            # case's page offers staff to try again, where the reason is shown.
            logger.info("matched case %s not brought into the courses: %s", case.id, type(error).__name__)
    return match


# -- after the match: the municipality's assessment and its committee's decision ----------------------


def _outcome(value: str | None, field_name: str) -> Decision | None:
    if not value:
        return None
    if value not in set(Decision):
        raise RecruitmentError(_("Välj ett utfall bland alternativen."), field=field_name)
    return Decision(value)


def record_assessment(
    match: Match,
    *,
    started_on: date | None,
    decided_on: date | None,
    outcome: str | None,
    actor: User,
    now: datetime,
) -> Match:
    """Record the municipality's assessment: when it began, and when it ended with what outcome."""
    result = _outcome(outcome, "assessment_outcome")
    if started_on is None:
        raise RecruitmentError(_("Ange när utredningen började."), field="assessment_started_on")
    if (decided_on is None) != (result is None):
        raise RecruitmentError(
            _("Ange både datum och utfall när utredningen är klar, annars inget av dem."),
            field="assessment_outcome",
        )
    if decided_on is not None and decided_on < started_on:
        raise RecruitmentError(
            _("Utredningen kan inte bli klar innan den började."), field="assessment_decided_on"
        )
    if started_on < match.matched_at.date():
        raise RecruitmentError(
            _("Utredningen kan inte börja före kopplingen."), field="assessment_started_on"
        )
    match.assessment_started_on = started_on
    match.assessment_decided_on = decided_on
    match.assessment_outcome = result
    db.session.flush()
    if match.case.step == Step.MATCHED:
        later_steps.advance(match.case, Step.ASSESSMENT, actor=actor, now=now)
    audit.record(actor, "recruitment.match.assessment", obj=match)
    logger.info("assessment recorded match=%s", match.id)
    return match


def record_decision(
    match: Match, *, decided_on: date | None, outcome: str | None, actor: User, now: datetime
) -> Match:
    """Record the committee's decision (date and outcome), after the assessment was recorded."""
    result = _outcome(outcome, "decision_outcome")
    if decided_on is None or result is None:
        raise RecruitmentError(_("Ange både datum och beslut."), field="decision_outcome")
    if match.assessment_started_on is None:
        raise RecruitmentError(_("Registrera utredningen först."), field="decision_outcome")
    if decided_on < match.assessment_started_on:
        raise RecruitmentError(_("Beslutet kan inte komma före utredningen."), field="decision_on")
    match.decision_on = decided_on
    match.decision_outcome = result
    db.session.flush()
    later_steps.advance(match.case, Step.DECIDED, actor=actor, now=now)
    audit.record(actor, "recruitment.match.decision", obj=match)
    logger.info("decision recorded match=%s", match.id)
    return match
