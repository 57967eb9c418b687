"""Every table that refers to a person is in the export and erasure, or excluded here with a reason.

A table refers to a person when it has a foreign key to `users` or `households`, or an e-mail
column (the outbox's recipient is caught by its provider; a new address column must be named).
A new such table fails this test until someone adds it to its area's provider
(`coursehub/<area>/personal_data.py`) or to EXCLUDED below with the reason.
"""

from coursehub.db import Base
from coursehub.lib.personal_data import covered_tables

PERSON_TABLES = {"users", "households"}
# Who did the work: these rows refer to the member of staff who acted, never to a family or a
# participant. They are records of the organisation's work; after an erasure they point at the
# anonymised account, which names no one.
_STAFF_ACTOR = "refers only to the member of staff who acted; records of work, the account is anonymised"
EXCLUDED = {
    # Kept by law and by SECURITY.md (who read or changed what); holds the actor's id, never content.
    "audit_entries": "the audit log, kept by law; the actor's id only, no personal data",
    # The run's published contact address, which staff choose (an office mailbox); not a person's own.
    "course_runs": "contact_email is the run's published contact, chosen by staff",
    # A leader's assignment to a run is work, shown on the run; the account is anonymised.
    "run_leaders": "a leader's work assignment; points at the anonymised account",
    "forum_meetings": _STAFF_ACTOR,
    "recruitment_requests": _STAFF_ACTOR,
    "recruitment_offers": _STAFF_ACTOR,
    "recruitment_matches": _STAFF_ACTOR,
    "recruitment_register_checks": _STAFF_ACTOR,
    "recruitment_case_requirements": _STAFF_ACTOR,
}
# Login throttle rows have no foreign key and no e-mail column (they are keyed "account:user:<id>" or
# by the address tried) and are forgotten after hours; accounts' erasure deletes the person's row.


def _refers_to_a_person(table) -> bool:
    if any(fk.column.table.name in PERSON_TABLES for fk in table.foreign_keys):
        return True
    return any("email" in column.name or column.name == "recipient" for column in table.columns)


def test_every_table_that_refers_to_a_person_is_covered_or_excluded_with_a_reason(app):
    covered = covered_tables(app)
    referring = {name for name, table in Base.metadata.tables.items() if _refers_to_a_person(table)}
    assert referring - covered - EXCLUDED.keys() == set(), "add these tables to a provider or to EXCLUDED"
    assert covered & EXCLUDED.keys() == set(), "a table is either covered or excluded, not both"
    assert all(reason.strip() for reason in EXCLUDED.values())


def test_providers_and_exclusions_name_only_tables_that_exist(app):
    tables = set(Base.metadata.tables)
    assert covered_tables(app) - tables == set()
    assert EXCLUDED.keys() - tables == set()
    # An exclusion that no longer refers to a person is dead weight: remove it.
    assert {name for name in EXCLUDED if not _refers_to_a_person(Base.metadata.tables[name])} == set()


def test_every_area_with_people_adds_a_provider(app):
    from coursehub.lib.personal_data import personal_data_providers

    areas = [provider.area for provider in personal_data_providers(app)]
    assert areas == [
        "accounts",
        "enrollment",
        "attendance",
        "forum",
        "evaluations",
        "recruitment",
        "notifications",
    ]
