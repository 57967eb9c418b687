"""What a person meets on the account pages: login, sessions, links, profile and staff pages."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from coursehub.accounts.models import AuditEntry, Role, User
from coursehub.notifications.models import OutboxMessage
from tests.accounts.conftest import link_path, outbox_for, plain_body, post_login, send_and_read
from tests.factories import PASSWORD, HouseholdFactory, MunicipalityFactory, UserFactory

NEW_PASSWORD = "ett-helt-nytt-lösenord"
LOGIN_FAILED = "Fel e-postadress, användarnamn eller lösenord."


def _text(response) -> str:
    return response.get_data(as_text=True)


def _without_csrf_token(response) -> str:
    text, found = re.subn(r'(name="csrf_token"[^>]*value=")[^"]+', r"\1", _text(response))
    assert found, "the page has a form with a CSRF token"
    return text


def _rows(response) -> str:
    """Return the body of the page's table, where listed records are."""
    text = _text(response)
    return text[text.find("<tbody>") : text.find("</tbody>")] if "<tbody>" in text else ""


def _goes_to_login(response) -> bool:
    return response.status_code == 302 and "/logga-in" in response.location


def _count(db, model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


# -- login and logout ---------------------------------------------------------------------------


@pytest.mark.parametrize("login", ["email", "username", "upper-case email"])
def test_login_by_email_or_username(client, db, login):
    user = UserFactory(email="anna@exempel.se", username="anna.svensson", full_name="Anna Svensson")
    name = {"email": "anna@exempel.se", "username": "anna.svensson", "upper-case email": " ANNA@Exempel.se"}[
        login
    ]
    response = post_login(client, name)
    assert response.status_code == 302
    page = client.get("/profil")
    assert page.status_code == 200
    assert "Anna Svensson" in _text(page) and user.username in _text(page)


@pytest.mark.parametrize(
    ("login", "password"),
    [
        ("anna@exempel.se", "fel-lösenord-helt-klart"),
        ("okand@exempel.se", PASSWORD),
        ("stangd@exempel.se", PASSWORD),
    ],
)
def test_every_login_failure_gets_the_same_message(client, db, clock, login, password):
    UserFactory(email="anna@exempel.se")
    UserFactory(email="stangd@exempel.se", deactivated_at=clock.now)
    db.session.commit()
    response = post_login(client, login, password)
    assert response.status_code == 200
    assert LOGIN_FAILED in _text(response)
    assert _goes_to_login(client.get("/profil"))


def test_login_rejects_over_long_input_in_swedish(client, db):
    response = post_login(client, "a" * 255, "x" * 257)
    assert _text(response).count("Högst") == 2


def test_login_gives_a_new_session_cookie(client, db):
    user = UserFactory()
    client.get("/logga-in")
    client.post("/sprak", data={"locale": "sv", "next": "/"})
    before = client.get_cookie("session").value
    post_login(client, user.email)
    assert client.get_cookie("session").value != before


def test_a_cookie_replayed_after_logout_is_refused(client, db, form_login):
    user = UserFactory()
    form_login(client, user)
    assert client.get("/profil").status_code == 200
    captured = client.get_cookie("session").value
    response = client.post("/logga-ut")
    assert response.status_code == 302
    assert _goes_to_login(client.get("/profil"))
    client.set_cookie("session", captured)
    assert _goes_to_login(client.get("/profil"))


def test_logout_ends_the_sessions_on_other_devices_too(app, db, form_login):
    user = UserFactory()
    laptop, phone = form_login(app.test_client(), user), form_login(app.test_client(), user)
    assert phone.get("/profil").status_code == 200
    laptop.post("/logga-ut")
    assert _goes_to_login(phone.get("/profil"))


def test_idle_session_times_out(client, db, clock, form_login):
    form_login(client, UserFactory())
    clock.advance(minutes=29)
    assert client.get("/profil").status_code == 200
    clock.advance(minutes=31)
    response = client.get("/profil")
    assert _goes_to_login(response)
    page = client.get(response.location)
    assert "Du har loggats ut eftersom det gått en stund" in _text(page)


def test_a_request_within_a_minute_of_the_last_refresh_sends_no_cookie(client, db, clock, form_login):
    form_login(client, UserFactory())
    assert "Set-Cookie" in client.get("/profil").headers  # the session becomes permanent
    clock.advance(seconds=59)
    response = client.get("/profil")
    assert response.status_code == 200
    assert "Set-Cookie" not in response.headers
    clock.advance(seconds=2)
    response = client.get("/profil")
    assert response.status_code == 200
    assert "Set-Cookie" in response.headers


def test_idle_time_counts_from_the_last_refresh_of_the_session(client, db, clock, form_login):
    form_login(client, UserFactory())
    assert client.get("/profil").status_code == 200
    clock.advance(seconds=50)
    assert client.get("/profil").status_code == 200  # too soon to write the session anew
    clock.advance(minutes=29, seconds=11)  # 30 min 1 s after the last refresh, 29 min 11 s idle
    assert _goes_to_login(client.get("/profil"))


def test_steady_use_keeps_the_session_though_most_requests_write_nothing(client, db, clock, form_login):
    form_login(client, UserFactory())
    for _ in range(60):  # every 45 seconds for 45 minutes
        clock.advance(seconds=45)
        assert client.get("/profil").status_code == 200


def test_session_ends_after_ten_hours_even_when_in_use(client, db, clock, form_login):
    form_login(client, UserFactory())
    for _ in range(39):  # every 15 minutes for 9 h 45 min
        clock.advance(minutes=15)
        assert client.get("/profil").status_code == 200
    clock.advance(minutes=16)
    assert _goes_to_login(client.get("/profil"))


class TestRateLimits:
    @pytest.fixture
    def app_config(self):
        return {
            "RATELIMIT_ENABLED": True,
            "COURSEHUB_LOGIN_LIMIT_ADDRESS": "8 per 10 minutes",
            "COURSEHUB_LOGIN_FREE_FAILURES": 20,
        }

    def test_failures_from_one_address_lock_that_address(self, client, db):
        users = [UserFactory() for _ in range(9)]
        db.session.commit()
        for user in users[:8]:
            assert LOGIN_FAILED in _text(post_login(client, user.email, "fel-fel-fel"))
        assert post_login(client, users[8].email).status_code == 429
        other_address = client.post(
            "/logga-in",
            data={"login": users[0].email, "password": PASSWORD},
            environ_base={"REMOTE_ADDR": "10.0.0.5"},
        )
        assert other_address.status_code == 302

    def test_reset_requests_from_one_address_are_limited(self, client, db):
        for _ in range(8):
            response = client.post("/glomt-losenord", data={"email": "okand@exempel.se"})
            assert response.status_code == 302
        response = client.post("/glomt-losenord", data={"email": "okand@exempel.se"})
        assert response.status_code == 429
        assert "För många försök" in _text(response)

    def test_successful_logins_do_not_count(self, app, db):
        user = UserFactory()
        for _ in range(6):
            client = app.test_client()
            assert post_login(client, user.email).status_code == 302


# -- password reset, with a real SMTP server ---------------------------------------------------


def test_password_reset_mail_arrives_and_its_link_works_once(client, db, smtp_server):
    user = UserFactory(email="anna@exempel.se", full_name="Anna Svensson")
    db.session.commit()
    response = client.post("/glomt-losenord", data={"email": "anna@exempel.se"}, follow_redirects=True)
    assert "Om det finns ett konto med den adressen har vi skickat ett e-postmeddelande" in _text(response)
    [mail] = send_and_read(smtp_server)
    assert mail["To"] == "anna@exempel.se"
    assert mail["Subject"] == "Välj ett nytt lösenord"
    body = plain_body(mail)
    assert "Hej Anna!" in body and "gäller i 2 timmar" in body
    path = link_path(body)

    form = client.get(path)
    assert "Välj ett nytt lösenord" in _text(form) and user.username in _text(form)
    done = client.post(path, data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert _goes_to_login(done)
    assert "Ditt lösenord är bytt" in _text(client.get(done.location))
    assert LOGIN_FAILED in _text(post_login(client, user.email, PASSWORD))
    assert post_login(client, user.email, NEW_PASSWORD).status_code == 302

    again = client.get(path)
    assert again.status_code == 200
    assert "Länken har redan använts" in _text(again)
    client.post(path, data={"password": "ett-tredje-lösenord", "confirm": "ett-tredje-lösenord"})
    assert post_login(client, user.email, NEW_PASSWORD).status_code == 302


def test_reset_answers_the_same_for_unknown_addresses_and_sends_nothing(client, db):
    UserFactory(email="anna@exempel.se")
    known = client.post("/glomt-losenord", data={"email": "anna@exempel.se"}, follow_redirects=True)
    unknown = client.post("/glomt-losenord", data={"email": "okand@exempel.se"}, follow_redirects=True)
    # The pages are the same but for the form's fresh CSRF token, which is signed with the
    # second it was made in: two requests a second apart get different tokens.
    assert _without_csrf_token(known) == _without_csrf_token(unknown)
    assert len(outbox_for("anna@exempel.se")) == 1
    assert outbox_for("okand@exempel.se") == []


def test_reset_ends_every_other_session(app, client, db, form_login):
    user = UserFactory(email="anna@exempel.se")
    other_device = form_login(app.test_client(), user)
    client.post("/glomt-losenord", data={"email": user.email})
    path = link_path(outbox_for(user.email)[0].body_text)
    client.post(path, data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert _goes_to_login(other_device.get("/profil"))


def test_expired_reset_link_says_so_and_changes_nothing(client, db, clock):
    user = UserFactory(email="anna@exempel.se")
    client.post("/glomt-losenord", data={"email": user.email})
    path = link_path(outbox_for(user.email)[0].body_text)
    clock.advance(hours=2, minutes=1)
    page = client.get(path)
    assert page.status_code == 200
    assert "Länken har gått ut." in _text(page)
    assert "Be om en ny länk" in _text(page)
    client.post(path, data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert post_login(client, user.email, PASSWORD).status_code == 302


def test_bogus_link_gets_a_plain_message(client, db):
    page = client.get("/aterstall-losenord/nagot-pahittat")
    assert page.status_code == 200
    assert "Länken gäller inte" in _text(page)


@pytest.mark.parametrize(
    ("password", "confirm", "message"),
    [
        ("kort", "kort", "Lösenordet måste ha minst 12 tecken."),
        ("x" * 257, "x" * 257, "Lösenordet får ha högst 256 tecken."),
        (NEW_PASSWORD, "något-annat-lösenord", "Lösenorden är inte lika."),
    ],
)
def test_bad_new_password_gets_a_message_beside_the_field(client, db, password, confirm, message):
    user = UserFactory(email="anna@exempel.se")
    db.session.commit()
    client.post("/glomt-losenord", data={"email": user.email})
    path = link_path(outbox_for(user.email)[0].body_text)
    page = client.post(path, data={"password": password, "confirm": confirm})
    assert page.status_code == 200
    assert message in _text(page)
    assert post_login(client, user.email, PASSWORD).status_code == 302


# -- invitation -------------------------------------------------------------------------------------


def _invite(client, **data):
    values = {
        "full_name": "Örjan Åström",
        "email": "orjan@exempel.se",
        "username": "",
        "phone": "",
        "roles": ["leader"],
        "municipality": "",
    }
    values.update(data)
    return client.post("/admin/anvandare/ny", data=values)


def test_staff_invites_a_user_who_sets_a_password_and_logs_in(app, client, db, login_as, smtp_server):
    staff = UserFactory(staff=True, full_name="Sara Berg")
    db.session.commit()
    login_as(client, staff)
    response = _invite(client)
    assert response.status_code == 302
    user = db.session.scalars(select(User).where(User.email == "orjan@exempel.se")).one()
    assert user.username == "orjan.astrom" and user.roles == {Role.LEADER}
    assert "Örjan Åström har fått en inbjudan" in _text(client.get(response.location))

    [mail] = send_and_read(smtp_server)
    body = plain_body(mail)
    assert "Sara Berg har skapat ett konto åt dig" in body and "orjan.astrom" in body
    path = link_path(body)
    visitor = app.test_client()
    page = visitor.get(path)
    assert "Välkommen, Örjan" in _text(page)
    assert _goes_to_login(visitor.post(path, data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD}))
    assert post_login(visitor, "orjan.astrom", NEW_PASSWORD).status_code == 302
    assert "Länken har redan använts" in _text(visitor.get(path))


def test_invitation_for_an_existing_address_is_refused_beside_the_field(client, db, login_as):
    login_as(client, UserFactory(staff=True))
    UserFactory(email="orjan@exempel.se")
    db.session.commit()
    users = _count(db, User)
    page = _invite(client, email="Orjan@Exempel.se")
    assert page.status_code == 200
    assert 'id="email-error"' in _text(page)
    assert "Det finns redan ett konto med den här e-postadressen." in _text(page)
    assert _count(db, User) == users
    assert _count(db, OutboxMessage) == 0


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"full_name": "N" * 121}, "full_name", "Namnet får vara högst 120 tecken."),
        ({"email": "a" * 250 + "@ex.se"}, "email", "E-postadressen får vara högst 254 tecken."),
        ({"email": "inte en adress"}, "email", "Skriv en e-postadress som namn@exempel.se."),
        ({"email": "orjan@@exempel.se"}, "email", "Skriv en e-postadress som namn@exempel.se."),
        (
            {"email": "orjan@exempel.se\r\nBcc: alla@exempel.se"},
            "email",
            "Skriv en e-postadress som namn@exempel.se.",
        ),
        ({"email": "örjan@exempel.se"}, "email", "Delen före @ får bara ha bokstäverna a–z"),
        ({"email": "orjan@" + "ö" * 60 + ".se"}, "email", "Skriv en e-postadress som namn@exempel.se."),
        ({"roles": ["admin"]}, "roles", "Välj bland alternativen som visas."),
        ({"roles": ["municipal"]}, "municipality", "Välj kommun för den som arbetar i en kommun."),
        ({"municipality": "999999"}, "municipality", "Välj bland alternativen som visas."),
        ({"username": "Ö ö"}, "username", "Användarnamnet får bara ha små bokstäver"),
    ],
)
def test_bad_invitation_input_gets_a_message_and_saves_nothing(client, db, login_as, data, field, message):
    login_as(client, UserFactory(staff=True))
    db.session.commit()
    users = _count(db, User)
    page = _invite(client, **data)
    assert page.status_code == 200
    assert f'id="{field}-error"' in _text(page)
    assert message in _text(page)
    assert _count(db, User) == users
    assert _count(db, OutboxMessage) == 0


