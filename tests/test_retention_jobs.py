"""The retention jobs one by one: what is due and what is not, batches, bounded work, the command."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from sqlalchemy import func, select

from coursehub.accounts.models import AuditEntry, Household, Role, User
from coursehub.extensions import db
from coursehub.lib.terms import Half, Term
from coursehub.notifications.models import OutboxMessage
from coursehub.notifications.scheduler import job_specs
from coursehub.recruitment.models import Case, Note, Request, RequestStatus
from coursehub.recruitment.queries_figures import figures
from tests.factories import HouseholdFactory, MunicipalityFactory, UserFactory
from tests.recruitment.factories import CaseFactory
from tests.support.sql import captured_statements

TODAY = datetime(2026, 12, 1, 10, 0, tzinfo=UTC)
YEAR = timedelta(days=365)


def _jobs(app) -> dict:
    return {spec.name: spec.func for spec in job_specs(app) if spec.name.startswith("retention_")}


def _closed_case(closed_at: datetime) -> Case:
    return CaseFactory(registered_at=closed_at - YEAR, closed_at=closed_at, close_reason="Avslutat")


def test_a_case_is_anonymised_five_years_after_its_last_entry_in_batches(app, clock):
    clock.set(TODAY)
    due = [_closed_case(TODAY - 6 * YEAR) for _ in range(3)]
    recent = _closed_case(TODAY - 4 * YEAR)
    # Closed six years ago, but a note came four years ago: its last entry is too recent.
    noted = _closed_case(TODAY - 6 * YEAR)
    db.session.add(Note(case_id=noted.id, body="Familjen hörde av sig igen", created_at=TODAY - 4 * YEAR))
    open_case = CaseFactory(registered_at=TODAY - 8 * YEAR)
    db.session.commit()
    app.config["COURSEHUB_RETENTION_BATCH"] = 2
    anonymise = _jobs(app)["retention_cases"]

    assert [anonymise(TODAY), anonymise(TODAY), anonymise(TODAY)] == [2, 1, 0]
    db.session.expire_all()
    assert all(db.session.get(Case, case.id).anonymised_at == TODAY for case in due)
    for kept in (recent, noted, open_case):
        case = db.session.get(Case, kept.id)
        assert case.anonymised_at is None and case.adults and case.street == "Storgatan 1"


NEEDS = "Flickan är rädd för hundar och behöver hjälp med läxorna"


def _request(status: RequestStatus, closed_at: datetime | None, *, created_at: datetime) -> Request:
    request = Request(
        municipality_id=MunicipalityFactory().id,
        child_age=8,
        kind="long_term",
        needs=NEEDS,
        status=status,
        created_at=created_at,
        closed_at=closed_at,
    )
    db.session.add(request)
    db.session.flush()
    return request


def test_an_ended_request_loses_its_free_text_five_years_after_it_ended_in_batches(app, clock):
    clock.set(TODAY)
    sent = datetime(2020, 3, 2, 10, 0, tzinfo=UTC)  # spring 2020: six years and more ago
    due = [
        _request(RequestStatus.MATCHED, TODAY - 6 * YEAR, created_at=sent),
        _request(RequestStatus.CLOSED, TODAY - 6 * YEAR, created_at=sent),
        _request(RequestStatus.CLOSED, TODAY - 5 * YEAR - timedelta(days=2), created_at=sent),
    ]
    kept = [
        _request(RequestStatus.CLOSED, TODAY - 4 * YEAR, created_at=sent),  # ended too recently
        _request(RequestStatus.OPEN, None, created_at=sent),  # still open, however old
    ]
    db.session.commit()
    spring = Term(2020, Half.SPRING)
    before = figures(spring, spring, now=TODAY)
    assert before.term(spring).requests == 5
    app.config["COURSEHUB_RETENTION_BATCH"] = 2
    blank = _jobs(app)["retention_requests"]

    assert [blank(TODAY), blank(TODAY), blank(TODAY)] == [2, 1, 0]
    db.session.commit()
    db.session.expire_all()
    for request in due:
        found = db.session.get(Request, request.id)
        # Only the text goes: the figures count the rest (who asked, when, how it ended).
        assert (found.needs, found.status, found.closed_at, found.child_age) == (
            "",
            request.status,
            request.closed_at,
            8,
        )
    assert all(db.session.get(Request, request.id).needs == NEEDS for request in kept)
    assert figures(spring, spring, now=TODAY) == before


def test_with_nothing_due_each_job_runs_one_statement_whatever_the_history(app, clock, count_queries):
    clock.set(TODAY)

    def statements_per_job() -> dict[str, int]:
        counts = {}
        for name, job in _jobs(app).items():
            with count_queries() as statements:
                assert job(TODAY) == 0, name
            counts[name] = len(statements)
        return counts

    small = statements_per_job()
    # A long history that retention has dealt with already: anonymised cases, emptied mail.
    for _ in range(30):
        _closed_case(TODAY - 6 * YEAR)
        db.session.add(
            OutboxMessage(
                dedupe_key=f"old:{_}",
                recipient="gammal@exempel.se",
                subject="Välkommen",
                body_text="Hej!",
                sent_at=TODAY - YEAR,
                created_at=TODAY - YEAR,
            )
        )
        _request(RequestStatus.CLOSED, TODAY - 6 * YEAR, created_at=TODAY - 7 * YEAR)
        db.session.add(
            OutboxMessage(
                dedupe_key=f"failed:{_}",
                recipient="gammal@exempel.se",
                subject="Välkommen",
                body_text="Hej!",
                failed_at=TODAY - YEAR,
                created_at=TODAY - YEAR,
            )
        )
    _jobs(app)["retention_cases"](TODAY)
    _jobs(app)["retention_requests"](TODAY)
    _jobs(app)["retention_mail_bodies"](TODAY)
    db.session.commit()
    assert statements_per_job() == small == dict.fromkeys(small, 1)


def test_an_unconfirmed_household_goes_only_when_nobody_vouched_for_it(app, clock):
    clock.set(TODAY)
    municipality = MunicipalityFactory()
    old = TODAY - timedelta(days=31)

    def household(*, confirmed: bool, password: bool, created_at=old) -> int:
        found = HouseholdFactory(municipality=municipality, is_confirmed=confirmed, created_at=created_at)
        UserFactory(household=found, roles=[Role.FAMILY], **({} if password else {"password_hash": None}))
        return found.id

    nobody = household(confirmed=False, password=False)
    kept = [
        household(confirmed=True, password=False),  # its municipality confirmed it
        household(confirmed=False, password=True),  # an adult confirmed the address by choosing a password
        household(confirmed=False, password=False, created_at=TODAY - timedelta(days=29)),  # still in time
    ]
    db.session.commit()
    assert _jobs(app)["retention_unconfirmed_households"](TODAY) == 1
    db.session.commit()
    assert db.session.get(Household, nobody) is None
    assert db.session.scalar(select(func.count()).select_from(User).where(User.household_id == nobody)) == 0
    assert all(db.session.get(Household, kept_id) is not None for kept_id in kept)
    # Removing it was recorded (ids only), as the lapse of an unconfirmed household is.
    assert (
        db.session.scalars(select(AuditEntry.object_id).where(AuditEntry.action == "household.lapse")).one()
        == nobody
    )


def test_flask_retention_run_runs_every_job_and_says_what_each_did(app, clock, runner):
    clock.set(TODAY)
    _closed_case(TODAY - 6 * YEAR)
    db.session.commit()

    result = runner.invoke(args=["retention", "run"])

    assert result.exit_code == 0, result.output
    lines = dict(line.split(": ") for line in result.output.strip().splitlines())
    assert lines == {
        "retention_audit": "0",
        "retention_mail_bodies": "0",
        "retention_ended_signups": "0",
        "retention_unconfirmed_households": "0",
        "retention_cases": "1",
        "retention_requests": "0",
    }
    only = runner.invoke(args=["retention", "run", "--job", "retention_cases"])
    assert only.output.strip() == "retention_cases: 0"
    wrong = runner.invoke(args=["retention", "run", "--job", "retention_everything"])
    assert wrong.exit_code != 0 and "retention_cases" in wrong.output


def test_staff_see_that_a_delivered_message_text_was_removed(app, clock, client, login_as):
    clock.set(TODAY)
    message = OutboxMessage(
        dedupe_key="old:page",
        recipient="gammal@exempel.se",
        subject="Välkommen",
        body_text="Hej Gunnel Gammal!",
        sent_at=TODAY - YEAR,
        created_at=TODAY - YEAR,
    )
    db.session.add(message)
    staff = UserFactory(roles=[Role.STAFF])
    db.session.commit()
    assert _jobs(app)["retention_mail_bodies"](TODAY) == 1
    db.session.commit()

    login_as(client, staff)
    page = client.get(f"/admin/utkorg/{message.id}").get_data(as_text=True)

    assert "Gunnel" not in page
    assert "Texten är gallrad 1 december 2026" in page and "gammal@exempel.se" in page


def test_staff_see_that_an_anonymised_case_kept_only_what_the_figures_need(app, clock, client, login_as):
    clock.set(TODAY)
    case = _closed_case(TODAY - 6 * YEAR)
    staff = UserFactory(roles=[Role.STAFF])
    db.session.commit()
    assert _jobs(app)["retention_cases"](TODAY) == 1
    db.session.commit()

    login_as(client, staff)
    page = client.get(f"/rekrytering/arenden/{case.id}").get_data(as_text=True)

    assert "Familjens uppgifter gallrades 1 december 2026" in page
    assert "Ärendet avslutades 2 december 2020." in page  # no reason left to show
    # Nothing that reads as a fact about the family: no address, no "no children", no "None".
    for wrong in ("Adress", "Barn i hemmet", "None", "Alva"):
        assert wrong not in page, wrong
    assert case.municipality.name in page


def _message(key: str, **times) -> OutboxMessage:
    message = OutboxMessage(
        dedupe_key=key,
        recipient="greta@exempel.se",
        subject="Välkommen",
        body_text="Hej Greta Gammal!",
        body_html="<p>Hej Greta Gammal!</p>",
        headers={"List-Unsubscribe": "<https://kurser.example.se/avregistrera/hemlig>"},
        attempts=8,
        last_error="Servern svarade 550 5.1.1 Mailbox unavailable",
        created_at=TODAY - YEAR,
        **times,
    )
    db.session.add(message)
    return message


def test_a_failed_message_loses_its_text_once_the_period_has_passed_since_it_failed(app, clock):
    clock.set(TODAY)
    period = timedelta(days=app.config["COURSEHUB_RETENTION_MAIL_BODY_DAYS"])
    due = _message("failed:old", failed_at=TODAY - period - timedelta(days=1))
    recent = _message("failed:recent", failed_at=TODAY - period + timedelta(days=1))
    waiting = _message("waiting:old", next_attempt_at=TODAY - YEAR)  # still in line: it will be sent
    db.session.commit()
    drop = _jobs(app)["retention_mail_bodies"]

    assert [drop(TODAY), drop(TODAY)] == [1, 0]
    db.session.commit()
    db.session.expire_all()
    found = db.session.get(OutboxMessage, due.id)
    assert (found.body_text, found.body_html, found.headers, found.body_dropped_at) == ("", None, None, TODAY)
    # The row stays as the record that it could not be sent, as a sent message's row does.
    assert (found.recipient, found.subject, found.failed_at, found.sent_at, found.last_error) == (
        "greta@exempel.se",
        "Välkommen",
        due.failed_at,
        None,
        "Servern svarade 550 5.1.1 Mailbox unavailable",
    )
    for kept in (recent, waiting):
        message = db.session.get(OutboxMessage, kept.id)
        assert message.body_text == "Hej Greta Gammal!" and message.body_dropped_at is None


def _plan(statement: str, parameters, db_engine_name: str) -> str:
    """The database's plan of one captured statement, with the parameters it ran with."""
    explain = "EXPLAIN QUERY PLAN " if db_engine_name == "sqlite" else "EXPLAIN "
    rows = db.session.connection().exec_driver_sql(explain + statement, parameters).all()
    return "\n".join(" ".join(str(value) for value in row) for row in rows)


