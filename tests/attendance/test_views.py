"""The sheet, the progress pages, certificates in the browser's eyes, and attendance figures."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from pypdf import PdfReader
from sqlalchemy import func, select

from coursehub import clock
from coursehub.attendance import queries, services
from coursehub.attendance.models import AbsenceNotice, AttendanceChange, AttendanceMark, Certificate
from coursehub.lib.terms import term_of
from tests.attendance.conftest import enrol, family_member, started_run
from tests.factories import HouseholdFactory, MunicipalityFactory, UserFactory


def html(response) -> str:
    return response.get_data(as_text=True)


def mark_via(client, session, person, status, remark=""):
    return client.post(
        f"/traffar/{session.id}/narvaro", data={"user_id": person.id, "status": status, "remark": remark}
    )


def marks(db):
    return db.session.scalar(select(func.count()).select_from(AttendanceMark))


# -- the sheet ---------------------------------------------------------------------------------


def test_sheet_groups_participants_by_household_and_shows_advance_notices(
    db, client, fresh_login, clock, course_type, leader
):
    run = started_run(course_type, weeks_ago=-1, leaders=[leader])
    anna = family_member(household=HouseholdFactory(name="Familjen Berg"), full_name="Anna Berg")
    bo = family_member(household=anna.household, full_name="Bo Berg")
    enrol(run, anna, bo)
    cilla = family_member(household=HouseholdFactory(name="Familjen Ek"), full_name="Cilla Ek")
    enrol(run, cilla)
    db.session.add(
        AbsenceNotice(
            session_id=run.sessions[0].id,
            user_id=bo.id,
            reason="Jobbresa",
            reported_by_id=anna.id,
            reported_at=clock.now,
        )
    )
    fresh_login(client, leader)
    page = html(client.get(f"/traffar/{run.sessions[0].id}/narvaro"))
    assert page.index("Familjen Berg") < page.index("Anna Berg") < page.index("Bo Berg")
    assert page.index("Bo Berg") < page.index("Familjen Ek") < page.index("Cilla Ek")
    assert "Har anmält frånvaro i förväg" in page and "Jobbresa" in page
    # Before the session starts the sheet says so and offers no buttons.
    assert "Träffen har inte börjat än" in page
    assert 'name="status"' not in page


def test_one_tap_saves_and_returns_to_the_person_on_the_sheet(db, client, fresh_login, run, person, leader):
    fresh_login(client, leader)
    session = run.sessions[0]
    response = mark_via(client, session, person, "present", "Tog med kaka")
    assert response.status_code == 303
    assert response.location.endswith(f"/traffar/{session.id}/narvaro#person-{person.id}")
    page = html(client.get(response.location))
    assert "Sparat: Åsa Öberg-Älvsjö – Närvarande." in page
    assert 'aria-pressed="true"' in page and "Tog med kaka" in page
    mark = db.session.scalars(select(AttendanceMark)).one()
    assert (mark.status, mark.remark, mark.recorded_by_id) == ("present", "Tog med kaka", leader.id)


def test_a_correction_shows_in_the_change_log(db, client, fresh_login, run, person, leader):
    fresh_login(client, leader)
    session = run.sessions[0]
    mark_via(client, session, person, "absent")
    mark_via(client, session, person, "excused", "Ringde på morgonen")
    page = html(client.get(f"/traffar/{session.id}/narvaro"))
    assert "Ändringar" in page and "Lena Ledare" in page
    assert db.session.scalar(select(func.count()).select_from(AttendanceChange)) == 1


def test_marking_a_session_that_has_not_started_is_refused_with_a_message(
    db, client, fresh_login, course_type, leader
):
    run = started_run(course_type, weeks_ago=-1, leaders=[leader])
    person = family_member()
    enrol(run, person)
    fresh_login(client, leader)
    response = mark_via(client, run.sessions[0], person, "present")
    assert response.status_code == 422
    assert "Träffen har inte börjat än" in html(response) and "Inget har ändrats." in html(response)
    assert marks(db) == 0


def test_marking_a_person_not_signed_up_is_refused_with_a_message(
    db, client, fresh_login, run, person, leader
):
    stranger = family_member(full_name="Olle Okänd")
    fresh_login(client, leader)
    response = mark_via(client, run.sessions[0], stranger, "present")
    assert response.status_code == 422
    assert "Personen är inte anmäld till den här träffen." in html(response)
    response = mark_via(client, run.sessions[0], person, "kanske")
    assert response.status_code == 422
    assert marks(db) == 0


def test_a_leader_of_another_run_gets_404_and_changes_nothing(db, client, fresh_login, run, person):
    fresh_login(client, UserFactory(leader=True))
    assert client.get(f"/traffar/{run.sessions[0].id}/narvaro").status_code == 404
    assert mark_via(client, run.sessions[0], person, "present").status_code == 404
    assert client.get(f"/admin/kurser/{run.id}/narvaro").status_code == 404
    assert marks(db) == 0


def test_a_family_cannot_mark_attendance(db, client, fresh_login, run, person):
    fresh_login(client, person)
    assert mark_via(client, run.sessions[0], person, "present").status_code == 403
    assert marks(db) == 0


def test_run_attendance_shows_each_participant_per_theme(
    request_context, db, client, fresh_login, run, person, leader, app
):
    with request_context():
        services.record_attendance(
            run.sessions[0], person, status="present", actor=leader, now=run.sessions[2].starts_at
        )
        services.record_attendance(
            run.sessions[1], person, status="absent", actor=leader, now=run.sessions[2].starts_at
        )
    fresh_login(client, leader)
    page = html(client.get(f"/admin/kurser/{run.id}/narvaro"))
    assert "Åsa Öberg-Älvsjö" in page
    assert '<abbr title="Närvarande">N</abbr>' in page
    assert '<abbr title="Frånvarande">F</abbr>' in page


def test_the_sheet_runs_a_fixed_number_of_queries(
    db, client, fresh_login, count_queries, course_type, leader
):
    def queries_for(households: int) -> int:
        run = started_run(course_type, leaders=[leader])
        for _ in range(households):
            adult = family_member()
            enrol(run, adult, family_member(household=adult.household))
        session_id = run.sessions[0].id
        fresh_login(client, leader)
        with count_queries() as statements:
            response = client.get(f"/traffar/{session_id}/narvaro")
        assert response.status_code == 200
        return len(statements)

    assert queries_for(3) == queries_for(40)


# -- progress ----------------------------------------------------------------------------------


def test_family_sees_its_themes_and_can_report_absence_in_advance(
    request_context, db, client, fresh_login, course_type, app
):
    run = started_run(course_type, weeks_ago=1)  # sessions a week ago, now, and in a week
    anna = family_member(full_name="Anna Berg")
    enrol(run, anna)
    staff = UserFactory(staff=True)
    with request_context():
        services.record_attendance(
            run.sessions[0],
            anna,
            status="present",
            actor=staff,
            now=run.sessions[0].starts_at + timedelta(minutes=5),
        )
    db.session.commit()
    fresh_login(client, anna)
    page = html(client.get("/mina-framsteg"))
    assert "Tema 1" in page and "Närvarande" in page
    assert "Inte klar ännu: 1 av 3 teman, 3 behövs." in page
    upcoming = run.sessions[2]
    response = client.post(
        "/mina-framsteg/franvaro", data={"session_id": upcoming.id, "user_id": anna.id, "reason": "Sjuk"}
    )
    assert response.status_code == 303
    assert "Frånvaro anmäld" in html(client.get("/mina-framsteg"))
    # A session that has already begun cannot be reported in advance.
    response = client.post(
        "/mina-framsteg/franvaro", data={"session_id": run.sessions[0].id, "user_id": anna.id}
    )
    assert response.status_code == 422 and "i förväg" in html(response)
    assert db.session.scalar(select(func.count()).select_from(AbsenceNotice)) == 1


def test_a_family_cannot_report_absence_for_another_household(db, client, fresh_login, course_type):
    run = started_run(course_type, weeks_ago=-1)
    anna, other = family_member(), family_member()
    enrol(run, anna)
    enrol(run, other)
    fresh_login(client, anna)
    response = client.post(
        "/mina-framsteg/franvaro", data={"session_id": run.sessions[0].id, "user_id": other.id}
    )
    assert response.status_code == 422
    assert db.session.scalar(select(func.count()).select_from(AbsenceNotice)) == 0


def test_municipal_worker_sees_only_own_municipality(db, client, fresh_login, run):
    home = MunicipalityFactory(name="Habo")
    ours = family_member(household=HouseholdFactory(name="Familjen Hemma", municipality=home))
    theirs = family_member(household=HouseholdFactory(name="Familjen Borta"))
    enrol(run, ours)
    enrol(run, theirs)
    worker = UserFactory(municipal=True, municipality=home)
    fresh_login(client, worker)
    page = html(client.get("/kommun/framsteg"))
    assert "Familjen Hemma" in page and ours.full_name in page
    assert "Familjen Borta" not in page and theirs.full_name not in page


def test_progress_pages_run_a_fixed_number_of_queries(
    request_context, db, client, fresh_login, count_queries, app, leader
):
    home = MunicipalityFactory()
    worker = UserFactory(municipal=True, municipality=home)

    def queries_for(runs: int) -> tuple[int, int]:
        from tests.factories import CourseTypeFactory

        household = HouseholdFactory(municipality=home)
        adult = family_member(household=household)
        for _ in range(runs):
            run = started_run(CourseTypeFactory(themes=3), leaders=[leader])
            enrol(run, adult, family_member(household=household))
            with request_context():
                services.record_attendance(
                    run.sessions[0], adult, status="present", actor=leader, now=run.sessions[2].starts_at
                )
        db.session.commit()
        counts = []
        for user, url in ((adult, "/mina-framsteg"), (worker, "/kommun/framsteg")):
            fresh_login(client, user)
            with count_queries() as statements:
                assert client.get(url).status_code == 200
            counts.append(len(statements))
        return tuple(counts)

    # Pinned: a person's marks and sign-ups come in one statement (a UNION), not two; the menu's
    # network membership, and a municipal worker's count of approvals, come with the user
    # (lib.user_facts; 9 and 13 before, then 8 and 12); the family's adults come with their coming
    # sessions (queries.adults_and_upcoming; 8 before).
    assert queries_for(1) == queries_for(6) == (7, 11)


def test_a_households_adults_come_with_its_coming_sessions_in_one_statement(
    request_context, db, count_queries, course_type
):
    household = HouseholdFactory()
    bo = family_member(household=household, full_name="Bo Ek")
    ada = family_member(household=household, full_name="Ada Ek")
    neighbour = family_member(full_name="Cay Granne")
    run = started_run(course_type, weeks_ago=-1)  # three sessions, the first in a week
    later = started_run(course_type, weeks_ago=-5)
    enrol(run, bo, ada)
    enrol(later, ada)
    enrol(started_run(course_type, weeks_ago=-3), neighbour)
    db.session.commit()
    now, household_id = clock.now(), household.id

    with count_queries() as statements:
        adults, upcoming = queries.adults_and_upcoming(household_id, now=now)

    assert len(statements) == 1
    # The adults by name, as household_adults gives them; not the neighbour.
    assert [(a.id, a.full_name, a.household_id) for a in adults] == [
        (u.id, u.full_name, u.household_id) for u in queries.household_adults(household.id)
    ]
    assert [a.full_name for a in adults] == ["Ada Ek", "Bo Ek"]
    # Every coming session of each adult's runs, first come first (then by name), with its run;
    # not the neighbour's.
    expected = sorted(
        [
            (s.id, s.starts_at, run.title, person.id, person.full_name)
            for s in run.sessions
            for person in (ada, bo)
        ]
        + [(s.id, s.starts_at, later.title, ada.id, ada.full_name) for s in later.sessions],
        key=lambda row: (row[1], row[4]),
    )
    assert [(u.session_id, u.starts_at, u.run_title, u.user_id, u.user_name) for u in upcoming] == expected
    assert all(u.notice_id is None for u in upcoming)
    assert [(u.user_name, u.starts_at) for u in upcoming][:2] == [
        ("Ada Ek", run.sessions[0].starts_at),
        ("Bo Ek", run.sessions[0].starts_at),
    ]
    assert len(upcoming) == 2 * 3 + 3 and neighbour.id not in {u.user_id for u in upcoming}
    # At most `limit` sessions; the adults all the same.
    adults_again, first = queries.adults_and_upcoming(household.id, now=now, limit=1)
    assert adults_again == adults and first == upcoming[:1]


# -- certificates --------------------------------------------------------------------------------


@pytest.fixture
def certificate(request_context, db, run, person, leader) -> Certificate:
    """Åsa has attended every theme of `run` and holds a certificate."""
    with request_context():
        for session in run.sessions:
            services.record_attendance(
                session, person, status="present", actor=leader, now=run.sessions[-1].starts_at
            )
    db.session.commit()
    return db.session.scalars(select(Certificate)).one()


def test_public_page_confirms_a_genuine_certificate_with_name_course_and_date_only(
    certificate, app, client, run, person, leader
):
    response = client.get(f"/intyg/{certificate.code.lower()}")
    page = html(response)
    assert response.status_code == 200
    assert "Intyget är äkta och gäller." in page
    assert "Åsa Öberg-Älvsjö" in page and "Ett hem att växa i" in page
    assert person.email not in page and person.household.name not in page


def test_anyone_types_a_code_into_the_public_check_and_gets_the_answer(certificate, client):
    empty = html(client.get("/intyg"))
    assert 'name="kod"' in empty and 'method="get"' in empty and "Intyget" not in empty.split("<h1>")[-1][:60]
    spaced = " ".join(certificate.code[i : i + 4] for i in range(0, len(certificate.code), 4)).lower()
    response = client.get("/intyg", query_string={"kod": spaced})
    assert response.status_code == 200
    page = html(response)
    assert "Intyget är äkta och gäller." in page and f'value="{certificate.code}"' in page
    assert client.get("/intyg", query_string={"kod": "ABCDEFGHJK23"}).status_code == 404


def test_public_page_says_a_forged_code_is_not_valid(client, db):
    response = client.get("/intyg/ABCDEFGHJK23")
    assert response.status_code == 404
    assert "Intyget gäller inte." in html(response)


def test_public_page_says_a_revoked_certificate_is_not_valid(
    certificate, app, db, client, run, person, leader, staff, fresh_login
):
    fresh_login(client, staff)
    response = client.post(f"/admin/intyg/{certificate.id}/aterkalla", data={"reason": "Fel namn"})
    assert response.status_code == 303
    page = client.get(f"/intyg/{certificate.code}")
    assert page.status_code == 410
    assert "Intyget gäller inte." in html(page) and "återkallats" in html(page)
    assert person.full_name not in html(page)


def test_staff_reissue_gives_a_new_code_and_the_old_one_stops_working(
    certificate, app, db, client, run, person, leader, staff, fresh_login
):
    old_code = certificate.code
    fresh_login(client, staff)
    assert client.post(f"/admin/intyg/{certificate.id}/nytt").status_code == 303
    new = db.session.scalars(select(Certificate).where(Certificate.revoked_at.is_(None))).one()
    assert new.code != old_code
    assert client.get(f"/intyg/{old_code}").status_code == 410
    assert client.get(f"/intyg/{new.code}").status_code == 200
    assert new.code in html(client.get("/admin/intyg"))


def test_revoking_without_a_reason_changes_nothing(
    certificate, app, db, client, run, person, leader, staff, fresh_login
):
    fresh_login(client, staff)
    response = client.post(
        f"/admin/intyg/{certificate.id}/aterkalla", data={"reason": ""}, follow_redirects=True
    )
    assert "Skriv varför intyget återkallas." in html(response)
    db.session.refresh(certificate)
    assert certificate.is_valid


def test_the_pdf_shows_the_swedish_name_course_themes_and_code(
    certificate, app, client, run, person, leader, fresh_login
):
    fresh_login(client, person)
    response = client.get(f"/intyg/{certificate.id}/pdf")
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert response.headers["Content-Disposition"].startswith("attachment;")
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(response.data)).pages)
    assert "Åsa Öberg-Älvsjö" in text
    assert "Ett hem att växa i" in text
    assert "Tema 1" in text and "Tema 3" in text
    assert certificate.code in text
    assert f"http://coursehub.test/intyg/{certificate.code}" in text
    assert "Familjehemsresursen i Jönköpings län" in text


def test_only_the_person_and_staff_download_the_pdf(
    certificate, app, client, run, person, leader, staff, fresh_login
):
    fresh_login(client, family_member(household=person.household))
    assert client.get(f"/intyg/{certificate.id}/pdf").status_code == 404


def test_staff_download_the_pdf(certificate, app, client, run, person, leader, staff, fresh_login):
    fresh_login(client, staff)
    assert client.get(f"/intyg/{certificate.id}/pdf").status_code == 200


def test_the_certificate_email_links_to_the_public_check(certificate, app, db, run, person, leader):
    from coursehub.notifications.models import OutboxMessage

    mail = db.session.scalars(select(OutboxMessage)).one()
    assert mail.recipient == person.email
    assert f"http://coursehub.test/intyg/{certificate.code}" in mail.body_text
    assert f'href="http://coursehub.test/intyg/{certificate.id}/pdf"' in mail.body_html


# -- figures -----------------------------------------------------------------------------------


def test_rates_table_chart_and_exports(
    request_context, app, db, client, fresh_login, run, person, leader, staff
):
    with request_context():
        services.record_attendance(
            run.sessions[0], person, status="present", actor=leader, now=run.sessions[2].starts_at
        )
        services.record_attendance(
            run.sessions[1], person, status="absent", actor=leader, now=run.sessions[2].starts_at
        )
    db.session.commit()
    fresh_login(client, staff)
    page = html(client.get("/admin/narvaro/statistik?per=run"))
    assert "<td>50 %</td>" in page
    term = term_of(run.sessions[0].starts_at)  # the current term is the one shown first
    assert f'src="/admin/narvaro/statistik/diagram.svg?per=run&amp;termin={term}&amp;sida=1"' in page
    # The half-year is written in words, in the picker as in the text ("hösten 2026"); its
    # address keeps the short form.
    assert f"för träffar som började {term.label}." in page
    assert f'<option value="{term}" selected>{term.label.capitalize()}</option>' in page
    # Another half-year counts only its own sessions' marks: none here.
    earlier = html(client.get(f"/admin/narvaro/statistik?per=run&termin={term.previous()}"))
    assert f"Ingen närvaro är förd för {term.previous().label}." in earlier and "50 %" not in earlier
    chart = client.get("/admin/narvaro/statistik/diagram.svg?per=run")
    assert chart.mimetype == "image/svg+xml"
    assert b"<svg" in chart.data and b"<script" not in chart.data
    assert "50 %" in chart.get_data(as_text=True)
    themes = html(client.get("/admin/narvaro/statistik?per=theme"))
    assert "Ett hem att växa i: Tema 1" in themes and "<td>100 %</td>" in themes
    municipality = html(client.get("/admin/narvaro/statistik?per=municipality"))
    assert person.household.municipality.name in municipality
    csv = client.get("/admin/narvaro/statistik/export.csv?per=theme")
    assert csv.headers["Content-Disposition"].startswith("attachment;")
    lines = csv.data.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("Tema;Närvarande;Frånvarande")
    assert lines[1] == "Ett hem att växa i: Tema 1;1;0;0;1;100,0"
    xlsx = client.get("/admin/narvaro/statistik/export.xlsx?per=run")
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(xlsx.data)).active
    assert sheet["A1"].value == "Kursomgång"
    assert (sheet["B2"].value, sheet["C2"].value, sheet["F2"].value) == (1, 1, 50.0)


def test_leader_lists_only_own_runs_in_a_fixed_number_of_queries(
    db, client, fresh_login, count_queries, course_type, leader
):
    started_run(course_type, title="Någon annans omgång")

    def queries_for(runs: int) -> tuple[int, str]:
        for number in range(runs):
            started_run(course_type, leaders=[leader], title=f"Min omgång {number}")
        fresh_login(client, leader)
        with count_queries() as statements:
            page = html(client.get("/narvaro"))
        return len(statements), page

    few, page = queries_for(1)
    assert "Min omgång 0" in page and "Någon annans omgång" not in page
    assert page.count('/narvaro"') >= 3  # a link to each session's sheet
    many, _page = queries_for(5)
    assert few == many


# -- review: defects found and fixed -----------------------------------------------------------


def test_a_leader_cannot_learn_the_name_of_someone_outside_the_run(
    db, client, fresh_login, run, person, leader, staff
):
    """Posting any user id must not reveal that user's name (staff, families of other runs)."""
    stranger = family_member(full_name="Olle Okänd")
    fresh_login(client, leader)
    for outsider in (stranger, staff):
        response = mark_via(client, run.sessions[0], outsider, "present")
        assert response.status_code == 422
        page = html(response)
        assert "Personen är inte anmäld till den här träffen." in page
        assert outsider.full_name not in page
    assert marks(db) == 0


