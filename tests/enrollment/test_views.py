"""The pages people use: what they see, what is refused, and how many queries a list costs."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import icalendar
import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from coursehub import clock
from coursehub.accounts.models import Household, Role, User
from coursehub.courses.models import RunStatus
from coursehub.enrollment import services
from coursehub.enrollment.models import CalendarFeed, Enrollment, EnrollmentStatus
from coursehub.extensions import db
from coursehub.notifications.models import OutboxMessage
from tests.factories import (
    CourseRunFactory,
    EnrollmentFactory,
    HouseholdFactory,
    MunicipalityFactory,
    UserFactory,
)


def _count(model=Enrollment):
    return db.session.scalar(select(func.count()).select_from(model))


def _text(response) -> str:
    return response.get_data(as_text=True)


# -- the family's sign-up ------------------------------------------------------------------------


def test_family_sees_its_adults_and_signs_up_both(client, login_as, run, make_family):
    household, adults = make_family(2)
    db.session.commit()
    login_as(client, adults[0])
    page = _text(client.get(f"/kurser/{run.id}/anmalan"))
    assert all(a.full_name in page for a in adults)
    assert 'type="checkbox" name="persons"' in page
    response = client.post(
        f"/kurser/{run.id}/anmalan",
        data={"persons": [str(a.id) for a in adults], "diet": "Glutenfri", "interpreter": "somaliska"},
    )
    assert response.status_code == 302 and response.location.endswith("/mina-kurser")
    mine = _text(client.get("/mina-kurser"))
    assert "Anmälan är bekräftad" in mine and "Bekräftad" in mine and run.title in mine
    enrollment = db.session.scalars(select(Enrollment)).one()
    assert enrollment.needs_diet == "Glutenfri" and len(enrollment.persons) == 2


def test_visitor_is_offered_to_log_in_or_register(client, run):
    db.session.commit()
    page = _text(client.get(f"/kurser/{run.id}/anmalan"))
    assert "Logga in och anmäl er" in page
    assert f"/kurser/{run.id}/ny-familj" in page


@pytest.mark.parametrize(
    ("status", "message"),
    [
        (RunStatus.CANCELLED, "Kursomgången är inställd"),
        (RunStatus.COMPLETED, "redan börjat eller är avslutad"),
    ],
)
def test_a_closed_run_gives_a_message_and_changes_nothing(
    client, login_as, run, make_family, status, message
):
    household, adults = make_family(1)
    run.status = status
    db.session.commit()
    login_as(client, adults[0])
    response = client.post(f"/kurser/{run.id}/anmalan", data={"persons": [str(adults[0].id)]})
    assert response.status_code == 200
    assert message in _text(response)
    assert _count() == 0 and _count(OutboxMessage) == 0


def test_a_draft_run_is_not_found_for_a_family(client, login_as, make_family):
    run = CourseRunFactory(draft=True)
    _household, adults = make_family(1)
    db.session.commit()
    login_as(client, adults[0])
    assert client.get(f"/kurser/{run.id}/anmalan").status_code == 404
    assert client.post(f"/kurser/{run.id}/anmalan", data={"persons": [str(adults[0].id)]}).status_code == 404
    assert _count() == 0


def test_a_past_window_gives_a_message(client, login_as, run, make_family):
    _household, adults = make_family(1)
    run.signup_opens_at = clock.now() - timedelta(days=10)
    run.signup_closes_at = clock.now() - timedelta(days=1)
    db.session.commit()
    login_as(client, adults[0])
    response = client.post(f"/kurser/{run.id}/anmalan", data={"persons": [str(adults[0].id)]})
    assert "Anmälan till kursomgången har stängt." in _text(response)
    assert _count() == 0


def test_signing_up_twice_gives_a_message(client, login_as, run, make_family):
    household, adults = make_family(1)
    db.session.commit()
    login_as(client, adults[0])
    client.post(f"/kurser/{run.id}/anmalan", data={"persons": [str(adults[0].id)]})
    response = client.post(f"/kurser/{run.id}/anmalan", data={"persons": [str(adults[0].id)]})
    assert "Hushållet är redan anmält till kursomgången." in _text(response)
    assert _count() == 1 and services.seats_taken(run.id) == 1


def test_a_forged_adult_of_another_household_is_refused_beside_the_field(client, login_as, run, make_family):
    _household, adults = make_family(1)
    _other, strangers = make_family(1)
    db.session.commit()
    login_as(client, adults[0])
    response = client.post(
        f"/kurser/{run.id}/anmalan", data={"persons": [str(adults[0].id), str(strangers[0].id)]}
    )
    page = _text(response)
    assert 'id="persons-error"' in page and "hör inte till hushållet" in page
    assert _count() == 0


def test_no_adult_chosen_is_a_message_beside_the_field(client, login_as, run, make_family):
    _household, adults = make_family(1)
    db.session.commit()
    login_as(client, adults[0])
    page = _text(client.post(f"/kurser/{run.id}/anmalan", data={}))
    assert "Välj minst en vuxen att anmäla." in page
    assert _count() == 0


# -- offers, cancellation, forged links ----------------------------------------------------------


def _offered(run, make_family):
    full, full_adults = make_family(4)
    first = services.sign_up(run, full, full_adults, actor=full_adults[0], now=clock.now())
    household, adults = make_family(1)
    offered = services.sign_up(run, household, adults, actor=adults[0], now=clock.now())
    services.cancel_enrollment(first, actor=full_adults[0], now=clock.now())
    db.session.commit()
    return offered, adults


def test_family_accepts_an_offer_from_its_page(client, login_as, run, make_family):
    offered, adults = _offered(run, make_family)
    login_as(client, adults[0])
    page = _text(client.get("/mina-kurser"))
    assert "Plats erbjuden" in page and "Tacka ja till platserna" in page
    client.post(f"/anmalan/{offered.id}/tacka-ja")
    db.session.refresh(offered)
    assert offered.status == EnrollmentStatus.CONFIRMED
    # The same button (or link) used again changes nothing and says why.
    again = client.post(f"/anmalan/{offered.id}/tacka-ja", follow_redirects=True)
    assert "Erbjudandet gäller inte längre." in _text(again)


def test_an_offer_accepted_too_late_gives_a_message(client, login_as, run, make_family, clock):
    offered, adults = _offered(run, make_family)
    clock.advance(hours=49)
    login_as(client, adults[0])
    response = client.post(f"/anmalan/{offered.id}/tacka-ja", follow_redirects=True)
    assert "Tiden för att tacka ja till platserna har gått ut." in _text(response)
    db.session.refresh(offered)
    assert offered.status == EnrollmentStatus.OFFERED


def test_another_familys_sign_up_is_not_found(client, login_as, run, make_family):
    household, adults = make_family(1)
    enrollment = services.sign_up(run, household, adults, actor=adults[0], now=clock.now())
    _other, strangers = make_family(1)
    db.session.commit()
    login_as(client, strangers[0])
    assert client.post(f"/anmalan/{enrollment.id}/avboka").status_code == 404
    assert client.post(f"/anmalan/{enrollment.id}/tacka-ja").status_code == 404
    assert client.post("/anmalan/999999/avboka").status_code == 404
    db.session.refresh(enrollment)
    assert enrollment.status == EnrollmentStatus.CONFIRMED


def test_family_cancels_from_its_page(client, login_as, run, make_family):
    household, adults = make_family(1)
    enrollment = services.sign_up(run, household, adults, actor=adults[0], now=clock.now())
    db.session.commit()
    login_as(client, adults[0])
    response = client.post(
        f"/anmalan/{enrollment.id}/avboka", data={"reason": "Krock"}, follow_redirects=True
    )
    assert "Anmälan är avbokad." in _text(response)
    db.session.refresh(enrollment)
    assert enrollment.status == EnrollmentStatus.CANCELLED and enrollment.cancel_reason == "Krock"


def test_too_long_reason_is_refused_with_its_limit(client, login_as, run, make_family):
    household, adults = make_family(1)
    enrollment = services.sign_up(run, household, adults, actor=adults[0], now=clock.now())
    db.session.commit()
    login_as(client, adults[0])
    response = client.post(
        f"/anmalan/{enrollment.id}/avboka", data={"reason": "x" * 301}, follow_redirects=True
    )
    assert "Anledningen får vara högst 300 tecken." in _text(response)
    db.session.refresh(enrollment)
    assert enrollment.status != EnrollmentStatus.CANCELLED


# -- the calendar feed ---------------------------------------------------------------------------


def test_family_creates_downloads_and_revokes_its_feed(client, login_as, run, make_family):
    household, adults = make_family(2)
    services.sign_up(run, household, adults, actor=adults[0], now=clock.now())
    db.session.commit()
    login_as(client, adults[0])
    client.post("/mina-kurser/kalender")
    feed = db.session.get(CalendarFeed, adults[0].id)
    assert feed is not None and feed.token in _text(client.get("/mina-kurser"))
    anonymous = client.application.test_client()
    response = anonymous.get(f"/kalender/{feed.token}.ics")
    assert response.status_code == 200 and response.mimetype == "text/calendar"
    cal = icalendar.Calendar.from_ical(response.data)
    uids = sorted(str(e["UID"]) for e in cal.walk("VEVENT"))
    assert uids == sorted(f"session-{s.id}@coursehub" for s in run.sessions)
    old_token = feed.token
    client.post("/mina-kurser/kalender/ta-bort")
    assert anonymous.get(f"/kalender/{old_token}.ics").status_code == 404
    assert anonymous.get("/kalender/forfalskad-token.ics").status_code == 404


def test_the_calendar_section_offers_subscribing_in_every_program_for_both_adults(
    client, login_as, run, make_family
):
    household, adults = make_family(2)
    services.sign_up(run, household, adults, actor=adults[0], now=clock.now())
    db.session.commit()
    login_as(client, adults[0])
    client.post("/mina-kurser/kalender")
    token = db.session.get(CalendarFeed, adults[0].id).token
    page = client.get("/mina-kurser").get_data(as_text=True)
    assert f'href="webcal://localhost/kalender/{token}.ics"' in page
    assert "https://calendar.google.com/calendar/render?cid=webcal%3A%2F%2Flocalhost%2Fkalender%2F" in page
    assert (
        f"https://outlook.live.com/calendar/0/addfromweb?url=http%3A%2F%2Flocalhost%2Fkalender%2F{token}.ics"
        in page
    )
    assert 'data-copy-from="feed-url"' in page and "/static/js/copy-link.js" in page
    assert "Så gör ni" in page
    # Both adults are named, each with whether their own link exists.
    assert f"{adults[0].full_name}: har en kalenderlänk" in page
    assert f"{adults[1].full_name}: har ingen kalenderlänk ännu" in page


def test_the_feed_and_the_invites_agree_on_each_events_sequence(client, login_as, run, make_family, outbox):
    """After a cancel and a new sign-up the feed must not look older than the mail's invite."""
    household, adults = make_family(1)
    first = services.sign_up(run, household, adults, actor=adults[0], now=clock.now())
    services.cancel_enrollment(first, actor=adults[0], now=clock.now())
    services.sign_up(run, household, adults, actor=adults[0], now=clock.now())
    db.session.commit()
    login_as(client, adults[0])
    client.post("/mina-kurser/kalender")
    token = db.session.get(CalendarFeed, adults[0].id).token
    feed = icalendar.Calendar.from_ical(client.get(f"/kalender/{token}.ics").data)
    in_feed = {str(e["UID"]): int(e["SEQUENCE"]) for e in feed.walk("VEVENT")}
    latest = {}
    for message in outbox(recipient=adults[0].email):
        if message.calendar_method == "REQUEST":
            [event] = icalendar.Calendar.from_ical(message.calendar_ics).walk("VEVENT")
            latest[str(event["UID"])] = int(event["SEQUENCE"])
    assert in_feed == latest and min(in_feed.values()) > 0
    assert str(feed["X-WR-CALNAME"]).startswith("Kurser hos ")


