"""benchmarks/paired.py: wrk's figure read back, and pairs summed up as their ratios' median."""

from __future__ import annotations

import pytest

from benchmarks.paired import requests_per_second, summarise

WRK_OUTPUT = """Running 3s test @ http://127.0.0.1:8000/kurser
  2 threads and 16 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency    41.20ms    8.10ms  90.00ms   75.00%
    Req/Sec   190.00     20.00   240.00     70.00%
  1140 requests in 3.00s, 30.00MB read
Requests/sec:    379.87
Transfer/sec:     10.00MB
"""


def test_wrk_requests_a_second_are_read_from_its_report():
    assert requests_per_second(WRK_OUTPUT) == pytest.approx(379.87)


@pytest.mark.parametrize(
    "trouble", ["  Non-2xx or 3xx responses: 12\n", "  Socket errors: connect 0, read 3\n"]
)
def test_a_run_with_failed_answers_has_no_figure(trouble):
    assert requests_per_second(WRK_OUTPUT.replace("Requests/sec", trouble + "Requests/sec")) is None


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
