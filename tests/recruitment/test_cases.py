"""Staff work a case: steps in order, checklists, register checks, closing, notes, requirements."""

from datetime import date, timedelta

import pytest
from sqlalchemy import event, select
from sqlalchemy.orm import Session

from coursehub import clock
from coursehub.accounts.models import AuditEntry, AuditOutcome
from coursehub.lib.database import is_postgres
from coursehub.recruitment.errors import RecruitmentError
from coursehub.recruitment.models import (
    Case,
    CaseAdult,
    CaseChild,
    ChecklistKind,
    CheckOutcome,
    Placement,
    Register,
    RegisterCheck,
    RequirementOutcome,
    Step,
)
from coursehub.recruitment.services import cases, checks
from tests.factories import MunicipalityFactory, UserFactory
from tests.recruitment.factories import CaseFactory, ChannelFactory, RequirementFactory

VALID = "19811218-9876"
TODAY = date(2026, 9, 1)


def _reload(db, case_id: int) -> Case:
    db.session.rollback()
    return db.session.get(Case, case_id)


def _interview(case, staff, go_on=True):
    return checks.record_checklist_entry(
        case, ChecklistKind.INTERVIEW, done_on=TODAY, actor=staff, now=clock.now(), go_on=go_on
    )


def test_a_case_moves_one_step_at_a_time_recording_who_and_when(db, staff):
    case = CaseFactory()
    cases.move_case(case, Step.INTERVIEW, actor=staff, now=clock.now())
    assert case.step == Step.INTERVIEW and case.first_contact_at == clock.now()
    change = case.history[-1]
    assert (change.from_step, change.to_step, change.actor_id, change.at) == (
        Step.REGISTERED, Step.INTERVIEW, staff.id, clock.now(),
    )  # fmt: skip


def test_a_step_out_of_order_is_refused(db, staff):
    case = CaseFactory()
    with pytest.raises(RecruitmentError, match="ett steg i taget"):
        cases.move_case(case, Step.HOME_VISIT, actor=staff, now=clock.now())
    assert case.step == Step.REGISTERED and len(case.history) == 0


@pytest.mark.parametrize("step", [Step.PRESENTATION, Step.AVAILABLE, Step.MATCHED, Step.ASSESSMENT])
def test_the_steps_after_the_presentation_are_never_taken_by_hand(db, staff, step):
    # The family's approval, a match and the municipality's decisions move the case on; a hand
    # move would show "matched" with no match behind it.
    case = CaseFactory(step=step)
    with pytest.raises(RecruitmentError, match="inte genom att flyttas för hand"):
        cases.move_case(case, list(Step)[list(Step).index(step) + 1], actor=staff, now=clock.now())
    assert case.step == step and len(case.history) == 0
    assert cases.next_step_by_hand(case) is None


def test_the_interview_with_a_decision_to_go_on_comes_before_the_checks(db, staff):
    case = CaseFactory(step=Step.INTERVIEW)
    with pytest.raises(RecruitmentError, match="telefonintervjun"):
        cases.move_case(case, Step.CHECKS, actor=staff, now=clock.now())
    _interview(case, staff, go_on=False)
    with pytest.raises(RecruitmentError, match="telefonintervjun"):
        cases.move_case(case, Step.CHECKS, actor=staff, now=clock.now())
    _interview(case, staff, go_on=True)
    cases.move_case(case, Step.CHECKS, actor=staff, now=clock.now())
    assert case.step == Step.CHECKS


