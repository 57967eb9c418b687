"""Make-up sessions booked from the progress pages, and advance absence notices taken back."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from coursehub.attendance import services
from coursehub.attendance.models import AbsenceNotice
from coursehub.enrollment.models import Enrollment
from tests.attendance.conftest import enrol, enrol_makeup, family_member, started_run
from tests.factories import HouseholdFactory, MunicipalityFactory, UserFactory


def html(response) -> str:
    return response.get_data(as_text=True)


def makeups(db) -> int:
    return db.session.scalar(
        select(func.count()).select_from(Enrollment).where(Enrollment.makeup_session_id.is_not(None))
    )


@pytest.fixture
def missed(request_context, db, course_type, leader):
    """Åsa went to themes 1 and 3 of her run but missed theme 2; another run is coming up."""
    home = started_run(course_type, weeks_ago=4, leaders=[leader], title="Våren")
    asa = family_member(full_name="Åsa Öberg", household=HouseholdFactory(name="Familjen Öberg"))
    enrol(home, asa)
    with request_context():
        for session, status in zip(home.sessions, ("present", "absent", "present"), strict=True):
            services.record_attendance(
                session, asa, status=status, actor=leader, now=home.sessions[-1].starts_at
            )
    other_leader = UserFactory(roles=["leader"], full_name="Olle Ledare")
    other = started_run(course_type, weeks_ago=-1, leaders=[other_leader], title="Hösten")
    db.session.commit()
    return asa, other, other_leader


def sign_up(client, url, session, person, **extra):
    return client.post(url, data={"session_id": session.id, "user_id": person.id, **extra})


def test_family_makes_up_a_theme_and_it_counts_once_marked_present(db, client, fresh_login, clock, missed):
    asa, other, other_leader = missed
    theme2 = other.sessions[1]
    fresh_login(client, asa)
    page = html(client.get("/mina-framsteg"))
    assert "Inte klar ännu: 2 av 3 teman, 3 behövs." in page
    assert "Ta igen missade teman" in page and "Ett hem att växa i: Tema 2" in page
    assert "Hösten" in page and "Platser kvar: 20." in page
    assert "Anmäl till den här träffen" in page
    # The themes she already has are not offered again.
    assert "Ett hem att växa i: Tema 1" not in page

    response = sign_up(client, "/mina-framsteg/igentagning", theme2, asa)
    assert response.status_code == 303
    page = html(client.get(response.location))
    assert "Åsa Öberg är anmäld till Tema 2" in page
    assert "Ta igen missade teman" not in page  # booked: now under the coming sessions
    assert makeups(db) == 1

    clock.set(theme2.starts_at + timedelta(minutes=10))
    fresh_login(client, other_leader)
    response = client.post(f"/traffar/{theme2.id}/narvaro", data={"user_id": asa.id, "status": "present"})
    assert response.status_code == 303
    fresh_login(client, asa)
    page = html(client.get("/mina-framsteg"))
    assert "Klar" in page and "Inte klar än" not in page
    assert "Hösten" in page  # the theme row names the run where it was made up


def test_a_full_run_refuses_the_make_up_with_a_message(db, client, fresh_login, missed):
    asa, other, _leader = missed
    other.capacity = 1
    enrol(other, family_member())
    fresh_login(client, asa)
    page = html(client.get("/mina-framsteg"))
    assert "Fullt – inga platser kvar." in page and "Anmäl till den här träffen" not in page
    response = sign_up(client, "/mina-framsteg/igentagning", other.sessions[1], asa)
    assert response.status_code == 303
    page = html(client.get(response.location))
    assert "Åsa Öberg kunde inte anmälas" in page and "inte tillräckligt många platser" in page
    assert makeups(db) == 0


def test_the_page_shows_the_sessions_own_free_seats(db, client, fresh_login, missed):
    asa, other, _leader = missed
    other.capacity = 2
    enrol_makeup(other.sessions[0], family_member(), family_member())  # theme 1 is full, theme 2 is not
    db.session.commit()
    fresh_login(client, asa)
    page = html(client.get("/mina-framsteg"))
    assert "Platser kvar: 2." in page and "Anmäl till den här träffen" in page
    response = sign_up(client, "/mina-framsteg/igentagning", other.sessions[1], asa)
    assert "är anmäld till" in html(client.get(response.location))
    assert makeups(db) == 2


def test_signing_up_twice_is_refused_with_a_message(db, client, fresh_login, missed):
    asa, other, _leader = missed
    fresh_login(client, asa)
    sign_up(client, "/mina-framsteg/igentagning", other.sessions[1], asa)
    page = html(client.get(sign_up(client, "/mina-framsteg/igentagning", other.sessions[1], asa).location))
    # The theme is now planned for her: the rule of planned themes answers first.
    assert "kunde inte anmälas" in page and "redan en kommande träff" in page
    assert makeups(db) == 1


def test_a_theme_already_attended_or_already_planned_is_refused_with_a_message(
    db, client, fresh_login, course_type, missed
):
    asa, other, _leader = missed
    later = started_run(course_type, weeks_ago=-3, title="Vintern")
    fresh_login(client, asa)
    # Theme 1 she has already: not offered, and a posted id for it is refused.
    page = html(client.get(sign_up(client, "/mina-framsteg/igentagning", other.sessions[0], asa).location))
    assert "kunde inte anmälas" in page and "saknar inte" in page
    assert makeups(db) == 0
    # Theme 2 once planned in one run: another run's session of it is refused.
    sign_up(client, "/mina-framsteg/igentagning", other.sessions[1], asa)
    page = html(client.get(sign_up(client, "/mina-framsteg/igentagning", later.sessions[1], asa).location))
    assert "kunde inte anmälas" in page and "redan en kommande träff" in page
    assert makeups(db) == 1


def test_a_family_cannot_sign_up_someone_outside_its_household(db, client, fresh_login, missed):
    asa, other, _leader = missed
    stranger = family_member()
    fresh_login(client, stranger)
    assert sign_up(client, "/mina-framsteg/igentagning", other.sessions[1], asa).status_code == 404
    assert makeups(db) == 0


def test_municipal_worker_signs_up_own_families_and_gets_404_for_others(db, client, fresh_login, missed):
    asa, other, _leader = missed
    worker = UserFactory(municipal=True, municipality=asa.household.municipality)
    outsider = UserFactory(municipal=True, municipality=MunicipalityFactory(name="Vetlanda"))
    fresh_login(client, outsider)
    assert sign_up(client, "/framsteg/igentagning", other.sessions[1], asa).status_code == 404
    assert client.get(f"/framsteg/hushall/{asa.household_id}").status_code == 404
    assert makeups(db) == 0

    fresh_login(client, worker)
    page = html(client.get("/kommun/framsteg"))
    assert "Ett hem att växa i: Tema 2" in page and "Anmäl till den här träffen" in page
    response = sign_up(client, "/framsteg/igentagning", other.sessions[1], asa, page=1)
    assert response.status_code == 303 and "/kommun/framsteg" in response.location
    assert "Åsa Öberg är anmäld till Tema 2" in html(client.get(response.location))
    assert makeups(db) == 1


def test_staff_see_a_household_and_sign_up_for_a_make_up(db, client, fresh_login, missed):
    asa, other, _leader = missed
    fresh_login(client, UserFactory(staff=True))
    page = html(client.get(f"/framsteg/hushall/{asa.household_id}"))
    assert "Framsteg: Familjen Öberg" in page and "Ett hem att växa i: Tema 2" in page
    response = sign_up(client, "/framsteg/igentagning", other.sessions[1], asa)
    assert response.location.endswith(f"/framsteg/hushall/{asa.household_id}")
    assert "Åsa Öberg är anmäld till Tema 2" in html(client.get(response.location))
    assert makeups(db) == 1


def test_withdrawing_a_notice_removes_it_from_the_sheet(db, client, fresh_login, course_type, leader):
    run = started_run(course_type, weeks_ago=-1, leaders=[leader])
    anna = family_member(full_name="Anna Berg")
    enrol(run, anna)
    session = run.sessions[0]
    fresh_login(client, anna)
    client.post(
        "/mina-framsteg/franvaro", data={"session_id": session.id, "user_id": anna.id, "reason": "Jobbresa"}
    )
    notice = db.session.scalars(select(AbsenceNotice)).one()
    fresh_login(client, leader)
    assert "Jobbresa" in html(client.get(f"/traffar/{session.id}/narvaro"))

    # Another family cannot take it back.
    fresh_login(client, family_member())
    assert client.post(f"/mina-framsteg/franvaro/{notice.id}/ta-tillbaka").status_code == 404

    fresh_login(client, anna)
    response = client.post(f"/mina-framsteg/franvaro/{notice.id}/ta-tillbaka")
    assert response.status_code == 303
    page = html(client.get(response.location))
    assert "Frånvaroanmälan för Anna Berg till Tema 1 är borttagen." in page
    assert "Anmäl frånvaro" in page
    assert db.session.scalar(select(func.count()).select_from(AbsenceNotice)) == 0
    fresh_login(client, leader)
    sheet = html(client.get(f"/traffar/{session.id}/narvaro"))
    assert "Jobbresa" not in sheet and "Har anmält frånvaro i förväg" not in sheet


def test_a_notice_cannot_be_taken_back_once_the_session_has_begun(
    db, client, fresh_login, clock, course_type, leader
):
    run = started_run(course_type, weeks_ago=-1, leaders=[leader])
    anna = family_member(full_name="Anna Berg")
    enrol(run, anna)
    fresh_login(client, anna)
    client.post("/mina-framsteg/franvaro", data={"session_id": run.sessions[0].id, "user_id": anna.id})
    notice = db.session.scalars(select(AbsenceNotice)).one()
    clock.set(run.sessions[0].starts_at + timedelta(minutes=1))
    fresh_login(client, anna)
    response = client.post(f"/mina-framsteg/franvaro/{notice.id}/ta-tillbaka")
    assert "redan börjat" in html(client.get(response.location))
    assert db.session.scalar(select(func.count()).select_from(AbsenceNotice)) == 1


def test_progress_pages_with_make_up_offers_run_a_fixed_number_of_queries(
    request_context, db, client, fresh_login, count_queries, leader
):
    from tests.factories import CourseTypeFactory

    home = MunicipalityFactory()
    worker = UserFactory(municipal=True, municipality=home)

    def queries_for(types: int) -> tuple[int, ...]:
        household = HouseholdFactory(municipality=home)
        adult = family_member(household=household)
        for _ in range(types):
            course_type = CourseTypeFactory(themes=3)
            run = started_run(course_type, leaders=[leader])
            enrol(run, adult)
            for _other in range(2):
                started_run(course_type, weeks_ago=-1)
            with request_context():
                services.record_attendance(
                    run.sessions[0], adult, status="present", actor=leader, now=run.sessions[2].starts_at
                )
        db.session.commit()
        counts = []
        for user, url in (
            (adult, "/mina-framsteg"),
            (worker, "/kommun/framsteg"),
            (UserFactory(staff=True), f"/framsteg/hushall/{household.id}"),
        ):
            fresh_login(client, user)
            with count_queries() as statements:
                page = html(client.get(url))
            assert page.count("Anmäl till den här träffen") >= 2 * types
            counts.append(len(statements))
        return tuple(counts)

    assert queries_for(1) == queries_for(4)


def test_staff_reach_a_household_from_the_run_overview_and_leaders_do_not(client, db, login_as):
    from tests.factories import CourseRunFactory, EnrollmentFactory, UserFactory

    leader = UserFactory(leader=True)
    run = CourseRunFactory(leaders=[leader])
    enrollment = EnrollmentFactory(run=run)
    db.session.commit()
    link = f'/framsteg/hushall/{enrollment.household_id}"'
    login_as(client, UserFactory(staff=True))
    assert link in client.get(f"/admin/kurser/{run.id}/narvaro").get_data(as_text=True)
    login_as(client, leader)
    page = client.get(f"/admin/kurser/{run.id}/narvaro").get_data(as_text=True)
    assert enrollment.household.name in page and link not in page


def _offered_runs(page: str, person) -> list[str]:
    """The runs named in the person's make-up offers on a progress page."""
    section = re.search(rf'<section aria-labelledby="makeup-{person.id}".*?</section>', page, re.S)
    return re.findall(r"Omgång \d\d", section.group(0)) if section else []


