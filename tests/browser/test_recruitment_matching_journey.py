"""At phone width, from the public form to the basic training: a family registers its interest,
staff find the case on the board and move it on, the family approves its presentation by its link, a
municipality asks for a family, staff offer this one, both say yes, the match is recorded, and the
family is signed up for basic training. Every page passes axe and fits the screen.

Between the first move and the presentation (interview, register checks, home visit, references) the
case is worked through the recruitment services, as the case tests do step by step.
"""

from __future__ import annotations

import re

from sqlalchemy import select

from coursehub import clock
from coursehub.accounts.models import Role
from coursehub.extensions import db
from coursehub.notifications.models import OutboxMessage
from coursehub.recruitment.models import Case, ChecklistKind, CheckOutcome, Register, Step
from coursehub.recruitment.services import cases, checks
from tests.factories import CourseRunFactory, CourseTypeFactory, MunicipalityFactory, UserFactory
from tests.support.browser import fits_width, menu_link, open_menu


def _check(page, accessible, context: str) -> None:
    accessible(page, context=context)
    assert fits_width(page), f"{context} is wider than the phone"


def _logout(page):
    open_menu(page).get_by_role("button", name="Logga ut").click()
    page.wait_for_load_state()


def _flash(page) -> str:
    return page.locator(".flash-messages").inner_text()


def _work_to_presentation(case: Case, staff) -> None:
    now, today = clock.now(), clock.now().date()
    checks.record_checklist_entry(
        case, ChecklistKind.INTERVIEW, done_on=today, actor=staff, now=now, go_on=True
    )
    cases.move_case(case, Step.CHECKS, actor=staff, now=now)
    adult = case.adults[0]
    checks.set_identity_number(case, adult, "19811218-9876", actor=staff, now=now)
    checks.record_checklist_entry(
        case, ChecklistKind.QUESTIONNAIRE, done_on=today, actor=staff, now=now, adult=adult
    )
    for register in Register:
        checks.record_register_check(
            case, adult, register, CheckOutcome.NO_REMARK, checked_on=today, actor=staff, now=now
        )
    cases.move_case(case, Step.HOME_VISIT, actor=staff, now=now)
    checks.record_checklist_entry(case, ChecklistKind.HOME_VISIT, done_on=today, actor=staff, now=now)
    cases.move_case(case, Step.REFERENCES, actor=staff, now=now)
    cases.move_case(case, Step.PRESENTATION, actor=staff, now=now)