def test_a_person_whose_enrollment_was_cancelled_cannot_be_marked(db, client, fresh_login, run, leader):
    gone = family_member(full_name="Greta Gått")
    enrol(run, gone, status="cancelled")
    fresh_login(client, leader)
    assert "Greta Gått" not in html(client.get(f"/traffar/{run.sessions[0].id}/narvaro"))
    response = mark_via(client, run.sessions[0], gone, "present")
    assert response.status_code == 422
    assert "Personen är inte anmäld till den här träffen." in html(response)
    assert marks(db) == 0


@pytest.mark.parametrize("field", ["user_id", "session_id"])
def test_an_absurdly_large_id_is_refused_with_a_message_not_an_error_page(
    db, client, fresh_login, run, person, leader, field
):
    fresh_login(client, leader)
    data = {"user_id": person.id, "status": "present"}
    data[field] = "9" * 30
    if field == "user_id":
        response = client.post(f"/traffar/{run.sessions[0].id}/narvaro", data=data)
        assert response.status_code == 422
    else:
        fresh_login(client, person)
        response = client.post("/mina-framsteg/franvaro", data={"session_id": "9" * 30, "user_id": person.id})
        assert response.status_code == 422
        assert "Välj en av era kommande träffar." in html(response)
    assert marks(db) == 0


