"""A person's own data: the export through every area, and erasure on request (issue 23).

The world: Anna Ekblad, the one adult of her family, signed up to a course, marked present with a
remark, with a notice of absence, a certificate, a forum thread, an interest registration with
her address and a staff note, and mail to her and to staff naming her.
"""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
import sqlalchemy as sa

from coursehub.accounts import privacy, services
from coursehub.accounts.errors import AccountError, LoginFailedError
from coursehub.accounts.models import AuditEntry, Role
from coursehub.attendance.models import AbsenceNotice, Certificate
from coursehub.attendance.queries.reports import DIMENSIONS, attendance_rates
from coursehub.db import Base
from coursehub.errors import PermissionDeniedError
from coursehub.extensions import db
from coursehub.forum.services.discussions import start_thread
from coursehub.lib.terms import Half, Term
from coursehub.notifications import services as outbox
from coursehub.notifications.models import OutboxMessage
from coursehub.notifications.services import OutboxError
from coursehub.recruitment.models import CaseAdult, Note, StepChange
from coursehub.recruitment.models.households import CaseHousehold
from coursehub.recruitment.queries_figures import figures
from tests.attendance.factories import AttendanceMarkFactory, CertificateFactory, CompletionFactory
from tests.factories import (
    PASSWORD,
    CourseRunFactory,
    CourseSessionFactory,
    EnrollmentFactory,
    HouseholdFactory,
    MunicipalityFactory,
    UserFactory,
)
from tests.forum.factories import MembershipFactory, SubjectFactory
from tests.recruitment.factories import CaseFactory

NAME, EMAIL, PHONE, STREET, SURNAME = (
    "Anna Ekblad",
    "anna.ekblad@hem.test",
    "070-555 12 34",
    "Ekvägen 3",
    "Ekblad",
)
SECRETS = (NAME, EMAIL, PHONE, STREET, SURNAME)


@pytest.fixture
def world(app):
    municipality = MunicipalityFactory(name="Jönköping")
    staff = UserFactory(staff=True, full_name="Stina Personal")
    household = HouseholdFactory(name="Familjen Ekblad", municipality=municipality)
    anna = UserFactory(
        full_name=NAME,
        email=EMAIL,
        username="anna.ekblad",
        phone=PHONE,
        household=household,
        roles=[Role.FAMILY],
    )
    run = CourseRunFactory(sessions=False, title="Grundkurs för familjehem")
    first = CourseSessionFactory(run=run, title="Första träffen")
    second = CourseSessionFactory(
        run=run, title="Andra träffen", starts_at=first.starts_at + timedelta(days=7)
    )
    EnrollmentFactory(run=run, household=household, persons=[anna], needs_diet=f"{NAME} äter inte gluten")
    AttendanceMarkFactory(session=first, user=anna, remark=f"{NAME} kom sent")
    db.session.add(AbsenceNotice(session=second, user=anna, reason=f"{NAME} är sjuk"))
    CertificateFactory(completion=CompletionFactory(user=anna, course_type=run.course_type))
    subject = SubjectFactory()
    MembershipFactory(network=subject.network, user=anna)
    start_thread(
        subject,
        "Fråga om kursen",
        f"Hej, jag heter {NAME} och bor på {STREET}.",
        actor=anna,
        now=run.signup_opens_at,
    )
    case = CaseFactory(
        municipality=municipality,
        street=STREET,
        experience=f"{NAME} har varit kontaktfamilj",
        adults=[CaseAdult(position=1, first_name="Anna", last_name=SURNAME, email=EMAIL, phone=PHONE)],
    )
    db.session.add_all(
        [
            StepChange(case_id=case.id, from_step=None, to_step=case.step, at=case.registered_at),
            Note(case_id=case.id, author_id=staff.id, body=f"Ringde {NAME} på {PHONE}."),
            CaseHousehold(case_id=case.id, household_id=household.id, municipality_id=municipality.id),
            OutboxMessage(
                dedupe_key="to-anna",
                recipient=EMAIL,
                subject=f"Välkommen {NAME}",
                body_text=f"Hej {NAME}!",
                body_html=f"<p>Hej {NAME}!</p>",
                created_at=run.signup_opens_at,
                sent_at=run.signup_opens_at,
            ),
            OutboxMessage(
                dedupe_key="to-staff",
                recipient=staff.email,
                subject="Ny anmälan",
                body_text=f"{NAME} ({EMAIL}, {PHONE}) har anmält sig.",
                created_at=run.signup_opens_at,
            ),
        ]
    )
    db.session.commit()
    return {"anna": anna, "staff": staff, "run": run, "case": case}


