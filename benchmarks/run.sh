#!/usr/bin/env bash
# Load benchmark: a throwaway PostgreSQL loaded with one scale of `flask bench-seed`, gunicorn
# with 2 workers, one scheduler process, and wrk driving each key page with 16 connections for a
# bounded time, /healthz in the same run as the ceiling. Prints per page: requests per second,
# p50 and p99, the ratio to /healthz, SQL statements per request and the workers' memory, and
# writes the same to benchmarks/results/<date>-<scale>.txt. See benchmarks/README.md.
#
#   benchmarks/run.sh [county|national|tiny]     (environment: DURATION=10 CONNECTIONS=16 WORKERS=2 SEED=2026)
#
# To measure again without loading again: LOADED_DATABASE_URL names a database that bench-seed
# loaded (migrated to the newest revision here first) and TARGETS the file its --targets wrote.
set -euo pipefail

SCALE="${1:-county}"
DURATION="${DURATION:-10}"
CONNECTIONS="${CONNECTIONS:-16}"
WORKERS="${WORKERS:-2}"
SEED="${SEED:-2026}"
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
VENV="$ROOT/.venv/bin"
PGBIN="${PGBIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)}"
RESULTS="$ROOT/benchmarks/results"
OUT="$RESULTS/$(date -u +%Y-%m-%d-%H%M)-$SCALE.txt"

need() { command -v "$1" >/dev/null 2>&1; }
if ! need wrk; then
    if [ "$(id -u)" = 0 ] && need apt-get; then
        apt-get install -y wrk >/dev/null
    else
        echo "wrk is missing: apt-get install wrk (as root)" >&2
        exit 1
    fi
