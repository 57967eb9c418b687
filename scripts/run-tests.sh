#!/usr/bin/env bash
# Run the whole suite on SQLite and on PostgreSQL, in a loopback-only network namespace where the
# machine allows one (TESTING.md). Prints which runs passed.
#
# The two cores each take a share, each run into its own log that is printed whole when both are
# done; the exit status of every run counts. COURSEHUB_TEST_LEGS=sequential runs them one after the
# other with live output instead (a one-core machine, or to watch a leg).
set -uo pipefail
cd "$(dirname "$0")/.."
PYTEST=(.venv/bin/python -m pytest)
if unshare -n -- true 2>/dev/null; then
  isolate=(unshare -n -- sh -c 'ip link set lo up && exec "$@"' sh)
  echo "network: tests run in a loopback-only namespace"
else
  isolate=()
  echo "network: unshare -n is not allowed here; tests run without the namespace"
fi
# What runs where (tests/conftest.py, `--tests`): the tests that touch the database run on each
# database, one leg per core; those that are the same on every database (the every-page crawl,
# the conventions, pure functions) run once, on SQLite, after the PostgreSQL leg, which is the
# shorter by about their length: the two cores then finish about together.
#
# Coverage is measured where SQLite runs (the SQLite leg and the run-once tests), each run into a
# data file of its own; the two are combined at the end and the total fails under the floor
# ([tool.coverage.report] fail_under in pyproject.toml, the measured total: raise it, never lower
# it). The PostgreSQL leg is not measured.
fail_under=()
if [ ! -x /usr/bin/chromium ] && [ "${CI:-}" != "true" ]; then
  # Without Chromium the browser journeys skip (tests/support), and the floor counts them.
  fail_under=(--fail-under=0)
  echo "coverage: no Chromium here, so browser journeys skip and the floor is not enforced"
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# run_leg NAME DB PART [pytest arguments...]: one run, with its own pytest temporary folder.
run_leg() {
  local name=$1 db=$2 part=$3
  shift 3
  local measure=()
  if [ "$db" = sqlite ]; then measure=(--cov=coursehub --cov-report= --cov-fail-under=0); fi
  local started=$SECONDS
  COVERAGE_FILE="$work/coverage.$name" "${isolate[@]}" "${PYTEST[@]}" --db="$db" --tests="$part" \
    --basetemp="$work/tmp-$name" "${measure[@]}" "$@"
  local status=$?
  # Only the tests named by hand may hold none of a part (pytest's 5: nothing collected).
  if [ "$status" -eq 5 ] && [ $# -gt 0 ]; then status=0; fi
  echo "=== $name took $((SECONDS - started)) s ==="
  return $status
}

status=0
legs=()
record() {  # record NAME STATUS
  if [ "$2" -eq 0 ]; then legs+=("$1: passed"); else legs+=("$1: FAILED"); status=1; fi
}
if [ "${COURSEHUB_TEST_LEGS:-parallel}" = sequential ]; then
  for leg in "sqlite sqlite per-database" "postgresql postgresql per-database" "once sqlite once"; do
    read -r name db part <<<"$leg"
    echo "=== $name ==="
    run_leg "$name" "$db" "$part" "$@"
    record "$name" $?
  done
else
  echo "=== the SQLite leg on one core; the PostgreSQL leg, then the run-once tests, on the other;"
  echo "    each log follows whole when both cores are done ==="
  run_leg sqlite sqlite per-database "$@" >"$work/sqlite.log" 2>&1 &
  first=$!
  (
    run_leg postgresql postgresql per-database "$@" >"$work/postgresql.log" 2>&1
    echo $? >"$work/postgresql.status"
    run_leg once sqlite once "$@" >"$work/once.log" 2>&1
    echo $? >"$work/once.status"
  ) &
  second=$!
  wait "$first"
  echo $? >"$work/sqlite.status"
  wait "$second"
  for name in sqlite postgresql once; do
    echo "=== $name ==="
    cat "$work/$name.log"
    record "$name" "$(cat "$work/$name.status" 2>/dev/null || echo 1)"
  done
fi

# The coverage of the two runs on SQLite, together, against the floor.
echo "=== coverage of the SQLite leg and the run-once tests ==="
combined=()
for name in sqlite once; do
  if [ -f "$work/coverage.$name" ]; then combined+=("$work/coverage.$name"); fi
done
if [ ${#combined[@]} -gt 0 ]; then
  export COVERAGE_FILE="$work/coverage"
  .venv/bin/python -m coverage combine --quiet "${combined[@]}" &&
    .venv/bin/python -m coverage report --skip-covered "${fail_under[@]}"
  record coverage $?
else
  record coverage 1
fi
echo "=== ran: ${legs[*]} (browser journeys on both databases, the every-page crawl once; see each summary) ==="
exit $status
