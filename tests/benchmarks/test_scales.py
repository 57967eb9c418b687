"""benchmarks/scales.py: the slowdown read the right way round, and the verdict against issue 24."""

from __future__ import annotations

import pytest

from benchmarks.paired import summarise
from benchmarks.scales import loaded_sets, row, slower, verdict


def test_a_page_half_as_fast_at_national_size_is_a_hundred_per_cent_slower():
    # (county, national) in each pair; the machine slows down over the pairs.
    summary = summarise([(300.0, 150.0), (200.0, 100.0), (400.0, 200.0)])
    median, least, greatest = slower(summary)
    assert median == pytest.approx(1.0)
    assert (least, greatest) == (pytest.approx(1.0), pytest.approx(1.0))


def test_a_page_faster_at_national_size_has_a_negative_slowdown():
    median, least, greatest = slower(summarise([(100.0, 125.0), (100.0, 100.0), (90.0, 100.0)]))
    assert median == pytest.approx(-0.1)
    assert least == pytest.approx(-0.2)
    assert greatest == pytest.approx(0.0)


@pytest.mark.parametrize(
    ("slowdown", "queries", "expected"),
    [
        (0.20, ("3", "3"), "met"),
        (-0.05, ("3", "3"), "met"),
        (0.21, ("3", "3"), "21% slower"),
        (0.05, ("3", "4"), "statements 3 -> 4"),
        (0.35, ("2", "5"), "35% slower; statements 2 -> 5"),
    ],
)
def test_the_verdict_names_each_target_missed(slowdown, queries, expected):
    assert verdict(slowdown, queries) == expected


def test_a_row_shows_both_sides_the_slowdown_and_the_verdict():
    line = row("case board", summarise([(200.0, 100.0), (180.0, 100.0)]), ("4", "4"))
    assert line.startswith("case board ")
    assert "190.0" in line and "100.0" in line
    assert line.endswith("90% slower")


def test_both_sets_and_their_targets_are_required(monkeypatch, tmp_path):
    for name in ("COUNTY_URL", "COUNTY_TARGETS", "NATIONAL_URL", "NATIONAL_TARGETS"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("COUNTY_URL", "postgresql+psycopg://h/county")
    with pytest.raises(SystemExit, match="COUNTY_TARGETS, NATIONAL_URL, NATIONAL_TARGETS not set"):
        loaded_sets()
    (tmp_path / "c.json").write_text('{"course_run_id": 1}')
    (tmp_path / "n.json").write_text('{"course_run_id": 2}')
    monkeypatch.setenv("COUNTY_TARGETS", str(tmp_path / "c.json"))
    monkeypatch.setenv("NATIONAL_URL", "postgresql+psycopg://h/national")
    monkeypatch.setenv("NATIONAL_TARGETS", str(tmp_path / "n.json"))
    county, national = loaded_sets()
    assert (county.url, county.targets) == ("postgresql+psycopg://h/county", {"course_run_id": 1})
    assert (national.url, national.targets) == ("postgresql+psycopg://h/national", {"course_run_id": 2})
