"""benchmarks/compare.py: the targets read from two sides of runs, each side's median per page."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from benchmarks.compare import main, median_rows, read, split_sides

COMPARE = Path(__file__).resolve().parents[2] / "benchmarks" / "compare.py"


def _result(tmp_path: Path, name: str, rows: dict[str, tuple[float, float, int]]) -> str:
    """Write a result file as run.sh does: page, req/s, p50, p99, share of healthz, queries, status."""
    healthz = 2000.0
    lines = [
        "coursehub load benchmark, scale county (seed 2026), 2026-12-05 08:00 UTC",
        "",
        "page                       req/s    p50 ms    p99 ms % healthz  queries status",
        f"healthz                 {healthz:8.1f}       6.0      10.0    100.0%        0    200",
    ]
    for page, (rps, p99, queries) in rows.items():
        share = rps / healthz * 100
        lines.append(f"{page:24}{rps:8.1f}{50.0:10.1f}{p99:10.1f}{share:9.1f}%{queries:9d}    200")
    lines += ["", "worker memory after the run (RSS):", "  worker 1: 130 MB"]
    path = tmp_path / name
    path.write_text("\n".join(lines) + "\n")
    return str(path)


def test_one_run_a_side_reads_its_own_figures(tmp_path, capsys):
    county = _result(
        tmp_path, "c.txt", {"course page": (400.0, 60.0, 3), "forum thread 100 posts": (240.0, 90.0, 5)}
    )
    national = _result(
        tmp_path, "n.txt", {"course page": (320.0, 120.0, 3), "forum thread 100 posts": (230.0, 95.0, 6)}
    )
    main([county, national])
    lines = {line.split("  ")[0].strip(): line for line in capsys.readouterr().out.splitlines()}
    # 400/320: 25 % slower, 16 % of healthz, p99 over 100 ms.
    assert "share 16.0 %" not in lines["course page"]
    assert "p99 120 ms" in lines["course page"] and "25 % slower" in lines["course page"]
    # The thread's own floor is 10 %: 11.5 % meets it; its statements changed.
    assert lines["forum thread 100 posts"].endswith("met") and "5→6" in lines["forum thread 100 posts"]


def test_several_runs_a_side_give_each_page_its_median(tmp_path, capsys):
    counties = [
        _result(tmp_path, f"c{n}.txt", {"case board": (rps, p99, 6)})
        for n, (rps, p99) in enumerate([(150.0, 90.0), (100.0, 300.0), (140.0, 95.0)])
    ]
    nationals = [
        _result(tmp_path, f"n{n}.txt", {"case board": (rps, p99, 6)})
        for n, (rps, p99) in enumerate([(130.0, 99.0), (60.0, 400.0), (125.0, 98.0)])
    ]
    merged = median_rows([read(Path(name)) for name in nationals])
    assert merged["case board"].rps == 125.0 and merged["case board"].p99 == 99.0
    main([*counties, "--", *nationals])
    out = capsys.readouterr().out
    assert out.startswith("medians of 3 run(s) against 3 run(s)")
    board = next(line for line in out.splitlines() if line.startswith("case board"))
    # 140/125: 12 % slower by the medians, where the outlying pair alone says 67 %; p99 98 ms.
    assert "slower" not in board.split("%  ")[-1] and "p99" not in board.split("%  ")[-1]
    assert "same" in board


def test_runs_of_one_side_that_disagree_on_statements_show_it(tmp_path):
    runs = [
        read(Path(_result(tmp_path, "a.txt", {"catalogue": (200.0, 80.0, 3)}))),
        read(Path(_result(tmp_path, "b.txt", {"catalogue": (210.0, 80.0, 4)}))),
    ]
    assert median_rows(runs)["catalogue"].queries == "3/4"


@pytest.mark.parametrize("args", [[], ["a"], ["a", "b", "c"], ["--", "b"], ["a", "--"]])
def test_without_two_sides_it_says_how_it_is_used(args):
    with pytest.raises(SystemExit) as stopped:
        split_sides(args)
    assert "compare.py" in str(stopped.value)


def test_it_runs_as_the_readme_shows(tmp_path):
    county = _result(tmp_path, "c.txt", {"catalogue": (300.0, 80.0, 3)})
    national = _result(tmp_path, "n.txt", {"catalogue": (290.0, 85.0, 3)})
    done = subprocess.run([sys.executable, str(COMPARE), county, national], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert "share 14.5 % < 15 %" in done.stdout


def test_rounds_names_what_it_needs_before_it_runs_anything():
    rounds = COMPARE.parent / "rounds.sh"
    done = subprocess.run(
        ["bash", str(rounds)], capture_output=True, text=True, env={"PATH": "/usr/bin:/bin"}
    )
    assert done.returncode == 1
    assert "COUNTY_URL is not set" in done.stderr
