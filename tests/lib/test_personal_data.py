"""The registry of personal-data providers: order of export and erasure, JSON-safe rows."""

import json
from datetime import UTC, date, datetime
from types import SimpleNamespace

from flask import Flask

from coursehub.accounts.models import Role
from coursehub.lib.personal_data import (
    ErasureContext,
    Provider,
    add_personal_data_provider,
    covered_tables,
    erase_person,
    export_person,
    row,
)


def _provider(area, tables, erased):
    def export(person):
        return {
            "Rader": [
                row({"person": person.id, "när": datetime(2026, 9, 1, tzinfo=UTC), "roll": Role.FAMILY})
            ]
        }

    def erase(person, context):
        erased.append((area, person.id, context.reason))

    return Provider(area=area, tables=tables, export=export, erase=erase)


def test_export_is_by_area_in_order_and_json_safe_and_erasure_runs_highest_area_first():
    app = Flask(__name__)
    erased = []
    add_personal_data_provider(app, _provider("accounts", ("users",), erased))
    add_personal_data_provider(app, _provider("forum", ("forum_posts", "forum_threads"), erased))
    person = SimpleNamespace(id=7, household_id=None, email="a@example.se")

    exported = export_person(app, person)
    assert list(exported) == ["accounts", "forum"]
    assert exported["forum"]["Rader"] == [{"person": 7, "när": "2026-09-01T00:00:00+00:00", "roll": "family"}]
    json.dumps(exported)  # nothing that JSON refuses
    assert covered_tables(app) == {"users", "forum_posts", "forum_threads"}

    erase_person(
        app, person, ErasureContext(actor_id=1, reason="Begäran", now=datetime(2026, 9, 1, tzinfo=UTC))
    )
    assert erased == [("forum", 7, "Begäran"), ("accounts", 7, "Begäran")]


def test_row_keeps_plain_values_and_turns_dates_into_text():
    assert row({"a": 1, "b": None, "c": date(2026, 1, 2), "d": True}) == {
        "a": 1,
        "b": None,
        "c": "2026-01-02",
        "d": True,
    }