def test_an_invited_address_with_an_international_domain_is_stored_in_ascii(client, db, login_as):
    login_as(client, UserFactory(staff=True))
    db.session.commit()
    assert _invite(client, email="Orjan@Bücher.de").status_code == 302
    user = db.session.scalars(select(User).where(User.full_name == "Örjan Åström")).one()
    assert user.email == "orjan@xn--bcher-kva.de"
    assert [m.recipient for m in db.session.scalars(select(OutboxMessage))] == [user.email]


def test_only_admins_are_offered_the_admin_and_staff_roles(client, db, login_as):
    login_as(client, UserFactory(staff=True))
    staff_page = _text(client.get("/admin/anvandare/ny"))
    assert 'value="leader"' in staff_page and 'value="admin"' not in staff_page
    assert 'value="staff"' not in staff_page
    login_as(client, UserFactory(admin=True))
    admin_page = _text(client.get("/admin/anvandare/ny"))
    assert 'value="admin"' in admin_page and 'value="staff"' in admin_page


def test_municipal_worker_is_invited_with_a_municipality(client, db, login_as):
    municipality = MunicipalityFactory(name="Habo", code="0643")
    login_as(client, UserFactory(staff=True))
    assert (
        _invite(client, roles=["municipal", "member"], municipality=str(municipality.id)).status_code == 302
    )
    user = db.session.scalars(select(User).where(User.email == "orjan@exempel.se")).one()
    assert user.municipality == municipality