def test_make_up_offers_read_the_sessions_shown_not_every_coming_run(db, client, fresh_login, missed):
    """Åsa lacks theme 2. Her household's other adult is signed up (alone) for the first coming run,
    which is therefore not offered to her; the next three are, in date order. Whether a dozen or
    forty runs are coming, the database sends the page the same rows."""
    from tests.support.sql import count_traffic

    asa, other, _leader = missed
    course_type = other.course_type
    partner = family_member(full_name="Per Öberg", household=asa.household)
    own = started_run(course_type, weeks_ago=-2, title="Omgång 01")
    enrol(own, partner)
    for n in range(2, 6):
        started_run(course_type, weeks_ago=-2 - n, title=f"Omgång {n:02d}")
    db.session.commit()
    fresh_login(client, asa)
    # "Hösten" (the missed fixture's coming run) starts first of all; then Omgång 01, which is
    # her household's own run and not hers to make up in.
    assert _offered_runs(html(client.get("/mina-framsteg")), asa) == ["Omgång 02", "Omgång 03"]
    with count_traffic(db.engine) as few:
        client.get("/mina-framsteg")
    for n in range(6, 40):
        started_run(course_type, weeks_ago=-2 - n, title=f"Omgång {n:02d}")
    db.session.commit()
    with count_traffic(db.engine) as many:
        page = html(client.get("/mina-framsteg"))
    assert _offered_runs(page, asa) == ["Omgång 02", "Omgång 03"]
    assert len(many.statements) == len(few.statements)
    # Every coming session of the theme was loaded (with its run and venues) and every run's seats
    # counted: 5 -> 39 runs sent some 40 rows more. Now the first few of each theme only.
    assert many.rows == few.rows, (few.rows, many.rows)


def test_nothing_lacking_asks_nothing_of_make_ups(request_context, db, count_queries, course_type, leader):
    """A family that has every theme (or lacks only what it has planned) is offered nothing: the
    make-up offers read no sign-ups and no sessions when nothing at all is lacking, and read the
    plans when a theme is lacking."""
    from coursehub import clock
    from coursehub.attendance import queries

    done = family_member()
    going = family_member()
    run = started_run(course_type, weeks_ago=5, leaders=[leader])
    enrol(run, done)
    enrol(run, going)
    with request_context():
        for session in run.sessions:
            services.record_attendance(
                session, done, status="present", actor=leader, now=session.starts_at + timedelta(hours=1)
            )
    db.session.commit()
    now = clock.now()
    progress = queries.progress_for_users([done.id, going.id])
    assert [course.is_complete for course in progress[done.id]] == [True]
    assert [course.is_complete for course in progress[going.id]] == [False]

    with count_queries() as statements:
        offers = queries.makeup_candidates([done], progress, now=now)
    assert offers == {done.id: []}
    assert statements == []

    with count_queries() as statements:
        offers = queries.makeup_candidates([going], progress, now=now)
    assert len(statements) >= 1  # the plans: what the lacking themes may already have booked
