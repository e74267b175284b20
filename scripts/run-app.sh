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
.venv/bin/eha --as demo.practitioner demo --families 12 --seed 1 --if-empty

echo
echo "The EHA workbook is starting: open http://$host:$port in a browser (Ctrl+C stops it)."
exec .venv/bin/streamlit run app.py --server.headless=true --server.address="$host" --server.port="$port"