# -- user list, editing, deactivation ------------------------------------------------------------


def test_user_list_searches_name_email_and_username_and_filters_by_role(client, db, login_as):
    login_as(client, UserFactory(staff=True, full_name="Sara Berg"))
    UserFactory(full_name="Åsa Lind", email="asa@jonkoping.example", username="asa.lind", roles=[Role.LEADER])
    UserFactory(full_name="Per Holm", email="per@varnamo.example", username="per.holm", roles=[Role.FAMILY])
    db.session.commit()
    for query, shown, hidden in [
        ("lind", "Åsa Lind", "Per Holm"),
        ("varnamo", "Per Holm", "Åsa Lind"),
        ("per.holm", "Per Holm", "Åsa Lind"),
    ]:
        page = _rows(client.get("/admin/anvandare", query_string={"sok": query}))
        assert shown in page and hidden not in page, query
    page = _rows(client.get("/admin/anvandare", query_string={"roll": "leader"}))
    assert "Åsa Lind" in page and "Per Holm" not in page and "Sara Berg" not in page
    page = _text(client.get("/admin/anvandare", query_string={"sok": "100%_"}))
    assert "Inga användare matchar sökningen." in page


def test_user_list_is_paginated(client, db, login_as):
    login_as(client, UserFactory(staff=True, full_name="Aaa Först"))
    for n in range(30):
        UserFactory(full_name=f"Person {n:02d}")
    first = _text(client.get("/admin/anvandare"))
    assert "Sida 1 av 2" in first and "Person 00" in first and "Person 29" not in first
    second = _text(client.get("/admin/anvandare", query_string={"sida": 2}))
    assert "Person 29" in second and "Person 00" not in second


