"""Issue 23, point 1: the second factor (TOTP), its recovery codes, the login's code step, the reset."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select, text

from coursehub.accounts import permissions, second_factor
from coursehub.accounts.errors import AccountError, SecondFactorError
from coursehub.accounts.models import AuditEntry, RecoveryCode, SecondFactor
from coursehub.errors import PermissionDeniedError
from coursehub.recruitment.permissions import can_read_cases
from tests.access import ROLES, user_for
from tests.accounts.conftest import post_login
from tests.accounts.second_factor_helpers import code_at, enable_second_factor
from tests.factories import PASSWORD, UserFactory

WRONG_CODE = "Koden stämmer inte."
WAIT = "För många misslyckade inloggningar."


def _text(response) -> str:
    return response.get_data(as_text=True)


def _audit_actions(db, user) -> list[str]:
    return list(
        db.session.scalars(
            select(AuditEntry.action).where(AuditEntry.object_id == user.id).order_by(AuditEntry.id)
        )
    )


# -- services ---------------------------------------------------------------------------------


@pytest.mark.parametrize("role", [role for role in ROLES if role != "anonymous"])
def test_everyone_who_reads_cases_may_turn_it_on_and_families_may_not(db, role):
    user = user_for(role)
    assert permissions.can_use_second_factor(user) == (role in ("staff", "admin"))
    # The case readers of the recruitment area are among those who may (accounts cannot import it).
    assert not can_read_cases(user) or permissions.can_use_second_factor(user)


def test_a_family_cannot_start_an_enrolment(db, clock):
    with pytest.raises(PermissionDeniedError):
        second_factor.begin_enrolment(UserFactory(family=True), now=clock.now)


def test_the_secret_is_not_in_the_database_as_it_is(db, clock):
    user = UserFactory(staff=True)
    secret, _codes = enable_second_factor(user)
    db.session.commit()
    stored = db.session.execute(text("SELECT secret FROM second_factors")).scalar_one()
    assert secret not in stored and secret.lower() not in stored.lower()
    assert second_factor.unseal(stored) == secret


def test_a_seal_made_with_another_secret_key_does_not_open(app, db, clock):
    sealed = second_factor.seal("JBSWY3DPEHPK3PXP")
    tampered = sealed[:-6] + ("AAAAAA" if not sealed.endswith("AAAAAA") else "BBBBBB")
    with pytest.raises(ValueError):
        second_factor.unseal(tampered)
    app.config["SECRET_KEY"] = "another-key"
    with pytest.raises(ValueError):
        second_factor.unseal(sealed)


def test_enrolment_counts_only_after_a_right_code(db, clock):
    user = UserFactory(staff=True)
    factor = second_factor.begin_enrolment(user, now=clock.now)
    assert not second_factor.is_enabled(user)
    secret = second_factor.provisioning(user, factor).secret
    wrong = "000000" if code_at(secret, clock.now) != "000000" else "111111"
    with pytest.raises(SecondFactorError):
        second_factor.confirm_enrolment(user, wrong, now=clock.now)
    codes = second_factor.confirm_enrolment(user, code_at(secret, clock.now), now=clock.now)
    assert second_factor.is_enabled(user)
    assert len(codes) == 10 and len(set(codes)) == 10
    assert all(re.fullmatch(r"[A-Z2-9]{5}-[A-Z2-9]{5}", code) for code in codes)
    # Stored hashed: no code appears in the table.
    hashes = list(db.session.scalars(select(RecoveryCode.code_hash)))
    assert len(hashes) == 10 and not set(codes) & set(hashes)
    assert "user.second_factor_enable" in _audit_actions(db, user)


def test_a_code_is_accepted_once_and_an_older_one_never(db, clock):
    user = UserFactory(staff=True)
    secret, _codes = enable_second_factor(user)
    clock.advance(seconds=30)
    code = code_at(secret, clock.now)
    assert second_factor.verify_login_code(user, code, now=clock.now) == "totp"
    with pytest.raises(SecondFactorError):  # the same code again, within its window
        second_factor.verify_login_code(user, code, now=clock.now)
    clock.advance(seconds=30)
    with pytest.raises(SecondFactorError):  # still inside the window, but its step is used up
        second_factor.verify_login_code(user, code, now=clock.now)
    # The code of the step before the current one passes only if no later step was used.
    assert second_factor.verify_login_code(user, code_at(secret, clock.now), now=clock.now) == "totp"


def test_a_code_of_a_phone_half_a_minute_off_passes_but_not_one_far_off(db, clock):
    user = UserFactory(staff=True)
    secret, _codes = enable_second_factor(user)
    clock.advance(minutes=5)
    with pytest.raises(SecondFactorError):
        second_factor.verify_login_code(user, code_at(secret, clock.now.replace(year=2020)), now=clock.now)
    from datetime import timedelta

    late_phone = clock.now - timedelta(seconds=30)
    assert second_factor.verify_login_code(user, code_at(secret, late_phone), now=clock.now) == "totp"


def test_a_recovery_code_works_once(db, clock):
    user = UserFactory(staff=True)
    _secret, codes = enable_second_factor(user)
    assert (
        second_factor.verify_login_code(user, codes[3].lower().replace("-", " "), now=clock.now) == "recovery"
    )
    with pytest.raises(SecondFactorError):
        second_factor.verify_login_code(user, codes[3], now=clock.now)
    assert second_factor.unused_recovery_codes(user) == 9
    other = UserFactory(staff=True)
    enable_second_factor(other)
    with pytest.raises(SecondFactorError):  # one person's code is not another's
        second_factor.verify_login_code(other, codes[4], now=clock.now)


def test_new_recovery_codes_replace_the_old_ones_after_the_password(db, clock):
    user = UserFactory(staff=True)
    _secret, old = enable_second_factor(user)
    with pytest.raises(AccountError) as refused:
        second_factor.replace_recovery_codes(user, password="fel-lösenord", now=clock.now)
    assert refused.value.field == "password"
    new = second_factor.replace_recovery_codes(user, password=PASSWORD, now=clock.now)
    assert not set(new) & set(old)
    with pytest.raises(SecondFactorError):
        second_factor.verify_login_code(user, old[0], now=clock.now)
    assert second_factor.verify_login_code(user, new[0], now=clock.now) == "recovery"


def test_turning_off_needs_the_password_and_a_code(db, clock):
    user = UserFactory(staff=True)
    secret, _codes = enable_second_factor(user)
    clock.advance(seconds=30)
    with pytest.raises(AccountError):
        second_factor.turn_off(user, password="fel-lösenord", code=code_at(secret, clock.now), now=clock.now)
    with pytest.raises(SecondFactorError):
        second_factor.turn_off(user, password=PASSWORD, code="123", now=clock.now)
    second_factor.turn_off(user, password=PASSWORD, code=code_at(secret, clock.now), now=clock.now)
    assert not second_factor.is_enabled(user)
    assert db.session.scalar(select(func.count()).select_from(RecoveryCode)) == 0
    assert "user.second_factor_disable" in _audit_actions(db, user)


def test_when_required_it_cannot_be_turned_off(app, db, clock):
    app.config["COURSEHUB_REQUIRE_SECOND_FACTOR"] = True
    user = UserFactory(staff=True)
    secret, _codes = enable_second_factor(user)
    clock.advance(seconds=30)
    with pytest.raises(AccountError):
        second_factor.turn_off(user, password=PASSWORD, code=code_at(secret, clock.now), now=clock.now)
    assert second_factor.is_enabled(user)


def test_only_an_admin_resets_and_the_reset_is_audited_and_ends_sessions(db, clock):
    user = UserFactory(staff=True)
    enable_second_factor(user)
    with pytest.raises(PermissionDeniedError):
        second_factor.reset(user, actor=UserFactory(staff=True), now=clock.now)
    admin = UserFactory(admin=True)
    token = user.session_token
    second_factor.reset(user, actor=admin, now=clock.now)
    assert db.session.get(SecondFactor, user.id) is None
    assert user.session_token != token
    entry = db.session.scalars(
        select(AuditEntry).where(AuditEntry.action == "user.second_factor_reset")
    ).one()
    assert entry.actor_id == admin.id and entry.object_id == user.id


# -- the login's code step ------------------------------------------------------------------------


def _logged_in(client) -> bool:
    return client.get("/profil").status_code == 200


def test_login_with_a_second_factor_asks_for_the_code_before_the_session_is_logged_in(client, db, clock):
    user = UserFactory(staff=True)
    secret, _codes = enable_second_factor(user)
    db.session.commit()
    response = post_login(client, user.email)
    assert response.status_code == 302 and response.location.endswith("/logga-in/kod")
    assert not _logged_in(client)  # the password alone logs nobody in
    with client.session_transaction() as session:  # the signed (readable) cookie holds no session token
        assert user.session_token not in str(dict(session))
    clock.advance(seconds=30)
    response = client.post("/logga-in/kod", data={"code": "000000"})
    assert WRONG_CODE in _text(response) and not _logged_in(client)
    response = client.post("/logga-in/kod", data={"code": code_at(secret, clock.now)})
    assert response.status_code == 302
    assert _logged_in(client)


def test_login_with_a_recovery_code_once_and_not_twice(client, db, clock):
    user = UserFactory(staff=True)
    _secret, codes = enable_second_factor(user)
    db.session.commit()
    post_login(client, user.email)
    response = client.post("/logga-in/kod", data={"code": codes[0]}, follow_redirects=True)
    assert "Du har 9 kvar" in _text(response)
    client.post("/logga-ut")
    post_login(client, user.email)
    response = client.post("/logga-in/kod", data={"code": codes[0]})
    assert WRONG_CODE in _text(response)
    assert not _logged_in(client)


def test_the_code_step_expires_and_without_a_password_there_is_none(client, db, clock):
    user = UserFactory(staff=True)
    secret, _codes = enable_second_factor(user)
    db.session.commit()
    assert "Skriv först ditt lösenord" in _text(client.get("/logga-in/kod"))
    post_login(client, user.email)
    clock.advance(minutes=6)
    response = client.post("/logga-in/kod", data={"code": code_at(secret, clock.now)})
    assert "Skriv först ditt lösenord" in _text(response)
    assert not _logged_in(client)


@pytest.fixture
def app_config():
    return {
        "RATELIMIT_ENABLED": True,
        "COURSEHUB_LOGIN_FREE_FAILURES": 5,
        "COURSEHUB_LOGIN_DELAY_SECONDS": 30,
    }


def test_the_code_step_is_throttled_like_the_password(client, db, clock):
    user = UserFactory(staff=True)
    secret, _codes = enable_second_factor(user)
    db.session.commit()
    post_login(client, user.email)
    for _ in range(5):
        assert WRONG_CODE in _text(client.post("/logga-in/kod", data={"code": "000000"}))
    clock.advance(seconds=10)
    response = client.post("/logga-in/kod", data={"code": code_at(secret, clock.now)})  # the right code
    assert response.status_code == 429 and WAIT in _text(response)
    assert not _logged_in(client)
    # The failures count as wrong passwords do, on the same counters: the password page waits too.
    assert post_login(client, user.email).status_code == 429
    clock.advance(seconds=25)
    post_login(client, user.email)
    assert client.post("/logga-in/kod", data={"code": code_at(secret, clock.now)}).status_code == 302
    assert _logged_in(client)


def test_required_second_factor_comes_before_anything_else(app, client, db, clock):
    app.config["COURSEHUB_REQUIRE_SECOND_FACTOR"] = True
    user = UserFactory(staff=True)
    db.session.commit()
    response = post_login(client, user.email)
    assert response.location.endswith("/profil/tvastegsverifiering")
    for path in ("/", "/profil", "/admin/anvandare"):
        response = client.get(path)
        assert response.status_code == 302 and response.location.endswith("/profil/tvastegsverifiering"), path
    assert client.post("/profil/tvastegsverifiering/borja").status_code == 302
    page = _text(client.get("/profil/tvastegsverifiering/ny"))
    secret = re.search(r'id="totp-secret">([A-Z2-7 ]+)<', page).group(1).replace(" ", "")
    assert 'src="data:image/svg+xml' in page
    response = client.post("/profil/tvastegsverifiering/ny", data={"code": code_at(secret, clock.now)})
    assert (
        response.status_code == 200
        and len(re.findall(r"<li>[A-Z2-9]{5}-[A-Z2-9]{5}</li>", _text(response))) == 10
    )
    assert client.get("/admin/anvandare").status_code == 200  # free to go on now
    # A family is never asked.
    family = UserFactory(family=True)
    db.session.commit()
    client.post("/logga-ut")
    assert "tvastegsverifiering" not in post_login(client, family.email).location
    assert client.get("/profil").status_code == 200


def test_the_pages_are_not_there_for_a_family(client, db, login_as):
    login_as(client, UserFactory(family=True))
    assert client.get("/profil/tvastegsverifiering").status_code == 404
    assert "Tvåstegsverifiering" not in _text(client.get("/profil"))


def test_an_admin_resets_from_the_user_page(client, db, clock, login_as):
    user = UserFactory(staff=True)
    enable_second_factor(user)
    admin = UserFactory(admin=True)
    db.session.commit()
    login_as(client, admin)
    page = _text(client.get(f"/admin/anvandare/{user.id}"))
    assert "Återställ tvåstegsverifiering" in page
    response = client.post(f"/admin/anvandare/{user.id}/tvastegsverifiering/aterstall", follow_redirects=True)
    assert "är återställd" in _text(response)
    assert not second_factor.is_enabled(user)
    assert _audit_actions(db, user)[-1] == "user.second_factor_reset"


def test_a_persons_export_says_the_second_factor_is_on_and_erasure_removes_it(db, clock):
    from coursehub.accounts import privacy

    staff = UserFactory(staff=True)
    admin = UserFactory(admin=True)
    secret, codes = enable_second_factor(staff)
    exported = privacy.export_data(staff, actor=staff)["accounts"]["Tvåstegsverifiering"]
    assert exported == [{"Påslagen": clock.now.isoformat(), "Oanvända reservkoder": len(codes)}]
    assert secret not in str(exported)

    privacy.erase_user(staff, actor=admin, reason="Begärt av personen", now=clock.now)
    db.session.flush()
    left = db.session.scalar(
        select(func.count()).select_from(SecondFactor).where(SecondFactor.user_id == staff.id)
    )
    codes_left = db.session.scalar(
        select(func.count()).select_from(RecoveryCode).where(RecoveryCode.user_id == staff.id)
    )
    assert (left, codes_left) == (0, 0)
