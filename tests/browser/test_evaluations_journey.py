"""At a phone-sized screen, a participant answers a course evaluation by the mailed link, is
thanked, and is refused politely when the link is used again."""

from __future__ import annotations

from playwright.sync_api import expect
from sqlalchemy import func, select

from coursehub import clock
from coursehub.courses import jobs as course_jobs
from coursehub.evaluations.models import Response
from coursehub.extensions import db
from tests.evaluations.support import attendee, finished_run, published_form, token_from_outbox
from tests.support.browser import fits_width


def test_a_participant_answers_once_by_the_mailed_link(phone_page, accessible):
    page = phone_page
    run = finished_run(published_form(), title="Ett hem att växa i, hösten 2026")
    person = attendee(run)
    course_jobs.complete_finished_runs(clock.now())
    token = token_from_outbox(person.email)
    db.session.commit()

    page.goto(f"/utvardering/{token}")
    assert page.locator("h1").inner_text() == "Ett hem att växa i, hösten 2026"
    accessible(page, context="answering page")
    assert fits_width(page)  # fits 390 px

    page.get_by_role("button", name="Skicka svaren").click()  # the required rating left out
    expect(page.get_by_text("Svara på frågan.")).to_be_visible()
    accessible(page, context="answering page with a missing answer")

    page.get_by_role("group", name="Hur nöjda är ni med kursen?").get_by_label("5").check()
    page.get_by_role("group", name="Skulle ni rekommendera kursen?").get_by_label("Ja").check()
    page.get_by_label("Sista").check()
    page.get_by_label("Vad var bäst?").fill("Bra med många reflektionsövningar.")
    page.get_by_label("Fritextsvaren får citeras anonymt").check()
    page.get_by_role("button", name="Skicka svaren").click()

    assert page.locator("h1").inner_text() == "Tack för era svar"
    accessible(page, context="thank-you page")
    db.session.expire_all()
    assert db.session.scalar(select(func.count()).select_from(Response)) == 1

    page.goto(f"/utvardering/{token}")
    assert page.locator("h1").inner_text() == "Länken går inte att använda"
    expect(page.get_by_text("Har ni redan svarat? Då är era svar sparade. Tack!")).to_be_visible()
    accessible(page, context="a used link")