@pytest.mark.parametrize("url", ["/admin/anvandare", "/admin/logg"])
def test_listings_run_a_fixed_number_of_queries(client, db, login_as, count_queries, url):
    staff = UserFactory(staff=True)
    login_as(client, staff)

    def add_users(n):
        for _ in range(n):
            user = UserFactory(municipal=True, roles=[Role.MUNICIPAL, Role.MEMBER])
            db.session.add(
                AuditEntry(actor=user, action="user.update", object_type="users", object_id=user.id)
            )
        db.session.commit()

    add_users(5)
    with count_queries() as small:
        assert client.get(url).status_code == 200
    add_users(55)
    with count_queries() as large:
        assert client.get(url).status_code == 200
    assert len(small) == len(large)


def test_staff_edit_user_and_the_change_is_audited(client, db, login_as):
    staff = UserFactory(staff=True)
    municipality = MunicipalityFactory(name="Eksjö", code="0686")
    user = UserFactory(full_name="Gammalt Namn", roles=[Role.MEMBER])
    login_as(client, staff)
    form = _text(client.get(f"/admin/anvandare/{user.id}"))
    assert 'value="Gammalt Namn"' in form
    response = client.post(
        f"/admin/anvandare/{user.id}",
        data={
            "full_name": "Nytt Namn",
            "phone": "036-10 20 30",
            "roles": ["municipal", "member"],
            "municipality": str(municipality.id),
        },
    )
    assert response.status_code == 302
    db.session.refresh(user)
    assert (user.full_name, user.phone, user.municipality) == ("Nytt Namn", "036-10 20 30", municipality)
    assert user.roles == {Role.MUNICIPAL, Role.MEMBER}
    log = _text(client.get("/admin/logg", query_string={"handelse": "user.update"}))
    assert "user.update" in log and "roles member -&gt; member,municipal" in log