def _feed_uids(client, token):
    """Return the UIDs the feed lists, read by icalendar and by vobject (which must agree)."""
    import vobject

    response = client.get(f"/kalender/{token}.ics")
    assert response.status_code == 200
    uids = sorted(str(e["UID"]) for e in icalendar.Calendar.from_ical(response.data).walk("VEVENT"))
    events = vobject.readOne(response.data.decode("utf-8")).contents.get("vevent", [])
    assert sorted(e.uid.value for e in events) == uids
    return uids


def test_the_feed_leaves_out_cancelled_sign_ups_and_cancelled_runs(client, make_family, staff):
    from coursehub.courses import services as course_services

    household, adults = make_family(1)
    kept, dropped, called_off = (CourseRunFactory(capacity=4) for _ in range(3))
    for run in (kept, dropped, called_off):
        services.sign_up(run, household, adults, actor=adults[0], now=clock.now())
    feed = services.create_calendar_feed(adults[0], now=clock.now())
    db.session.commit()
    everything = _feed_uids(client, feed.token)
    assert len(everything) == sum(len(r.sessions) for r in (kept, dropped, called_off))

    enrollment = db.session.scalars(select(Enrollment).where(Enrollment.run_id == dropped.id)).one()
    services.cancel_enrollment(enrollment, actor=adults[0], now=clock.now())
    course_services.cancel_run(called_off, actor=staff, now=clock.now())
    db.session.commit()
    assert _feed_uids(client, feed.token) == sorted(f"session-{s.id}@coursehub" for s in kept.sessions)


