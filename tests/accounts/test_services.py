"""Account rules, called the way views and the command line call them."""

from __future__ import annotations

import hashlib
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from coursehub.accounts import passwords, services
from coursehub.accounts.errors import AccountError, EmailTakenError, InvalidLinkError
from coursehub.accounts.models import AccountToken, AuditEntry, Role, TokenPurpose, User
from coursehub.errors import PermissionDeniedError
from tests.accounts.conftest import link_path, outbox_for
from tests.factories import PASSWORD, MunicipalityFactory, UserFactory

NEW_PASSWORD = "ett-helt-nytt-lösenord"


def _user_count(db) -> int:
    return db.session.scalar(select(func.count(User.id)))


def _token_from_outbox(email: str) -> str:
    return link_path(outbox_for(email)[-1].body_text).rsplit("/", 1)[1]


def _audit_actions(db) -> list[str]:
    return list(db.session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)))


# -- usernames -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Åsa Öberg", "asa.oberg"),
        ("Émile Ängström", "emile.angstrom"),
        ("Anna Maria Svensson", "anna.svensson"),
        ("Karl-Johan Berg-Lind", "karl-johan.berg-lind"),
        ("Madonna", "madonna"),
    ],
)
def test_username_is_made_from_the_name_without_swedish_letters(db, name, expected):
    assert services.suggest_username(name) == expected


def test_username_gets_a_number_when_taken(db):
    UserFactory(username="asa.oberg")
    assert services.free_username("asa.oberg") == "asa.oberg2"
    UserFactory(username="asa.oberg2")
    assert services.free_username("asa.oberg") == "asa.oberg3"
    assert services.free_username("per.persson") == "per.persson"


# -- the command line ----------------------------------------------------------------------------


def test_create_user_from_cli_makes_an_account_that_can_log_in(db, clock):
    municipality = MunicipalityFactory(code="0680")
    user = services.create_user_from_cli(
        email=" Asa.Oberg@Exempel.SE ",
        full_name="Åsa Öberg",
        roles=["municipal", "member"],
        password=NEW_PASSWORD,
        municipality_code="0680",
        now=clock.now,
    )
    assert user.email == "asa.oberg@exempel.se"
    assert user.username == "asa.oberg"
    assert user.roles == {Role.MUNICIPAL, Role.MEMBER}
    assert user.municipality == municipality
    assert services.authenticate("asa.oberg", NEW_PASSWORD, now=clock.now) == user
    assert "user.create" in _audit_actions(db)


@pytest.mark.parametrize(
    ("options", "field", "text"),
    [
        ({"password": "kort"}, "password", "minst 12 tecken"),
        ({"password": "x" * 257}, "password", "högst 256 tecken"),
        ({"roles": ["chef"]}, "roles", "Okänd roll: chef"),
        ({"roles": []}, "roles", "minst en roll"),
        ({"full_name": "N" * 121}, "full_name", "högst 120 tecken"),
        ({"email": "a" * 250 + "@ex.se"}, "email", "högst 254 tecken"),
        ({"email": "inte-en-adress"}, "email", "namn@exempel.se"),
        ({"roles": ["municipal"]}, "municipality", "Välj kommun"),
        ({"municipality_code": "9999"}, "municipality", "ingen kommun med koden 9999"),
    ],
)
def test_create_user_from_cli_refuses_bad_input_and_saves_nothing(db, clock, options, field, text):
    before = _user_count(db)
    values = {
        "email": "ny@exempel.se",
        "full_name": "Ny Person",
        "roles": ["member"],
        "password": NEW_PASSWORD,
        "municipality_code": None,
        **options,
    }
    with pytest.raises(AccountError) as error:
        services.create_user_from_cli(now=clock.now, **values)
    assert error.value.field == field
    assert text in error.value.message
    assert _user_count(db) == before


def test_create_user_from_cli_refuses_an_address_in_use_in_any_case(db, clock):
    UserFactory(email="finns@exempel.se")
    with pytest.raises(EmailTakenError):
        services.create_user_from_cli(
            email="FINNS@exempel.se",
            full_name="Ny Person",
            roles=["member"],
            password=NEW_PASSWORD,
            municipality_code=None,
            now=clock.now,
        )


# -- invitations -----------------------------------------------------------------------------------


