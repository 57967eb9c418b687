"""Issue 23, point 4: staff review the audit log (filters, export) and unusual reads are flagged.

The unusual reads come from a scripted burst through the real case pages, so the audit rows are
the ones the recruitment area writes; the page, its filter and the daily mail to admins flag them,
and ordinary work in the same hours is not flagged.
"""

from __future__ import annotations

import csv
import io
import re
from datetime import UTC, datetime, timedelta

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from coursehub.accounts import jobs
from coursehub.accounts.models import AuditEntry, AuditOutcome
from coursehub.notifications.models import OutboxMessage
from tests.factories import HouseholdFactory, UserFactory
from tests.recruitment.factories import CaseFactory

# Tuesday 1 December 2026, 10:00 in Stockholm (UTC+1): working time.
TUESDAY_MORNING = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
# The same day at 21:30 in Stockholm: after working hours.
TUESDAY_EVENING = datetime(2026, 12, 1, 20, 30, tzinfo=UTC)
DAY = {"fran": "2026-12-01", "till": "2026-12-01"}


def _text(response) -> str:
    return response.get_data(as_text=True)


def _read_cases(client, login_as, clock, reader, cases, *, start, step_seconds=20):
    """Open each case's page in turn, `step_seconds` apart, as `reader` (writing real audit rows)."""
    clock.set(start)
    login_as(client, reader)
    for case in cases:
        page = client.get(f"/rekrytering/arenden/{case.id}")
        assert page.status_code == 200
        clock.advance(seconds=step_seconds)


@pytest.fixture
def scene(app, db, client, login_as, clock):
    """A burst of 20 cases in under 7 minutes, ordinary work, and one read in the evening."""
    clock.set(TUESDAY_MORNING - timedelta(days=30))
    cases = [CaseFactory() for _ in range(22)]
    hasty = UserFactory(staff=True, full_name="Hanna Hastig")
    steady = UserFactory(staff=True, full_name="Stina Stadig")
    late = UserFactory(staff=True, full_name="Kalle Kvällsson")
    admin = UserFactory(admin=True, full_name="Ada Admin", email="ada@resurs.test")
    db.session.commit()
    _read_cases(client, login_as, clock, hasty, cases[:20], start=TUESDAY_MORNING)
    # Ordinary work: five cases in the morning, one of them twice (three rows each read).
    _read_cases(client, login_as, clock, steady, [*cases[:5], cases[0]], start=TUESDAY_MORNING)
    _read_cases(client, login_as, clock, late, cases[20:21], start=TUESDAY_EVENING)
    db.session.rollback()
    return {"hasty": hasty, "steady": steady, "late": late, "admin": admin, "cases": cases}


def test_a_burst_and_an_evening_read_are_flagged_and_ordinary_work_is_not(client, login_as, clock, scene):
    clock.set(TUESDAY_EVENING + timedelta(hours=1))
    login_as(client, scene["admin"])
    page = _text(client.get("/admin/logg", query_string={**DAY, "avvikande": "j"}))
    assert "Många ärenden på kort tid" in page and "Utanför arbetstid" in page
    assert "Hanna Hastig" in page and "Kalle Kvällsson" in page
    assert "Stina Stadig" not in page
    # The burst is flagged from the read that reached 20 cases; the first 19 cases were not yet one.
    hasty_only = _text(
        client.get("/admin/logg", query_string={**DAY, "avvikande": "j", "utforare": scene["hasty"].id})
    )
    assert hasty_only.count("Många ärenden på kort tid") == 3  # the case, its notes and its checks
    # Without the filter every row is listed, and each unusual one carries its marker.
    everything = _text(client.get("/admin/logg", query_string=DAY))
    assert "Stina Stadig" in everything
    steady_rows = _text(client.get("/admin/logg", query_string={**DAY, "utforare": scene["steady"].id}))
    assert "Stina Stadig" in steady_rows
    assert "Många ärenden" not in steady_rows and "Utanför arbetstid" not in steady_rows


