"""The outbox page with years of mail: its parts in order across pages, and the same work whatever
the number of messages sent before (notifications.queries)."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import sqlalchemy as sa

from coursehub.extensions import db
from coursehub.notifications import personal_data
from coursehub.notifications.models import OutboxMessage
from tests.factories import UserFactory
from tests.notifications.factories import OutboxMessageFactory
from tests.support.sql import captured_statements, page_buffers, statement_buffers


@pytest.fixture
def staff_client(client, login_as):
    return login_as(client, UserFactory(staff=True))


def _all_pages(staff_client) -> list[str]:
    first = staff_client.get("/admin/utkorg").get_data(as_text=True)
    assert "Sida 1 av 2" in first
    second = staff_client.get("/admin/utkorg?sida=2").get_data(as_text=True)
    listed = re.compile(r'<th scope="row"><a [^>]*>([^<]*)</a></th>')  # each row's subject
    return [*listed.findall(first), *listed.findall(second)]


def test_failed_then_waiting_oldest_first_then_sent_newest_first_across_pages(staff_client, clock):
    # Created in a mixed order: the list orders them, not the order they were queued in.
    for n in range(30):
        OutboxMessageFactory(sent=True, subject=f"Skickat {n:02d}")
        if n < 3:
            OutboxMessageFactory(failed=True, subject=f"Fel {n:02d}")
        if n < 4:
            OutboxMessageFactory(subject=f"Väntar {n:02d}")
        clock.advance(minutes=1)
    db.session.commit()
    listed = _all_pages(staff_client)
    expected = [
        *(f"Fel {n:02d}" for n in range(3)),
        *(f"Väntar {n:02d}" for n in range(4)),
        *(f"Skickat {n:02d}" for n in reversed(range(30))),
    ]
    assert listed == expected  # 25 on the first page, the rest on the second: none twice, none lost
    assert "Väntar: 4. Misslyckade: 3." in staff_client.get("/admin/utkorg").get_data(as_text=True)


def _add_sent(now, count: int, first: int) -> None:
    """`count` messages sent in the hours before `now`, one an hour: years of history."""
    db.session.execute(
        sa.insert(OutboxMessage),
        [
            {
                "dedupe_key": f"history:{n}",
                "recipient": f"familj{n}@exempel.test",
                "subject": f"Historik {n}",
                "body_text": "Hej!",
                "created_at": now - timedelta(hours=n),
                "sent_at": now - timedelta(hours=n) + timedelta(minutes=1),
                "attempts": 1,
            }
            for n in range(first, first + count)
        ],
    )
    db.session.execute(sa.text("ANALYZE outbox_messages"))
    db.session.commit()


def _buffers_of(prefix: str, action) -> tuple[int, object]:
    """The buffers PostgreSQL reads (EXPLAIN ANALYZE) for the one statement beginning with
    `prefix` that `action` runs, and what `action` returned."""
    with captured_statements(db.engine, lambda statement: statement.startswith(prefix)) as seen:
        returned = action()
    [(statement, parameters)] = seen
    return statement_buffers(db.session, statement, parameters), returned


def _page_buffers(staff_client, page: int) -> int:
    """The buffers of the statement of the page's messages."""
    read, response = _buffers_of(
        "SELECT outbox_messages.id, outbox_messages.recipient",
        lambda: staff_client.get(f"/admin/utkorg?sida={page}"),
    )
    assert response.status_code == 200
    return read


def test_a_page_reads_its_own_rows_not_the_years_of_mail_before_them(staff_client, clock, postgres_only):
    OutboxMessageFactory(failed=True, subject="Fel 00")
    OutboxMessageFactory(subject="Väntar 00")
    _add_sent(clock.now, 20_000, 0)  # some years of a county's mail
    read = (_page_buffers(staff_client, 1), _page_buffers(staff_client, 2), _page_buffers(staff_client, 40))
    # The 25 rows by their primary key (3 buffers each), and the parts' indexes up to the page
    # (page 40 walks past 975 sent entries first): under 100. Sorting the whole outbox to find
    # them read every page of it, some 310 here and more with every year.
    assert max(read) <= 150, read


def test_the_whole_page_reads_the_same_with_ten_times_the_mail_sent(staff_client, clock, postgres_only):
    OutboxMessageFactory(subject="Väntar 00")
    _add_sent(clock.now, 2_000, 0)
    small = sum(page_buffers(staff_client, "/admin/utkorg?sida=2", db.engine, db.session).values())
    _add_sent(clock.now, 18_000, 2_000)
    big = sum(page_buffers(staff_client, "/admin/utkorg?sida=2", db.engine, db.session).values())
    # The parts' counts stop COUNT_AHEAD sent messages past the page; counted whole, the sent
    # mail's count read its index from end to end (2,000 -> 20,000 messages: some 50 more).
    assert big <= small * 1.2 + 10, (small, big)
    page = staff_client.get("/admin/utkorg?sida=2").get_data(as_text=True)
    assert "Sida 2 av minst 42" in page  # 1 waiting + 25 + COUNT_AHEAD sent: at least 1,026 rows


def _export_buffers(person) -> int:
    """The buffers of the export's statement of the person's mail."""
    read, exported = _buffers_of("SELECT outbox_messages.id", lambda: personal_data.export(person))
    assert [mail["Ämne"] for mail in exported["E-post till er"]] == ["Till Anna"]
    return read


def test_a_persons_export_finds_their_mail_without_reading_everyone_elses(app, clock, postgres_only):
    anna = UserFactory(email="anna.ekblad@hem.test")
    # Queued as typed somewhere else: the export still finds it, whatever the letters' case.
    OutboxMessageFactory(recipient="Anna.Ekblad@Hem.test", subject="Till Anna", sent=True)
    _add_sent(clock.now, 2_000, 0)
    small = _export_buffers(anna)
    _add_sent(clock.now, 18_000, 2_000)
    big = _export_buffers(anna)
    # Her message by an index on the address (a handful of buffers); compared with lower() and no
    # index, every message of every year was read: some 30 buffers here, 300 with ten times more.
    assert big <= small + 5, (small, big)
