"""The staff's lists that grow with the years, the audit log and the accounts: a page reads the same
with five times the history behind it (lib.distinct for the log's filter choices, lib.pagination's
bounded count, the accounts read by name from ix_users_full_name_id)."""

from __future__ import annotations

import re
from datetime import timedelta

import sqlalchemy as sa

from coursehub.accounts import services
from coursehub.accounts.models import AuditEntry, AuditOutcome, User
from coursehub.extensions import db
from coursehub.lib.pagination import COUNT_AHEAD
from tests.factories import UserFactory
from tests.support.sql import captured_statements, page_buffers, statement_buffers

ACTIONS = ("user.read", "household.read", "recruitment.case.read", "user.update", "login.ok", "export.csv")
OBJECT_TYPES = ("users", "households", "recruitment_cases", None)


def _add_log(actor_id: int, count: int, first: int, start) -> None:
    db.session.execute(
        sa.insert(AuditEntry),
        [
            {
                "at": start - timedelta(minutes=7 * n),
                "actor_id": actor_id,
                "actor_roles": "staff",
                "action": ACTIONS[n % len(ACTIONS)],
                "object_type": OBJECT_TYPES[n % len(OBJECT_TYPES)],
                "object_id": n % 500 if OBJECT_TYPES[n % len(OBJECT_TYPES)] else None,
                "outcome": AuditOutcome.OK,
            }
            for n in range(first, first + count)
        ],
    )
    db.session.execute(sa.text("ANALYZE audit_entries"))
    db.session.commit()


def _add_accounts(count: int, first: int) -> None:
    db.session.execute(
        sa.insert(User),
        [
            {
                "email": f"historik{n}@exempel.test",
                "username": f"historik.{n}",
                "full_name": f"Historik {n:06d}",
                "session_token": f"historik-{n}",
            }
            for n in range(first, first + count)
        ],
    )
    db.session.execute(sa.text("ANALYZE users"))
    db.session.commit()


def _total(read: dict[str, int]) -> int:
    return sum(read.values())


def test_the_audit_log_reads_the_same_with_five_times_the_entries(client, login_as, clock, postgres_only):
    staff = UserFactory(staff=True)
    login_as(client, staff)
    _add_log(staff.id, 4_000, 0, clock.now)
    small = page_buffers(client, "/admin/logg", db.engine, db.session)
    _add_log(staff.id, 16_000, 4_000, clock.now)
    big = page_buffers(client, "/admin/logg", db.engine, db.session)
    # Each statement: the filter choices one index probe per value, the count up to COUNT_AHEAD
    # rows, the page 50 rows. A deeper index adds a buffer a probe, no more. Read whole, the two
    # lists of choices and the count grew with the log: 4,000 -> 20,000 entries added some 300.
    assert _total(big) <= _total(small) * 1.2 + 20, (small, big)

    page = client.get("/admin/logg").get_data(as_text=True)
    assert f"Sida 1 av minst {COUNT_AHEAD // 50 + 1}" in page

    def choices(name: str) -> list[str]:
        [select] = re.findall(rf'<select[^>]* name="{name}"[^>]*>(.*?)</select>', page, re.DOTALL)
        return [value for value in re.findall(r'<option value="([^"]*)"', select) if value]

    # Every action and kind of record in the log is a choice, once and in order.
    assert choices("handelse") == sorted(ACTIONS)
    assert choices("posttyp") == sorted(kind for kind in OBJECT_TYPES if kind)


