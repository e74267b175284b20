#!/usr/bin/env bash
# Set up everything the workbook needs on a fresh Debian machine, idempotently.
#   scripts/setup.sh          the app: a virtualenv in .venv with the pinned packages, the PDF fonts
#   scripts/setup.sh --test   also what the test suite needs: Chromium, PostgreSQL, poppler (reads the PDFs back), nginx
set -euo pipefail
cd "$(dirname "$0")/.."

want_test=0
[ "${1:-}" = "--test" ] && want_test=1

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

# The PDF fonts: DejaVu Sans, and for what it lacks Scheherazade (Urdu letters) and Symbola (emoji).
apt_packages=(fonts-dejavu-core fonts-dejavu-extra fonts-sil-scheherazade fonts-symbola)
if [ "$want_test" = 1 ]; then
  apt_packages+=(chromium postgresql poppler-utils nginx)
fi
missing=()
for p in "${apt_packages[@]}"; do
  dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
  echo "Installing Debian packages: ${missing[*]}"
  as_root apt-get update -qq
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

PY=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  echo "Creating the virtualenv in .venv"
  "$PY" -m venv .venv
fi
# Reinstall only when the pinned requirements or the project metadata change.
stamp=.venv/.eha-installed
want=$(cat requirements.lock pyproject.toml | sha256sum | cut -d' ' -f1)
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
  echo "Installing Python packages (pinned in requirements.lock)"
  .venv/bin/python -m pip install -q --upgrade pip >/dev/null
  .venv/bin/python -m pip install -q -r requirements.lock
  .venv/bin/python -m pip install -q --no-deps -e .
  echo "$want" > "$stamp"
fi