def test_every_register_for_every_adult_and_older_child_before_the_home_visit(app, db, staff):
    case = CaseFactory(step=Step.CHECKS)
    younger = CaseChild(case=case, position=1, age=14)
    older = CaseChild(case=case, position=2, age=15)
    db.session.add_all([younger, older])
    db.session.flush()
    adult = case.adults[0]
    now = clock.now()
    checks.set_identity_number(case, adult, VALID, actor=staff, now=now)
    checks.set_identity_number(case, older, "20110101-0005", actor=staff, now=now)
    for register in Register:
        checks.record_register_check(
            case, adult, register, CheckOutcome.NO_REMARK, checked_on=TODAY, actor=staff, now=now
        )
    checks.record_checklist_entry(
        case, ChecklistKind.QUESTIONNAIRE, done_on=TODAY, actor=staff, now=now, adult=adult
    )
    with pytest.raises(RecruitmentError, match="Alla registerkontroller"):
        cases.move_case(case, Step.HOME_VISIT, actor=staff, now=now)  # the 15-year-old is not checked yet
    with pytest.raises(RecruitmentError, match="under 15 år"):
        checks.record_register_check(
            case,
            younger,
            Register.CRIMINAL_RECORD,
            CheckOutcome.NO_REMARK,
            checked_on=TODAY,
            actor=staff,
            now=now,
        )
    for register in Register:
        checks.record_register_check(
            case, older, register, CheckOutcome.NO_REMARK, checked_on=TODAY, actor=staff, now=now
        )
    cases.move_case(case, Step.HOME_VISIT, actor=staff, now=now)
    assert case.step == Step.HOME_VISIT
    assert adult.identity_number == "198112189876"  # stored in the canonical 12-digit form


def test_the_check_age_is_a_setting(app, db, staff):
    app.config["COURSEHUB_RECRUITMENT_CHECK_AGE"] = 18
    case = CaseFactory(step=Step.CHECKS)
    child = CaseChild(case=case, position=1, age=16, identity_number="201001010006")
    db.session.add(child)
    db.session.flush()
    with pytest.raises(RecruitmentError, match="under 18 år"):
        checks.record_register_check(
            case,
            child,
            Register.ENFORCEMENT,
            CheckOutcome.NO_REMARK,
            checked_on=TODAY,
            actor=staff,
            now=clock.now(),
        )


@pytest.mark.parametrize(
    "typed", ["19811218-9875", "19811318-9876", "811218-98761", "８１１２１８-9876", "abc"]
)
def test_an_identity_number_with_a_wrong_check_digit_or_date_is_refused(db, staff, typed):
    case = CaseFactory(step=Step.CHECKS)
    with pytest.raises(RecruitmentError, match="Personnumret stämmer inte") as refused:
        checks.set_identity_number(case, case.adults[0], typed, actor=staff, now=clock.now())
    assert refused.value.field == "identity_number" and case.adults[0].identity_number is None


def test_a_coordination_number_is_taken(db, staff):
    case = CaseFactory(step=Step.CHECKS)
    assert (
        checks.set_identity_number(case, case.adults[0], "811278-9873", actor=staff, now=clock.now())
        == "198112789873"
    )


def test_a_duplicate_of_an_open_case_is_refused(db, staff):
    first = CaseFactory(step=Step.CHECKS)
    checks.set_identity_number(first, first.adults[0], VALID, actor=staff, now=clock.now())
    second = CaseFactory(step=Step.CHECKS)
    with pytest.raises(RecruitmentError, match="annat pågående ärende"):
        checks.set_identity_number(second, second.adults[0], "811218-9876", actor=staff, now=clock.now())
    cases.close_case(first, "Familjen valde att vänta.", actor=staff, now=clock.now())
    assert checks.set_identity_number(second, second.adults[0], VALID, actor=staff, now=clock.now())


def test_a_check_dated_in_the_future_is_refused(db, staff):
    case = CaseFactory(step=Step.CHECKS)
    case.adults[0].identity_number = "198112189876"
    with pytest.raises(RecruitmentError, match="framtiden") as refused:
        checks.record_register_check(
            case, case.adults[0], Register.ENFORCEMENT, CheckOutcome.NO_REMARK,
            checked_on=TODAY + timedelta(days=1), actor=staff, now=clock.now(),
        )  # fmt: skip
    assert refused.value.field == "checked_on"


def test_closing_needs_a_reason_and_a_closed_case_does_not_move(db, staff):
    case = CaseFactory()
    with pytest.raises(RecruitmentError, match="Skriv varför"):
        cases.close_case(case, "  ", actor=staff, now=clock.now())
    cases.close_case(case, "Familjen flyttar utomlands.", actor=staff, now=clock.now())
    assert not case.is_open and case.close_reason == "Familjen flyttar utomlands."
    with pytest.raises(RecruitmentError, match="avslutat"):
        cases.move_case(case, Step.INTERVIEW, actor=staff, now=clock.now())