fi
[ -x "$PGBIN/initdb" ] || { echo "PostgreSQL server binaries not found (apt-get install postgresql)" >&2; exit 1; }
free_port() { "$VENV/python" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

WORK="$(mktemp -d)"
PIDS=()
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
cleanup() {
    for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
    for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
    as_pg "$PGBIN/pg_ctl" -D "$WORK/pg" -m fast -w stop >/dev/null 2>&1 || true
    rm -rf "$WORK"
}
trap cleanup EXIT
[ "$(id -u)" = 0 ] && chown postgres:postgres "$WORK"

export SECRET_KEY="bench-$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')"
export COURSEHUB_SCHEDULER="" COURSEHUB_QUERY_COUNT_HEADER=1 FLASK_APP=coursehub PYTHONPATH="$ROOT"
cd "$ROOT"
if [ -n "${LOADED_DATABASE_URL:-}" ]; then
    [ -n "${TARGETS:-}" ] || { echo "LOADED_DATABASE_URL needs TARGETS (the file bench-seed --targets wrote)" >&2; exit 1; }
    export DATABASE_URL="$LOADED_DATABASE_URL"
    "$VENV/flask" db upgrade >/dev/null 2>&1
    # Vacuumed as a fresh set is below: a loaded set whose visibility map is stale (vacuumed while
    # some transaction was open, or written since by the scheduler's jobs) has its index-only
    # scans read the table too, and a run would measure that instead of the code.
    "$VENV/python" -c 'import os, sqlalchemy as sa
with sa.create_engine(os.environ["DATABASE_URL"], isolation_level="AUTOCOMMIT").connect() as conn:
    conn.exec_driver_sql("VACUUM (ANALYZE)")'
    cp "$TARGETS" "$WORK/targets.json"
    SEED_SECONDS="(loaded before)"
else
    PG_PORT="$(free_port)"
    as_pg "$PGBIN/initdb" -D "$WORK/pg" -U postgres -A trust -E UTF8 --locale=C.UTF-8 --no-sync >/dev/null
    as_pg "$PGBIN/pg_ctl" -D "$WORK/pg" -l "$WORK/pg.log" -w \
        -o "-p $PG_PORT -k $WORK -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off" start >/dev/null
    export DATABASE_URL="postgresql+psycopg://postgres@127.0.0.1:$PG_PORT/postgres"
    "$VENV/flask" db upgrade >/dev/null 2>&1
    echo "loading scale $SCALE (seed $SEED)..."
    SEED_STARTED=$(date +%s)
    "$VENV/flask" bench-seed --scale "$SCALE" --seed "$SEED" --targets "$WORK/targets.json"
    SEED_SECONDS="$(( $(date +%s) - SEED_STARTED ))s"
    as_pg "$PGBIN/psql" -h "$WORK" -p "$PG_PORT" -U postgres -q -c "VACUUM ANALYZE" postgres
fi

APP_PORT="$(free_port)"
BASE="http://127.0.0.1:$APP_PORT"
"$VENV/gunicorn" -c python:coursehub.serving -w "$WORKERS" -b "127.0.0.1:$APP_PORT" --log-level warning 'coursehub:create_app()' \
    >"$WORK/gunicorn.log" 2>&1 &
GUNICORN=$!
PIDS+=("$GUNICORN")
"$VENV/flask" scheduler >"$WORK/scheduler.log" 2>&1 &
PIDS+=("$!")
for _ in $(seq 100); do curl -sf "$BASE/healthz" >/dev/null && break; sleep 0.2; done

target() { "$VENV/python" -c "import json,sys; print(json.load(open('$WORK/targets.json'))$1)"; }
PASSWORD="$(target "['password']")"
login() {  # print the session cookie of a scripted login through the login form
    local jar="$WORK/jar-$1"
    local token
    token="$(curl -s -c "$jar" "$BASE/logga-in" | grep -o 'name="csrf_token" type="hidden" value="[^"]*"' | sed 's/.*value="//; s/"$//')"
    curl -s -b "$jar" -c "$jar" -o /dev/null -d "csrf_token=$token" --data-urlencode "login=$1" \
        --data-urlencode "password=$PASSWORD" "$BASE/logga-in"
    awk '$6 == "session" { print "session=" $7 }' "$jar"
}
FAMILY="$(login "$(target "['logins']['family']")")"
LEADER="$(login "$(target "['logins']['leader']")")"
STAFF="$(login "$(target "['logins']['staff']")")"
MEMBER="$(login "$(target "['logins']['member']")")"  # a network member (the municipal worker)
for cookie in "$FAMILY" "$LEADER" "$STAFF" "$MEMBER"; do
    [ -n "$cookie" ] || { echo "a scripted login failed" >&2; exit 1; }
done

# The catalogue's late page is the page before the last, which is full (as profile_pages.late_page;
# tests/benchmarks/test_profile_pages.py runs this line's pipeline): the last page may hold one run
# at one scale and twenty at another.
LATE_PAGE="$(curl -sf "$BASE/kurser?sida=9999" | grep -oE 'href="[^"]*[?&;]sida=[0-9]+' | sed 's/.*sida=//' | sort -n | tail -1)"

# name | path | cookie
PAGES=(
    "healthz|/healthz|"
    "catalogue|/kurser|"
    "catalogue filtered|/kurser?typ=$(target "['basic_type_id']")&satt=plats|"
    "catalogue late page|/kurser?sida=${LATE_PAGE:-1}|"
    "catalogue seats left|/kurser?platser=y|"
    "course page|/kurser/$(target "['course_run_id']")|"
    "family start page|/|$FAMILY"
    "family courses|/mina-kurser|$FAMILY"
    "family progress|/mina-framsteg|$FAMILY"
    "calendar feed|/kalender/$(target "['feed_token']").ics|"
    "attendance sheet|/traffar/$(target "['sheet_session_id']")/narvaro|$LEADER"
    "participant list|/kurser/$(target "['participants_run_id']")/deltagare|$LEADER"
    "staff run list|/admin/kurser|$STAFF"
    "forum thread 100 posts|/natverk/trad/$(target "['forum_thread_id']")|$MEMBER"
    "network thread list|/natverk/$(target "['forum_network_id']")|$MEMBER"
    "forum search|/natverk/sok?sok=$(target "['forum_search']")|$MEMBER"
    "case board|/rekrytering/|$STAFF"
    "staff start page|/att-gora|$STAFF"
    "yearly report|/rapport?period=2025&omrade=lan|$STAFF"
)

to_ms() {  # wrk's "1.23ms" / "850.00us" / "1.02s" -> milliseconds
    awk -v v="$1" 'BEGIN { n = v + 0; if (v ~ /us$/) n /= 1000; else if (v ~ /ms$/) n += 0; else if (v ~ /s$/) n *= 1000; printf "%.1f", n }'
}

mkdir -p "$RESULTS"
{
    echo "coursehub load benchmark, scale $SCALE (seed $SEED), $(date -u '+%Y-%m-%d %H:%M UTC')"
    echo "PostgreSQL $("$PGBIN/postgres" --version | awk '{print $3}'), gunicorn $WORKERS workers, wrk $CONNECTIONS connections, ${DURATION}s per page, $(nproc) cores"
    echo "data loaded in ${SEED_SECONDS}; load average at the start: $(cut -d' ' -f1-3 /proc/loadavg)"
    echo
    printf '%-22s %9s %9s %9s %8s %8s %6s\n' page "req/s" "p50 ms" "p99 ms" "% healthz" queries status
} | tee "$OUT"

CEILING=""
for entry in "${PAGES[@]}"; do
    IFS='|' read -r name path cookie <<<"$entry"
    headers=()
    [ -n "$cookie" ] && headers+=(-H "Cookie: $cookie")
    status_and_count="$(curl -s -o /dev/null -D - "${headers[@]}" "$BASE$path" | tr -d '\r' |
        awk 'NR == 1 { s = $2 } tolower($1) == "x-query-count:" { q = $2 } END { print s, q }')"
    read -r status queries <<<"$status_and_count"
    report="$(wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" --timeout 10s --latency "${headers[@]}" "$BASE$path")"
    rps="$(awk '/^Requests\/sec/ { print $2 }' <<<"$report")"
    p50="$(to_ms "$(awk '$1 == "50%" { print $2 }' <<<"$report")")"
    p99="$(to_ms "$(awk '$1 == "99%" { print $2 }' <<<"$report")")"
    if grep -q -e "Non-2xx" -e "Socket errors" <<<"$report"; then status="$status*"; fi
    [ -z "$CEILING" ] && CEILING="$rps"
    ratio="$(awk -v a="$rps" -v b="$CEILING" 'BEGIN { printf "%.1f", 100 * a / b }')"
    printf '%-22s %9.1f %9s %9s %8s%% %8s %6s\n' "$name" "$rps" "$p50" "$p99" "$ratio" "${queries:--}" "$status" | tee -a "$OUT"
done

{
    echo
    echo "worker memory after the run (RSS):"
    for pid in $(pgrep -P "$GUNICORN"); do
        echo "  worker $pid: $(( $(ps -o rss= -p "$pid") / 1024 )) MB"
    done
    echo "(status * = some responses were not 2xx or timed out (10 s); queries = X-Query-Count of one request)"
} | tee -a "$OUT"
echo "written to ${OUT#"$ROOT"/}"