def test_invitation_creates_a_user_without_password_and_queues_a_link(db, clock):
    staff = UserFactory(staff=True)
    user = services.invite_user(
        actor=staff,
        full_name="Björn Ödman",
        email="bjorn@exempel.se",
        roles=["leader"],
        phone="070-123 45 67",
        now=clock.now,
    )
    assert user.username == "bjorn.odman"
    assert user.password_hash is None
    assert user.roles == {Role.LEADER}
    [mail] = outbox_for("bjorn@exempel.se")
    assert "Björn" in mail.body_text and "bjorn.odman" in mail.body_text
    token = _token_from_outbox("bjorn@exempel.se")
    row = db.session.scalar(select(AccountToken).where(AccountToken.user_id == user.id))
    # Only a hash is stored, never the token the mail carries.
    assert row.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert token not in row.token_hash
    assert row.purpose == TokenPurpose.INVITATION
    assert row.expires_at == clock.now + timedelta(days=7)
    assert "user.invite" in _audit_actions(db)


def test_a_household_s_adults_are_invited_through_the_same_audited_path(db, clock):
    municipality = MunicipalityFactory()
    worker = UserFactory(municipal=True, municipality=municipality)
    household = services.create_household(
        "Familjen Ek",
        municipality,
        [services.NewAdult("Eva Ek", "Eva@Exempel.se"), services.NewAdult("", "")],
        actor=worker,
        now=clock.now,
        confirmed=True,
        run_title="Ett hem att växa i, hösten",
    )
    assert household.is_confirmed and household.confirmed_by_id == worker.id
    [eva] = household.adults
    assert eva.email == "eva@exempel.se" and eva.roles == {Role.FAMILY} and eva.password_hash is None
    row = db.session.scalar(select(AccountToken).where(AccountToken.user_id == eva.id))
    assert row.purpose == TokenPurpose.INVITATION and row.created_by_id == worker.id
    entry = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "user.invite")).one()
    assert (entry.actor_id, entry.object_id, entry.detail) == (worker.id, eva.id, "family")
    [mail] = outbox_for("eva@exempel.se")
    assert "Ni har anmält er till Ett hem att växa i, hösten." in mail.body_text
    assert "/inbjudan/" in mail.body_text


@pytest.mark.parametrize(
    ("email", "message"),
    [
        ("eva.exempel.se", "Skriv en e-postadress som namn@exempel.se."),
        ("eva@@exempel.se", "Skriv en e-postadress som namn@exempel.se."),
        ("eva ek@exempel.se", "Skriv en e-postadress som namn@exempel.se."),
        ("eva@exempel.se\r\nBcc: alla@exempel.se", "Skriv en e-postadress som namn@exempel.se."),
        ("åsa@exempel.se", "Delen före @ får bara ha bokstäverna a–z"),
        ("e" * 250 + "@ex.se", "högst 254 tecken"),
    ],
)
def test_a_household_with_a_refused_address_saves_nothing(db, clock, email, message):
    municipality = MunicipalityFactory()
    users = _user_count(db)
    with pytest.raises(AccountError) as caught:
        services.create_household(
            "Familjen Ek",
            municipality,
            [services.NewAdult("Eva Ek", email)],
            actor=None,
            now=clock.now,
            confirmed=False,
        )
    assert caught.value.field == "adults"
    assert caught.value.message.startswith("Eva Ek: ") and message in caught.value.message
    assert _user_count(db) == users
    assert db.session.scalar(select(func.count(AuditEntry.id))) == 0


def test_an_address_with_an_international_domain_logs_in_as_typed(db, clock):
    staff = UserFactory(staff=True)
    user = services.invite_user(actor=staff, full_name="Anna Bok", email="Anna@Bücher.de", now=clock.now)
    assert user.email == "anna@xn--bcher-kva.de"
    assert services.find_user_by_login("anna@bücher.de") == user
    assert services.find_user_by_login("ANNA@XN--BCHER-KVA.DE") == user
    assert services.find_user_by_login(user.username) == user


def test_invited_user_cannot_log_in_before_choosing_a_password(db, clock):
    staff = UserFactory(staff=True)
    services.invite_user(actor=staff, full_name="Ny Person", email="ny@exempel.se", now=clock.now)
    with pytest.raises(AccountError):
        services.authenticate("ny@exempel.se", "", now=clock.now)


def test_invitation_for_an_existing_address_changes_nothing(db, clock):
    staff = UserFactory(staff=True)
    UserFactory(email="finns@exempel.se")
    before = _user_count(db)
    with pytest.raises(EmailTakenError) as error:
        services.invite_user(actor=staff, full_name="Ny", email="Finns@Exempel.se", now=clock.now)
    assert error.value.field == "email"
    assert _user_count(db) == before
    assert outbox_for("finns@exempel.se") == []


