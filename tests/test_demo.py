"""`flask seed-demo`: what `make run` loads, safe to run twice, and every demo login works."""

import re

import pytest
from sqlalchemy import func, select

from coursehub.accounts.demo import DEMO_PASSWORD, MUNICIPALITIES, USERS
from coursehub.accounts.models import Municipality, User
from coursehub.courses.models import CourseRun, RunStatus
from coursehub.extensions import db

# The menu each demo user should see (apart from Start and Kurser, which everyone sees).
EXPECTED_MENU = {
    "astrid.lind": {"Användare", "Logg", "Utkorg", "Kursadministration", "Närvaro", "Intyg"},
    "sara.berg": {"Användare", "Logg", "Utkorg", "Kursadministration", "Närvaro", "Intyg"},
    "lars.holm": {"Mina kurser", "Närvaro"},
    "maria.ek": {"Hushåll i kommunen", "Godkännanden", "Familjernas framsteg"},
    "nils.strand": set(),
    "fatima.andersson": {"Mina kurser", "Mina framsteg"},
    "goran.sjo": {"Närvarostatistik", "Deltagare per kommun"},
}
STAFF_ONLY = {"Användare", "Logg", "Utkorg", "Kursadministration", "Intyg"}


@pytest.fixture
def seeded(app, runner):
    first = runner.invoke(args=["seed-demo"])
    assert first.exit_code == 0, first.output
    return first.output


def test_seed_prints_every_login_and_runs_twice_without_duplicates(runner, seeded):
    for username, *_ in USERS:
        assert username in seeded
    assert DEMO_PASSWORD in seeded
    counts = (
        db.session.scalar(select(func.count()).select_from(User)),
        db.session.scalar(select(func.count()).select_from(CourseRun)),
    )
    again = runner.invoke(args=["seed-demo"])
    assert again.exit_code == 0, again.output
    assert (
        db.session.scalar(select(func.count()).select_from(User)),
        db.session.scalar(select(func.count()).select_from(CourseRun)),
    ) == counts


def test_seed_has_the_county_and_a_living_catalogue(client, seeded):
    municipalities = db.session.scalars(select(Municipality)).all()
    assert len(municipalities) == len(MUNICIPALITIES) == 13
    assert {m.name for m in municipalities if not m.is_member} == {"Vetlanda"}
    assert all(m.latitude and m.longitude for m in municipalities)
    published = db.session.scalar(
        select(func.count()).select_from(CourseRun).where(CourseRun.status == RunStatus.PUBLISHED)
    )
    assert published >= 3
    assert "Ett hem att växa i" in client.get("/kurser").get_data(as_text=True)


@pytest.mark.parametrize("username", sorted(EXPECTED_MENU))
def test_each_demo_user_logs_in_and_sees_a_menu_that_fits(client, seeded, username):
    response = client.post("/logga-in", data={"login": username, "password": DEMO_PASSWORD})
    assert response.status_code == 302, response.get_data(as_text=True)
    html = client.get("/").get_data(as_text=True)
    # The whole menu, its disclosures' nested lists included (up to the end of the <nav>).
    menu_html = re.search(r'<ul class="navbar-nav[^>]*>(.*?)</nav>', html, re.S).group(1)
    menu = set(re.findall(r">([^<>]+)</a></li>", menu_html)) - {"Start", "Kurser"}
    assert EXPECTED_MENU[username] <= menu, menu
    if username not in ("astrid.lind", "sara.berg"):
        assert not (menu & STAFF_ONLY), menu


def test_seed_has_the_county_parts_and_a_run_for_the_south(client, seeded):
    from coursehub.accounts.models import CountyPart, HomeKind

    parts = {p.name: {m.name for m in p.municipalities} for p in db.session.scalars(select(CountyPart))}
    assert "Värnamo" in parts["Södra länsdelen"] and "Habo" in parts["Norra länsdelen"]
    assert not parts["Södra länsdelen"] & parts["Norra länsdelen"]
    assert set(db.session.scalars(select(HomeKind.name))) == {
        "Familjehem",
        "Jourhem",
        "Kontaktfamilj",
        "Nätverkshem",
    }
    south = db.session.scalars(select(CountyPart.id).where(CountyPart.name == "Södra länsdelen")).one()
    north = db.session.scalars(select(CountyPart.id).where(CountyPart.name == "Norra länsdelen")).one()
    in_south = client.get(f"/kurser?lansdel={south}").get_data(as_text=True)
    in_north = client.get(f"/kurser?lansdel={north}").get_data(as_text=True)
    assert "Ett hem att växa i, Värnamo" in in_south and "Ett hem att växa i, Värnamo" not in in_north


def test_seed_has_recruitment_cases_on_the_board_and_a_request(client, runner, seeded):
    from coursehub.recruitment.models import Case, Channel, Request, Step

    steps = sorted(c.step.value for c in db.session.scalars(select(Case)))
    assert steps == sorted([Step.REGISTERED.value, Step.INTERVIEW.value, Step.CHECKS.value])
    assert db.session.scalar(select(func.count()).select_from(Channel)) == 4
    assert db.session.scalar(select(func.count()).select_from(Request)) == 1
    again = runner.invoke(args=["seed-demo"])
    assert again.exit_code == 0, again.output
    assert db.session.scalar(select(func.count()).select_from(Case)) == 3
    assert db.session.scalar(select(func.count()).select_from(Request)) == 1
    client.post("/logga-in", data={"login": "sara.berg", "password": DEMO_PASSWORD})
    board = client.get("/rekrytering/").get_data(as_text=True)
    assert board.count('href="/rekrytering/arenden/') == 3
