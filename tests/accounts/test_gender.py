"""A person's optional gender: set on their own profile and by staff, refused when not offered."""

from __future__ import annotations

import re

import pytest

from coursehub.accounts import services
from coursehub.accounts.errors import AccountError
from coursehub.accounts.models import Gender, Role
from coursehub.errors import PermissionDeniedError
from coursehub.extensions import db
from tests.factories import UserFactory

NOTE = "Frivilligt. Uppgiften används bara för att räkna antal i rapporter"


def _checked(html: str) -> str:
    """The label of the checked gender radio button."""
    box = re.search(
        r'<input[^>]*checked[^>]*name="gender"[^>]*>|<input[^>]*name="gender"[^>]*checked[^>]*>', html
    )
    box_id = re.search(r'id="([^"]+)"', box.group(0)).group(1)
    return re.search(rf'<label[^>]*for="{box_id}"[^>]*>([^<]*)</label>', html).group(1)


def test_a_person_sets_and_clears_their_own_gender(client, login_as):
    person = UserFactory(family=True)
    db.session.commit()
    login_as(client, person)
    page = client.get("/profil").get_data(as_text=True)
    assert NOTE in page and _checked(page) == "Vill inte ange"
    for label in ("Kvinna", "Man", "Annat", "Vill inte ange"):
        assert f">{label}</label>" in page

    response = client.post("/profil/kon", data={"gender": "woman"})
    assert response.status_code == 302
    db.session.refresh(person)
    assert person.gender == Gender.WOMAN
    assert _checked(client.get("/profil").get_data(as_text=True)) == "Kvinna"

    client.post("/profil/kon", data={"gender": ""})
    db.session.refresh(person)
    assert person.gender is None


def test_a_value_not_offered_gets_a_message_and_nothing_is_saved(client, login_as):
    person = UserFactory(family=True, gender=Gender.MAN)
    db.session.commit()
    login_as(client, person)
    response = client.post("/profil/kon", data={"gender": "kvinna"})
    assert response.status_code == 200
    assert '<div id="gender-error" class="invalid-feedback d-block">Välj ett av alternativen.</div>' in (
        response.get_data(as_text=True)
    )
    db.session.refresh(person)
    assert person.gender == Gender.MAN


def test_staff_set_a_persons_gender_and_a_form_without_it_keeps_it(client, login_as):
    staff = UserFactory(staff=True)
    person = UserFactory(full_name="Ada Berg", roles=[Role.MEMBER])
    db.session.commit()
    login_as(client, staff)
    url = f"/admin/anvandare/{person.id}"
    page = client.get(url).get_data(as_text=True)
    assert NOTE in page and _checked(page) == "Vill inte ange"

    details = {"full_name": "Ada Berg", "phone": "", "roles": ["member"], "municipality": ""}
    assert client.post(url, data={**details, "gender": "another"}).status_code == 302
    db.session.refresh(person)
    assert person.gender == Gender.ANOTHER
    assert _checked(client.get(url).get_data(as_text=True)) == "Annat"

    assert client.post(url, data=details).status_code == 302  # no gender posted: left as it was
    db.session.refresh(person)
    assert person.gender == Gender.ANOTHER

    response = client.post(url, data={**details, "gender": "other"})
    assert response.status_code == 200 and "Välj ett av alternativen." in response.get_data(as_text=True)
    db.session.refresh(person)
    assert person.gender == Gender.ANOTHER


def test_the_service_refuses_a_value_it_does_not_know(app):
    person = UserFactory()
    with pytest.raises(AccountError) as refused:
        services.update_gender(person, gender="female", actor=person)
    assert refused.value.field == "gender" and person.gender is None


def test_staff_may_not_set_the_gender_of_a_staff_account(app):
    colleague = UserFactory(staff=True)
    with pytest.raises(PermissionDeniedError):
        services.update_gender(colleague, gender="man", actor=UserFactory(staff=True))
    assert colleague.gender is None