def test_a_present_mark_corrected_to_absent_after_completion_warns_the_leader_and_staff(
    request_context, db, client, fresh_login, run, person, leader, staff
):
    """The rule: a correction never withdraws a completion or a certificate by itself (a tap at
    the door must not revoke a public proof). The leader is told at once, and staff see the
    certificate flagged in their list, so that they can revoke it with a reason."""
    with request_context():
        for session in run.sessions:
            services.record_attendance(session, person, status="present", actor=leader, now=session.starts_at)
    certificate = db.session.scalars(select(Certificate)).one()
    code = certificate.code
    fresh_login(client, staff)
    assert "uppfyller inte längre" not in html(client.get("/admin/intyg"))
    fresh_login(client, leader)
    response = mark_via(client, run.sessions[1], person, "absent")
    assert response.status_code == 303
    page = html(client.get(response.headers["Location"]))
    assert "Åsa Öberg-Älvsjö har redan slutfört kursen och fått intyg" in page
    # The completion and certificate stand until staff decide.
    assert client.get(f"/intyg/{code}").status_code == 200
    fresh_login(client, staff)
    admin = html(client.get("/admin/intyg"))
    assert "Närvaron uppfyller inte längre kursens krav." in admin
    # Marking the person present again clears the warning.
    fresh_login(client, leader)
    response = mark_via(client, run.sessions[1], person, "present")
    assert "har redan slutfört" not in html(client.get(response.headers["Location"]))
    fresh_login(client, staff)
    assert "uppfyller inte längre" not in html(client.get("/admin/intyg"))