def test_a_requirement_outcome_is_recorded_once_and_can_change(db, staff):
    case = CaseFactory()
    requirement = RequirementFactory(text="Rökfri miljö")
    cases.record_requirement(case, requirement, RequirementOutcome.UNCLEAR, actor=staff, now=clock.now())
    row = cases.record_requirement(case, requirement, RequirementOutcome.MET, actor=staff, now=clock.now())
    assert row.outcome == RequirementOutcome.MET


def test_only_staff_can_be_assigned(db, staff):
    case = CaseFactory()
    with pytest.raises(RecruitmentError, match="medarbetare"):
        cases.assign_case(case, UserFactory(family=True), actor=staff)
    cases.assign_case(case, staff, actor=staff)
    assert case.assigned_to_id == staff.id


# --- through the pages -----------------------------------------------------------------------


def test_staff_move_a_case_on_the_page_and_an_out_of_order_post_gets_a_message(db, client, login_as, staff):
    case = CaseFactory()
    db.session.commit()
    login_as(client, staff)
    wrong = client.post(f"/rekrytering/arenden/{case.id}/flytta", data={"flytta-to_step": "checks"})
    assert wrong.status_code == 400 and "ett steg i taget" in wrong.get_data(as_text=True)
    assert _reload(db, case.id).step == Step.REGISTERED
    moved = client.post(f"/rekrytering/arenden/{case.id}/flytta", data={"flytta-to_step": "interview"})
    assert moved.status_code == 302
    page = client.get(moved.location).get_data(as_text=True)
    assert "Nu: 2. Telefonintervju" in page and "(Sara Berg)" in page


def test_an_impossible_date_gets_a_message_beside_the_field(db, client, login_as, staff):
    case = CaseFactory()
    db.session.commit()
    login_as(client, staff)
    response = client.post(
        f"/rekrytering/arenden/{case.id}/checklista",
        data={"lista-kind": "home_visit", "lista-done_on": "2026-02-30"},
    )
    assert response.status_code == 400 and "ÅÅÅÅ-MM-DD" in response.get_data(as_text=True)
    db.session.rollback()
    assert (
        db.session.scalars(
            select(AuditEntry).where(AuditEntry.action == "recruitment.checklist.record")
        ).all()
        == []
    )


def test_a_wrong_identity_number_on_the_page_stays_unsaved(db, client, login_as, staff):
    case = CaseFactory(step=Step.CHECKS)
    db.session.commit()
    login_as(client, staff)
    adult_id = case.adults[0].id
    response = client.post(
        f"/rekrytering/arenden/{case.id}/personnummer",
        data={"pnr-person": f"adult-{adult_id}", "pnr-identity_number": "19811218-9875"},
    )
    assert response.status_code == 400 and "Personnumret stämmer inte" in response.get_data(as_text=True)
    assert _reload(db, case.id).adults[0].identity_number is None


def test_reading_a_case_writes_audit_rows_for_the_case_its_notes_and_checks(db, client, login_as, staff):
    case = CaseFactory()
    db.session.commit()
    page = login_as(client, staff).get(f"/rekrytering/arenden/{case.id}")
    assert page.status_code == 200 and case.reference in page.get_data(as_text=True)
    db.session.rollback()
    rows = db.session.scalars(select(AuditEntry).where(AuditEntry.object_id == case.id)).all()
    assert {(r.action, r.actor_id, r.outcome) for r in rows} == {
        ("recruitment.case.read", staff.id, AuditOutcome.OK),
        ("recruitment.notes.read", staff.id, AuditOutcome.OK),
        ("recruitment.checks.read", staff.id, AuditOutcome.OK),
    }
    assert all(r.detail is None for r in rows)  # no content


def _commits_of(client, path: str) -> int:
    commits = []

    def count(_session) -> None:
        commits.append(1)

    event.listen(Session, "after_commit", count)
    try:
        assert client.get(path).status_code == 200
    finally:
        event.remove(Session, "after_commit", count)
    return len(commits)


def test_the_case_page_commits_its_three_audit_rows_at_once(db, client, login_as, staff):
    # Each commit is a round trip (and a BEGIN after it); the case page committed its rows for the
    # case, its notes and its checks one by one. It commits as often as a page with one row.
    case = CaseFactory()
    db.session.commit()
    login_as(client, staff)
    one_row = _commits_of(client, f"/rekrytering/arenden/{case.id}/koppling")
    assert _commits_of(client, f"/rekrytering/arenden/{case.id}") == one_row


