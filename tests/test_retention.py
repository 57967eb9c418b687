"""Retention (issue 23, point 3): the figures of past half-years stay the same, the personal data go.

The history below spans four half-years (spring 2025 to autumn 2026) in two municipalities: interest
registrations that were closed, withdrawn or went on to a match; course runs with confirmed,
cancelled and declined sign-ups and attendance; network meetings; a course evaluation; mail; audit
rows; a self-registered household nobody confirmed. Every retention job then runs with the clock
twelve years ahead, so that everything ended is past its period, and the figures are read again.
"""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import func, select

from coursehub.accounts.models import AuditEntry, Household, Municipality, Role, User
from coursehub.attendance.models import AttendanceMark, AttendanceStatus
from coursehub.attendance.queries.reports import DIMENSIONS, attendance_rates
from coursehub.db import Base
from coursehub.enrollment.models import Enrollment, EnrollmentStatus
from coursehub.enrollment.queries import term_participation
from coursehub.evaluations.queries_results import terms_figures
from coursehub.extensions import db
from coursehub.forum import meetings
from coursehub.lib.terms import Half, Term
from coursehub.notifications.models import OutboxMessage
from coursehub.notifications.scheduler import job_specs
from coursehub.recruitment.models import (
    Case,
    CaseAdult,
    CaseChild,
    ChecklistEntry,
    ChecklistKind,
    CheckOutcome,
    Match,
    Note,
    Offer,
    Presentation,
    PresentationVersion,
    Register,
    RegisterCheck,
    Request,
    RequestStatus,
    Step,
    StepChange,
)
from coursehub.recruitment.queries_figures import figures, terms_between
from coursehub.reports.periods import Period, half_year, half_years_between
from coursehub.reports.report import build_report
from coursehub.reports.scope import Scope, parse_scope
from tests.evaluations import results_data
from tests.factories import (
    CourseRunFactory,
    EnrollmentFactory,
    HouseholdFactory,
    MunicipalityFactory,
    UserFactory,
)
from tests.forum.docs_support import member
from tests.forum.test_documents import user_network
from tests.recruitment.factories import CaseFactory, ChannelFactory

TODAY = datetime(2026, 12, 1, 10, 0, tzinfo=UTC)
FAR_AHEAD = TODAY + timedelta(days=12 * 365)
FIRST, LAST = Term(2025, Half.SPRING), Term(2026, Half.AUTUMN)
R, IV, P, AV, M = Step.REGISTERED, Step.INTERVIEW, Step.PRESENTATION, Step.AVAILABLE, Step.MATCHED

# What retention must remove: the family of each ended case, and the unconfirmed household.
ENDED_FAMILY = ("Retentia", "Ettan", "ettan@hem.test", "070-111 22 33", "Gallringsvägen 5", "198001011234")
WITHDRAWN_FAMILY = ("Viktor", "Tvåan", "tvaan@hem.test", "070-222 33 44", "Återtagsgatan 2")
LATE_FAMILY = ("Sena", "Fyran", "fyran@hem.test", "Dröjsmålsvägen 4")
UNCONFIRMED = ("Ulla Obekräftad", "ulla@obekraftad.test", "Familjen Obekräftad")
# What it must leave: the family of the case that is still open (matched).
OPEN_FAMILY = ("Öppen", "Trean", "trean@hem.test")
# What municipalities wrote about the child in their requests (one matched, one closed).
REQUEST_NEEDS = (
    "Barnet behöver en lugn familj nära skolan i B-by",
    "Syskonen vill bo tillsammans och har kontakt med sin mormor",
)


def at(year: int, month: int, day: int) -> datetime:
    return datetime(year, month, day, 10, 0, tzinfo=UTC)


def _report_figures(first: Term, last: Term, *, now: datetime) -> dict[str, Any]:
    """Every figure of the half-years `first`..`last` that the steering group reads, as plain values.

    The steering group's report (coursehub.reports, issue 22) for the county and each municipality
    over the same half-years, and beside it the areas' own figure pages, which staff read too.
    """
    terms = terms_between(first, last)
    periods = half_years_between(_period(first), _period(last))
    places = [
        "lan",
        *(f"kommun-{n}" for n in db.session.scalars(select(Municipality.id).order_by(Municipality.id))),
    ]
    return _plain(
        {
            "report": {key: build_report(_known(parse_scope(key)), periods, now).sections for key in places},
            "recruitment": [figures(term, term, now=now) for term in terms],
            "recruitment_range": figures(first, last, now=now),
            "participants": [term_participation(term, per_page=500).page.items for term in terms],
            "participant_totals": [term_participation(term).totals for term in terms],
            "attendance": {
                dimension: attendance_rates(dimension, per_page=500).items for dimension in DIMENSIONS
            },
            "evaluations": terms_figures(now=now),
        }
    )