STAFF_ONLY_ADMIN = "Bara en administratör kan ändra konton för personal och administratörer."


@pytest.mark.parametrize("target_roles", [[Role.ADMIN, Role.LEADER], [Role.STAFF]])
def test_staff_are_offered_nothing_to_change_on_a_staff_or_admin_account(client, db, login_as, target_roles):
    target = UserFactory(roles=target_roles, full_name="Eva Admin", phone="036-10 20 30")
    login_as(client, UserFactory(staff=True))
    db.session.commit()
    page = _text(client.get(f"/admin/anvandare/{target.id}"))
    assert "Eva Admin" in page and "036-10 20 30" in page  # the details, to read
    assert STAFF_ONLY_ADMIN in page
    for control in (
        'name="full_name"',
        'name="phone"',
        'name="roles"',
        'name="municipality"',
        "Spara ändringarna",
        "Avaktivera kontot",
    ):
        assert control not in page, control


@pytest.mark.parametrize(
    "posted",
    [
        {"full_name": "Rättat Namn"},
        {"full_name": "Eva Admin", "phone": "070-000 00 00"},
        {"full_name": "Eva Admin", "roles": []},
        {"full_name": "Eva Admin", "roles": ["member"]},
    ],
)
def test_a_forged_post_changes_nothing_of_an_admin_and_says_why(client, db, login_as, posted):
    admin = UserFactory(roles=[Role.ADMIN, Role.LEADER], full_name="Eva Admin", phone=None)
    login_as(client, UserFactory(staff=True))
    db.session.commit()
    response = client.post(f"/admin/anvandare/{admin.id}", data=posted, follow_redirects=True)
    assert STAFF_ONLY_ADMIN in _text(response)
    assert "Ändringarna är sparade." not in _text(response)
    db.session.refresh(admin)
    assert (admin.full_name, admin.phone, admin.roles) == ("Eva Admin", None, {Role.ADMIN, Role.LEADER})
    client.post(f"/admin/anvandare/{admin.id}/avaktivera")
    db.session.refresh(admin)
    assert admin.is_active


