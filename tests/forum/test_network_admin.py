"""Staff and admins create networks and change their names and descriptions; others cannot."""

from __future__ import annotations

from sqlalchemy import select

from coursehub.extensions import db
from coursehub.forum.models import DESCRIPTION_MAX, NAME_MAX, Network
from tests.factories import UserFactory
from tests.forum.factories import MembershipFactory, NetworkFactory


def html(response) -> str:
    return response.get_data(as_text=True)


def _names() -> set[str]:
    return set(db.session.scalars(select(Network.name)))


def test_staff_create_a_network_and_are_sent_to_add_its_members(db, client, login_as):
    login_as(client, UserFactory(staff=True))
    assert 'href="/natverk/ny"' in html(client.get("/natverk/"))
    response = client.post(
        "/natverk/ny",
        data={"name": "  Nätverket för familjehemssekreterare ", "description": "Vi ses varje månad."},
    )
    network = db.session.scalars(
        select(Network).where(Network.name == "Nätverket för familjehemssekreterare")
    ).one()
    assert network is not None
    assert network.description == "Vi ses varje månad."
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/natverk/{network.id}/medlemmar")
    assert "Vi ses varje månad." in html(client.get("/natverk/"))


def test_bad_names_get_a_message_beside_the_field_and_nothing_is_saved(db, client, login_as):
    NetworkFactory(name="Styrgruppen")
    admin = UserFactory(admin=True)
    db.session.commit()  # a refused request rolls back
    login_as(client, admin)
    cases = [
        ({"name": "   "}, "Skriv ett namn på nätverket."),
        ({"name": "x" * (NAME_MAX + 1)}, f"Namnet får vara högst {NAME_MAX} tecken."),
        ({"name": "Styrgruppen"}, "Det finns redan ett nätverk med det namnet."),
        (
            {"name": "Nytt", "description": "y" * (DESCRIPTION_MAX + 1)},
            f"Beskrivningen får vara högst {DESCRIPTION_MAX} tecken.",
        ),
    ]
    for data, message in cases:
        response = client.post("/natverk/ny", data=data)
        assert response.status_code == 422, data
        page = html(response)
        assert message in page
        assert 'aria-invalid="true"' in page
    assert _names() == {"Styrgruppen"}


def test_staff_rename_a_network_and_members_see_the_new_name(db, client, login_as):
    membership = MembershipFactory(network=NetworkFactory(name="Kursledarna"))
    NetworkFactory(name="Styrgruppen")
    staff = UserFactory(staff=True)
    db.session.commit()  # a refused request rolls back
    network_id = membership.network.id
    login_as(client, staff)
    page = html(client.get(f"/natverk/{network_id}/andra"))
    assert 'value="Kursledarna"' in page

    taken = client.post(f"/natverk/{network_id}/andra", data={"name": "Styrgruppen"})
    assert taken.status_code == 422
    assert "Det finns redan ett nätverk med det namnet." in html(taken)
    # Keeping one's own name is no clash.
    same = client.post(f"/natverk/{network_id}/andra", data={"name": "Kursledarna", "description": "Ny text"})
    assert same.status_code == 302

    client.post(
        f"/natverk/{network_id}/andra", data={"name": "Kursledarnätverket", "description": "Om kurserna"}
    )
    login_as(client, membership.user)
    page = html(client.get(f"/natverk/{network_id}"))
    assert "Kursledarnätverket" in page
    assert "Om kurserna" in page
    assert f"/natverk/{network_id}/andra" not in page
    assert client.get(f"/natverk/{network_id}/andra").status_code == 404
    assert client.post(f"/natverk/{network_id}/andra", data={"name": "Kapat"}).status_code == 404
    assert client.post("/natverk/ny", data={"name": "Eget"}).status_code == 404
    assert _names() == {"Kursledarnätverket", "Styrgruppen"}
