"""`flask create-user`: the first admin and scripts make accounts, the password from stdin."""

from __future__ import annotations

from coursehub.accounts.models import Role
from coursehub.accounts.services import find_user_by_login
from tests.accounts.conftest import post_login
from tests.factories import MunicipalityFactory, UserFactory

PASSWORD = "ett-långt-lösenord-från-stdin"


def test_create_user_reads_the_password_from_stdin_and_the_user_can_log_in(runner, client, db):
    result = runner.invoke(
        args=[
            "create-user",
            "Astrid.Lind@Exempel.se",
            "--name",
            "Astrid Lind",
            "--role",
            "admin",
            "--role",
            "staff",
        ],
        input=PASSWORD + "\n",
    )
    assert result.exit_code == 0, result.output
    assert "Created user astrid.lind (admin, staff)" in result.output
    user = find_user_by_login("astrid.lind@exempel.se")
    assert user.roles == {Role.ADMIN, Role.STAFF}
    assert PASSWORD not in result.output
    assert post_login(client, "astrid.lind", PASSWORD).status_code == 302


def test_create_user_binds_a_municipal_worker_to_the_municipality(runner, db):
    municipality = MunicipalityFactory(code="0680", name="Jönköping")
    result = runner.invoke(
        args=[
            "create-user",
            "maria@exempel.se",
            "--name",
            "Maria Ek",
            "--role",
            "municipal",
            "--municipality",
            "0680",
        ],
        input=PASSWORD + "\n",
    )
    assert result.exit_code == 0, result.output
    assert find_user_by_login("maria.ek").municipality == municipality


def test_too_short_password_is_refused_clearly(runner, db):
    result = runner.invoke(
        args=["create-user", "kort@exempel.se", "--name", "Kort Lösen", "--role", "member"], input="kort\n"
    )
    assert result.exit_code == 1
    assert "Lösenordet måste ha minst 12 tecken." in result.output
    assert find_user_by_login("kort@exempel.se") is None


def test_unknown_role_is_refused_with_the_roles_to_choose_from(runner, db):
    result = runner.invoke(
        args=["create-user", "ny@exempel.se", "--name", "Ny Person", "--role", "chef"], input=PASSWORD + "\n"
    )
    assert result.exit_code == 1
    assert "Okänd roll: chef." in result.output
    assert "admin, staff, leader, municipal, member, family, steering" in result.output
    assert find_user_by_login("ny@exempel.se") is None


def test_an_address_in_use_is_refused(runner, db):
    UserFactory(email="finns@exempel.se")
    result = runner.invoke(
        args=["create-user", "finns@exempel.se", "--name", "Ny Person", "--role", "member"],
        input=PASSWORD + "\n",
    )
    assert result.exit_code == 1
    assert "Det finns redan ett konto med den här e-postadressen." in result.output