def test_an_id_too_large_for_the_database_in_a_url_answers_404(db, client, fresh_login, staff):
    fresh_login(client, staff)
    huge = "9" * 20
    assert client.get(f"/traffar/{huge}/narvaro").status_code == 404
    assert client.get(f"/admin/kurser/{huge}/narvaro").status_code == 404
    assert client.get(f"/intyg/{huge}/pdf").status_code == 404
    assert client.get(f"/framsteg/hushall/{huge}").status_code == 404


def test_an_unknown_code_page_echoes_only_the_code_not_other_text_from_the_address(client, db):
    response = client.get("/intyg/abc-def Ring oss på 070 123 45 67 och uppge ditt personnummer")
    assert response.status_code == 404
    page = html(response)
    assert "Vi har inget intyg med kontrollkoden ABCDEFRINGOSSPÅ070" in page
    assert "kontrollkoden abc-def Ring oss" not in page


def test_the_sheet_with_marks_notices_corrections_and_make_ups_runs_a_fixed_number_of_queries(
    request_context, db, client, fresh_login, count_queries, course_type, leader
):
    from tests.attendance.conftest import enrol_makeup

    def queries_for(households: int) -> int:
        run = started_run(course_type, leaders=[leader])
        other = started_run(course_type, weeks_ago=6)
        session = run.sessions[0]
        with request_context():
            for index in range(households):
                adult = family_member()
                partner = family_member(household=adult.household)
                enrol(run, adult, partner)
                guest = family_member()
                enrol(other, guest)
                enrol_makeup(session, guest)
                db.session.add(AbsenceNotice(session_id=session.id, user_id=partner.id, reason="Sjuk"))
                for person in (adult, guest):
                    services.record_attendance(
                        session, person, status="present", actor=leader, now=session.starts_at
                    )
                    services.record_attendance(
                        session,
                        person,
                        status="absent",
                        remark=f"Rättat {index}",
                        actor=leader,
                        now=session.starts_at,
                    )
        fresh_login(client, leader)
        with count_queries() as statements:
            response = client.get(f"/traffar/{session.id}/narvaro")
        assert response.status_code == 200 and "Rättat" in html(response)
        return len(statements)

    assert queries_for(2) == queries_for(12)


