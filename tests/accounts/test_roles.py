"""The named role groups, defined once next to Role."""

from coursehub.accounts.models import FIGURE_ROLES, LEADER_ROLES, STAFF_ROLES, Role, User, UserRole


def test_the_groups_say_who_leads_and_who_reads_figures():
    assert set(STAFF_ROLES) == {Role.STAFF, Role.ADMIN}
    assert set(LEADER_ROLES) == {Role.LEADER, Role.STAFF, Role.ADMIN}
    assert set(FIGURE_ROLES) == {Role.STEERING, Role.STAFF, Role.ADMIN}


def test_is_staff_follows_the_staff_group():
    for role in Role:
        user = User(full_name="X", email=f"{role}@exempel.se", role_rows=[UserRole(role=role)])
        assert user.is_staff == (role in STAFF_ROLES)
