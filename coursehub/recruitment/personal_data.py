"""Recruitment's part of a person's data: their interest registrations and the case's course.

A person's cases are those where they are one of the registered adults (by e-mail address) and
the case their household came from.

What the export shows (the rule): the data the family gave in its own registration — the adults
as registered (the person's own identity number, not a co-applicant's), the address, housing,
experience, others in the home, the children's ages, the kinds of assignment, the consent given —
and the course of the case: the step it is in, the dates of each step change, of first contact,
of withdrawal and of closing. Not what staff recorded in their work: notes, the interview and
home-visit summaries, references, register checks and their outcomes, requirement assessments,
presentations, offers and matches. Those are staff's internal working material and assessments,
for which a request goes through the case officer (the law's exceptions are weighed per case).

Erasure: the person's own adult row loses name, e-mail, phone and identity number. When no adult
of the case is left (or the person was the household's last adult), the case loses its address,
free text, the children's identity numbers and the withdrawal link; its notes go, and the
summaries, references and presentation texts are emptied. The case keeps its step, dates,
municipality, channel, kinds and the outcomes of checks and matches, which figures count.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import selectinload
from sqlalchemy.orm.interfaces import ORMOption

from coursehub.extensions import db
from coursehub.lib.personal_data import ERASED_DOMAIN, ErasureContext, Person, Provider, Rows, row
from coursehub.lib.sqlfind import among
from coursehub.recruitment.models import (
    Case,
    CaseAdult,
    ChecklistEntry,
    Note,
    Presentation,
    PresentationVersion,
)
from coursehub.recruitment.models.households import CaseHousehold


def _cases(person: Person, *options: ORMOption) -> list[Case]:
    # Both ways' ids first, then the cases by their key: `IN (…) OR IN (…)` read every case.
    ids = [sa.select(CaseAdult.case_id).where(CaseAdult.email == person.email.lower())]
    if person.household_id is not None:
        ids.append(sa.select(CaseHousehold.case_id).where(CaseHousehold.household_id == person.household_id))
    stmt = sa.select(Case).where(among(Case.id, sa.union(*ids))).order_by(Case.id).options(*options)
    return list(db.session.scalars(stmt))


def export(person: Person) -> Rows:
    """Return the person's own registrations and the dates of each case's course (see the rule)."""
    cases = _cases(
        person,
        selectinload(Case.municipality),
        selectinload(Case.children),
        selectinload(Case.kinds),
        selectinload(Case.adults),
        selectinload(Case.history),
    )
    own_email = person.email.lower()
    return {
        "Intresseanmälningar": [
            row(
                {
                    "Ärende": case.reference,
                    "Registrerad": case.registered_at,
                    "Kommun": case.municipality.name,
                    "Gatuadress": case.street,
                    "Postnummer": case.postal_code,
                    "Ort": case.city,
                    "Boende": case.housing,
                    "Erfarenhet": case.experience,
                    "Andra i hemmet": case.other_household,
                    "Barnens ålder": ", ".join(str(child.age) for child in case.children),
                    "Barn i åldern": f"{case.min_child_age}–{case.max_child_age}",
                    "Uppdrag": ", ".join(sorted(kind.kind.value for kind in case.kinds)),
                    "Samtycke lämnat": case.consent_at,
                    "Samtyckets version": case.consent_version,
                    "Steg": case.step,
                    "Första kontakt": case.first_contact_at,
                    "Återkallad": case.withdrawn_at,
                    "Avslutad": case.closed_at,
                }
            )
            for case in cases
        ],
        "Vuxna i anmälningarna": [
            row(
                {
                    "Ärende": case.reference,
                    "Namn": adult.full_name,
                    "E-postadress": adult.email,
                    "Telefon": adult.phone,
                    "Personnummer": adult.identity_number if adult.email == own_email else None,
                }
            )
            for case in cases
            for adult in case.adults
        ],
        "Ärendets steg": [
            row(
                {
                    "Ärende": case.reference,
                    "Från": change.from_step,
                    "Till": change.to_step,
                    "Datum": change.at,
                }
            )
            for case in cases
            for change in case.history
        ],
    }


def erase(person: Person, context: ErasureContext) -> None:
    """Anonymise the person's adult rows, and a case with no adult left (see the module's rule)."""
    own_email = person.email.lower()
    for case in _cases(person):
        for adult in case.adults:
            if adult.email == own_email:
                adult.first_name, adult.last_name = "Borttagen", "person"
                adult.email = f"borttagen-vuxen-{adult.id}{ERASED_DOMAIN}"
                adult.phone = ""
                adult.identity_number = None
        if context.whole_household or all(adult.email.endswith(ERASED_DOMAIN) for adult in case.adults):
            _erase_case(case)
    db.session.flush()


def _erase_case(case: Case) -> None:
    case.street, case.postal_code, case.city = "", "", ""
    case.housing, case.experience, case.other_household = "", "", ""
    case.close_reason = None
    case.withdraw_token_hash = None
    for child in case.children:
        child.identity_number = None
    db.session.execute(sa.delete(Note).where(Note.case_id == case.id))
    db.session.execute(
        sa.update(ChecklistEntry)
        .where(ChecklistEntry.case_id == case.id)
        .values(summary="", reference_name=None, reference_relation=None)
    )
    presentations = sa.select(Presentation.id).where(Presentation.case_id == case.id)
    db.session.execute(
        sa.update(PresentationVersion)
        .where(PresentationVersion.presentation_id.in_(presentations))
        .values(text="")
    )


provider = Provider(
    area="recruitment",
    tables=(
        "recruitment_adults",
        "recruitment_case_households",
        "recruitment_cases",
        "recruitment_step_changes",
        "recruitment_notes",
        "recruitment_checklist_entries",
        "recruitment_presentation_versions",
    ),
    export=export,
    erase=erase,
)
