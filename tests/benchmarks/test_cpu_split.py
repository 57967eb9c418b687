"""benchmarks/cpu_split.py: /proc read back, wrk's count, and a run's CPU split per request."""

from __future__ import annotations

import os
import time

import pytest

from benchmarks.cpu_split import (
    TICKS_PER_SECOND,
    Process,
    processes,
    read_stat,
    requests_made,
    spent,
    split,
)
from tests.benchmarks.wrk_report import wrk_report


def test_a_stat_line_is_read_past_a_name_with_spaces_and_parentheses():
    line = (
        "4242 (gunicorn: worker (app) x) S 4200 4200 4200 0 -1 4194560 100 0 0 0 "
        f"{3 * TICKS_PER_SECOND} {TICKS_PER_SECOND} 0 0 20 0 1 0 123 456 789\n"
    )
    assert read_stat(line) == Process(4242, "gunicorn: worker (app) x", 4200, 4.0)


def test_this_process_is_found_with_its_parent_and_the_cpu_it_spends():
    mine = os.getpid()
    before = processes()[mine]
    end = time.process_time() + 0.3
    while time.process_time() < end:  # spend some CPU
        pass
    after = processes()[mine]
    assert after.parent == os.getppid()
    assert spent({mine: before}, {mine: after}, [mine]) >= 0.2


def test_a_process_that_came_during_the_run_counts_from_zero_and_one_that_went_not_at_all():
    before = {1: Process(1, "postgres", 0, 10.0), 2: Process(2, "postgres", 0, 5.0)}
    after = {1: Process(1, "postgres", 0, 12.5), 3: Process(3, "postgres", 0, 0.5)}
    assert spent(before, after, [1, 2, 3]) == pytest.approx(3.0)


def test_a_pid_taken_again_by_another_program_counts_from_zero():
    before = {7: Process(7, "cron", 1, 100.0)}
    after = {7: Process(7, "postgres", 1, 0.25)}
    assert spent(before, after, [7]) == pytest.approx(0.25)


def test_wrk_requests_are_read_from_its_report_and_failed_runs_give_none():
    assert requests_made(wrk_report(2280, 6.0)) == 2280
    assert requests_made(wrk_report(2280, 6.0, trouble="  Non-2xx or 3xx responses: 3\n")) is None


def test_the_split_is_in_milliseconds_per_request_and_the_rest_is_what_no_side_spent():
    # 2,000 requests in 5 s on two cores, 0.5 s of them idle.
    row = split(2000, 5.0, workers=6.0, database=1.5, wrk=0.5, busy=9.5, idle=0.5)
    assert row.per_second == pytest.approx(400.0)
    assert row.workers == pytest.approx(3.0)
    assert (row.database, row.wrk) == (pytest.approx(0.75), pytest.approx(0.25))
    assert row.rest == pytest.approx(0.75)
    assert row.idle == pytest.approx(0.05)
