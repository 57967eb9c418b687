"""Staff pages for county parts and kinds of home; a family records its kinds on its profile."""

from __future__ import annotations

import re

from sqlalchemy import func, select

from coursehub.accounts.models import CountyPart, HomeKind
from tests.factories import MunicipalityFactory, UserFactory


def _staff_client(client, login_as):
    login_as(client, UserFactory(staff=True))
    return client


def test_staff_add_a_county_part_and_see_which_municipality_is_shared(client, login_as, db):
    vaggeryd, habo = MunicipalityFactory(name="Vaggeryd"), MunicipalityFactory(name="Habo")
    db.session.commit()
    _staff_client(client, login_as)
    for name, towns in (("Norra länsdelen", [habo, vaggeryd]), ("Södra länsdelen", [vaggeryd])):
        response = client.post(
            "/admin/lansdelar", data={"name": name, "municipalities": [m.id for m in towns]}
        )
        assert response.status_code == 302
    html = client.get("/admin/lansdelar").get_data(as_text=True)
    assert "Habo, Vaggeryd</td>" in html
    assert "Kommuner som ligger i mer än en länsdel: Vaggeryd." in html


def test_a_county_part_without_a_municipality_or_name_is_refused_beside_the_field(client, login_as, db):
    MunicipalityFactory(name="Habo")
    db.session.commit()
    _staff_client(client, login_as)
    html = client.post("/admin/lansdelar", data={"name": "  "}).get_data(as_text=True)
    assert re.search(r'id="name-error"[^>]*>Skriv ett namn\.<', html)
    assert "Välj minst en kommun i länsdelen." in html
    assert db.session.scalar(select(func.count(CountyPart.id))) == 0


def test_a_duplicate_county_part_name_is_refused(client, login_as, db):
    habo = MunicipalityFactory(name="Habo")
    db.session.commit()
    _staff_client(client, login_as)
    client.post("/admin/lansdelar", data={"name": "Norr", "municipalities": [habo.id]})
    html = client.post("/admin/lansdelar", data={"name": "norr", "municipalities": [habo.id]}).get_data(
        as_text=True
    )
    assert "Det finns redan en länsdel med det namnet." in html
    assert db.session.scalar(select(func.count(CountyPart.id))) == 1


def test_staff_extend_the_kinds_of_home(client, login_as, db):
    _staff_client(client, login_as)
    assert client.post("/admin/hemtyper", data={"name": "Jourhem"}).status_code == 302
    html = client.post("/admin/hemtyper", data={"name": "JOURHEM"}).get_data(as_text=True)
    assert "Det finns redan en hemtyp med det namnet." in html
    assert [k.name for k in db.session.scalars(select(HomeKind))] == ["Jourhem"]


def test_a_family_records_the_kinds_it_is_open_to(client, login_as, db):
    jour, network = HomeKind(name="Jourhem"), HomeKind(name="Nätverkshem")
    db.session.add_all([jour, network])
    parent = UserFactory(family=True)
    db.session.commit()
    login_as(client, parent)
    page = client.get("/profil").get_data(as_text=True)
    assert "Era uppdrag" in page and "Nätverkshem</label>" in page
    assert client.post("/profil/uppdrag", data={"home_kinds": [jour.id]}).status_code == 302
    db.session.expire_all()
    assert [k.name for k in parent.household.home_kinds] == ["Jourhem"]
    assert re.search(
        rf'value="{jour.id}"[^>]*checked|checked[^>]*value="{jour.id}"',
        client.get("/profil").get_data(as_text=True),
    )
