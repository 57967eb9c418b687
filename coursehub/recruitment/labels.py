"""The Swedish names of recruitment's steps and choices, shown on pages and in exports."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from coursehub.recruitment.models import (
    Answer,
    AssignmentKind,
    CheckOutcome,
    Decision,
    Proximity,
    Register,
    RequirementOutcome,
    Step,
)

STEP_LABELS = {
    Step.REGISTERED: _l("Intresseanmälan"),
    Step.INTERVIEW: _l("Telefonintervju"),
    Step.CHECKS: _l("Registerkontroller och BRA-fam"),
    Step.HOME_VISIT: _l("Hembesök"),
    Step.REFERENCES: _l("Referenser"),
    Step.PRESENTATION: _l("Presentation"),
    Step.AVAILABLE: _l("Tillgänglig"),
    Step.MATCHED: _l("Kopplad"),
    Step.ASSESSMENT: _l("Kommunens utredning"),
    Step.DECIDED: _l("Nämndens beslut"),
}

KIND_LABELS = {
    AssignmentKind.LONG_TERM: _l("Familjehem, längre placering"),
    AssignmentKind.SHORT_TERM: _l("Familjehem, kortare placering"),
    AssignmentKind.EMERGENCY: _l("Jourhem"),
    AssignmentKind.CONTACT: _l("Kontaktfamilj"),
}

REGISTER_LABELS = {
    Register.CRIMINAL_RECORD: _l("Belastningsregistret (polisen)"),
    Register.SOCIAL_SERVICES: _l("Socialtjänstens register"),
    Register.ENFORCEMENT: _l("Kronofogden"),
    Register.SOCIAL_INSURANCE: _l("Försäkringskassan"),
}

CHECK_OUTCOME_LABELS = {
    CheckOutcome.NO_REMARK: _l("Ingen anmärkning"),
    CheckOutcome.REMARK_DISCUSSED: _l("Anmärkning, diskuterad"),
    CheckOutcome.OBSTACLE: _l("Hinder"),
}

REQUIREMENT_OUTCOME_LABELS = {
    RequirementOutcome.MET: _l("Uppfyllt"),
    RequirementOutcome.NOT_MET: _l("Inte uppfyllt"),
    RequirementOutcome.UNCLEAR: _l("Oklart"),
}

PROXIMITY_LABELS = {
    Proximity.NEAR: _l("Nära barnets kommun"),
    Proximity.FAR: _l("Långt från barnets kommun"),
    Proximity.EITHER: _l("Spelar ingen roll"),
}

ANSWER_LABELS = {
    Answer.PENDING: _l("Inget svar ännu"),
    Answer.YES: _l("Ja"),
    Answer.NO: _l("Nej"),
}

DECISION_LABELS = {
    Decision.APPROVED: _l("Godkänd"),
    Decision.NOT_APPROVED: _l("Inte godkänd"),
}
