"""The shared library and the news: kept by staff, read by municipal workers and network members."""

from __future__ import annotations

import io

import pytest
from sqlalchemy import func, select

from coursehub.extensions import db
from coursehub.forum.models import Document, NewsItem
from tests.factories import UserFactory
from tests.forum.docs_support import PDF, member


@pytest.fixture
def app_config(tmp_path):
    return {"COURSEHUB_UPLOAD_DIR": str(tmp_path / "uppladdat")}


def test_staff_add_a_poster_that_municipal_workers_download_and_families_cannot(client, login_as):
    staff = UserFactory(roles=["staff"])
    worker = UserFactory(municipal=True)
    family = UserFactory(family=True)
    db.session.commit()
    login_as(client, staff)
    response = client.post(
        "/natverk/bibliotek/nytt",
        data={"file": (io.BytesIO(PDF), "Affisch familjehem.pdf"), "title": "Affisch: bli familjehem"},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    document = db.session.scalars(select(Document)).one()
    assert document.network_id is None
    login_as(client, worker)
    listing = client.get("/natverk/bibliotek").get_data(as_text=True)
    assert "Affisch: bli familjehem" in listing
    with client.get(f"/natverk/bibliotek/{document.id}/version/1") as download:
        assert download.data == PDF and download.headers["Content-Disposition"].startswith("attachment;")
    assert client.get("/natverk/bibliotek/nytt").status_code == 403
    login_as(client, family)
    assert client.get("/natverk/bibliotek").status_code == 403
    assert client.get(f"/natverk/bibliotek/{document.id}/version/1").status_code == 403


def test_a_network_document_is_not_reachable_through_the_library(client, login_as):
    from coursehub import clock
    from coursehub.forum import documents
    from tests.forum.test_documents import user_network

    owner = member()
    document = documents.add_document(
        user_network(owner),
        folder_id=None,
        title="Nätverkets",
        filename="n.pdf",
        data=PDF,
        actor=owner,
        now=clock.now(),
    )
    db.session.commit()
    login_as(client, UserFactory(municipal=True))
    assert client.get(f"/natverk/bibliotek/{document.id}").status_code == 404
    assert client.get(f"/natverk/bibliotek/{document.id}/version/1").status_code == 404


def test_staff_publish_news_that_members_read(client, login_as):
    staff = UserFactory(roles=["staff"])
    reader = member()
    db.session.commit()
    login_as(client, staff)
    empty = client.post("/natverk/nyheter/ny", data={"title": "", "body": ""})
    assert empty.status_code == 200 and db.session.scalar(select(func.count(NewsItem.id))) == 0
    response = client.post(
        "/natverk/nyheter/ny",
        data={"title": "Ny grundutbildning", "body": "<script>alert(1)</script> Vi startar."},
    )
    assert response.status_code == 302
    login_as(client, reader)
    html = client.get("/natverk/nyheter").get_data(as_text=True)
    assert "Ny grundutbildning" in html and "&lt;script&gt;" in html and "<script>alert" not in html
    assert client.get("/natverk/nyheter/ny").status_code == 403


def test_the_news_stand_on_the_members_start_page_and_not_for_a_family(client, login_as):
    from coursehub import clock
    from coursehub.forum import library

    reader = member()
    library.publish_news(
        title="Gemensam rekryteringskampanj", body="Vi tar fram affischer.", actor=reader, now=clock.now()
    )
    family = UserFactory(family=True)
    db.session.commit()
    login_as(client, reader)
    start = client.get("/natverk/").get_data(as_text=True)
    assert "Nytt från utvecklingsarbetet" in start and "Gemensam rekryteringskampanj" in start
    login_as(client, family)
    assert "Gemensam rekryteringskampanj" not in client.get("/natverk/").get_data(as_text=True)