def test_staff_are_offered_nothing_to_change_on_their_own_account_page(client, db, login_as):
    staff = UserFactory(staff=True, full_name="Sara Berg")
    login_as(client, staff)
    db.session.commit()
    page = _text(client.get(f"/admin/anvandare/{staff.id}"))
    assert 'name="full_name"' not in page and STAFF_ONLY_ADMIN in page
    client.post(f"/admin/anvandare/{staff.id}", data={"full_name": "Sara Admin"})
    db.session.refresh(staff)
    assert staff.full_name == "Sara Berg"


def test_an_admin_changes_a_staff_account(client, db, login_as):
    staff = UserFactory(staff=True, full_name="Sara Berg")
    login_as(client, UserFactory(admin=True))
    db.session.commit()
    page = _text(client.get(f"/admin/anvandare/{staff.id}"))
    assert 'name="full_name"' in page and "Avaktivera kontot" in page
    assert STAFF_ONLY_ADMIN not in page
    response = client.post(
        f"/admin/anvandare/{staff.id}", data={"full_name": "Sara Lind", "roles": ["staff"]}
    )
    assert response.status_code == 302
    db.session.refresh(staff)
    assert staff.full_name == "Sara Lind" and staff.roles == {Role.STAFF}


def test_deactivation_logs_the_person_out_at_once(app, client, db, login_as, form_login):
    user = UserFactory()
    their_device = form_login(app.test_client(), user)
    login_as(client, UserFactory(admin=True))
    db.session.commit()
    response = client.post(f"/admin/anvandare/{user.id}/avaktivera", follow_redirects=True)
    assert "är avaktiverat" in _text(response)
    assert "Aktivera kontot igen" in _text(response)
    assert _goes_to_login(their_device.get("/profil"))
    assert LOGIN_FAILED in _text(post_login(app.test_client(), user.email))
    client.post(f"/admin/anvandare/{user.id}/aktivera")
    assert post_login(app.test_client(), user.email).status_code == 302