def test_the_feed_of_a_deactivated_person_is_gone(client, run, make_family, staff):
    from coursehub.accounts import services as account_services

    household, adults = make_family(1)
    services.sign_up(run, household, adults, actor=adults[0], now=clock.now())
    feed = services.create_calendar_feed(adults[0], now=clock.now())
    db.session.commit()
    assert len(_feed_uids(client, feed.token)) == len(run.sessions)
    account_services.deactivate_user(adults[0], actor=staff, now=clock.now())
    db.session.commit()
    response = client.get(f"/kalender/{feed.token}.ics")
    assert response.status_code == 404 and b"BEGIN:VCALENDAR" not in response.data


# -- the municipality ----------------------------------------------------------------------------


def test_worker_signs_up_a_household_of_their_municipality(client, login_as, basic_run, make_family, worker):
    household, adults = make_family(2)
    db.session.commit()
    login_as(client, worker)
    page = _text(client.get(f"/kommun/hushall/{household.id}"))
    assert basic_run.title in page and adults[0].full_name in page
    response = client.post(
        f"/kommun/hushall/{household.id}/anmalan",
        data={"run_id": str(basic_run.id), "persons": [str(a.id) for a in adults]},
    )
    assert response.status_code == 302
    enrollment = db.session.scalars(select(Enrollment)).one()
    assert enrollment.status == EnrollmentStatus.CONFIRMED  # no further approval


