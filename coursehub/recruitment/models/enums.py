"""The states and choices of recruitment, stored by value (CONVENTIONS.md 7)."""

from __future__ import annotations

import enum


class Step(enum.StrEnum):
    """Where a case is in the resource's process (DOMAIN.md, Recruitment), in order."""

    REGISTERED = "registered"
    INTERVIEW = "interview"
    CHECKS = "checks"
    HOME_VISIT = "home_visit"
    REFERENCES = "references"
    PRESENTATION = "presentation"
    AVAILABLE = "available"
    MATCHED = "matched"
    ASSESSMENT = "assessment"
    DECIDED = "decided"

    @property
    def number(self) -> int:
        """The step's place in the process, from 1."""
        return list(Step).index(self) + 1


class AssignmentKind(enum.StrEnum):
    """The kinds of assignment a family can be open to, and a request asks for."""

    LONG_TERM = "long_term"
    SHORT_TERM = "short_term"
    EMERGENCY = "emergency"
    CONTACT = "contact"


class ChecklistKind(enum.StrEnum):
    """The items of the per-step checklist that are not register checks."""

    INTERVIEW = "interview"
    QUESTIONNAIRE = "questionnaire"
    HOME_VISIT = "home_visit"
    REFERENCE = "reference"


class Register(enum.StrEnum):
    """The registers checked for each adult, and each child above the check age."""

    CRIMINAL_RECORD = "criminal_record"
    SOCIAL_SERVICES = "social_services"
    ENFORCEMENT = "enforcement"
    SOCIAL_INSURANCE = "social_insurance"


class CheckOutcome(enum.StrEnum):
    """What a register check found: never the document, only this."""

    NO_REMARK = "no_remark"
    REMARK_DISCUSSED = "remark_discussed"
    OBSTACLE = "obstacle"


class RequirementOutcome(enum.StrEnum):
    """Whether the family meets one of the resource's basic requirements."""

    MET = "met"
    NOT_MET = "not_met"
    UNCLEAR = "unclear"


class Proximity(enum.StrEnum):
    """Whether a request would rather have a family near the child's municipality, or far."""

    NEAR = "near"
    FAR = "far"
    EITHER = "either"


class RequestStatus(enum.StrEnum):
    OPEN = "open"
    MATCHED = "matched"
    CLOSED = "closed"


class Answer(enum.StrEnum):
    """One side's answer to an offer."""

    PENDING = "pending"
    YES = "yes"
    NO = "no"


class Decision(enum.StrEnum):
    """The outcome of the municipality's assessment or its committee's decision."""

    APPROVED = "approved"
    NOT_APPROVED = "not_approved"
