"""A network's documents: uploads checked by name and content, versions, downloads for members."""

from __future__ import annotations

import io

import pytest
from sqlalchemy import func, select

from coursehub.errors import NotFoundError
from coursehub.extensions import db
from coursehub.forum import documents
from coursehub.forum.models import Document, DocumentFolder, DocumentVersion
from tests.forum.docs_support import PDF, PNG, member, office_file

LIMIT = 200 * 1024


@pytest.fixture
def app_config(tmp_path):
    return {"COURSEHUB_UPLOAD_DIR": str(tmp_path / "uppladdat"), "COURSEHUB_UPLOAD_MAX_BYTES": LIMIT}


@pytest.fixture
def upload_dir(app, tmp_path):
    return tmp_path / "uppladdat"


def _files(folder) -> list:
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


def _upload(client, network, data: bytes, name: str, **fields):
    return client.post(
        f"/natverk/{network.id}/dokument/nytt",
        data={"file": (io.BytesIO(data), name), **fields},
        content_type="multipart/form-data",
    )


def test_a_member_uploads_a_document_stored_by_a_random_name_and_downloads_it(client, login_as, upload_dir):
    user = member()
    network = user_network(user)
    db.session.commit()
    login_as(client, user)
    response = _upload(client, network, PDF, "Protokoll mars.pdf", title="Protokoll från mars")
    assert response.status_code == 302
    document = db.session.scalars(select(Document)).one()
    version = document.versions[0]
    assert (document.title, version.number, version.size, version.filename) == (
        "Protokoll från mars",
        1,
        len(PDF),
        "Protokoll mars.pdf",
    )
    assert _files(upload_dir) == [version.storage_key]  # stored by id, not by the uploaded name
    assert "Protokoll" not in version.storage_key

    page = client.get(response.location).get_data(as_text=True)
    assert "Version 1" in page and user.full_name in page
    download = client.get(f"/natverk/{network.id}/dokument/{document.id}/version/1")
    assert download.status_code == 200
    assert download.data == PDF
    assert download.headers["Content-Disposition"].startswith("attachment;")
    assert "Protokoll" in download.headers["Content-Disposition"]
    assert download.headers["X-Content-Type-Options"] == "nosniff"
    assert download.mimetype == "application/pdf"
    download.close()


def user_network(user):
    return user_memberships(user)[0].network


def user_memberships(user):
    from coursehub.forum.models import NetworkMembership

    return db.session.scalars(select(NetworkMembership).where(NetworkMembership.user_id == user.id)).all()


def test_a_new_version_keeps_the_history_and_every_file(client, login_as, upload_dir):
    first_author = member()
    network = user_network(first_author)
    second_author = member(network)
    db.session.commit()
    login_as(client, first_author)
    _upload(client, network, PDF, "affisch.pdf")
    document = db.session.scalars(select(Document)).one()
    login_as(client, second_author)
    response = client.post(
        f"/natverk/{network.id}/dokument/{document.id}/ny-version",
        data={"file": (io.BytesIO(PNG), "affisch.png")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    page = client.get(f"/natverk/{network.id}/dokument/{document.id}").get_data(as_text=True)
    assert "Version 2" in page and "Version 1" in page
    assert first_author.full_name in page and second_author.full_name in page
    for number, data in ((1, PDF), (2, PNG)):
        with client.get(f"/natverk/{network.id}/dokument/{document.id}/version/{number}") as download:
            assert download.data == data
    assert len(_files(upload_dir)) == 2


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("sida.html", b"<html><script>alert(1)</script></html>", "Den filtypen tas inte emot"),
        ("bild.svg", b"<svg onload='alert(1)'></svg>", "Den filtypen tas inte emot"),
        ("rapport.pdf", PNG, "Filens innehåll stämmer inte med namnet"),
        ("anteckningar.txt", b"<script>alert(1)</script>", "Filens innehåll stämmer inte med namnet"),
        ("brev.docx", office_file("spreadsheetml.sheet"), "Filens innehåll stämmer inte med namnet"),
        ("tom.pdf", b"", "Filen är tom"),
        ("stor.pdf", PDF + b"0" * LIMIT, "Filen är för stor. Den får vara högst"),
    ],
)
def test_a_refused_file_gets_a_message_beside_the_field_and_nothing_is_saved(
    client, login_as, upload_dir, name, data, message
):
    user = member()
    network = user_network(user)
    db.session.commit()
    login_as(client, user)
    response = _upload(client, network, data, name)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert message in html
    assert 'id="file-error"' in html
    assert db.session.scalar(select(func.count(Document.id))) == 0
    assert _files(upload_dir) == []