def _texts_holding(secret: str) -> list[str]:
    """Every table.column of a text type (JSON included) whose value holds `secret` somewhere."""
    found = []
    for table in Base.metadata.sorted_tables:
        for column in table.columns:
            if isinstance(column.type, sa.Enum):
                continue  # a closed list of values
            if isinstance(column.type, sa.String):
                text = column
            elif isinstance(column.type, sa.JSON):
                text = sa.cast(column, sa.Text)
            else:
                continue
            where = text.contains(secret, autoescape=True)
            if db.session.scalar(sa.select(sa.func.count()).select_from(table).where(where)):
                found.append(f"{table.name}.{column.name}")
    return found


def _figures():
    now = db.session.scalar(sa.select(sa.func.max(OutboxMessage.created_at))) + timedelta(days=400)
    recruitment = figures(Term(2025, Half.AUTUMN), Term(2027, Half.SPRING), now=now)
    attendance = {dimension: attendance_rates(dimension).items for dimension in DIMENSIONS}
    return recruitment, attendance


def test_the_export_holds_every_area_json_safe_and_keeps_staff_notes_out(app, world):
    anna = world["anna"]
    exported = privacy.export_data(anna, actor=anna)
    text = json.dumps(exported, ensure_ascii=False)
    assert list(exported) == [
        "accounts",
        "enrollment",
        "attendance",
        "forum",
        "evaluations",
        "recruitment",
        "notifications",
    ]
    assert exported["accounts"]["Konto"][0]["E-postadress"] == EMAIL
    assert exported["enrollment"]["Anmälningar"][0]["Kost"] == f"{NAME} äter inte gluten"
    assert [m["Närvaro"] for m in exported["attendance"]["Närvaro"]] == ["present"]
    assert len(exported["attendance"]["Intyg"]) == 1
    assert exported["forum"]["Inlägg"][0]["Text"].startswith("Hej, jag heter")
    assert exported["recruitment"]["Intresseanmälningar"][0]["Gatuadress"] == STREET
    assert exported["notifications"]["E-post till er"][0]["Ämne"] == f"Välkommen {NAME}"
    assert "anonyma" in exported["evaluations"]["Om utvärderingar"][0]["Anmärkning"]
    assert "Ringde" not in text  # staff's note is not theirs to read
    assert "har anmält sig" not in text  # nor mail to someone else
    audit = db.session.scalars(sa.select(AuditEntry).where(AuditEntry.action == "person.export")).all()
    assert [(a.actor_id, a.object_id) for a in audit] == [(anna.id, anna.id)]


def _more_of_everything(anna, staff, municipality) -> None:
    """Three more runs with meetings, marks, notices and certificates, three more networks with a
    thread each, and three more interest registrations: rows the export shows with their run,
    meeting, network, thread, course type or municipality."""
    for n in range(3):
        run = CourseRunFactory(sessions=False, title=f"Fortsättningskurs {n}")
        first = CourseSessionFactory(run=run, title=f"Träff {n}")
        EnrollmentFactory(run=run, household=anna.household, persons=[anna])
        AttendanceMarkFactory(session=first, user=anna)
        db.session.add(AbsenceNotice(session=first, user=anna, reason="Sjuk"))
        CertificateFactory(completion=CompletionFactory(user=anna, course_type=run.course_type))
        subject = SubjectFactory()
        MembershipFactory(network=subject.network, user=anna)
        start_thread(subject, f"Tråd {n}", "En fråga till er andra.", actor=anna, now=run.signup_opens_at)
        case = CaseFactory(
            municipality=municipality,
            adults=[CaseAdult(position=1, first_name="Anna", last_name=SURNAME, email=EMAIL, phone=PHONE)],
        )
        db.session.add(StepChange(case_id=case.id, from_step=None, to_step=case.step, at=case.registered_at))
    db.session.commit()


def test_the_export_runs_the_same_statements_however_much_the_person_has(app, world, count_queries):
    anna = world["anna"]
    with count_queries() as few:
        privacy.export_data(anna, actor=anna)
    _more_of_everything(anna, world["staff"], world["case"].municipality)
    db.session.expire_all()
    with count_queries() as many:
        exported = privacy.export_data(anna, actor=anna)
    shown = {
        (area, part): len(rows) for area, parts in exported.items() for part, rows in parts.items() if rows
    }
    for area, part in [
        ("enrollment", "Anmälningar"),
        ("attendance", "Närvaro"),
        ("attendance", "Frånvaroanmälningar"),
        ("attendance", "Intyg"),
        ("forum", "Inlägg"),
        ("forum", "Nätverk"),
        ("recruitment", "Intresseanmälningar"),
    ]:
        assert shown[area, part] == 4, (area, part, shown)
    # Each row's run, meeting, network, thread or course type is loaded with its kind of row, not
    # one statement a row: the leader of 2,300 forum posts ran 2,652 statements for one export.
    assert len(many) == len(few), "\n".join(many)


