"""The app starts, the start page speaks Swedish and points to the catalogue."""

from tests.factories import CourseRunFactory, EnrollmentFactory, UserFactory


def test_start_page_is_swedish_and_links_to_catalogue(client):
    page = client.get("/")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert '<html lang="sv">' in html
    assert "Välkommen till familjehemsresursen" in html
    assert 'href="/kurser"' in html
    assert 'href="/tillganglighet"' in html


def test_factories_build_a_run_with_a_confirmed_household(db):
    run = CourseRunFactory(course_type__themes=8)
    enrollment = EnrollmentFactory(run=run)
    assert len(run.sessions) == 8
    assert run.starts_at == run.sessions[0].starts_at
    assert enrollment.seats == 1
    assert UserFactory(staff=True).is_staff