def test_a_body_far_over_the_limit_gets_the_form_back_with_a_swedish_message(client, login_as, upload_dir):
    user = member()
    network = user_network(user)
    db.session.commit()
    login_as(client, user)
    # Encoded here, in memory: the test client would spool a body this large to a temporary file
    # that it leaves open when the app does not read the body.
    boundary = "gransen"
    body = (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="enorm.pdf"\r\n'
            "Content-Type: application/pdf\r\n\r\n"
        ).encode()
        + PDF
        + b"0" * (2 * 1024 * 1024)
        + f"\r\n--{boundary}--\r\n".encode()
    )
    response = client.post(
        f"/natverk/{network.id}/dokument/nytt",
        data=body,
        content_type=f"multipart/form-data; boundary={boundary}",
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 413
    assert "Filen är för stor. Den får vara högst" in html and 'id="file-error"' in html
    assert db.session.scalar(select(func.count(Document.id))) == 0
    assert _files(upload_dir) == []


def test_other_forms_keep_the_one_mib_limit(client, login_as):
    from tests.factories import UserFactory

    login_as(client, UserFactory(roles=["staff"]))
    response = client.post("/natverk/nyheter/ny", data={"title": "x", "body": "y" * (1024 * 1024 + 10)})
    assert response.status_code == 413


def test_office_files_with_the_right_content_types_are_taken(app, upload_dir):
    user = member()
    network = user_network(user)
    for name, main in (
        ("brev.docx", "wordprocessingml.document"),
        ("budget.xlsx", "spreadsheetml.sheet"),
        ("bilder.pptx", "presentationml.presentation"),
    ):
        document = documents.add_document(
            network, folder_id=None, title="", filename=name, data=office_file(main), actor=user, now=_now()
        )
        assert document.title == name.rsplit(".", 1)[0]
    assert db.session.scalar(select(func.count(DocumentVersion.id))) == 3


def _now():
    from coursehub import clock

    return clock.now()


def test_a_file_name_with_a_script_is_cleaned_and_shown_as_text(client, login_as, upload_dir):
    user = member()
    network = user_network(user)
    db.session.commit()
    login_as(client, user)
    response = _upload(client, network, PDF, "<img src=x onerror=alert(1)><script>alert(2)</script>.pdf")
    document = db.session.scalars(select(Document)).one()
    version = document.versions[0]
    assert "<" not in version.filename and '"' not in version.filename
    page = client.get(response.location).get_data(as_text=True)
    assert "<img" not in page and "<script>alert" not in page
    with client.get(f"/natverk/{network.id}/dokument/{document.id}/version/1") as download:
        assert "<" not in download.headers["Content-Disposition"]


def test_a_document_of_another_network_answers_404_and_a_folder_of_another_is_refused(client, login_as):
    user = member()
    network = user_network(user)
    stranger = member()
    other = user_network(stranger)
    foreign = documents.add_document(
        other, folder_id=None, title="Hemligt", filename="h.pdf", data=PDF, actor=stranger, now=_now()
    )
    foreign_folder = documents.create_folder(other, name="Deras mapp", actor=stranger, now=_now())
    db.session.commit()
    login_as(client, user)
    for url in (
        f"/natverk/{network.id}/dokument/{foreign.id}",
        f"/natverk/{network.id}/dokument/{foreign.id}/version/1",
        f"/natverk/{other.id}/dokument",
        f"/natverk/{other.id}/dokument/{foreign.id}",
        f"/natverk/{other.id}/dokument/{foreign.id}/version/1",
    ):
        assert client.get(url).status_code == 404, url
    with pytest.raises(NotFoundError):
        documents.add_document(
            network, folder_id=foreign_folder.id, title="", filename="a.pdf", data=PDF, actor=user, now=_now()
        )
    db.session.rollback()
    assert db.session.scalar(select(func.count(Document.id)).where(Document.network_id == network.id)) == 0


def test_a_moderator_makes_folders_and_documents_are_listed_by_folder(client, login_as, upload_dir):
    moderator = member(moderator=True)
    network = user_network(moderator)
    db.session.commit()
    login_as(client, moderator)
    assert (
        client.post(f"/natverk/{network.id}/dokument/mappar", data={"name": "Protokoll"}).status_code == 302
    )
    folder = db.session.scalars(select(DocumentFolder)).one()
    _upload(client, network, PDF, "mars.pdf", folder_id=str(folder.id))
    _upload(client, network, PDF, "lös.pdf")
    in_folder = client.get(f"/natverk/{network.id}/dokument?mapp={folder.id}").get_data(as_text=True)
    assert "mars" in in_folder and "lös" not in in_folder
    again = client.post(f"/natverk/{network.id}/dokument/mappar", data={"name": "Protokoll"})
    assert "Det finns redan en mapp med det namnet." in again.get_data(as_text=True)


def test_a_rolled_back_upload_leaves_no_file(app, upload_dir):
    user = member()
    network = user_network(user)
    db.session.commit()
    documents.add_document(
        network, folder_id=None, title="", filename="a.pdf", data=PDF, actor=user, now=_now()
    )
    assert len(_files(upload_dir)) == 1
    db.session.rollback()
    assert _files(upload_dir) == []
