"""All of Sweden's municipalities come as reference data, with the members of today marked."""

import csv
import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "migrations" / "data" / "municipalities.csv"


def _rows() -> list[dict]:
    with DATA.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_the_data_file_holds_290_municipalities_with_unique_codes_and_names():
    rows = _rows()
    assert len(rows) == 290
    assert len({row["code"] for row in rows}) == 290
    assert len({row["name"] for row in rows}) == 290
    assert all(len(row["code"]) == 4 and row["code"].isdigit() for row in rows)


def test_every_municipality_has_its_county_and_lies_in_sweden():
    rows = _rows()
    assert len({row["county"] for row in rows}) == 21
    by_code = {row["code"]: row for row in rows}
    assert by_code["0680"]["name"] == "Jönköping" and by_code["0680"]["county"] == "Jönköpings län"
    assert by_code["2584"]["name"] == "Kiruna" and by_code["2584"]["county"] == "Norrbottens län"
    for row in rows:
        assert 55.0 < float(row["latitude"]) < 69.1, row
        assert 10.9 < float(row["longitude"]) < 24.2, row
    # Counties follow the first two digits of the code.
    counties_by_prefix: dict[str, set[str]] = {}
    for row in rows:
        counties_by_prefix.setdefault(row["code"][:2], set()).add(row["county"])
    assert all(len(names) == 1 for names in counties_by_prefix.values())


def test_the_members_of_today_are_the_demo_members():
    from coursehub.accounts.demo import MUNICIPALITIES

    path = next((ROOT / "migrations" / "versions").glob("*_73cd42a9c9c5_*.py"))
    spec = importlib.util.spec_from_file_location("municipalities_migration", path)
    assert spec is not None and spec.loader is not None
    migration = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(migration)
    assert {code for _name, code, member, _lat, _lon in MUNICIPALITIES if member} == migration.MEMBERS_TODAY
    names = {row["code"]: row["name"] for row in _rows()}
    assert all(names[code] == name for name, code, *_ in MUNICIPALITIES)