@pytest.mark.parametrize("role", ["admin", "staff"])
def test_staff_may_not_grant_admin_or_staff(db, clock, role):
    staff = UserFactory(staff=True)
    with pytest.raises(PermissionDeniedError):
        services.invite_user(actor=staff, full_name="Ny", email="ny@exempel.se", roles=[role], now=clock.now)
    assert services.find_user_by_login("ny@exempel.se") is None


def test_admin_may_grant_staff(db, clock):
    admin = UserFactory(admin=True)
    user = services.invite_user(
        actor=admin, full_name="Ny Medarbetare", email="ny@exempel.se", roles=["staff"], now=clock.now
    )
    assert user.roles == {Role.STAFF}


def test_a_taken_username_is_refused_beside_its_field(db, clock):
    staff = UserFactory(staff=True)
    UserFactory(username="anna.svensson")
    with pytest.raises(AccountError) as error:
        services.invite_user(
            actor=staff,
            full_name="Anna Svensson",
            email="anna@exempel.se",
            username="anna.svensson",
            now=clock.now,
        )
    assert error.value.field == "username"
    assert "anna.svensson2" in error.value.message
    # Left empty, the next free name is made from the full name.
    user = services.invite_user(
        actor=staff, full_name="Anna Svensson", email="anna@exempel.se", now=clock.now
    )
    assert user.username == "anna.svensson2"


# -- password reset --------------------------------------------------------------------------------


def test_reset_for_an_unknown_or_closed_address_sends_nothing(db, clock):
    UserFactory(email="stangd@exempel.se", deactivated_at=clock.now)
    services.request_password_reset("okand@exempel.se", now=clock.now)
    services.request_password_reset("stangd@exempel.se", now=clock.now)
    assert outbox_for("okand@exempel.se") == outbox_for("stangd@exempel.se") == []


def test_reset_link_works_once_and_ends_every_session(db, clock):
    user = UserFactory(email="anna@exempel.se")
    token_before = user.session_token
    services.request_password_reset(" ANNA@exempel.se", now=clock.now)
    token = _token_from_outbox("anna@exempel.se")
    clock.advance(minutes=30)
    services.set_password_by_link(
        token, TokenPurpose.RESET, password=NEW_PASSWORD, confirm=NEW_PASSWORD, now=clock.now
    )
    assert passwords.verify_password(user.password_hash, NEW_PASSWORD)
    assert user.session_token != token_before
    with pytest.raises(InvalidLinkError) as error:
        services.set_password_by_link(
            token,
            TokenPurpose.RESET,
            password="ännu-ett-lösenord",
            confirm="ännu-ett-lösenord",
            now=clock.now,
        )
    assert "redan använts" in error.value.message
    assert passwords.verify_password(user.password_hash, NEW_PASSWORD)
    assert "user.password_reset" in _audit_actions(db)


def test_expired_reset_link_changes_nothing(db, clock):
    user = UserFactory(email="anna@exempel.se")
    services.request_password_reset("anna@exempel.se", now=clock.now)
    token = _token_from_outbox("anna@exempel.se")
    clock.advance(hours=2, seconds=1)
    with pytest.raises(InvalidLinkError) as error:
        services.set_password_by_link(
            token, TokenPurpose.RESET, password=NEW_PASSWORD, confirm=NEW_PASSWORD, now=clock.now
        )
    assert "gått ut" in error.value.message
    assert passwords.verify_password(user.password_hash, PASSWORD)


def test_an_invitation_link_is_no_reset_link(db, clock):
    staff = UserFactory(staff=True)
    services.invite_user(actor=staff, full_name="Ny Person", email="ny@exempel.se", now=clock.now)
    token = _token_from_outbox("ny@exempel.se")
    with pytest.raises(InvalidLinkError):
        services.find_link(token, TokenPurpose.RESET, now=clock.now)
    with pytest.raises(InvalidLinkError):
        services.find_link("påhittad", TokenPurpose.INVITATION, now=clock.now)


