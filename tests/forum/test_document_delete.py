"""Deleting a document: who may, and that its versions, files and search entry go with it."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from coursehub import clock
from coursehub.extensions import db
from coursehub.forum import documents, meetings
from coursehub.forum.models import Document, DocumentVersion, Meeting, SearchEntry
from tests.factories import UserFactory
from tests.forum.docs_support import PDF, PNG, member
from tests.forum.test_documents import user_network


@pytest.fixture
def app_config(tmp_path):
    return {"COURSEHUB_UPLOAD_DIR": str(tmp_path / "uppladdat")}


@pytest.fixture
def upload_dir(app, tmp_path):
    return tmp_path / "uppladdat"


def _files(folder) -> list[str]:
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


def _document(network, author, title: str = "Protokoll med fel bilaga") -> Document:
    """A document with two versions (two files), uploaded by `author`."""
    document = documents.add_document(
        network,
        folder_id=None,
        title=title,
        filename="protokoll.pdf",
        data=PDF,
        actor=author,
        now=clock.now(),
    )
    documents.add_version(document, filename="bilaga.png", data=PNG, actor=author, now=clock.now())
    return document


def _count(model, **where) -> int:
    return db.session.scalar(select(func.count()).select_from(model).filter_by(**where))


def test_the_uploader_deletes_a_wrong_file_with_every_version_and_its_search_entry(
    client, login_as, upload_dir
):
    uploader = member()
    network = user_network(uploader)
    document = _document(network, uploader)
    minutes_of = meetings.create_meeting(
        network,
        starts_at=clock.now() - timedelta(days=1),
        place="Kommunhuset",
        online_url="",
        agenda="",
        minutes_document_id=document.id,
        actor=uploader,
        now=clock.now(),
    )
    db.session.commit()
    document_id, meeting_id = document.id, minutes_of.id
    assert len(_files(upload_dir)) == 2
    login_as(client, uploader)
    detail = f"/natverk/{network.id}/dokument/{document_id}"
    assert "Ta bort dokumentet" in client.get(detail).get_data(as_text=True)

    response = client.post(f"{detail}/ta-bort", follow_redirects=True)

    page = response.get_data(as_text=True)
    assert response.request.path == f"/natverk/{network.id}/dokument"
    assert "Dokumentet ”Protokoll med fel bilaga” är borttaget med alla sina versioner." in page
    db.session.expire_all()
    assert _count(Document, id=document_id) == 0
    assert _count(DocumentVersion, document_id=document_id) == 0
    assert _count(SearchEntry, document_id=document_id) == 0
    assert _files(upload_dir) == []  # nothing of it is left on the disk
    assert client.get(f"{detail}/version/1").status_code == 404
    # The meeting stays, without minutes.
    assert db.session.get(Meeting, meeting_id).minutes_document_id is None


def test_another_member_sees_no_delete_and_cannot_delete_but_a_moderator_can(client, login_as, upload_dir):
    uploader = member()
    network = user_network(uploader)
    other = member(network)
    moderator = member(network, moderator=True)
    document = _document(network, uploader)
    db.session.commit()
    detail = f"/natverk/{network.id}/dokument/{document.id}"

    login_as(client, other)
    assert "Ta bort dokumentet" not in client.get(detail).get_data(as_text=True)
    assert client.post(f"{detail}/ta-bort").status_code == 404
    assert _count(Document, id=document.id) == 1 and len(_files(upload_dir)) == 2

    login_as(client, moderator)
    assert "Ta bort dokumentet" in client.get(detail).get_data(as_text=True)
    assert client.post(f"{detail}/ta-bort").status_code == 302
    assert _count(Document, id=document.id) == 0 and _files(upload_dir) == []


def test_a_former_member_no_longer_deletes_what_they_uploaded(client, login_as, upload_dir):
    uploader = member()
    network = user_network(uploader)
    document = _document(network, uploader)
    other_network = user_network(member())
    db.session.commit()
    login_as(client, uploader)
    # Not a member of the other network: its documents answer 404, whoever uploaded them.
    assert client.post(f"/natverk/{other_network.id}/dokument/{document.id}/ta-bort").status_code == 404
    from coursehub.forum.models import NetworkMembership

    db.session.execute(NetworkMembership.__table__.delete().where(NetworkMembership.user_id == uploader.id))
    db.session.commit()
    assert client.post(f"/natverk/{network.id}/dokument/{document.id}/ta-bort").status_code == 404
    assert _count(Document, id=document.id) == 1 and len(_files(upload_dir)) == 2


def test_a_deletion_rolled_back_keeps_the_files_and_one_committed_removes_them(app, upload_dir):
    uploader = member()
    document = _document(user_network(uploader), uploader)
    db.session.commit()
    kept = _files(upload_dir)
    assert len(kept) == 2

    documents.delete_document(document, actor=uploader)
    db.session.rollback()
    assert _files(upload_dir) == kept  # the rows are back, and so must their files be
    assert _count(Document, id=document.id) == 1

    documents.delete_document(db.session.get(Document, document.id), actor=uploader)
    assert _files(upload_dir) == kept  # not before the commit
    db.session.commit()
    assert _files(upload_dir) == []


def test_staff_delete_library_material_and_its_readers_cannot(client, login_as, upload_dir):
    staff = UserFactory(roles=["staff"])
    worker = UserFactory(municipal=True)
    document = _document(None, staff, title="Gammal affisch")
    db.session.commit()
    detail = f"/natverk/bibliotek/{document.id}"

    login_as(client, worker)
    assert "Ta bort dokumentet" not in client.get(detail).get_data(as_text=True)
    assert client.post(f"{detail}/ta-bort").status_code == 403
    assert _count(Document, id=document.id) == 1

    login_as(client, staff)
    response = client.post(f"{detail}/ta-bort", follow_redirects=True)
    assert response.request.path == "/natverk/bibliotek"
    assert "Dokumentet ”Gammal affisch” är borttaget med alla sina versioner." in response.get_data(
        as_text=True
    )
    assert _count(Document, id=document.id) == 0 and _files(upload_dir) == []
