"""benchmarks/paired.py: wrk's figure read back, and pairs summed up as their ratios' median."""

from __future__ import annotations

import pytest

from benchmarks import paired
from benchmarks.paired import choose_pages, requests_per_second, summarise, wrk_command
from tests.benchmarks.wrk_report import wrk_report


def test_wrk_requests_a_second_are_read_from_its_report():
    assert requests_per_second(wrk_report(1140, 3.0)) == pytest.approx(380.0)


@pytest.mark.parametrize(
    "trouble", ["  Non-2xx or 3xx responses: 12\n", "  Socket errors: connect 0, read 3\n"]
)
def test_a_run_with_failed_answers_has_no_figure(trouble):
    assert requests_per_second(wrk_report(trouble=trouble)) is None


def test_the_ratio_is_the_median_of_the_pairs_not_of_the_sides():
    # The machine slows down over the pairs; this checkout is 10 % faster in every pair.
    pairs = [(330.0, 300.0), (220.0, 200.0), (440.0, 400.0), (110.0, 100.0), (275.0, 250.0)]
    summary = summarise(pairs)
    assert summary.ratio == pytest.approx(1.1)
    assert (summary.least, summary.greatest) == (pytest.approx(1.1), pytest.approx(1.1))
    assert (summary.ours, summary.theirs) == (275.0, 250.0)


def test_the_least_and_the_greatest_ratio_show_the_spread():
    summary = summarise([(100.0, 100.0), (90.0, 100.0), (120.0, 100.0)])
    assert summary.ratio == pytest.approx(1.0)
    assert (summary.least, summary.greatest) == (pytest.approx(0.9), pytest.approx(1.2))


TARGETS = {
    "course_run_id": 7,
    "basic_type_id": 1,
    "feed_token": "t",
    "sheet_session_id": 3,
    "participants_run_id": 7,
    "forum_thread_id": 5,
    "forum_network_id": 2,
    "forum_search": "ord",
    "logins": {"family": "f", "leader": "l", "staff": "s", "member": "m"},
}


def test_without_names_every_page_is_chosen_but_the_slow_report_and_healthz_comes_first():
    known, chosen = choose_pages(TARGETS, [])
    assert chosen[0] == "healthz"
    assert "yearly report" in known
    assert "yearly report" not in chosen
    assert set(chosen) == set(known) - {"yearly report"}


def test_a_page_by_a_name_run_sh_does_not_know_is_refused():
    with pytest.raises(SystemExit, match="no such page: katalog"):
        choose_pages(TARGETS, ["catalogue", "katalog"])


def test_wrk_is_asked_as_run_sh_asks_it_with_the_session_cookie_when_there_is_one():
    assert wrk_command("http://h/kurser", None, 3, 16) == [
        "wrk",
        "-t2",
        "-c16",
        "-d3s",
        "--timeout",
        "10s",
        "http://h/kurser",
    ]
    assert wrk_command("http://h/", "session=abc", 5, 16)[-3:] == ["-H", "Cookie: session=abc", "http://h/"]


def test_pairs_alternate_which_side_goes_first_and_keep_each_side_in_its_place(monkeypatch):
    # wrk stands in for the servers here: each run's figure says which side it drove and when.
    asked: list[tuple[str, int]] = []

    def fake_wrk(url, cookie, seconds, connections):
        asked.append((url, seconds))
        return 100.0 * len(asked) if url == "http://a/p" else float(len(asked))

    monkeypatch.setattr(paired, "_wrk", fake_wrk)
    settings = paired.PairSettings(pairs=3, seconds=5, connections=16, workers=2)
    pairs = paired.measure_pairs("page", ("http://a/p", None), ("http://b/p", "session=x"), settings)
    # A second on each to warm up, then A B, B A, A B.
    assert [url[7] for url, _ in asked] == ["a", "b", "a", "b", "b", "a", "a", "b"]
    assert [seconds for _, seconds in asked] == [1, 1, 5, 5, 5, 5, 5, 5]
    assert pairs == [(300.0, 4.0), (600.0, 5.0), (700.0, 8.0)]


def test_a_pair_with_failed_answers_stops_the_measurement(monkeypatch):
    monkeypatch.setattr(
        paired, "_wrk", lambda url, cookie, seconds, connections: None if seconds > 1 else 1.0
    )
    with pytest.raises(SystemExit, match="case board: some answers were not 2xx"):
        paired.measure_pairs(
            "case board", ("http://a/", None), ("http://b/", None), paired.PairSettings(2, 3, 16, 2)
        )


def test_the_pair_settings_come_from_the_environment_with_the_documented_defaults(monkeypatch):
    for name in ("PAIRS", "DURATION", "CONNECTIONS", "WORKERS"):
        monkeypatch.delenv(name, raising=False)
    assert paired.pair_settings() == paired.PairSettings(pairs=8, seconds=3, connections=16, workers=2)
    monkeypatch.setenv("PAIRS", "4")
    monkeypatch.setenv("WORKERS", "3")
    assert paired.pair_settings() == paired.PairSettings(pairs=4, seconds=3, connections=16, workers=3)
