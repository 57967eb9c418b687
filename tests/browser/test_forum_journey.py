"""A member starts a thread in Markdown, another replies quoting it, the first gets the mail."""

from __future__ import annotations

from coursehub import clock
from coursehub.extensions import db
from coursehub.notifications.jobs import send_outbox
from tests.factories import UserFactory
from tests.forum.factories import MembershipFactory, NetworkFactory, SubjectFactory
from tests.support.browser import fits_width, menu_link, open_menu


def test_a_thread_with_a_quoted_reply_reaches_the_starter_by_mail(
    phone_page, accessible, browser_login, smtp_server
):
    page = phone_page
    network = NetworkFactory(name="Familjehemsnätverket")
    SubjectFactory(network=network, name="Rekrytering")
    maria = UserFactory(
        member=True, full_name="Maria Ek", username="maria.ek", email="maria.ek@jonkoping.example"
    )
    nils = UserFactory(member=True, full_name="Nils Strand", username="nils.strand")
    moderator = UserFactory(member=True, full_name="Mona Moderator")
    for user, is_moderator in ((maria, False), (nils, False), (moderator, True)):
        MembershipFactory(network=network, user=user, is_moderator=is_moderator)
    db.session.commit()

    browser_login(page, maria)
    menu_link(page, "Nätverk").click()
    page.get_by_role("link", name="Familjehemsnätverket").click()
    accessible(page, context="network page")
    assert fits_width(page)
    page.get_by_role("link", name="Rekrytering").click()
    accessible(page, context="subject page")
    page.get_by_role("link", name="Starta en ny tråd").click()
    assert "Skriv aldrig något som kan identifiera ett barn" in page.get_by_role("note").inner_text()
    accessible(page, context="new thread form")
    assert fits_width(page)
    page.get_by_label("Rubrik").fill("Informationsträffar i vår")
    page.get_by_label("Inlägg").fill("Vi planerar **tre träffar**:\n\n- mars\n- april\n- maj")
    page.get_by_role("button", name="Starta tråden").click()
    page.wait_for_load_state()
    assert page.locator("article strong").first.inner_text() == "tre träffar"
    accessible(page, context="thread page")
    assert fits_width(page)
    open_menu(page).get_by_role("button", name="Logga ut").click()

    browser_login(page, nils)
    page.goto("/natverk/")
    page.get_by_role("link", name="Familjehemsnätverket").click()
    page.get_by_role("link", name="Informationsträffar i vår").first.click()
    page.get_by_role("link", name="Citera inlägg 1").click()
    box = page.get_by_label("Inlägg")
    assert "> **Maria Ek:**" in box.input_value()
    box.fill(box.input_value() + "Vi i Värnamo kommer gärna på aprilträffen.")
    page.get_by_role("button", name="Publicera svaret").click()
    page.wait_for_load_state()
    assert page.locator("article blockquote").count() == 1
    assert "aprilträffen" in page.locator("#inlagg-2").inner_text()
    accessible(page, context="thread page with a quoted reply")
    assert fits_width(page)

    db.session.commit()  # end the test's read snapshot: the server wrote the outbox row
    send_outbox(clock.now())
    db.session.commit()
    [message] = smtp_server.wait_for(1)
    assert message["To"] == maria.email
    assert "Nytt svar i din tråd: Informationsträffar i vår" in message["Subject"]
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert "/natverk/avregistrera/" in message["List-Unsubscribe"]
    text = message.get_body(("plain",)).get_content()
    assert "aprilträffen" in text

    # The link in the mail works logged out, and asks before it turns anything off.
    open_menu(page).get_by_role("button", name="Logga ut").click()
    path = "/natverk/avregistrera/" + message["List-Unsubscribe"].strip("<>").rsplit("/", 1)[1]
    page.goto(path)
    accessible(page, context="unsubscribe page")
    page.get_by_role("button", name="Ja, sluta skicka").click()
    page.wait_for_load_state()
    assert "Klart." in page.locator("main").inner_text()
