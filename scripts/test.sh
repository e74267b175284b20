#!/usr/bin/env bash
# The one command that runs every check on a fresh Debian machine:
#   bash scripts/test.sh [extra pytest arguments]
# Set-up (idempotent), then ruff, mypy, import-linter, pytest; stops at the first failure.
# With CI=true, tests that need PostgreSQL or Chromium fail instead of skipping.
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n==> %s\n' "$*"; }
fail() { printf '\nFAILED: %s\n' "$*" >&2; exit 1; }

step "Set-up: Debian packages and .venv (scripts/setup.sh --test)"
bash scripts/setup.sh --test || fail "set-up (scripts/setup.sh --test)"

VENV_BIN="$PWD/.venv/bin"
export PATH="$VENV_BIN:$PATH"

step "Lint: ruff check ."
"$VENV_BIN/ruff" check . || fail "ruff check (try: .venv/bin/ruff check --fix .)"

step "Types: mypy (settings in pyproject.toml)"
"$VENV_BIN/mypy" || fail "mypy"

step "Architecture: lint-imports (contracts in pyproject.toml)"
"$VENV_BIN/lint-imports" || fail "lint-imports: a module imports across a layer it must not"

step "Tests: pytest $*"
rc=0
"$VENV_BIN/python" -m pytest "$@" || rc=$?
if [ "$rc" -eq 5 ]; then
  fail "pytest collected no tests (exit 5): check the arguments or the tests folder"
elif [ "$rc" -ne 0 ]; then
  fail "pytest (exit $rc)"
fi

printf '\nAll checks passed.\n'
