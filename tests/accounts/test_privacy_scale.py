"""A person's data export with years of other people's rows: it reads the person's own sign-ups,
posts and threads, not every one ever made (enrollment and forum personal_data, lib.sqlfind)."""

from __future__ import annotations

import json

import sqlalchemy as sa

from coursehub import clock
from coursehub.accounts.models import Household, Role
from coursehub.enrollment.models import Enrollment, EnrollmentStatus
from coursehub.extensions import db
from coursehub.forum.models import Post, Thread
from coursehub.recruitment.models import Case, Step
from tests.factories import CourseRunFactory, EnrollmentFactory, HouseholdFactory, UserFactory
from tests.forum.factories import SubjectFactory
from tests.support.sql import page_buffers

EXPORT = "/profil/mina-uppgifter.json"
TABLES = ("enrollments", "forum_posts", "forum_threads", "recruitment_cases")


def _add_others(run_id: int, municipality_id: int, subject, author_id: int, count: int, first: int) -> None:
    """`count` sign-ups of other households, `count` posts (in threads of ten) by someone else, and
    half as many recruitment cases of others."""
    now = clock.now()
    households = db.session.scalars(
        sa.insert(Household).returning(Household.id),
        [
            {"name": f"Familjen Annan {first + n}", "municipality_id": municipality_id, "created_at": now}
            for n in range(count)
        ],
    ).all()
    db.session.execute(
        sa.insert(Enrollment),
        [
            {
                "run_id": run_id,
                "participant_kind": "family",
                "household_id": id_,
                "status": EnrollmentStatus.CANCELLED,
                "created_at": now,
            }
            for id_ in households
        ],
    )
    threads = db.session.scalars(
        sa.insert(Thread).returning(Thread.id),
        [
            {
                "network_id": subject.network_id,
                "subject_id": subject.id,
                "title": f"Tråd {first + n}",
                "author_id": author_id,
                "created_at": now,
                "last_post_at": now,
                "post_count": 10,
            }
            for n in range(count // 10)
        ],
    ).all()
    db.session.execute(
        sa.insert(Post),
        [
            {
                "thread_id": thread_id,
                "number": number,
                "author_id": author_id,
                "body_source": "Ett inlägg.",
                "body_html": "<p>Ett inlägg.</p>",
                "created_at": now,
                "hidden_reason": "",
            }
            for thread_id in threads
            for number in range(1, 11)
        ],
    )
    db.session.execute(
        sa.insert(Case),
        [
            {
                "step": Step.REGISTERED,
                "step_changed_at": now,
                "registered_at": now,
                "first_contact_due_on": now.date(),
                "municipality_id": municipality_id,
                "street": "Storgatan 1",
                "postal_code": "58222",
                "city": "Linköping",
                "min_child_age": 0,
                "max_child_age": 17,
                "consent_at": now,
                "consent_version": "1",
            }
            for _ in range(count // 2)
        ],
    )
    db.session.commit()


def _read_of(client) -> dict[str, int]:
    return {
        table: sum(page_buffers(client, EXPORT, db.engine, db.session, table=table).values())
        for table in TABLES
    }


def test_a_persons_export_reads_their_own_rows_with_ten_times_the_others(client, login_as, postgres_only):
    household = HouseholdFactory(name="Familjen Egen")
    person = UserFactory(household=household, roles=[Role.FAMILY], full_name="Eva Egen")
    run = CourseRunFactory(title="Grundutbildning våren")
    EnrollmentFactory(run=run, household=household, persons=[person])
    subject = SubjectFactory()
    other = UserFactory(member=True)
    login_as(client, person)

    _add_others(run.id, household.municipality_id, subject, other.id, 1_000, 0)
    small = _read_of(client)
    _add_others(run.id, household.municipality_id, subject, other.id, 9_000, 1_000)
    big = _read_of(client)

    # 1,000 -> 10,000 other sign-ups and posts, 500 -> 5,000 cases. Found with OR between the
    # ways, or by an author no index held, every one of them was read; each way from its own
    # index, only the person's.
    for table in TABLES:
        assert big[table] <= small[table] * 1.2 + 10, (table, small, big)
    export = json.loads(client.get(EXPORT).get_data(as_text=True))["Uppgifter"]
    assert [row["Kurs"] for row in export["enrollment"]["Anmälningar"]] == ["Grundutbildning våren"]