def test_presentation_request_offer_match_and_into_basic_training(phone_page, accessible, browser_login):
    page = phone_page
    jonkoping = MunicipalityFactory(name="Jönköping", latitude=57.7826, longitude=14.1618)
    MunicipalityFactory(name="Vaggeryd", latitude=57.4977, longitude=14.1474)
    staff = UserFactory(roles=[Role.STAFF], full_name="Sara Medarbetare")
    worker = UserFactory(roles=[Role.MUNICIPAL], municipality=jonkoping, full_name="Kim Handläggare")
    basic = CourseTypeFactory(name="Ett hem att växa i", themes=3)
    CourseRunFactory(course_type=basic, title="Ett hem att växa i, hösten 2026")
    db.session.commit()

    # The family registers its interest on the public form, from the start page.
    page.goto("/")
    page.get_by_role("link", name="Gör en intresseanmälan").click()
    page.wait_for_load_state()
    _check(page, accessible, "the public interest registration")
    page.locator("#adult1_first_name").fill("Åsa")
    page.locator("#adult1_last_name").fill("Öberg")
    page.locator("#adult1_email").fill("asa@hem.test")
    page.locator("#adult1_phone").fill("070-111 22 33")
    page.locator("#street").fill("Skogsvägen 3")
    page.locator("#postal_code").fill("56831")
    page.locator("#city").fill("Skillingaryd")
    page.locator("#municipality_id").select_option(label="Vaggeryd")
    page.locator("#housing").fill("Ett hus med fyra rum och en stor trädgård.")
    page.locator("#experience").fill("Vi har haft barn i vårt hem som kontaktfamilj.")
    page.get_by_label("Familjehem, längre placering").check()
    page.locator("#min_child_age").fill("3")
    page.locator("#max_child_age").fill("12")
    page.get_by_role("button", name="Skicka intresseanmälan").click()
    page.wait_for_load_state()
    # Consent is asked for before anything is saved.
    assert page.locator("h1").inner_text() == "Intresseanmälan: bli familjehem"
    assert db.session.scalar(select(Case)) is None
    page.locator("#consent").check()
    page.get_by_role("button", name="Skicka intresseanmälan").click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "Tack för er intresseanmälan"
    _check(page, accessible, "the registration's thank-you page")

    # Staff find the new case on the board and make the first move by hand.
    db.session.rollback()
    case = db.session.scalars(select(Case)).one()
    case_id, reference = case.id, case.reference
    browser_login(page, staff)
    menu_link(page, "Rekrytering").click()
    page.wait_for_load_state()
    _check(page, accessible, "the board")
    page.get_by_role("link", name=reference).click()
    page.wait_for_load_state()
    _check(page, accessible, "the new case")
    page.get_by_role("button", name=re.compile(r"^Flytta till 2\.")).click()
    page.wait_for_load_state()
    _logout(page)

    # The interview, the register checks, the home visit and the references, through the services.
    db.session.rollback()
    _work_to_presentation(db.session.get(Case, case_id), staff)
    db.session.commit()

    # Staff write the presentation and send it to the family.
    browser_login(page, staff)
    page.goto(f"/rekrytering/arenden/{case_id}/presentation")
    _check(page, accessible, "presentation, empty")
    page.get_by_label("Presentation av familjen").fill("Åsa bor i ett hus i Vaggeryd med stor trädgård.")
    page.get_by_role("button", name="Spara ny version").click()
    page.wait_for_load_state()
    assert "Presentationen är sparad." in _flash(page)
    page.get_by_role("button", name="Skicka version 1 till familjen för godkännande").click()
    page.wait_for_load_state()
    assert "Väntar på familjens godkännande" in page.locator("#presentation-status").inner_text()
    _check(page, accessible, "presentation, sent")
    _logout(page)

    # The family approves it through the link in its mail; the link works once.
    db.session.rollback()
    # Her mail: the registration's confirmation first, then the presentation's link.
    mails = db.session.scalars(
        select(OutboxMessage).where(OutboxMessage.recipient == "asa@hem.test").order_by(OutboxMessage.id)
    ).all()
    assert len(mails) == 2 and "/bli-familjehem/avbryt/" in mails[0].body_text
    mail = mails[1]
    link = re.search(r"http://coursehub.test(/presentation/\S+)", mail.body_text).group(1)
    page.goto(link)
    assert "stor trädgård" in page.locator("#presentation-text").inner_text()
    _check(page, accessible, "the family's approval page")
    page.get_by_role("button", name="Vi godkänner presentationen").click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "Tack för ert godkännande"
    _check(page, accessible, "approved")
    page.goto(link)
    assert "redan godkänt" in page.locator("#refusal").inner_text()
    _check(page, accessible, "a reused link")

    # The municipality asks for a family; a name in the needs is warned about first.
    browser_login(page, worker)
    menu_link(page, "Förfrågningar om familjehem").click()
    page.wait_for_load_state()
    page.get_by_role("link", name="Ny förfrågan").click()
    page.wait_for_load_state()
    _check(page, accessible, "new request")
    page.get_by_label("Barnets ålder (år)").fill("7")
    page.get_by_label("Typ av uppdrag").select_option("long_term")
    page.get_by_label("Nära barnets kommun").check()
    page.get_by_label("Barnets behov").fill("Pojke som tycker om fotboll. Kallas Sigge.")
    page.get_by_role("button", name="Skicka förfrågan").click()
    page.wait_for_load_state()
    assert "ord som kan vara namn (Sigge)" in page.locator("main").inner_text()
    _check(page, accessible, "request warned")
    page.get_by_label("Barnets behov").fill("Pojke som tycker om fotboll.")
    page.get_by_role("button", name="Skicka förfrågan").click()
    page.wait_for_load_state()
    assert "Förfrågan är skickad" in _flash(page)
    request_url = page.url
    _check(page, accessible, "the municipality's request")
    _logout(page)

    # Staff see the family with its distance, offer it, record both answers and the match.
    browser_login(page, staff)
    menu_link(page, "Förfrågningar om familjehem").click()
    page.wait_for_load_state()
    _check(page, accessible, "staff's requests")
    page.get_by_role("link", name="Jönköping", exact=True).click()
    page.wait_for_load_state()
    assert "32 km" in page.locator("#candidates").inner_text()
    _check(page, accessible, "request with fitting families")
    page.get_by_role("button", name=f"Erbjud ärende {reference}").click()
    page.wait_for_load_state()
    page.get_by_role("button", name="Familjens svar: ja").click()
    page.wait_for_load_state()
    page.get_by_role("button", name="Kommunens svar: ja").click()
    page.wait_for_load_state()
    _check(page, accessible, "offer answered by both")
    page.get_by_role("button", name=f"Koppla ärende {reference} till Jönköping").click()
    page.wait_for_load_state()
    assert "Familjen är kopplad" in _flash(page)

    # The case shows the family signed up for the basic training.
    page.goto(f"/rekrytering/arenden/{case_id}/koppling")
    assert "Ett hem att växa i, hösten 2026: Bekräftad" in page.locator("#case-enrollments").inner_text()
    _check(page, accessible, "the case's match and courses")
    _logout(page)

    # The municipality now sees the family's presentation and contact details.
    browser_login(page, worker)
    page.goto(request_url)
    family = page.locator("#matched-family").inner_text()
    assert "Åsa Öberg" in family and "asa@hem.test" in family and "stor trädgård" in family
    _check(page, accessible, "the matched family")