def test_a_household_of_another_municipality_is_not_found(client, login_as, run, make_family, worker):
    household, adults = make_family(1, municipality=MunicipalityFactory())
    db.session.commit()
    login_as(client, worker)
    assert client.get(f"/kommun/hushall/{household.id}").status_code == 404
    response = client.post(
        f"/kommun/hushall/{household.id}/anmalan",
        data={"run_id": str(run.id), "persons": [str(adults[0].id)]},
    )
    assert response.status_code == 404
    assert _count() == 0


def test_worker_approves_a_pending_sign_up_and_the_family_is_told(
    client, login_as, basic_run, make_family, worker
):
    household, adults = make_family(2)
    enrollment = services.sign_up(basic_run, household, adults, actor=adults[0], now=clock.now())
    db.session.commit()
    login_as(client, worker)
    page = _text(client.get("/kommun/godkannanden"))
    assert household.name in page
    client.post(f"/anmalan/{enrollment.id}/godkann")
    db.session.refresh(enrollment)
    assert enrollment.status == EnrollmentStatus.CONFIRMED
    confirmations = db.session.scalars(
        select(OutboxMessage.recipient).where(OutboxMessage.dedupe_key.like("enrollment-confirmed:%"))
    )
    assert sorted(confirmations) == sorted(a.email for a in adults)
    assert household.name not in _text(client.get("/kommun/godkannanden"))


def test_worker_adds_a_household_whose_adults_are_invited(client, login_as, worker):
    db.session.commit()
    login_as(client, worker)
    response = client.post(
        "/kommun/hushall/ny",
        data={"household_name": "Familjen Berg", "adult1_name": "Bo Berg", "adult1_email": "bo@exempel.se"},
    )
    assert response.status_code == 302
    household = db.session.scalars(select(Household).where(Household.name == "Familjen Berg")).one()
    assert household.is_confirmed and household.municipality_id == worker.municipality_id
    assert "Familjen Berg" in _text(client.get("/kommun/hushall"))


def test_a_new_family_registers_through_the_course_page(client, run, municipality, worker):
    db.session.commit()
    page = _text(client.get(f"/kurser/{run.id}/ny-familj"))
    assert municipality.name in page
    response = client.post(
        f"/kurser/{run.id}/ny-familj",
        data={
            "household_name": "Familjen Ek",
            "adult1_name": "Eva Ek",
            "adult1_email": "eva@exempel.se",
            "adult2_name": "Erik Ek",
            "adult2_email": "erik@exempel.se",
            "municipality_id": str(municipality.id),
        },
    )
    assert response.status_code == 302
    enrollment = db.session.scalars(select(Enrollment)).one()
    assert enrollment.status == EnrollmentStatus.UNVERIFIED and not enrollment.household.is_confirmed
    done = _text(client.get(response.headers["Location"]))
    assert "välj lösenord inom 48 timmar" in done and "gäller först när" in done
    # The same e-mail again: the same answer as the first time (nobody learns that the address has
    # an account), and nothing more saved.
    again = client.post(
        f"/kurser/{run.id}/ny-familj",
        data={
            "adult1_name": "Eva Ek",
            "adult1_email": "EVA@exempel.se",
            "municipality_id": str(municipality.id),
        },
    )
    assert again.status_code == 302 and again.headers["Location"] == response.headers["Location"]
    assert "Det finns redan ett konto" not in _text(client.get(again.headers["Location"]))
    assert _count(Household) == 1