def _mail_history() -> None:
    """Years of a county's mail, none of it due: the old mail emptied, the last 90 days' kept whole.

    One message every four hours for close to three years: most of the outbox is mail emptied
    long ago, as it is in production, and the mail still holding its text is a small recent part.
    """
    period = timedelta(days=90)
    rows = [
        {
            "dedupe_key": f"history:{n}",
            "recipient": f"familj{n}@exempel.test",
            "subject": "Påminnelse",
            "body_text": "" if emptied else "Hej!",
            "created_at": sent,
            "sent_at": sent,
            "body_dropped_at": sent + period if emptied else None,
            "attempts": 1,
        }
        for n in range(6_000)
        for sent in [TODAY - timedelta(hours=4 * (6_000 - n))]
        for emptied in [sent + period < TODAY]
    ]
    # One in a hundred could not be delivered: given up on, and emptied like the rest once old.
    for failed in rows[::100]:
        failed["failed_at"], failed["sent_at"] = failed["sent_at"], None
    db.session.execute(sa.insert(OutboxMessage), rows)


def test_the_mail_body_retention_reads_failed_messages_through_their_index(app, clock, db_engine_name):
    clock.set(TODAY)
    _mail_history()
    db.session.commit()
    if db_engine_name == "postgresql":
        # PostgreSQL plans from the table's statistics, its size and its indexes' size, and from
        # the visibility map. In the test database these are whatever the tests before left (the
        # rows they deleted, an index swollen by a test of 20,000 messages) and whether autovacuum
        # came round since. VACUUM FULL rewrites the outbox and its indexes to hold this history
        # alone, and VACUUM ANALYZE gives the statistics and the visibility map autovacuum keeps
        # in production: the plan is the one this outbox gets, whatever ran before.
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.exec_driver_sql("VACUUM FULL outbox_messages")
            conn.exec_driver_sql("VACUUM (ANALYZE) outbox_messages")
    with captured_statements(db.engine, lambda statement: True) as captured:
        assert _jobs(app)["retention_mail_bodies"](TODAY) == 0
    [(statement, parameters)] = captured
    plan = _plan(statement, parameters, db_engine_name)
    if db_engine_name == "postgresql":
        # The failed messages are few and have an index of their own (partial: failed, not sent),
        # which the statement's conditions imply. The sent ones come from the index of the mail
        # still holding its text: not walking the years of mail already emptied (through the
        # index on (sent_at, id), filtering each row, as it did).
        assert "ix_outbox_messages_failed" in plan, plan
        assert "Index Only Scan using ix_outbox_messages_sent_with_body" in plan, plan
        assert "Seq Scan" not in plan, plan
    else:
        # SQLite's planner, without statistics, reads the failed part as the unsent messages
        # (sent_at IS NULL: the failed and the waiting, a few) and the sent part from the index of
        # the mail still holding its text; it reads the outbox through indexes only.
        assert "USING INDEX ix_outbox_messages_sent_with_body" in plan, plan
        assert plan.count("SEARCH outbox_messages USING") == 2, plan
        assert "SCAN outbox_messages" not in plan, plan
