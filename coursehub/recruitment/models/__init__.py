"""The tables of recruitment: cases and their data, presentations, requests, offers and matches.

Split in modules by subject (`cases`, `matching`, `enums`); import the names from here.
"""

from coursehub.recruitment.models.cases import (
    BasicRequirement,
    Case,
    CaseAdult,
    CaseChild,
    CaseKind,
    CaseRequirement,
    Channel,
    ChecklistEntry,
    Note,
    Placement,
    RegisterCheck,
    StepChange,
)
from coursehub.recruitment.models.enums import (
    Answer,
    AssignmentKind,
    ChecklistKind,
    CheckOutcome,
    Decision,
    Proximity,
    Register,
    RequestStatus,
    RequirementOutcome,
    Step,
)
from coursehub.recruitment.models.matching import Match, Offer, Presentation, PresentationVersion, Request

__all__ = [
    "Answer",
    "AssignmentKind",
    "BasicRequirement",
    "Case",
    "CaseAdult",
    "CaseChild",
    "CaseKind",
    "CaseRequirement",
    "Channel",
    "CheckOutcome",
    "ChecklistEntry",
    "ChecklistKind",
    "Decision",
    "Match",
    "Note",
    "Offer",
    "Placement",
    "Presentation",
    "PresentationVersion",
    "Proximity",
    "Register",
    "RegisterCheck",
    "Request",
    "RequestStatus",
    "RequirementOutcome",
    "Step",
    "StepChange",
]
