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

.venv/bin/eha db upgrade
# Demo accounts (added once) and, the first time, the demo families (authored by demo.practitioner).
.venv/bin/eha demo --families 12 --seed 1 --if-empty
demo_password=$(.venv/bin/python -c 'from eha.demo import DEMO_PASSWORD; print(DEMO_PASSWORD)')

echo
echo "The EHA workbook is starting: open http://$host:$port in a browser (Ctrl+C stops it)."
echo "Sign in with one of the demo accounts, password: $demo_password"
echo "  demo.practitioner  a practitioner: the demo families they authored"
echo "  demo.lcss          an LCSS reviewer: every family of the Central locality, and its audit trail"
echo "  demo.admin         an administrator: accounts and the whole audit trail, no case data"
exec .venv/bin/streamlit run serve.py --server.headless=true --server.address="$host" --server.port="$port"