@pytest.mark.parametrize(
    ("email", "message"),
    [
        ("eva.exempel.se", "Skriv en e-postadress som namn@exempel.se."),
        ("eva@@exempel.se", "Skriv en e-postadress som namn@exempel.se."),
        ("eva ek@exempel.se", "Skriv en e-postadress som namn@exempel.se."),
        ("eva@exempel.se\r\nBcc: alla@exempel.se", "Skriv en e-postadress som namn@exempel.se."),
        ("åsa@exempel.se", "Delen före @ får bara ha bokstäverna a–z (inte å, ä, ö)"),
        ("eva@" + "ö" * 60 + ".se", "Skriv en e-postadress som namn@exempel.se."),
        ("e" * 250 + "@ex.se", "Högst 254 tecken."),
    ],
)
def test_a_refused_address_is_shown_beside_its_field_and_nothing_is_saved(
    client, login_as, run, municipality, worker, email, message
):
    db.session.commit()
    users = _count(User)
    family = client.post(
        f"/kurser/{run.id}/ny-familj",
        data={
            "adult1_name": "Eva Ek",
            "adult1_email": "eva@exempel.se",
            "adult2_name": "Erik Ek",
            "adult2_email": email,
            "municipality_id": str(municipality.id),
        },
    )
    login_as(client, worker)
    added = client.post("/kommun/hushall/ny", data={"adult1_name": "Eva Ek", "adult1_email": email})
    for page in (family, added):
        assert page.status_code == 200
        text = _text(page)
        field = "adult2_email" if page is family else "adult1_email"
        assert f'id="{field}-error" class="invalid-feedback">' in text
        assert message in text
        assert f'aria-describedby="{field}-error"' in text
    assert _count(Household) == 0 and _count(User) == users and _count(OutboxMessage) == 0


def test_an_adult_with_an_international_domain_is_invited_at_its_ascii_address(client, login_as, worker):
    db.session.commit()
    login_as(client, worker)
    response = client.post(
        "/kommun/hushall/ny",
        data={"household_name": "Familjen Bok", "adult1_name": "Bo Bok", "adult1_email": "Bo@Bücher.de"},
    )
    assert response.status_code == 302
    [message] = db.session.scalars(select(OutboxMessage))
    assert message.recipient == "bo@xn--bcher-kva.de"


# -- staff and leaders ---------------------------------------------------------------------------


def test_leader_sees_participants_with_needs_and_exports(client, login_as, make_family, municipality):
    leader = UserFactory(leader=True)
    run = CourseRunFactory(leaders=[leader])
    household, adults = make_family(2)
    adults[0].phone = "070-123 45 67"
    services.sign_up(
        run,
        household,
        adults,
        actor=adults[0],
        now=clock.now(),
        accessibility="Rullstol",
        interpreter="tigrinja",
    )
    db.session.commit()
    login_as(client, leader)
    page = _text(client.get(f"/kurser/{run.id}/deltagare"))
    assert adults[0].full_name in page and "Rullstol" in page and municipality.name in page
    printable = _text(client.get(f"/kurser/{run.id}/deltagare/utskrift"))
    assert adults[1].full_name in printable and "tigrinja" in printable

    response = client.get(f"/kurser/{run.id}/deltagare.csv")
    assert response.headers["Content-Disposition"].startswith("attachment;")
    rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:2] == ["Namn", "E-postadress"]
    assert sorted(r[0] for r in rows[1:]) == sorted(a.full_name for a in adults)
    assert rows[0][2] == "Telefon" and {r[2] for r in rows[1:]} == {"070-123 45 67", ""}
    assert rows[1][4] == municipality.name and rows[1][8] == "Rullstol"

    response = client.get(f"/kurser/{run.id}/deltagare.xlsx")
    assert response.headers["Content-Disposition"].startswith("attachment;")
    sheet = load_workbook(io.BytesIO(response.data)).active
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert values[0][0] == run.title and values[1][:3] == ["Namn", "E-postadress", "Telefon"]
    assert {values[2][0], values[3][0]} == {a.full_name for a in adults}
    assert sheet.freeze_panes == "A3" and sheet["A2"].font.bold


