"""What the public interest registration offers: every municipality by name, held by each process,
and the active channels, read in one statement whatever the number of municipalities."""

import re

from sqlalchemy import insert

from coursehub.accounts.models import Municipality
from coursehub.extensions import db as _db
from tests.factories import MunicipalityFactory
from tests.recruitment.factories import ChannelFactory
from tests.support.sql import count_traffic, page_rows


def _offered(page: str, field: str) -> list[str]:
    select = page.split(f'name="{field}"', 1)[1].split("</select>", 1)[0]
    return re.findall(r'<option value="[0-9]+">([^<]*)</option>', select)


def _places(count: int) -> None:
    places = [{"name": f"Ort {n:03d}", "code": f"{7000 + n}"} for n in range(count)]
    _db.session.execute(insert(Municipality), places)
    _db.session.commit()


def test_the_names_are_held_and_each_view_reads_the_channels_only(db, client):
    # Every municipality of Sweden is offered (a family may live outside the county): at national
    # size 290 names, read and sorted on every view before. A process holds them while the
    # reference mark stays; each view then runs one statement, which sends back the mark and the
    # active channels, whatever the number of municipalities.
    _places(300)
    ChannelFactory(name="Annons")
    ChannelFactory(name="Vänner")
    _db.session.commit()
    first = client.get("/bli-familjehem").get_data(as_text=True)
    with count_traffic(db.engine) as held:
        page = client.get("/bli-familjehem").get_data(as_text=True)
    assert len(held.statements) == 1, held.statements
    assert held.rows == 1 + 2, held.statements  # the mark's row and the two channels
    assert _offered(page, "municipality_id") == _offered(first, "municipality_id")
    assert _offered(page, "municipality_id") == [f"Ort {n:03d}" for n in range(300)]
    assert _offered(page, "channel_id") == ["Annons", "Vänner"]


def test_once_held_the_database_reads_no_municipality(db, client, postgres_only):
    _places(300)
    client.get("/bli-familjehem")  # the process now holds the names
    read = page_rows(client, "/bli-familjehem", db.engine, db.session, table="municipalities")
    assert list(read.values()) == [0], read


def test_what_is_offered_follows_renamed_and_new_municipalities_and_the_channels_at_once(db, client):
    habo = MunicipalityFactory(name="Habo")
    MunicipalityFactory(name="Aneby")
    first, second = ChannelFactory(name="Annons"), ChannelFactory(name="Mässa")
    _db.session.commit()
    page = client.get("/bli-familjehem").get_data(as_text=True)
    assert _offered(page, "municipality_id") == ["Aneby", "Habo"]
    assert _offered(page, "channel_id") == ["Annons", "Mässa"]
    # Any process may rename or add one (the reference mark moves); channels are read each view.
    habo.name = "Örkelljunga"
    MunicipalityFactory(name="Bjuv")
    first.is_active = False
    second.position = -1
    ChannelFactory(name="Bibliotek")
    _db.session.commit()
    page = client.get("/bli-familjehem").get_data(as_text=True)
    assert _offered(page, "municipality_id") == ["Aneby", "Bjuv", "Örkelljunga"]
    assert _offered(page, "channel_id") == ["Mässa", "Bibliotek"]
