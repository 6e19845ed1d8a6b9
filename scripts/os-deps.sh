#!/usr/bin/env bash
# Installs the Debian packages query_ml needs, and only the missing ones.
set -euo pipefail
major=${PG_MAJOR:-15}
wanted=(
  "postgresql-$major" "postgresql-plpython3-$major" "postgresql-$major-cron"
  python3 python3-pip python3-venv python3-dev gcc binutils
)
missing=()
for pkg in "${wanted[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null; then
  echo "query_ml: missing packages: ${missing[*]}" >&2
  echo "hint: run 'make install' as root on Debian, or install them with your package manager" >&2
  exit 1
fi
echo "query_ml: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