def test_the_daily_mail_lists_yesterdays_unusual_readers_once(app, db, clock, scene):
    morning_after = datetime(2026, 12, 2, 5, 5, tzinfo=UTC)
    with app.test_request_context():
        assert jobs.mail_unusual_reads(morning_after) == 1
        assert jobs.mail_unusual_reads(morning_after) == 0  # a second run (a second scheduler)
    db.session.commit()
    [mail] = db.session.scalars(select(OutboxMessage).where(OutboxMessage.recipient == "ada@resurs.test"))
    assert "1 december 2026" in mail.subject
    body = mail.body_text
    assert "Hanna Hastig" in body and "20 ärenden inom 10 minuter" in body
    assert "Kalle Kvällsson" in body and "1 post läst utanför arbetstid" in body
    assert "Stina Stadig" not in body
    # Each line links to the reader's unusual reads of that day on the log page.
    assert f"/admin/logg?utforare={scene['hasty'].id}&fran=2026-12-01&till=2026-12-01&avvikande=j" in body
    # Nothing about the families: no case reference, no family name.
    assert all(case.reference not in body and case.adults[0].last_name not in body for case in scene["cases"])
    # The next day nobody read anything: no mail.
    with app.test_request_context():
        assert jobs.mail_unusual_reads(morning_after + timedelta(days=1)) == 0


def test_a_holiday_is_off_hours(db, client, login_as, clock):
    case = CaseFactory()
    reader = UserFactory(staff=True, full_name="Julia Juldag")
    admin = UserFactory(admin=True)
    db.session.commit()
    # Friday 25 December 2026, 10:00 in Stockholm: a weekday, but Christmas Day.
    _read_cases(client, login_as, clock, reader, [case], start=datetime(2026, 12, 25, 9, 0, tzinfo=UTC))
    login_as(client, admin)
    page = _text(
        client.get("/admin/logg", query_string={"fran": "2026-12-25", "till": "2026-12-25", "avvikande": "j"})
    )
    assert "Julia Juldag" in page and "Utanför arbetstid" in page


def _entry(db, actor, action, *, at, object_type=None, object_id=None, outcome=AuditOutcome.OK):
    entry = AuditEntry(
        actor=actor, action=action, object_type=object_type, object_id=object_id, outcome=outcome, at=at
    )
    db.session.add(entry)
    return entry


def test_the_filters_narrow_the_log(db, client, login_as):
    staff = UserFactory(staff=True, full_name="Sara Stab")
    family = UserFactory(family=True, household=HouseholdFactory(), full_name="Frida Familj")
    other = UserFactory(staff=True, full_name="Olle Annan")
    early = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
    _entry(db, staff, "user.update", at=early, object_type="users", object_id=family.id)
    _entry(
        db, other, "household.home_kinds", at=early, object_type="households", object_id=family.household_id
    )
    _entry(
        db,
        family,
        "user.password_change",
        at=early + timedelta(days=20),
        object_type="users",
        object_id=family.id,
    )
    _entry(db, other, "recruitment.case.read", at=early, object_type="recruitment_cases", object_id=7)
    _entry(
        db,
        other,
        "recruitment.case.read",
        at=early + timedelta(days=1),
        object_type="recruitment_cases",
        object_id=8,
        outcome=AuditOutcome.DENIED,
    )
    db.session.commit()
    login_as(client, staff)

    def actions(**query) -> set[str]:
        page = _text(client.get("/admin/logg", query_string=query))
        found = ("user.update", "household.home_kinds", "user.password_change", "recruitment.case.read")
        return {a for a in found if f'<th scope="row">{a}</th>' in page}

    # The person: what they did, and what was done to their account or household.
    assert actions(person=family.id) == {"user.update", "household.home_kinds", "user.password_change"}
    assert actions(utforare=other.id) == {"household.home_kinds", "recruitment.case.read"}
    assert actions(posttyp="recruitment_cases", postnummer=8) == {"recruitment.case.read"}
    assert actions(utfall="denied") == {"recruitment.case.read"}
    assert actions(handelse="user.password_change") == {"user.password_change"}
    assert actions(fran="2026-11-15", till="2026-11-30") == {"user.password_change"}
    person_page = _text(client.get("/admin/logg", query_string={"person": family.id}))
    assert "Visar det Frida Familj har gjort" in person_page
    # The person's page among the users links to their log.
    assert f'href="/admin/logg?person={family.id}"' in _text(client.get(f"/admin/anvandare/{family.id}"))


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ({"person": "abc"}, "person", "Skriv ett heltal med siffror"),
        ({"person": "999999"}, "person", "Det finns ingen användare med det numret."),
        ({"utforare": "0"}, "utforare", "Skriv ett användarnummer"),
        ({"postnummer": "5"}, "postnummer", "Välj också vilken sorts post numret gäller."),
        ({"fran": "2026-13-01"}, "fran", "Ange datumet som ÅÅÅÅ-MM-DD"),
        (
            {"fran": "2026-12-02", "till": "2026-12-01"},
            "till",
            "Slutdatumet kan inte vara före startdatumet.",
        ),
        ({"fran": "2026-01-01", "till": "2026-12-01", "avvikande": "j"}, "avvikande", "högst 31 dagar"),
        ({"utfall": "kanske"}, "utfall", "Välj bland alternativen som visas."),
    ],
)
def test_bad_filter_input_gets_a_message_beside_its_field(db, client, login_as, query, field, message):
    staff = UserFactory(staff=True)
    db.session.commit()
    response = login_as(client, staff).get("/admin/logg", query_string=query)
    page = _text(response)
    assert response.status_code == 200
    assert f'id="{field}-error"' in page
    error = page.split(f'id="{field}-error"', 1)[1].split("</div>", 1)[0]
    assert message in error
    assert "Loggposter" not in page  # nothing listed under a filter that could not be read