@pytest.mark.parametrize(
    ("password", "confirm", "field"),
    [
        ("kort", "kort", "password"),
        ("x" * 257, "x" * 257, "password"),
        (NEW_PASSWORD, NEW_PASSWORD + "!", "confirm"),
    ],
)
def test_a_bad_new_password_leaves_the_link_usable(db, clock, password, confirm, field):
    user = UserFactory(email="anna@exempel.se")
    services.request_password_reset("anna@exempel.se", now=clock.now)
    token = _token_from_outbox("anna@exempel.se")
    with pytest.raises(AccountError) as error:
        services.set_password_by_link(
            token, TokenPurpose.RESET, password=password, confirm=confirm, now=clock.now
        )
    assert error.value.field == field
    assert services.find_link(token, TokenPurpose.RESET, now=clock.now).user == user
    assert passwords.verify_password(user.password_hash, PASSWORD)


# -- own account -------------------------------------------------------------------------------


def test_change_password_needs_the_current_one(db, clock):
    user = UserFactory()
    token_before = user.session_token
    with pytest.raises(AccountError) as error:
        services.change_password(
            user,
            current_password="fel-lösenord",
            new_password=NEW_PASSWORD,
            confirm=NEW_PASSWORD,
            now=clock.now,
        )
    assert error.value.field == "current_password"
    assert user.session_token == token_before
    services.change_password(
        user, current_password=PASSWORD, new_password=NEW_PASSWORD, confirm=NEW_PASSWORD, now=clock.now
    )
    assert passwords.verify_password(user.password_hash, NEW_PASSWORD)
    assert user.session_token != token_before


def test_phone_number_accepts_digits_only(db):
    user = UserFactory()
    services.update_phone(user, phone="036-10 20 30", actor=user)
    assert user.phone == "036-10 20 30"
    with pytest.raises(AccountError) as error:
        services.update_phone(user, phone="ring mig", actor=user)
    assert error.value.field == "phone"


# -- staff editing ----------------------------------------------------------------------------------


def test_staff_edit_keeps_the_roles_they_may_not_grant(db, clock):
    staff = UserFactory(staff=True)
    user = UserFactory(roles=[Role.FAMILY, Role.LEADER])
    services.update_user(
        user,
        actor=staff,
        full_name="Nytt Namn",
        phone=None,
        roles=["member"],
        municipality=None,
        now=clock.now,
    )
    assert user.roles == {Role.MEMBER}
    assert user.full_name == "Nytt Namn"
    with pytest.raises(PermissionDeniedError):
        services.update_user(
            user,
            actor=staff,
            full_name="Nytt Namn",
            phone=None,
            roles=["staff"],
            municipality=None,
            now=clock.now,
        )
    entry = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "user.update")).one()
    assert entry.actor_id == staff.id and entry.object_id == user.id
    assert "roles family,leader -> member" in entry.detail


@pytest.mark.parametrize("target_roles", [[Role.ADMIN, Role.LEADER], [Role.STAFF, Role.LEADER]])
def test_staff_may_not_change_the_roles_of_an_admin_or_staff_member(db, clock, target_roles):
    staff = UserFactory(staff=True)
    target = UserFactory(roles=target_roles)
    for roles in ([], ["leader", "member"]):
        with pytest.raises(PermissionDeniedError):
            services.update_user(
                target,
                actor=staff,
                full_name="Nytt Namn",
                phone=None,
                roles=roles,
                municipality=None,
                now=clock.now,
            )
        assert target.roles == set(target_roles)
    # An admin may change them.
    services.update_user(
        target,
        actor=UserFactory(admin=True),
        full_name="Nytt Namn",
        phone=None,
        roles=["member"],
        municipality=None,
        now=clock.now,
    )
    assert target.roles == {Role.MEMBER}


@pytest.mark.parametrize("target_roles", [[Role.ADMIN], [Role.STAFF], [Role.STAFF, Role.LEADER]])
@pytest.mark.parametrize(
    "change",
    [
        {"full_name": "Nytt Namn"},
        {"phone": "036-99 99 99"},
        {"municipality": "new"},
        {},
    ],
)
def test_staff_change_no_detail_of_an_admin_or_staff_account(db, clock, target_roles, change):
    """Name, phone, municipality, roles: only an admin changes anything of a staff account."""
    staff = UserFactory(staff=True)
    target = UserFactory(
        roles=target_roles, full_name="Gammalt Namn", phone="036-10 20 30", municipality=MunicipalityFactory()
    )
    before = (target.full_name, target.phone, target.municipality_id, target.roles)
    details = {
        "full_name": target.full_name,
        "phone": target.phone,
        "municipality": target.municipality,
        "roles": None,
        **change,
    }
    if details["municipality"] == "new":
        details["municipality"] = MunicipalityFactory()
    with pytest.raises(PermissionDeniedError, match="Bara en administratör"):
        services.update_user(target, actor=staff, now=clock.now, **details)
    assert (target.full_name, target.phone, target.municipality_id, target.roles) == before
    assert db.session.scalar(select(func.count(AuditEntry.id)).where(AuditEntry.action == "user.update")) == 0
    # An admin may.
    services.update_user(target, actor=UserFactory(admin=True), now=clock.now, **details)
    assert target.full_name == details["full_name"] and target.phone == details["phone"]


