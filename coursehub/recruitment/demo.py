"""Demo data of recruitment: the channels and basic requirements staff keep, three families'
interest registrations at different steps, and a request from Jönköping. Idempotent: what
exists is left as it is."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select

from coursehub.accounts.models import Municipality, User
from coursehub.clock import to_local
from coursehub.extensions import db
from coursehub.recruitment.models import (
    AssignmentKind,
    BasicRequirement,
    CaseAdult,
    Channel,
    ChecklistKind,
    Request,
    Step,
)
from coursehub.recruitment.services import cases, checks, matching, registration

CHANNELS = ["Sociala medier", "Annonser", "Informationskvällar", "Rekommendation från en familj"]
REQUIREMENTS = [
    "Familjen har tid och utrymme för ett barn till",
    "Ingen i hemmet röker inomhus",
    "Familjen kan samarbeta med barnets föräldrar och socialtjänsten",
]
# (first name, last name, e-mail, municipality code, kinds, ages from-to, channel, step reached)
FAMILIES = [
    (
        "Amina",
        "Hassan",
        "amina.hassan@hem.example",
        "0680",
        [AssignmentKind.LONG_TERM],
        (0, 6),
        0,
        Step.REGISTERED,
    ),
    (
        "Per",
        "Lindqvist",
        "per.lindqvist@hem.example",
        "0683",
        [AssignmentKind.EMERGENCY],
        (2, 12),
        2,
        Step.INTERVIEW,
    ),
    (
        "Karin",
        "Sjöberg",
        "karin.sjoberg@hem.example",
        "0617",
        [AssignmentKind.LONG_TERM],
        (5, 15),
        3,
        Step.CHECKS,
    ),
]


def seed(now: datetime) -> None:
    """Create what is missing of the demo recruitment."""
    staff = db.session.scalar(select(User).where(User.username == "sara.berg"))
    for name in CHANNELS:
        if db.session.scalar(select(Channel.id).where(Channel.name == name)) is None:
            cases.add_channel(name, actor=staff)
    known_requirements = set(db.session.scalars(select(BasicRequirement.text)))
    for text in REQUIREMENTS:
        if text not in known_requirements:
            cases.add_requirement(text, actor=staff)
    channels = list(db.session.scalars(select(Channel).order_by(Channel.position)))
    for first, last, email, code, kinds, (youngest, oldest), channel, step in FAMILIES:
        if db.session.scalar(select(CaseAdult.id).where(CaseAdult.email == email)) is not None:
            continue
        municipality = db.session.scalar(select(Municipality).where(Municipality.code == code))
        if municipality is None:
            continue
        form = registration.Registration(
            adults=[registration.NewAdult(first, last, email, "070-123 45 67")],
            street="Exempelgatan 1",
            postal_code="55111",
            city=municipality.name,
            municipality=municipality,
            children_ages=[9],
            other_household="",
            housing="Ett hus med ett eget rum för ett barn.",
            experience="Vi har egna barn och har varit kontaktfamilj.",
            kinds=kinds,
            min_child_age=youngest,
            max_child_age=oldest,
            channel=channels[channel] if channel < len(channels) else None,
            consent=True,
        )
        case = registration.receive_interest(form, now=now - timedelta(days=3))
        if case is None or step == Step.REGISTERED:
            continue
        cases.assign_case(case, staff, actor=staff)
        cases.move_case(case, Step.INTERVIEW, actor=staff, now=now)
        if step == Step.CHECKS:
            checks.record_checklist_entry(
                case, ChecklistKind.INTERVIEW, done_on=to_local(now).date(), actor=staff, now=now, go_on=True
            )
            cases.move_case(case, Step.CHECKS, actor=staff, now=now)
    _seed_request(now)
    db.session.flush()


def _seed_request(now: datetime) -> None:
    worker = db.session.scalar(select(User).where(User.username == "maria.ek"))
    if worker is None or worker.municipality is None:
        return
    if db.session.scalar(select(Request.id).where(Request.municipality_id == worker.municipality_id)):
        return
    matching.send_request(
        municipality=worker.municipality,
        actor=worker,
        child_age=8,
        needs="Behöver ett lugnt hem nära skolan och tycker om att rita och spela fotboll.",
        kind=AssignmentKind.LONG_TERM.value,
        wanted_start_on=None,
        proximity="near",
        confirmed_anonymous=True,
        now=now,
    )