def test_a_persons_log_reads_the_same_with_five_times_the_others_entries(
    client, login_as, clock, postgres_only
):
    # Three entries about a person, ten years ago, under years of others' entries. With OR
    # between the three ways to a person's entries, only a bitmap of three index scans served
    # the page; where PostgreSQL expects a person to have many entries (the national set's log:
    # 2 million by 500 people, 4,000 expected each) it walks the log from its newest entry
    # instead, until it has a page, through every entry of the years since (449 ms there). A
    # test log is too small for that estimate, so the EXPLAINs here are planned without bitmaps:
    # what is left is what each way's own index can do on its own.
    staff, other = UserFactory(staff=True), UserFactory(staff=True)
    person = UserFactory(family=True, full_name="Petra Sällan")
    long_ago = clock.now - timedelta(days=3650)
    for action, object_type, object_id in [
        ("user.update", "users", person.id),
        ("household.read", "households", person.household_id),
        ("login.ok", None, None),
    ]:
        db.session.add(
            AuditEntry(
                at=long_ago,
                actor_id=person.id if object_type is None else staff.id,
                actor_roles="staff",
                action=action,
                object_type=object_type,
                object_id=object_id,
                outcome=AuditOutcome.OK,
            )
        )
    db.session.commit()
    login_as(client, staff)
    path = f"/admin/logg?person={person.id}"

    def add_others(count: int, first: int) -> None:
        db.session.execute(
            sa.insert(AuditEntry),
            [
                {
                    "at": clock.now - timedelta(minutes=n),
                    "actor_id": other.id,
                    "actor_roles": "staff",
                    "action": ACTIONS[n % len(ACTIONS)],
                    "object_type": OBJECT_TYPES[n % len(OBJECT_TYPES)],
                    "object_id": 1_000_000 + n % 500,
                    "outcome": AuditOutcome.OK,
                }
                for n in range(first, first + count)
            ],
        )
        db.session.execute(sa.text("ANALYZE audit_entries"))
        db.session.commit()

    def read() -> int:
        buffers = page_buffers(
            client, path, db.engine, db.session, table="audit_entries", without=["bitmapscan"]
        )
        return _total(buffers)

    add_others(4_000, 0)
    small = read()
    add_others(16_000, 4_000)
    big = read()
    assert big <= small * 1.2 + 20, (small, big)
    page = client.get(path).get_data(as_text=True)
    assert all(action in page for action in ("user.update", "household.read", "login.ok"))


def test_the_account_list_reads_the_same_with_five_times_the_accounts(client, login_as, postgres_only):
    login_as(client, UserFactory(admin=True))
    _add_accounts(4_000, 0)
    small = page_buffers(client, "/admin/anvandare?sida=3", db.engine, db.session)
    _add_accounts(16_000, 4_000)
    big = page_buffers(client, "/admin/anvandare?sida=3", db.engine, db.session)
    # The page's 25 accounts from the name index, the count up to COUNT_AHEAD past them. Sorting
    # every account by name read them all (4,000 -> 20,000: some 250 more buffers).
    assert _total(big) <= _total(small) * 1.2 + 20, (small, big)

    page = client.get("/admin/anvandare?q=historik&sida=3").get_data(as_text=True)
    assert "Historik 000050" in page and "Historik 000074" in page  # names 51-75, in order
    assert "Historik 000049" not in page and "Historik 000075" not in page
    assert f"Fler än {2 * 25 + COUNT_AHEAD} användare hittades." in page


def test_an_account_is_found_by_its_address_from_an_index_not_by_reading_every_account(app, postgres_only):
    _add_accounts(4_000, 0)
    reads_users = lambda statement: statement.lstrip().startswith("SELECT") and "FROM users" in statement  # noqa: E731
    with captured_statements(db.engine, reads_users) as seen, app.test_request_context():
        by_address = services.find_user_by_login("  Historik17@Exempel.TEST ")
        by_username = services.find_user_by_login("historik.18")
    assert by_address is not None and by_address.full_name == "Historik 000017"
    assert by_username is not None and by_username.full_name == "Historik 000018"
    for statement, parameters in seen:
        read = statement_buffers(db.session, statement, parameters)
        # Two unique indexes and the row: a handful of buffers. lower(email) read all 4,000
        # accounts (some 80 buffers here, 46 ms a login with 55,000).
        assert read <= 12, (read, statement)