def _period(term: Term) -> Period:
    return half_year(term.year, 1 if term.half == Half.SPRING else 2)


def _known(place: Scope | None) -> Scope:
    assert place is not None
    return place


def _plain(value: Any) -> Any:
    """Dataclasses as dicts, all the way down, so that two readings compare with ==."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, dict):
        return {str(key): _plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    return value


def _case(municipality, registered, *, adults, moves=(), contact=None, children=(), **kwargs) -> Case:
    case = CaseFactory(
        municipality=municipality,
        registered_at=registered,
        step_changed_at=registered,
        first_contact_due_on=(registered + timedelta(days=14)).date(),
        first_contact_at=contact,
        adults=adults,
        children=[CaseChild(position=n, age=age) for n, age in enumerate(children, start=1)],
        **kwargs,
    )
    previous = None
    for step, moment in [(R, registered), *moves]:
        db.session.add(StepChange(case_id=case.id, from_step=previous, to_step=step, at=moment))
        previous = step
    if moves:
        case.step, case.step_changed_at = moves[-1][0], moves[-1][1]
    db.session.flush()
    return case


def _recruitment(a, b) -> dict[str, int]:
    social, ads = ChannelFactory(name="Sociala medier"), ChannelFactory(name="Annonser")
    first, last, email, phone, street, pnr = ENDED_FAMILY
    # Spring 2025: interviewed, then closed; notes, a child, checks and a presentation draft.
    ended = _case(
        a,
        at(2025, 2, 10),
        contact=at(2025, 2, 12),
        moves=[(IV, at(2025, 2, 12))],
        channel=social,
        street=street,
        housing="Villa med trädgård, fyra rum",
        experience="Retentia har arbetat som förskollärare",
        adults=[CaseAdult(first_name=first, last_name=last, email=email, phone=phone, identity_number=pnr)],
        children=[16],
        closed_at=at(2025, 5, 1),
        close_reason="Familjen Ettan flyttar utomlands",
    )
    adult, child = ended.adults[0], ended.children[0]
    db.session.add_all(
        [
            Note(case_id=ended.id, body="Retentia Ettan berättade om sin uppväxt", created_at=at(2025, 3, 1)),
            ChecklistEntry(
                case_id=ended.id,
                kind=ChecklistKind.INTERVIEW,
                adult_id=adult.id,
                done_on=date(2025, 2, 12),
                go_on=True,
                summary="Samtal med Retentia hemma",
            ),
            ChecklistEntry(
                case_id=ended.id,
                kind=ChecklistKind.REFERENCE,
                done_on=date(2025, 3, 10),
                reference_name="Rune Referensson",
                reference_relation="Granne",
                summary="Rune talar väl om Ettans",
            ),
            RegisterCheck(
                case_id=ended.id,
                adult_id=adult.id,
                register=Register.CRIMINAL_RECORD,
                checked_on=date(2025, 3, 2),
                outcome=CheckOutcome.NO_REMARK,
            ),
            RegisterCheck(
                case_id=ended.id,
                child_id=child.id,
                register=Register.SOCIAL_SERVICES,
                checked_on=date(2025, 3, 2),
                outcome=CheckOutcome.NO_REMARK,
            ),
        ]
    )
    presentation = Presentation(case_id=ended.id, approval_token_hash="a" * 64, sent_at=at(2025, 4, 1))
    presentation.versions.append(PresentationVersion(number=1, text="Familjen Ettan är varm och trygg"))
    db.session.add(presentation)
    # Autumn 2025: one withdrew within days; one went on to a match (still open).
    first, last, email, phone, street = WITHDRAWN_FAMILY
    _case(
        b,
        at(2025, 9, 1),
        channel=ads,
        street=street,
        adults=[CaseAdult(first_name=first, last_name=last, email=email, phone=phone)],
        withdrawn_at=at(2025, 9, 5),
    )
    first, last, email = OPEN_FAMILY
    going_on = _case(
        a,
        at(2025, 10, 1),
        contact=at(2025, 10, 3),
        moves=[(IV, at(2025, 10, 3)), (P, at(2026, 2, 1)), (AV, at(2026, 3, 1)), (M, at(2026, 4, 1))],
        channel=social,
        adults=[CaseAdult(first_name=first, last_name=last, email=email, phone="070-333 44 55")],
    )
    # Spring 2026: contacted late, then closed.
    first, last, email, street = LATE_FAMILY
    _case(
        b,
        at(2026, 3, 1),
        contact=at(2026, 3, 30),
        moves=[(IV, at(2026, 3, 30))],
        street=street,
        adults=[CaseAdult(first_name=first, last_name=last, email=email, phone="070-444 55 66")],
        closed_at=at(2026, 5, 1),
        close_reason="Sena Fyran ville vänta",
    )
    matched_needs, closed_needs = REQUEST_NEEDS
    request = Request(
        municipality_id=b.id,
        child_age=6,
        kind="long_term",
        needs=matched_needs,
        created_at=at(2026, 2, 15),
        status=RequestStatus.MATCHED,
        closed_at=at(2026, 4, 1),
    )
    # Autumn 2025: a request the municipality closed itself (no family was needed any more).
    closed = Request(
        municipality_id=a.id,
        child_age=9,
        kind="short_term",
        needs=closed_needs,
        created_at=at(2025, 10, 20),
        status=RequestStatus.CLOSED,
        closed_at=at(2025, 11, 3),
    )
    db.session.add_all([request, closed])
    db.session.flush()
    offer = Offer(case_id=going_on.id, request_id=request.id, offered_at=at(2026, 3, 15))
    db.session.add(offer)
    db.session.flush()
    db.session.add(
        Match(
            case_id=going_on.id,
            request_id=request.id,
            offer_id=offer.id,
            municipality_id=b.id,
            matched_at=at(2026, 4, 1),
        )
    )
    db.session.flush()
    return {"ended": ended.id, "going_on": going_on.id}


def _family(municipality):
    household = HouseholdFactory(municipality=municipality)
    return household, UserFactory(household=household, roles=[Role.FAMILY])


def _mark(session, user, status=AttendanceStatus.PRESENT) -> None:
    db.session.add(
        AttendanceMark(session=session, user_id=user.id, status=status, recorded_at=session.starts_at)
    )


def _courses(a, b) -> dict[str, list[int]]:
    """Two runs (autumn 2025, spring 2026): confirmed, cancelled and declined sign-ups, attendance."""
    autumn = CourseRunFactory(sessions__start=at(2025, 9, 15))
    spring = CourseRunFactory(sessions__start=at(2026, 3, 10))
    (ha, anna), (hb, bo), (hc, cilla), (hd, _dan) = (_family(m) for m in (a, b, a, b))
    EnrollmentFactory(run=autumn, household=ha, persons=[anna])
    EnrollmentFactory(run=autumn, household=hb, persons=[bo])
    EnrollmentFactory(run=spring, household=ha, persons=[anna])
    # Cilla came once, then cancelled; her mark still counts in the attendance.
    ended = [
        EnrollmentFactory(
            run=autumn,
            household=hc,
            persons=[cilla],
            status=EnrollmentStatus.CANCELLED,
            confirmed_at=at(2025, 9, 1),
            cancelled_at=at(2025, 9, 20),
            cancel_reason="Cilla blev sjuk",
        ),
        EnrollmentFactory(
            run=autumn,
            household=hd,
            status=EnrollmentStatus.DECLINED,
            confirmed_at=None,
            decided_at=at(2025, 8, 30),
        ),
        EnrollmentFactory(
            run=spring,
            household=hb,
            persons=[bo],
            status=EnrollmentStatus.DECLINED,
            confirmed_at=None,
            decided_at=at(2026, 2, 1),
        ),
    ]
    for session in autumn.sessions:
        _mark(session, anna)
        _mark(session, bo, AttendanceStatus.ABSENT)
    _mark(autumn.sessions[0], cilla)
    _mark(spring.sessions[0], anna, AttendanceStatus.EXCUSED)
    # A course evaluation of the autumn run: five answers (the threshold), shown in the figures.
    found = results_data.evaluation(results_data.course_form(), run=autumn)
    results_data.answer_course(found, [5, 5, 4, 3, 5])
    db.session.flush()
    return {"ended": [e.id for e in ended], "kept": [anna.id, bo.id, cilla.id]}


def _meetings() -> None:
    moderator = member(moderator=True)
    network = user_network(moderator)
    others = [member(network) for _ in range(2)]
    for starts_at, online in ((at(2025, 10, 1), False), (at(2026, 3, 1), True)):
        meeting = meetings.create_meeting(
            network,
            starts_at=starts_at,
            place="" if online else "Kommunhuset",
            online_url="https://möte.example.se/1" if online else "",
            agenda="1. Inledning",
            actor=moderator,
            now=starts_at - timedelta(days=20),
        )
        meetings.record_meeting(
            meeting,
            minutes_document_id=None,
            attendee_ids=[u.id for u in others],
            actor=moderator,
            now=starts_at,
        )


def _unconfirmed(a) -> int:
    name, email, household_name = UNCONFIRMED
    household = HouseholdFactory(
        municipality=a, name=household_name, is_confirmed=False, created_at=at(2026, 10, 1)
    )
    UserFactory(household=household, full_name=name, email=email, roles=[Role.FAMILY], password_hash=None)
    return household.id


def _mail() -> None:
    db.session.add_all(
        [
            OutboxMessage(
                dedupe_key="retention:sent",
                recipient="ettan@hem.test",
                subject="Tack för er intresseanmälan",
                body_text="Hej Retentia Ettan! Vi har tagit emot er anmälan från Gallringsvägen 5.",
                body_html="<p>Hej Retentia Ettan!</p>",
                calendar_ics=b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n",
                calendar_method="REQUEST",
                headers={"List-Unsubscribe": "<https://kurser.example.se/avregistrera/hemlig>"},
                created_at=at(2025, 2, 10),
                sent_at=at(2025, 2, 10),
            ),
            # The unconfirmed household's invitation, never delivered (no mail server then).
            OutboxMessage(
                dedupe_key="retention:invitation",
                recipient="ulla@obekraftad.test",
                subject="Välj ditt lösenord",
                body_text="Hej Ulla Obekräftad! Välj ditt lösenord för Familjen Obekräftad.",
                created_at=at(2026, 10, 1),
                next_attempt_at=at(2026, 10, 1),
            ),
            OutboxMessage(
                dedupe_key="retention:failed",
                recipient="trean@hem.test",
                subject="Välkommen",
                body_text="Hej Öppen Trean!",
                created_at=at(2026, 11, 30),
                next_attempt_at=at(2026, 12, 1),
            ),
        ]
    )
    db.session.add(
        AuditEntry(at=at(2025, 3, 1), action="recruitment.case.read", object_type="recruitment_cases")
    )
    db.session.flush()


@pytest.fixture
def history(app, clock):
    clock.set(TODAY)
    a, b = MunicipalityFactory(name="A-stad"), MunicipalityFactory(name="B-by")
    ids: dict[str, Any] = {"cases": _recruitment(a, b), "courses": _courses(a, b)}
    _meetings()
    ids["unconfirmed"] = _unconfirmed(a)
    _mail()
    db.session.commit()
    return ids


def _retention_jobs(app):
    specs = [spec for spec in job_specs(app) if spec.name.startswith("retention_")]
    assert {spec.name for spec in specs} == {
        "retention_cases",
        "retention_requests",
        "retention_ended_signups",
        "retention_unconfirmed_households",
        "retention_mail_bodies",
        "retention_audit",
    }
    return specs


def _texts(prefixes: tuple[str, ...]) -> str:
    """Every text value of every table whose name starts with one of `prefixes`, joined."""
    found = []
    for table in Base.metadata.sorted_tables:
        if not table.name.startswith(prefixes):
            continue
        columns = [c for c in table.columns if c.type.python_type in (str, bytes) if _has_python_type(c)]
        for row in db.session.execute(select(*columns)) if columns else ():
            found.extend(v.decode(errors="replace") if isinstance(v, bytes) else str(v) for v in row if v)
    return "\n".join(found)


def _has_python_type(column) -> bool:
    try:
        column.type.python_type  # noqa: B018 - JSON and other types without one are left out
    except NotImplementedError:
        return False
    return True


def test_retention_keeps_every_figure_of_past_half_years_and_removes_the_personal_data(app, clock, history):
    before = _report_figures(FIRST, LAST, now=TODAY)
    # The figures are about something: a comparison of empty figures would prove nothing.
    assert [t["registrations"] for r in before["recruitment"] for t in r["terms"]] == [1, 2, 1, 0]
    assert sum(row["persons"] for rows in before["participants"] for row in rows) == 3
    assert before["attendance"]["municipality"] and before["evaluations"]
    county = {
        figure["key"]: figure["rows"][0]["values"]
        for section in before["report"]["lan"]
        for figure in section["figures"]
    }
    assert county["registrations"] == [1, 2, 1, 0]
    # Requests count by when they were sent: the closed one in autumn 2025, the matched in spring 2026.
    assert county["requests"] == [0, 1, 1, 0]
    assert [t["requests"] for r in before["recruitment"] for t in r["terms"]] == [0, 1, 1, 0]
    assert any(county["network_meetings"])

    audit_rows = db.session.scalar(select(func.count()).select_from(AuditEntry))
    clock.set(FAR_AHEAD)
    done = {spec.name: spec.func(FAR_AHEAD) for spec in _retention_jobs(app)}
    db.session.commit()
    assert done == {
        "retention_cases": 3,  # the closed, the withdrawn and the late one; not the matched
        "retention_requests": 2,  # the matched and the closed request lose their free text
        "retention_ended_signups": 3,
        "retention_unconfirmed_households": 1,
        "retention_mail_bodies": 1,
        "retention_audit": audit_rows,  # every row of the history is more than ten years old now
    }
    # Run again: nothing left to do.
    assert {spec.name: spec.func(FAR_AHEAD) for spec in _retention_jobs(app)} == dict.fromkeys(done, 0)
    db.session.commit()

    db.session.expire_all()
    assert _report_figures(FIRST, LAST, now=TODAY) == before

    recruitment = _texts(("recruitment_",))
    for gone in (
        *ENDED_FAMILY,
        *WITHDRAWN_FAMILY,
        *LATE_FAMILY,
        "Rune",
        "flyttar",
        "varm och trygg",
        "Villa",
        *REQUEST_NEEDS,
    ):
        assert gone not in recruitment, gone
    for kept in OPEN_FAMILY:  # an open case is not touched
        assert kept in recruitment
    requests = db.session.scalars(select(Request).order_by(Request.created_at)).all()
    # What the figures count stays: who asked, when, for what kind of assignment, and how it ended.
    assert [(r.status, r.closed_at, r.kind, r.child_age, r.needs) for r in requests] == [
        (RequestStatus.CLOSED, at(2025, 11, 3), "short_term", 9, ""),
        (RequestStatus.MATCHED, at(2026, 4, 1), "long_term", 6, ""),
    ]
    ended = db.session.get(Case, history["cases"]["ended"])
    assert ended.anonymised_at == FAR_AHEAD and ended.closed_at == at(2025, 5, 1)
    assert not ended.adults and not ended.children and ended.street == ""
    assert [
        e.done_on for e in db.session.scalars(select(ChecklistEntry).order_by(ChecklistEntry.done_on))
    ] == [
        date(2025, 2, 12),
        date(2025, 3, 10),
    ]

    people = _texts(("users", "households", "enrollments", "enrollment_persons", "account_tokens"))
    for gone in (*UNCONFIRMED, "Cilla blev sjuk"):
        assert gone not in people, gone
    assert db.session.get(Household, history["unconfirmed"]) is None
    assert not db.session.scalars(
        select(Enrollment).where(Enrollment.id.in_(history["courses"]["ended"]))
    ).all()
    # The families who took part are still there: their accounts are no retention's business.
    assert (
        db.session.scalar(
            select(func.count()).select_from(User).where(User.id.in_(history["courses"]["kept"]))
        )
        == 3
    )

    sent = db.session.scalars(select(OutboxMessage).where(OutboxMessage.dedupe_key == "retention:sent")).one()
    assert (sent.recipient, sent.subject, sent.sent_at) == (
        "ettan@hem.test",
        "Tack för er intresseanmälan",
        at(2025, 2, 10),
    )
    assert (sent.body_text, sent.body_html, sent.calendar_ics, sent.headers) == ("", None, None, None)
    # The unconfirmed adult was erased through every area: the mail to them is empty and given up.
    outbox = _texts(("outbox_messages",))
    assert not [text for text in UNCONFIRMED if text in outbox]
    waiting = db.session.scalars(
        select(OutboxMessage).where(OutboxMessage.dedupe_key == "retention:failed")
    ).one()
    assert waiting.body_text == "Hej Öppen Trean!"  # not sent: not the delivery record yet
    assert (
        db.session.scalar(select(func.count()).select_from(AuditEntry).where(AuditEntry.at < at(2026, 1, 1)))
        == 0
    )