def test_another_leader_gets_not_found(client, login_as):
    run = CourseRunFactory(leaders=[UserFactory(leader=True)])
    other = UserFactory(leader=True)
    db.session.commit()
    login_as(client, other)
    for path in ("deltagare", "deltagare/utskrift", "deltagare.csv", "deltagare.xlsx"):
        assert client.get(f"/kurser/{run.id}/{path}").status_code == 404


def test_spreadsheet_formulas_are_neutralised(client, login_as, staff, make_family):
    run = CourseRunFactory()
    household, adults = make_family(1)
    services.sign_up(run, household, adults, actor=adults[0], now=clock.now(), diet="=HYPERLINK(1)")
    db.session.commit()
    login_as(client, staff)
    body = client.get(f"/kurser/{run.id}/deltagare.csv").data.decode("utf-8-sig")
    assert "'=HYPERLINK(1)" in body


def test_staff_reorder_the_waiting_list_through_the_page(client, login_as, staff, run, make_family):
    full, full_adults = make_family(4)
    services.sign_up(run, full, full_adults, actor=full_adults[0], now=clock.now())
    first, second = (_sign_up_one(run, make_family) for _ in range(2))
    db.session.commit()
    login_as(client, staff)
    missing = client.post(
        f"/anmalan/{second.id}/flytta", data={"position": "1", "reason": ""}, follow_redirects=True
    )
    assert "Skriv varför ordningen ändras." in _text(missing)
    client.post(f"/anmalan/{second.id}/flytta", data={"position": "1", "reason": "Förtur"})
    db.session.refresh(first)
    db.session.refresh(second)
    assert (second.waitlist_position, first.waitlist_position) == (1, 2)


def _sign_up_one(run, make_family):
    household, adults = make_family(1)
    return services.sign_up(run, household, adults, actor=adults[0], now=clock.now())


def test_municipality_counts_per_run_and_term(client, login_as, staff, make_family, municipality):
    run = CourseRunFactory()
    household, adults = make_family(2)
    services.sign_up(run, household, adults, actor=adults[0], now=clock.now())
    db.session.commit()
    login_as(client, staff)
    page = _text(client.get("/kurser/deltagare-per-kommun?termin=2026-HT"))
    assert run.title in page and municipality.name in page
    assert "<td>2</td><td>1</td>" in page.replace("\n", "")
    assert run.title not in _text(client.get("/kurser/deltagare-per-kommun?termin=2026-VT"))


# -- a fixed number of queries whatever the data size ---------------------------------------------


def _fill_run(run, families: int):
    for _ in range(families):
        EnrollmentFactory(run=run, household=_household_with_adults(2))
    db.session.commit()


def _household_with_adults(n):
    from tests.factories import HouseholdFactory

    household = HouseholdFactory()
    for _ in range(n):
        UserFactory(household=household, roles=[Role.FAMILY])
    db.session.refresh(household)
    return household


def test_participant_list_runs_a_fixed_number_of_queries(client, login_as, staff, count_queries):
    small, large = CourseRunFactory(capacity=100), CourseRunFactory(capacity=100)
    _fill_run(small, 2)
    _fill_run(large, 20)
    login_as(client, staff)
    counts = []
    for run in (small, large):
        with client.application.app_context(), count_queries() as statements:
            # A fresh app context per request, as in production: nothing cached from before.
            response = client.get(f"/kurser/{run.id}/deltagare")
        assert response.status_code == 200
        counts.append(len(statements))
    assert counts[0] == counts[1], counts


def test_a_leaders_right_to_the_participant_list_is_read_with_the_run(client, login_as, count_queries):
    leader = UserFactory(leader=True)
    run = CourseRunFactory(capacity=100, leaders=[leader, UserFactory(leader=True)])
    _fill_run(run, 5)
    run_id = run.id
    login_as(client, leader)
    with client.application.app_context(), count_queries() as statements:
        response = client.get(f"/kurser/{run_id}/deltagare")
    assert response.status_code == 200 and response.get_data(as_text=True).count('<th scope="row">') == 5
    # The user, the run with its leaders, the page of sign-ups with their count, their persons'
    # names: no statement of its own to ask whether the user leads the run.
    assert len(statements) == 4, statements
    assert not any("EXISTS" in statement and "run_leaders" in statement for statement in statements)


