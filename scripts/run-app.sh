#!/usr/bin/env bash
# Start the workbook on a fresh machine: set-up, migrate, demo families the first time, serve.
#   bash scripts/run-app.sh            (listens on http://127.0.0.1:8501)
#   EHA_PORT=8600 EHA_HOST=0.0.0.0 bash scripts/run-app.sh
# EHA_DATABASE_URL chooses the database (default: the SQLite file data/eha.sqlite3).
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/setup.sh
host=${EHA_HOST:-127.0.0.1}
port=${EHA_PORT:-8501}

# The audit trail's key (EHA_AUDIT_KEY). Unless the environment or .streamlit/secrets.toml
# gives one, a random key is made once in data/audit.key (git-ignored, readable only by this
# user) and used from then on. A deployment sets its own and keeps it out of the database's
# backups: whoever holds the key can rewrite the trail.
key_status=0
.venv/bin/python - <<'PY' || key_status=$?
import sys

from storage.settings import SettingsError, load_settings

try:
    key = load_settings().audit_key
except SettingsError as exc:
    print(f"run-app.sh: {exc}", file=sys.stderr)
    sys.exit(2)
sys.exit(0 if key else 1)
PY
if [ "$key_status" -eq 2 ]; then
  exit 1
elif [ "$key_status" -eq 1 ]; then
  export EHA_AUDIT_KEY_FILE="$PWD/data/audit.key"
  if [ ! -s "$EHA_AUDIT_KEY_FILE" ]; then
    mkdir -p data
    (umask 077 && .venv/bin/python -c 'import secrets; print(secrets.token_hex(32))' > "$EHA_AUDIT_KEY_FILE")
    echo "Made a new audit key in data/audit.key."
  fi
fi

.venv/bin/eha db upgrade
# Demo accounts (added once) and, the first time, the demo families (authored by demo.practitioner).
.venv/bin/eha demo --families 12 --seed 1 --if-empty
demo_password=$(.venv/bin/python -c 'from eha.demo import DEMO_PASSWORD; print(DEMO_PASSWORD)')

echo
echo "The EHA workbook is starting: open http://$host:$port in a browser (Ctrl+C stops it)."
echo "Sign in with one of the demo accounts, password: $demo_password"
echo "  demo.practitioner  a practitioner: the demo families they authored"
echo "  demo.colleague     a second Central practitioner: the families they lead (also demo.north.*, demo.south.*)"
echo "  demo.lcss          an LCSS reviewer: every family of the Central locality, and its audit trail"
echo "                     (demo.north.lcss and demo.south.lcss for the other localities)"
echo "  demo.admin         an administrator: accounts and the whole audit trail, no case data"
exec .venv/bin/streamlit run serve.py --server.headless=true --server.address="$host" --server.port="$port"
