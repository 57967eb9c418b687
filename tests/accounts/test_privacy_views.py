"""The pages of a person's own data: "Mina uppgifter", staff's export and the erasure page."""

from __future__ import annotations

import json

import sqlalchemy as sa

from coursehub.accounts.models import AuditEntry, Role, User
from coursehub.extensions import db
from tests.attendance.factories import CertificateFactory, CompletionFactory
from tests.factories import PASSWORD, HouseholdFactory, UserFactory


def _family():
    return UserFactory(
        full_name="Bo Lind",
        email="bo.lind@hem.test",
        phone="070-111 22 33",
        roles=[Role.FAMILY],
        household=HouseholdFactory(name="Familjen Lind"),
    )


def _audited(action: str) -> list[tuple[int | None, int | None]]:
    rows = db.session.scalars(
        sa.select(AuditEntry).where(AuditEntry.action == action).order_by(AuditEntry.id)
    )
    return [(row.actor_id, row.object_id) for row in rows]


def test_a_family_downloads_its_data_as_json_and_as_a_printable_page(client, login_as, db):
    bo = _family()
    db.session.commit()
    login_as(client, bo)
    page = client.get("/profil/mina-uppgifter")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert (
        "Mina uppgifter" in text
        and "/profil/mina-uppgifter.json" in text
        and "/profil/mina-uppgifter.html" in text
    )

    as_json = client.get("/profil/mina-uppgifter.json")
    assert as_json.status_code == 200 and "attachment" in as_json.headers["Content-Disposition"]
    assert as_json.headers["Cache-Control"] == "no-store"
    data = json.loads(as_json.get_data(as_text=True))
    assert data["Uppgifter"]["accounts"]["Konto"][0]["Telefon"] == "070-111 22 33"

    as_html = client.get("/profil/mina-uppgifter.html")
    assert as_html.status_code == 200 and as_html.mimetype == "text/html"
    html = as_html.get_data(as_text=True)
    assert "Uppgifter om Bo Lind" in html and "Familjen Lind" in html and "css/personal_data.css" in html
    assert "style=" not in html and "<style" not in html and "<script" not in html
    assert _audited("person.export") == [(bo.id, bo.id), (bo.id, bo.id)]


def test_staff_export_a_persons_data_and_the_export_is_audited(client, login_as, db):
    bo, staff = _family(), UserFactory(staff=True)
    db.session.commit()
    login_as(client, staff)
    response = client.get(f"/admin/anvandare/{bo.id}/uppgifter.json")
    assert response.status_code == 200
    assert (
        json.loads(response.get_data(as_text=True))["Uppgifter"]["accounts"]["Konto"][0]["Namn"] == "Bo Lind"
    )
    assert _audited("person.export") == [(staff.id, bo.id)]


def test_staff_erase_a_person_after_confirming_with_a_reason(client, login_as, db, clock):
    bo, staff = _family(), UserFactory(staff=True)
    certificate = CertificateFactory(completion=CompletionFactory(user=bo))
    db.session.commit()
    login_as(client, staff)
    confirm = client.get(f"/admin/anvandare/{bo.id}/radera")
    assert confirm.status_code == 200
    assert "Ta bort uppgifter om Bo Lind" in confirm.get_data(as_text=True)
    assert "återkallas" in confirm.get_data(as_text=True)

    missing = client.post(f"/admin/anvandare/{bo.id}/radera", data={"reason": "  "})
    assert "Skriv varför uppgifterna tas bort" in missing.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(User, bo.id).full_name == "Bo Lind"  # nothing half-done

    done = client.post(
        f"/admin/anvandare/{bo.id}/radera", data={"reason": "Begäran per brev"}, follow_redirects=True
    )
    assert "Uppgifterna om Bo Lind är borttagna." in done.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(User, bo.id).full_name == "Borttagen person"
    assert _audited("person.erase") == [(staff.id, bo.id)]

    client.post("/logga-ut")
    refused = client.post("/logga-in", data={"login": "bo.lind@hem.test", "password": PASSWORD})
    assert "Fel e-postadress, användarnamn eller lösenord." in refused.get_data(as_text=True)

    check = client.get(f"/intyg/{certificate.code}")
    assert check.status_code == 410
    assert "Intyget gäller inte." in check.get_data(as_text=True) and "Bo Lind" not in check.get_data(
        as_text=True
    )


def test_staff_cannot_erase_a_staff_account_nor_their_own(client, login_as, db):
    staff, colleague = UserFactory(staff=True), UserFactory(staff=True, full_name="Kim Kollega")
    db.session.commit()
    login_as(client, staff)
    page = client.get(f"/admin/anvandare/{colleague.id}/radera").get_data(as_text=True)
    assert "Bara en administratör" in page and 'name="reason"' not in page
    client.post(f"/admin/anvandare/{colleague.id}/radera", data={"reason": "Försök"})
    client.post(f"/admin/anvandare/{staff.id}/radera", data={"reason": "Försök"})
    db.session.expire_all()
    assert db.session.get(User, colleague.id).full_name == "Kim Kollega"
    assert _audited("person.erase") == []