def test_participants_per_municipality_runs_a_fixed_number_of_queries(client, login_as, staff, count_queries):
    """One run from one municipality, then many runs from many: the same statements, whatever
    the term holds (the rows are a page of them, the part sums one statement)."""
    counts = []
    for runs in (1, 6):
        for _ in range(runs):
            run = CourseRunFactory(capacity=100)
            for _ in range(3):
                EnrollmentFactory(run=run, household=_household_with_adults(1))
        db.session.commit()
        login_as(client, staff)
        with client.application.app_context(), count_queries() as statements:
            response = client.get("/kurser/deltagare-per-kommun?termin=2026-HT")
        assert response.status_code == 200
        counts.append(len(statements))
    assert counts[0] == counts[1], counts


def test_family_page_runs_a_fixed_number_of_queries(client, login_as, count_queries):
    few = _household_with_adults(2)
    many = _household_with_adults(2)
    for household, runs in ((few, 1), (many, 8)):
        for _ in range(runs):
            EnrollmentFactory(household=household, run=CourseRunFactory())
    db.session.commit()
    counts = []
    for household in (few, many):
        login_as(client, household.adults[0])
        with client.application.app_context(), count_queries() as statements:
            response = client.get("/mina-kurser")
        assert response.status_code == 200
        counts.append(len(statements))
    assert counts[0] == counts[1], counts


def test_the_invitation_link_of_a_new_family_opens_the_accounts_page(client, run, municipality):
    import re

    services.register_family(
        run,
        household_name="",
        municipality=municipality,
        adults=[services.NewAdult("Nora Nyström", "nora@exempel.se")],
        now=clock.now(),
    )
    db.session.commit()
    body = db.session.scalars(
        select(OutboxMessage.body_text).where(OutboxMessage.dedupe_key.like("enrollment-invitation:%"))
    ).one()
    path = re.search(r"http://coursehub\.test(/inbjudan/\S+)", body).group(1)
    response = client.get(path)
    assert response.status_code == 200
    assert "lösenord" in _text(response).lower()
    assert "Länken gäller inte" in _text(client.get("/inbjudan/forfalskad"))


def test_export_and_page_show_the_same_status_label(client, login_as, staff, make_family):
    from coursehub.enrollment.labels import STATUS_LABELS

    run = CourseRunFactory()
    household, adults = make_family(1)
    enrollment = services.sign_up(run, household, adults, actor=adults[0], now=clock.now())
    db.session.commit()
    login_as(client, staff)
    label = str(STATUS_LABELS[enrollment.status])
    rows = list(
        csv.reader(
            io.StringIO(client.get(f"/kurser/{run.id}/deltagare.csv").data.decode("utf-8-sig")), delimiter=";"
        )
    )
    status = rows[0].index("Status")
    assert rows[1][status] == label
    assert label in _text(client.get(f"/kurser/{run.id}/deltagare"))


def test_waiting_list_page_numbers_the_queue(client, login_as, staff, run, make_family):
    full, full_adults = make_family(4)
    services.sign_up(run, full, full_adults, actor=full_adults[0], now=clock.now())
    waiting = _sign_up_one(run, make_family)
    db.session.commit()
    login_as(client, staff)
    page = _text(client.get(f"/kurser/{run.id}/reservlista"))
    assert "Nr i kön" in page and "Nytt nr i kön" in page and "Anledning" in page
    login_as(client, waiting.household.adults[0])
    assert "Reservlista – nr 1 i kön" in _text(client.get("/mina-kurser"))


# -- found in review -------------------------------------------------------------------------------


def test_a_forged_adult_id_does_not_reveal_that_persons_name(client, login_as, run, make_family):
    _household, adults = make_family(1)
    stranger = UserFactory(full_name="Hemliga Personen", staff=True)
    db.session.commit()
    login_as(client, adults[0])
    response = client.post(
        f"/kurser/{run.id}/anmalan", data={"persons": [str(adults[0].id), str(stranger.id)]}
    )
    page = _text(response)
    assert 'id="persons-error"' in page and "hör inte till hushållet" in page
    assert "Hemliga Personen" not in page
    assert _count() == 0


@pytest.mark.parametrize("term", ["0000-VT", "9999-HT"])
def test_an_impossible_term_shows_the_current_term(client, login_as, staff, term):
    login_as(client, staff)
    response = client.get(f"/kurser/deltagare-per-kommun?termin={term}")
    assert response.status_code == 200
    assert clock.now().strftime("%Y") in _text(response)


def test_a_run_title_like_a_formula_is_text_in_the_workbook(client, login_as, staff):
    run = CourseRunFactory(title='=HYPERLINK("http://x")')
    db.session.commit()
    login_as(client, staff)
    body = client.get(f"/kurser/{run.id}/deltagare.xlsx").data
    sheet = load_workbook(io.BytesIO(body)).active
    assert sheet["A1"].data_type == "s"
    assert sheet["A1"].value == '\'=HYPERLINK("http://x")'