def test_nobody_deactivates_their_own_account(client, db, login_as):
    admin = UserFactory(admin=True)
    db.session.commit()
    login_as(client, admin)
    assert "Avaktivera kontot" not in _text(client.get(f"/admin/anvandare/{admin.id}"))
    page = client.post(f"/admin/anvandare/{admin.id}/avaktivera", follow_redirects=True)
    assert "Du kan inte avaktivera ditt eget konto." in _text(page)
    db.session.refresh(admin)
    assert admin.is_active


def test_unknown_user_is_404(client, db, login_as):
    login_as(client, UserFactory(staff=True))
    assert client.get("/admin/anvandare/999999").status_code == 404


def test_audit_log_filters_by_action_and_paginates(client, db, login_as):
    staff = UserFactory(staff=True, full_name="Sara Berg")
    for n in range(55):
        db.session.add(AuditEntry(actor=staff, action="case.read", object_type="cases", object_id=n))
    db.session.add(AuditEntry(actor=staff, action="user.deactivate", object_type="users", object_id=7))
    db.session.commit()
    login_as(client, staff)
    page = _text(client.get("/admin/logg"))
    assert "Sida 1 av 2" in page and "Sara Berg" in page
    filtered = _text(client.get("/admin/logg", query_string={"handelse": "user.deactivate"}))
    assert "users 7" in filtered and "case.read</th>" not in filtered


def test_staff_menu_has_users_and_log_others_do_not(client, db, login_as):
    login_as(client, UserFactory(staff=True))
    page = _text(client.get("/"))
    assert 'href="/admin/anvandare"' in page and 'href="/admin/logg"' in page
    login_as(client, UserFactory(family=True))
    page = _text(client.get("/"))
    assert 'href="/admin/anvandare"' not in page and 'href="/admin/logg"' not in page


# -- profile ----------------------------------------------------------------------------------------


def test_profile_shows_the_account_with_municipality_and_household(client, db, login_as):
    household = HouseholdFactory(name="Familjen Lind", municipality__name="Gnosjö")
    user = UserFactory(
        full_name="Eva Lind",
        username="eva.lind",
        email="eva@exempel.se",
        phone="0370-123 45",
        roles=[Role.FAMILY],
        household=household,
        municipality=household.municipality,
    )
    UserFactory(full_name="Olof Lind", household=household, roles=[Role.FAMILY])
    login_as(client, user)
    page = _text(client.get("/profil"))
    for shown in (
        "Eva Lind",
        "eva.lind",
        "eva@exempel.se",
        "0370-123 45",
        "Familjehem",
        "Gnosjö",
        "Familjen Lind",
        "Olof Lind",
    ):
        assert shown in page, shown


def test_profile_phone_can_be_changed_but_not_to_letters(client, db, login_as):
    user = UserFactory()
    db.session.commit()
    login_as(client, user)
    assert client.post("/profil/telefon", data={"phone": "036-10 20 30"}).status_code == 302
    assert "036-10 20 30" in _text(client.get("/profil"))
    page = client.post("/profil/telefon", data={"phone": "ring mig"})
    assert "Skriv telefonnumret med siffror" in _text(page)
    db.session.refresh(user)
    assert user.phone == "036-10 20 30"


