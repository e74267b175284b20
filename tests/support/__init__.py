"""Helpers for the test suite: a throwaway PostgreSQL cluster, `streamlit run` and Playwright.

Only tests import this package; the application never does.
"""

import os

# The audit key every test workbook, `eha` command and test server uses (EHA_AUDIT_KEY). Public,
# so never a real deployment's key.
AUDIT_KEY = "test-only audit key: not a secret, never used outside the tests"


def in_ci() -> bool:
    """True on the CI runner, where anything that would skip must fail instead."""
    return os.environ.get("CI", "").strip().lower() in {"1", "true", "yes"}