def test_the_certificate_list_runs_a_fixed_number_of_queries(
    request_context, db, client, fresh_login, count_queries, course_type, staff
):
    def queries_for(people: int) -> int:
        run = started_run(course_type)
        with request_context():
            for _ in range(people):
                person = family_member()
                enrol(run, person)
                for session in run.sessions:
                    services.record_attendance(
                        session, person, status="present", actor=staff, now=session.starts_at
                    )
        fresh_login(client, staff)
        with count_queries() as statements:
            response = client.get("/admin/intyg")
        assert response.status_code == 200
        return len(statements)

    assert queries_for(2) == queries_for(10)


def test_exports_never_hand_a_spreadsheet_a_formula(
    request_context, db, client, fresh_login, course_type, leader, staff
):
    titles = ['=HYPERLINK("http://example.invalid","Klicka")', "+1+1", "-2+3", "@SUM(A1)", "\t=1+1"]
    with request_context():
        for title in titles:
            run = started_run(course_type, leaders=[leader], title=title)
            person = family_member()
            enrol(run, person)
            services.record_attendance(
                run.sessions[0], person, status="present", actor=leader, now=run.sessions[0].starts_at
            )
    fresh_login(client, staff)
    csv = client.get("/admin/narvaro/statistik/export.csv?per=run").data.decode("utf-8-sig")
    cells = [line.split(";")[0].strip('"') for line in csv.splitlines()[1:]]
    assert len(cells) == len(titles)
    assert all(cell.startswith("'") for cell in cells), cells
    from openpyxl import load_workbook

    xlsx = client.get("/admin/narvaro/statistik/export.xlsx?per=run").data
    sheet = load_workbook(io.BytesIO(xlsx)).active
    labels = [sheet.cell(row=row, column=1) for row in range(2, len(titles) + 2)]
    assert all(cell.data_type == "s" and str(cell.value).startswith("'") for cell in labels)


@pytest.mark.parametrize(
    "path",
    [
        "/narvaro",
        "/admin/intyg",
        "/admin/narvaro/statistik",
        "/admin/narvaro/statistik/diagram.svg",
        "run",
        "municipal",
    ],
)
def test_a_page_number_too_large_for_the_database_shows_an_empty_page(
    db, client, fresh_login, course_type, staff, path
):
    user = staff
    if path == "run":
        path = f"/admin/kurser/{started_run(course_type).id}/narvaro"
    elif path == "municipal":
        user = UserFactory(municipal=True)
        path = "/kommun/framsteg"
    fresh_login(client, user)
    assert client.get(f"{path}?sida={'9' * 20}").status_code == 200