def test_staff_change_nothing_of_their_own_account_on_the_staff_page(db, clock):
    """Their own phone and password they change on their profile; the rest an admin changes."""
    staff = UserFactory(staff=True, full_name="Sara Berg")
    with pytest.raises(PermissionDeniedError):
        services.update_user(
            staff,
            actor=staff,
            full_name="Sara Admin",
            phone=None,
            roles=None,
            municipality=None,
            now=clock.now,
        )
    assert staff.full_name == "Sara Berg"
    services.update_phone(staff, phone="036-11 22 33", actor=staff)
    assert staff.phone == "036-11 22 33"


def test_only_admins_change_the_phone_of_another_staff_account(db, clock):
    target = UserFactory(staff=True, phone=None)
    with pytest.raises(PermissionDeniedError):
        services.update_phone(target, phone="036-11 22 33", actor=UserFactory(staff=True))
    assert target.phone is None
    services.update_phone(target, phone="036-11 22 33", actor=UserFactory(admin=True))
    assert target.phone == "036-11 22 33"


def test_every_changed_field_is_named_in_the_audit_row(db, clock):
    staff = UserFactory(staff=True)
    municipality = MunicipalityFactory()
    user = UserFactory(full_name="Gammalt Namn", phone=None, roles=[Role.MEMBER])
    services.update_user(
        user,
        actor=staff,
        full_name="Nytt Namn",
        phone="036-10 20 30",
        roles=["member", "municipal"],
        municipality=municipality,
        now=clock.now,
    )
    entry = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "user.update")).one()
    assert entry.detail == "full_name,phone,municipality; roles member -> member,municipal"
    assert "Nytt Namn" not in entry.detail and "036" not in entry.detail


def test_municipal_worker_needs_a_municipality(db, clock):
    staff = UserFactory(staff=True)
    user = UserFactory()
    with pytest.raises(AccountError) as error:
        services.update_user(
            user,
            actor=staff,
            full_name=user.full_name,
            phone=None,
            roles=["municipal"],
            municipality=None,
            now=clock.now,
        )
    assert error.value.field == "municipality"


def test_deactivation_ends_sessions_and_login(db, clock):
    staff = UserFactory(staff=True)
    user = UserFactory()
    token_before = user.session_token
    services.deactivate_user(user, actor=staff, now=clock.now)
    assert not user.is_active
    assert user.session_token != token_before
    with pytest.raises(AccountError):
        services.authenticate(user.email, PASSWORD, now=clock.now)
    services.reactivate_user(user, actor=staff, now=clock.now)
    assert services.authenticate(user.email, PASSWORD, now=clock.now) == user
    assert _audit_actions(db)[-2:] == ["user.deactivate", "user.reactivate"]


def test_nobody_deactivates_themselves_and_staff_not_admins(db, clock):
    staff = UserFactory(staff=True)
    admin = UserFactory(admin=True)
    with pytest.raises(AccountError, match="ditt eget konto"):
        services.deactivate_user(staff, actor=staff, now=clock.now)
    with pytest.raises(PermissionDeniedError):
        services.deactivate_user(admin, actor=staff, now=clock.now)
    assert staff.is_active and admin.is_active


@pytest.mark.parametrize(
    ("hours", "days", "expected_hours", "expected_days"),
    [
        (1, 1, "gäller i 1 timme.", "gäller i 1 dag."),
        (2, 7, "gäller i 2 timmar.", "gäller i 7 dagar."),
    ],
)
def test_link_lifetimes_in_the_mails_read_right_for_one_and_many(
    app, hours, days, expected_hours, expected_days
):
    from coursehub.notifications.services import render_email

    _subject, reset_text, reset_html = render_email(
        "password_reset", first_name="Anna", url="https://x/l", hours=hours
    )
    _subject, invite_text, invite_html = render_email(
        "invitation", first_name="Anna", username="anna", inviter="Erik", url="https://x/l", days=days
    )
    assert expected_hours in reset_text and expected_hours in reset_html
    assert expected_days in invite_text and expected_days in invite_html
