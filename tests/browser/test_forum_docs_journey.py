"""At a phone-sized screen, a member uploads a document and a new version, downloads it as an
attachment, and finds a thread by an inflected Swedish word."""

from __future__ import annotations

import pytest

from coursehub.extensions import db
from tests.forum.docs_support import PDF, PNG, member, thread_with_post
from tests.forum.test_documents import user_network
from tests.support.browser import fits_width


@pytest.fixture
def app_config(tmp_path):
    return {"COURSEHUB_UPLOAD_DIR": str(tmp_path / "uppladdat")}


def test_member_uploads_a_new_version_downloads_it_and_searches(
    phone_page, accessible, browser_login, tmp_path
):
    page = phone_page
    user = member()
    network = user_network(user)
    thread_with_post(network, title="Frågor om placering av syskon", body="Hur gör ni i er kommun?")
    db.session.commit()
    first, second = tmp_path / "protokoll.pdf", tmp_path / "protokoll-bild.png"
    first.write_bytes(PDF)
    second.write_bytes(PNG)

    browser_login(page, user)
    page.goto(f"/natverk/{network.id}/dokument")
    accessible(page, context="documents")
    assert fits_width(page)
    page.get_by_role("link", name="Ladda upp ett dokument").click()
    accessible(page, context="upload form")
    assert fits_width(page)
    page.get_by_label("Fil").set_input_files(str(first))
    page.get_by_label("Titel").fill("Protokoll från mars")
    page.get_by_role("button", name="Ladda upp").click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "Protokoll från mars"

    page.get_by_role("link", name="Ladda upp en ny version").click()
    page.get_by_label("Ny fil").set_input_files(str(second))
    page.get_by_role("button", name="Ladda upp").click()
    page.wait_for_load_state()
    assert "Version 2" in page.locator("main").inner_text()
    accessible(page, context="document with versions")
    assert fits_width(page)

    with page.expect_download() as downloading:
        page.get_by_role("link", name="Ladda ner protokoll-bild.png").click()
    download = downloading.value
    assert download.suggested_filename == "protokoll-bild.png"
    assert download.path().read_bytes() == PNG

    page.goto("/natverk/sok")
    page.get_by_label("Sökord").fill("placeringar")
    page.get_by_role("button", name="Sök").click()
    page.wait_for_load_state()
    assert "1 träff" in page.locator("main").inner_text()
    assert page.locator("mark").first.inner_text() == "placering"
    accessible(page, context="search results")
    assert fits_width(page)
