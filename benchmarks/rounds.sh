#!/usr/bin/env bash
# County against national, read from several runs: benchmarks/run.sh on the two loaded sets in
# turn (county, national, county, …) ROUNDS times, then benchmarks/compare.py on the medians.
# One run against one run says little on a shared machine (two runs minutes apart differ by 30 %
# and more); runs taken in turn meet the same neighbours. See benchmarks/README.md.
#
#   COUNTY_URL=… COUNTY_TARGETS=… NATIONAL_URL=… NATIONAL_TARGETS=… benchmarks/rounds.sh
#
# The URLs name databases that `flask bench-seed` loaded and the TARGETS the files its --targets
# wrote (run.sh's LOADED_DATABASE_URL and TARGETS). ROUNDS=3 by default; DURATION and the other
# settings of run.sh pass through.
set -euo pipefail

ROUNDS="${ROUNDS:-3}"
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
for name in COUNTY_URL COUNTY_TARGETS NATIONAL_URL NATIONAL_TARGETS; do
    [ -n "${!name:-}" ] || { echo "$name is not set (see the head of $0)" >&2; exit 1; }
done

county=()
national=()
# run_one SCALE URL TARGETS: one run of run.sh, its table shown; prints the result file it wrote.
run_one() {
    LOADED_DATABASE_URL="$2" TARGETS="$3" "$ROOT/benchmarks/run.sh" "$1" | tee /dev/stderr |
        sed -n "s|^written to |$ROOT/|p"
}
for _round in $(seq "$ROUNDS"); do
    county+=("$(run_one county "$COUNTY_URL" "$COUNTY_TARGETS")")
    national+=("$(run_one national "$NATIONAL_URL" "$NATIONAL_TARGETS")")
done
"$ROOT/.venv/bin/python" "$ROOT/benchmarks/compare.py" "${county[@]}" -- "${national[@]}"
