"""The organisation's own details reach people where they need them; the statement is complete."""

from __future__ import annotations

from datetime import date

import pytest

from coursehub.lib.organisation import organisation_details

DETAILS = {
    "COURSEHUB_ORGANISATION": "Familjehemsresursen i Exempellän",
    "COURSEHUB_CONTACT_PHONE": "0123-45 67 89",
    "COURSEHUB_CONTACT_PHONE_HOURS": "tisdagar kl. 13–15",
    "COURSEHUB_CONTACT_EMAIL": "hej@exempel.test",
    "COURSEHUB_CONTACT_POSTAL_ADDRESS": ("Box 7", "123 45 Exempelstad"),
    "COURSEHUB_CLOSURE_WEEKS": (29, 30, 31, 52),
    "COURSEHUB_ACCESSIBILITY_REVIEWED": "2026-11-20",
}


@pytest.fixture
def app_config():
    return dict(DETAILS)


def html(response) -> str:
    return response.get_data(as_text=True)


def assert_contact_details(page: str) -> None:
    assert 'href="tel:+46123456789"' in page and "0123-45 67 89" in page
    assert "tisdagar kl. 13–15" in page
    assert 'href="mailto:hej@exempel.test"' in page


@pytest.mark.parametrize("path", ["/", "/kurser", "/kontakt", "/personuppgifter", "/tillganglighet"])
def test_every_page_has_the_organisations_details_in_its_footer(client, path):
    page = html(client.get(path))
    footer = page[page.index("<footer") :]
    assert_contact_details(footer)
    assert "Box 7" in footer and "123 45 Exempelstad" in footer
    assert "Vi har stängt veckorna 29–31 och 52." in footer
    assert 'href="/tillganglighet"' in footer and 'href="/personuppgifter"' in footer
    assert 'href="/kontakt"' in footer


def test_the_contact_page_says_how_to_reach_us(client):
    page = html(client.get("/kontakt"))
    assert "<h1>Kontakt och hjälp</h1>" in page
    main = page[page.index("<main") : page.index("</main>")]
    assert_contact_details(main)
    assert "Box 7, 123 45 Exempelstad" in main


def test_the_not_found_page_says_what_happened_and_whom_to_call(client):
    response = client.get("/sidan-finns-inte")
    assert response.status_code == 404
    main = html(response)[html(response).index("<main") :]
    assert "Sidan finns inte" in main and "Kontrollera adressen" in main
    assert_contact_details(main[: main.index("</main>")])


def test_the_accessibility_statement_is_complete(client):
    page = html(client.get("/tillganglighet"))
    main = page[page.index("<main") : page.index("</main>")]
    assert "delvis förenlig med lagen om tillgänglighet till digital offentlig service" in main
    assert "<h2>Kända brister</h2>" in main and "pdf" in main
    assert_contact_details(main)
    assert 'href="https://www.digg.se/tdosanmalan"' in main and "Digg" in main
    assert "granskades senast den 20 november 2026" in main


def test_the_privacy_page_names_who_is_responsible_and_the_rights(client):
    page = html(client.get("/personuppgifter"))
    assert "Familjehemsresursen i Exempellän är ansvarig" in page
    assert "Integritetsskyddsmyndigheten" in page


def test_one_closure_week_reads_in_the_singular(client, app):
    app.config["COURSEHUB_CLOSURE_WEEKS"] = (52,)
    assert "Vi har stängt vecka 52." in html(client.get("/kontakt"))
    app.config["COURSEHUB_CLOSURE_WEEKS"] = ()
    assert "Vi har stängt" not in html(client.get("/kontakt"))


def test_details_come_from_the_environment_as_comma_separated_lists():
    org = organisation_details(
        {
            **DETAILS,
            "COURSEHUB_CONTACT_POSTAL_ADDRESS": "Box 7, 123 45 Exempelstad",
            "COURSEHUB_CLOSURE_WEEKS": "52, 1",
        }
    )
    assert org.postal_address == ("Box 7", "123 45 Exempelstad")
    assert org.closure_ranges() == [(1, 1), (52, 52)]
    assert org.is_closed(date(2026, 12, 24)) and not org.is_closed(date(2026, 12, 1))