def test_the_calendar_feed_runs_a_fixed_number_of_queries_however_many_courses(
    client, make_family, count_queries
):
    # The benchmark found 86 statements for one feed at county scale: each meeting's guests were
    # loaded one meeting at a time.
    from coursehub.courses.models import SessionSpeaker

    counts = []
    for runs in (1, 6):
        household, adults = make_family(1)
        for _ in range(runs):
            run = CourseRunFactory()
            EnrollmentFactory(household=household, run=run, persons=adults)
            for session in run.sessions:
                db.session.add(SessionSpeaker(session=session, position=1, name="Gästen Gästsson"))
        db.session.commit()
        token = services.create_calendar_feed(adults[0], now=clock.now()).token
        db.session.commit()
        with client.application.app_context(), count_queries() as statements:
            response = client.get(f"/kalender/{token}.ics")
        assert response.status_code == 200 and "Gästen Gästsson" in response.get_data(as_text=True)
        counts.append(len(statements))
    assert counts[0] == counts[1], counts


def test_participant_list_rows_say_who_where_from_and_what_a_make_up_is_for(client, login_as, staff):
    """Each row: the persons, a family's household, the municipality (a professional's own), the
    status and, for a make-up, which meeting it makes up."""
    north, south = MunicipalityFactory(name="Norrby"), MunicipalityFactory(name="Söderby")
    run, other = CourseRunFactory(capacity=20), CourseRunFactory(capacity=20)
    household = Household(name="Familjen Ek", municipality=north)
    adults = [UserFactory(household=household, full_name=n, roles=[Role.FAMILY]) for n in ("Ada Ek", "Bo Ek")]
    EnrollmentFactory(run=run, household=household, persons=adults, needs_diet="Vegetarisk")
    professional = UserFactory(full_name="Kim Yrkesverksam", municipality=south, roles=[Role.MUNICIPAL])
    EnrollmentFactory(
        run=run,
        household=None,
        professional=professional,
        participant_kind="professional",
        persons=[professional],
        pending=True,
    )
    guests = Household(name="Familjen Al", municipality=north)
    guest = UserFactory(household=guests, full_name="Cy Al", roles=[Role.FAMILY])
    EnrollmentFactory(run=other, household=guests, persons=[guest])
    session = run.sessions[0]
    EnrollmentFactory(
        run=run, household=guests, persons=[guest], makeup_session=session, scope=f"session:{session.id}"
    )
    db.session.commit()
    login_as(client, staff)
    page = _text(client.get(f"/kurser/{run.id}/deltagare"))
    rows = page.split("<tr>")[2:]  # after the heading row; ordered by household or own name
    assert [r.split("</th>")[0].split('scope="row">')[1] for r in rows] == [
        "Cy Al<br><small>Familjen Al</small>",
        "Ada Ek<br>Bo Ek<br><small>Familjen Ek</small>",
        "Kim Yrkesverksam",
    ]
    assert f"Tar igen: {session.title}" in rows[0] and "Norrby" in rows[0]
    assert "Vegetarisk" in rows[1] and "Norrby" in rows[1] and "Tar igen" not in rows[1]
    assert "Söderby" in rows[2] and "yrkesverksam" in rows[2] and "Väntar" in rows[2]


@pytest.mark.parametrize("page", ["profile", "sign-up", "municipal household"])
def test_pages_listing_a_households_adults_run_the_same_statements_for_one_adult_and_for_three(
    client, login_as, count_queries, worker, page
):
    """The adults are listed by name (and address) without loading each one's roles."""
    run = CourseRunFactory()
    counts = []
    for adults in (1, 3):
        household = HouseholdFactory(municipality=worker.municipality)
        people = [
            UserFactory(household=household, roles=[Role.FAMILY], full_name=f"Vuxen {n} av {adults}")
            for n in range(adults)
        ]
        db.session.commit()
        login_as(client, worker if page == "municipal household" else people[0])
        url = {
            "profile": "/profil",
            "sign-up": f"/kurser/{run.id}/anmalan",
            "municipal household": f"/kommun/hushall/{household.id}",
        }[page]
        with client.application.app_context(), count_queries() as statements:
            response = client.get(url)
        assert response.status_code == 200
        text = _text(response)
        assert all(f"Vuxen {n} av {adults}" in text for n in range(adults))
        counts.append(len(statements))
    assert counts[0] == counts[1], counts