def test_the_export_holds_the_filtered_rows_and_is_itself_audited(db, client, login_as, clock):
    clock.set(TUESDAY_MORNING)
    staff = UserFactory(staff=True, full_name="Sara Stab")
    other = UserFactory(staff=True, full_name="Olle Annan")
    _entry(
        db, other, "recruitment.case.read", at=TUESDAY_MORNING, object_type="recruitment_cases", object_id=7
    )
    _entry(db, staff, "user.update", at=TUESDAY_MORNING, object_type="users", object_id=other.id)
    db.session.commit()
    login_as(client, staff)
    response = client.get("/admin/logg.csv", query_string={"utforare": other.id})
    assert response.status_code == 200
    assert response.headers["Content-Disposition"].startswith("attachment;")
    rows = list(csv.reader(io.StringIO(response.get_data().decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:2] == ["Tid", "Utförd av"]
    assert [row[4] for row in rows[1:]] == ["recruitment.case.read"]
    assert rows[1][1] == "Olle Annan" and rows[1][6] == "7"
    workbook = load_workbook(
        io.BytesIO(client.get("/admin/logg.xlsx", query_string={"handelse": "user.update"}).data)
    )
    values = [[cell.value for cell in row] for row in workbook.active.iter_rows()]
    assert any("user.update" in row for row in values)
    assert not any("recruitment.case.read" in row for row in values)
    db.session.rollback()
    exports = list(
        db.session.scalars(
            select(AuditEntry).where(AuditEntry.action == "audit.export").order_by(AuditEntry.id)
        )
    )
    assert [(e.actor_id, e.detail) for e in exports] == [
        (staff.id, f"csv, 1 rows; utforare={other.id}"),
        (staff.id, "xlsx, 1 rows; handelse=user.update"),
    ]


def test_a_persons_log_pages_through_every_way_to_them_in_order(db, client, login_as):
    # Each way to a person's entries (what they did, what was done to their account and to
    # their household) is read from its own index, as far as the page and its count reach: the
    # pages must still be the newest entries of all three, in order, none twice.
    staff = UserFactory(staff=True)
    family = UserFactory(family=True, household=HouseholdFactory(), full_name="Frida Familj")
    ways = [
        (family, "user.password_change", None, None),
        (staff, "user.update", "users", family.id),
        (staff, "household.home_kinds", "households", family.household_id),
        (family, "user.update", "users", family.id),  # both ways at once: one row
    ]
    for n in range(120):
        actor, action, object_type, object_id = ways[n % len(ways)]
        _entry(
            db,
            actor,
            action,
            at=TUESDAY_MORNING - timedelta(minutes=n),
            object_type=object_type,
            object_id=object_id,
        )
    _entry(
        db, staff, "user.update", at=TUESDAY_MORNING, object_type="users", object_id=staff.id
    )  # not theirs
    db.session.commit()
    login_as(client, staff)

    def times(page: int) -> tuple[list[str], str]:
        """The page's rows' clock times (each entry has a minute of its own), and the page."""
        text = _text(client.get("/admin/logg", query_string={"person": family.id, "sida": page}))
        return re.findall(r"<td>\d+ \S+ \d{4} (\d\d:\d\d)</td>", text), text

    first, first_text = times(1)
    second, second_text = times(2)
    third, _ = times(3)
    assert "Sida 1 av 3" in first_text and "Sida 2 av 3" in second_text
    assert len(first) == 50 and len(second) == 50 and len(third) == 20
    assert first + second + third == sorted(first + second + third, reverse=True)
    assert len(set(first + second + third)) == 120


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_an_export_runs_the_same_statements_for_ten_rows_as_for_one(
    db, client, login_as, count_queries, file_format
):
    # The export's own audit row is committed before the file is written; the commit expired
    # the rows already read, and each was then read again on its own (4,000 statements for an
    # export of 4,000 rows on the national set).
    staff, other = UserFactory(staff=True), UserFactory(staff=True, full_name="Olle Annan")
    _entry(db, other, "user.update", at=TUESDAY_MORNING, object_type="users", object_id=1)
    db.session.commit()
    login_as(client, staff)
    wanted = {"utforare": other.id}
    with count_queries() as one:
        assert client.get(f"/admin/logg.{file_format}", query_string=wanted).status_code == 200
    for n in range(9):
        _entry(db, other, "user.update", at=TUESDAY_MORNING, object_type="users", object_id=n + 2)
    db.session.commit()
    with count_queries() as ten:
        response = client.get(f"/admin/logg.{file_format}", query_string=wanted)
    assert response.status_code == 200
    if file_format == "csv":
        rows = list(csv.reader(io.StringIO(response.get_data().decode("utf-8-sig")), delimiter=";"))
        assert [row[1] for row in rows[1:]] == ["Olle Annan"] * 10
    assert len(ten) == len(one), ten


def test_an_export_with_a_bad_filter_goes_back_to_the_page(db, client, login_as):
    staff = UserFactory(staff=True)
    db.session.commit()
    response = login_as(client, staff).get("/admin/logg.csv", query_string={"person": "x"})
    assert response.status_code == 302 and "/admin/logg?person=x" in response.location
    db.session.rollback()
    assert db.session.scalar(select(AuditEntry.id).where(AuditEntry.action == "audit.export")) is None


def test_the_page_runs_a_fixed_number_of_queries_with_flags(db, client, login_as, clock, count_queries):
    clock.set(TUESDAY_EVENING)
    staff = UserFactory(staff=True)
    readers = []

    def add_reads(n):
        for i in range(n):
            reader = UserFactory(staff=True)
            readers.append(reader)
            _entry(
                db,
                reader,
                "recruitment.case.read",
                at=TUESDAY_EVENING,
                object_type="recruitment_cases",
                object_id=i + 1,
            )
        db.session.commit()

    add_reads(3)
    login_as(client, staff)
    with count_queries() as small:
        page = _text(client.get("/admin/logg", query_string=DAY))
    assert "Utanför arbetstid" in page
    add_reads(60)
    with count_queries() as large:
        assert client.get("/admin/logg", query_string={**DAY, "avvikande": "j"}).status_code == 200
    assert len(small) == len(large)


def test_reading_an_outbox_message_writes_one_audit_row_without_content(db, client, login_as):
    staff = UserFactory(staff=True)
    message = OutboxMessage(
        dedupe_key="test:1",
        recipient="mottagare@hem.test",
        subject="Hemligt ämne",
        body_text="Hemlig text",
        body_html="<p>Hemlig text</p>",
    )
    db.session.add(message)
    db.session.commit()
    login_as(client, staff)
    assert "Hemlig text" in _text(client.get(f"/admin/utkorg/{message.id}"))
    assert client.get(f"/admin/utkorg/{message.id}").status_code == 200
    db.session.rollback()
    rows = list(db.session.scalars(select(AuditEntry).where(AuditEntry.action == "outbox.message.read")))
    assert [(r.actor_id, r.object_type, r.object_id, r.detail) for r in rows] == [
        (staff.id, "outbox_messages", message.id, None),
        (staff.id, "outbox_messages", message.id, None),
    ]