def test_another_family_cannot_export_a_person_but_staff_can(app, world):
    other = UserFactory(roles=[Role.FAMILY], household=HouseholdFactory())
    with pytest.raises(PermissionDeniedError):
        privacy.export_data(world["anna"], actor=other)
    assert privacy.export_data(world["anna"], actor=world["staff"])["accounts"]["Konto"][0]["Namn"] == NAME


def test_erasure_leaves_no_name_address_or_number_anywhere_and_figures_unchanged(app, world, clock):
    anna, staff = world["anna"], world["staff"]
    assert set(_texts_holding(NAME)) >= {
        "users.full_name",
        "outbox_messages.body_text",
        "forum_posts.body_source",
    }
    before = _figures()
    assert before[1]["municipality"], "attendance figures count her marks"
    assert sum(term.registrations for term in before[0].terms) >= 1, "recruitment figures count her case"

    privacy.erase_user(anna, actor=staff, reason="Personen begärde radering per telefon", now=clock.now)
    db.session.commit()
    db.session.expire_all()

    assert {secret: _texts_holding(secret) for secret in SECRETS} == {secret: [] for secret in SECRETS}
    assert _figures() == before
    for login in (EMAIL, "anna.ekblad"):
        with pytest.raises(LoginFailedError):
            services.authenticate(login, PASSWORD, now=clock.now)
    certificate = db.session.scalars(sa.select(Certificate)).one()
    assert certificate.revoked_at is not None and certificate.revoke_reason.startswith("Personen begärde")
    entry = db.session.scalars(sa.select(AuditEntry).where(AuditEntry.action == "person.erase")).one()
    assert (entry.actor_id, entry.object_id, entry.detail) == (
        staff.id,
        anna.id,
        "Personen begärde radering per telefon",
    )
    assert db.session.scalars(sa.select(Note)).all() == []
    # Mail to staff is kept to show delivery, with the person taken out.
    assert db.session.scalars(
        sa.select(OutboxMessage.body_text).where(OutboxMessage.dedupe_key == "to-staff")
    ).one() == ("[borttaget] ([borttaget], [borttaget]) har anmält sig.")


def test_erasure_needs_a_reason_is_refused_for_oneself_and_happens_once(app, world, clock):
    anna, staff = world["anna"], world["staff"]
    with pytest.raises(AccountError) as refused:
        privacy.erase_user(anna, actor=staff, reason="   ", now=clock.now)
    assert refused.value.field == "reason"
    with pytest.raises(PermissionDeniedError):
        privacy.erase_user(staff, actor=staff, reason="Test", now=clock.now)
    with pytest.raises(PermissionDeniedError):
        privacy.erase_user(staff, actor=anna, reason="Test", now=clock.now)
    privacy.erase_user(anna, actor=staff, reason="Begäran", now=clock.now)
    with pytest.raises(AccountError):
        privacy.erase_user(anna, actor=staff, reason="Begäran", now=clock.now)


def test_mail_to_an_erased_person_cannot_be_sent_again_or_to_another_address(
    app, world, clock, client, login_as
):
    anna, staff = world["anna"], world["staff"]
    db.session.add(
        OutboxMessage(
            dedupe_key="to-anna-waiting",
            recipient=EMAIL,
            subject="Påminnelse",
            body_text=f"Hej {NAME}, välkommen i morgon!",
            created_at=clock.now,
            next_attempt_at=clock.now + timedelta(hours=1),
        )
    )
    db.session.commit()
    privacy.erase_user(anna, actor=staff, reason="Personen begärde radering per telefon", now=clock.now)
    db.session.commit()
    waiting = db.session.scalars(
        sa.select(OutboxMessage).where(OutboxMessage.dedupe_key == "to-anna-waiting")
    ).one()
    assert waiting.failed_at is not None and waiting.body_text == ""
    # Nothing is left to send, and no one may send the emptied message anywhere else.
    with pytest.raises(OutboxError):
        outbox.retry_message(waiting, actor=staff, now=clock.now)
    with pytest.raises(OutboxError):
        outbox.correct_recipient(waiting, "ny.adress@exempel.test", actor=staff, now=clock.now)
    assert waiting.failed_at is not None and waiting.recipient.endswith("@borttagen.invalid")
    # Staff see why the text is gone, and no button to send it again or elsewhere.
    page = login_as(client, staff).get(f"/admin/utkorg/{waiting.id}").get_data(as_text=True)
    assert "när mottagarens uppgifter raderades" in page
    assert "Försök igen" not in page and "Rätta mottagarens adress" not in page