@pytest.mark.parametrize("role", ["family", "municipal", "member", "leader", "steering"])
def test_a_refused_read_answers_404_and_writes_a_denied_row(db, client, login_as, role):
    case = CaseFactory()
    user = UserFactory(**{role: True})
    db.session.commit()
    page = login_as(client, user).get(f"/rekrytering/arenden/{case.id}")
    assert page.status_code == 404 and case.reference not in page.get_data(as_text=True)
    db.session.rollback()
    [row] = db.session.scalars(select(AuditEntry).where(AuditEntry.actor_id == user.id)).all()
    assert (row.action, row.object_id, row.outcome) == ("recruitment.case.read", case.id, AuditOutcome.DENIED)


def test_a_refused_post_writes_a_denied_row_and_changes_nothing(db, client, login_as):
    case = CaseFactory()
    user = UserFactory(municipal=True)
    db.session.commit()
    response = login_as(client, user).post(
        f"/rekrytering/arenden/{case.id}/anteckningar", data={"anteckning-body": "x"}
    )
    assert response.status_code == 404
    db.session.rollback()
    outcomes = db.session.scalars(select(AuditEntry.outcome).where(AuditEntry.actor_id == user.id)).all()
    assert outcomes == [AuditOutcome.DENIED]
    assert db.session.scalars(select(RegisterCheck)).all() == []


def test_a_full_case_page_runs_a_fixed_number_of_statements(db, client, login_as, staff, count_queries):
    """A case with two adults, children, kinds, a channel, a placement and, by two staff members,
    steps, checklist entries, register checks, notes and requirement outcomes."""
    other = UserFactory(staff=True, full_name="Olle Lind")
    case = CaseFactory(step=Step.INTERVIEW, channel=ChannelFactory(name="Annons"), assigned_to=staff)
    case.adults.append(
        CaseAdult(position=2, first_name="Per", last_name="Ek", email="per@hem.test", phone="2")
    )
    case.children.append(CaseChild(position=1, age=9))
    db.session.flush()
    db.session.add(Placement(case_id=case.id, municipality=MunicipalityFactory(name="Vetlanda")))
    now = clock.now()
    adult = case.adults[0]
    checks.set_identity_number(case, adult, VALID, actor=staff, now=now)
    for actor in (staff, other):
        _interview(case, actor)
        checks.record_register_check(
            case,
            adult,
            Register.CRIMINAL_RECORD,
            CheckOutcome.NO_REMARK,
            checked_on=TODAY,
            actor=actor,
            now=now,
        )
        cases.add_note(case, f"Samtal med familjen ({actor.full_name}).", actor=actor, now=now)
        requirement = RequirementFactory(text=f"Krav {actor.full_name}")
        cases.record_requirement(case, requirement, RequirementOutcome.MET, actor=actor, now=now)
    cases.move_case(case, Step.CHECKS, actor=other, now=now)
    RequirementFactory(text="Inte längre i bruk", is_active=False)
    db.session.commit()
    path = f"/rekrytering/arenden/{case.id}"
    login_as(client, staff)
    db.session.expunge_all()  # as a request finds it: nothing loaded yet
    with count_queries() as statements:
        page = client.get(path).get_data(as_text=True)
    for shown in (
        "Per Ek",
        "Annons",
        "Vetlanda",
        "Olle Lind",
        "Samtal med familjen (Olle Lind).",
        "Krav Sara Berg",
    ):
        assert shown in page, shown
    offered = page.split('name="krav-requirement_id"', 1)[1].split("</select>", 1)[0]
    assert "Krav Olle Lind" in offered and "Inte längre i bruk" not in offered  # the active ones
    # 29 on PostgreSQL before the page loaded the staff members' names with the rows they did (not
    # with their roles), the requirements once, and the municipality, channel and adults with the
    # case. SQLite has one more: its reading snapshot ends with a commit before the audit rows
    # (lib.work.write_from_here), and the logged-in user is read again. One less since the staff
    # menu's count of what needs action comes with the user (reports.queries_start).
    expected = 15 if is_postgres() else 16
    assert len(statements) == expected, "\n".join(" ".join(s.split())[:150] for s in statements)
