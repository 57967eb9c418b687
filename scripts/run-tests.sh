#!/usr/bin/env bash
# Run the whole suite twice, on SQLite and on PostgreSQL, in a loopback-only network namespace
# where the machine allows one (TESTING.md). Prints which legs ran.
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
status=0
legs=()
for db in sqlite postgresql; do
  echo "=== leg: $db ==="
  if "${isolate[@]}" "${PYTEST[@]}" --db="$db" "$@"; then
    legs+=("$db: passed")
  else
    legs+=("$db: FAILED")
    status=1
  fi
done
echo "=== legs ran: ${legs[*]} (browser tests ran in both; see each leg's summary) ==="
exit $status