def test_password_change_keeps_this_session_and_ends_the_others(app, client, db, form_login):
    user = UserFactory()
    form_login(client, user)
    other_device = form_login(app.test_client(), user)
    response = client.post(
        "/profil/losenord",
        data={"current_password": PASSWORD, "new_password": NEW_PASSWORD, "confirm": NEW_PASSWORD},
    )
    assert response.status_code == 302
    page = client.get("/profil")
    assert page.status_code == 200 and "Ditt lösenord är bytt" in _text(page)
    assert _goes_to_login(other_device.get("/profil"))
    assert post_login(app.test_client(), user.email, NEW_PASSWORD).status_code == 302


@pytest.mark.parametrize(
    ("current", "new", "confirm", "message"),
    [
        ("fel-lösenord-helt", NEW_PASSWORD, NEW_PASSWORD, "Det nuvarande lösenordet stämmer inte."),
        (PASSWORD, "kort", "kort", "Lösenordet måste ha minst 12 tecken."),
        (PASSWORD, "y" * 257, "y" * 257, "Lösenordet får ha högst 256 tecken."),
        (PASSWORD, NEW_PASSWORD, "annat-lösenord-här", "Lösenorden är inte lika."),
    ],
)
def test_bad_password_change_gets_a_message_and_changes_nothing(
    client, db, form_login, current, new, confirm, message
):
    user = UserFactory()
    db.session.commit()
    form_login(client, user)
    page = client.post(
        "/profil/losenord", data={"current_password": current, "new_password": new, "confirm": confirm}
    )
    assert page.status_code == 200
    assert message in _text(page)
    assert client.get("/profil").status_code == 200
    assert post_login(client, user.email, PASSWORD).status_code == 302


def test_a_revoked_role_takes_effect_on_the_next_request(app, client, db, login_as):
    staff = UserFactory(roles=[Role.STAFF])
    login_as(client, staff)
    db.session.commit()
    assert client.get("/admin/anvandare").status_code == 200
    admin_client = login_as(app.test_client(), UserFactory(admin=True))
    db.session.commit()
    response = admin_client.post(
        f"/admin/anvandare/{staff.id}", data={"full_name": staff.full_name, "roles": ["leader"]}
    )
    assert response.status_code == 302
    assert client.get("/admin/anvandare").status_code == 403


def test_only_the_newest_reset_link_works(client, db, smtp_server):
    UserFactory(email="bo@exempel.se", full_name="Bo Ek")
    db.session.commit()
    client.post("/glomt-losenord", data={"email": "bo@exempel.se"})
    client.post("/glomt-losenord", data={"email": "bo@exempel.se"})
    first, second = (link_path(plain_body(mail)) for mail in send_and_read(smtp_server, count=2))
    assert "Länken har gått ut" in _text(client.get(first))
    changed = client.post(first, data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert LOGIN_FAILED in _text(post_login(client, "bo@exempel.se", NEW_PASSWORD))
    assert "Länken har gått ut" in _text(changed)
    assert "Välj ett nytt lösenord" in _text(client.get(second))


# -- the e-mailed links: a name and a token, never kept by a browser or a proxy -----------------


@pytest.mark.parametrize("purpose", ["reset", "invitation"])
def test_a_link_page_shows_who_it_is_for_and_is_not_stored(client, db, clock, purpose):
    from coursehub.accounts import services

    if purpose == "reset":
        user = UserFactory(email="anna@exempel.se", full_name="Anna Svensson", username="anna.svensson")
        services.request_password_reset("anna@exempel.se", now=clock.now)
    else:
        user = services.invite_user(
            actor=UserFactory(staff=True),
            full_name="Anna Svensson",
            email="anna@exempel.se",
            roles=["leader"],
            now=clock.now,
        )
    db.session.commit()
    path = link_path(outbox_for("anna@exempel.se")[-1].body_text)
    form = client.get(path)
    assert form.status_code == 200 and user.username in _text(form)
    assert form.headers.get("Cache-Control") == "no-store"
    # Sent back with a mistake, it still names the person.
    again = client.post(path, data={"password": "kort", "confirm": "kort"})
    assert user.username in _text(again)
    assert again.headers.get("Cache-Control") == "no-store"
