"""Helpers for the test suite: a throwaway PostgreSQL cluster, `streamlit run` and Playwright.

Only tests import this package; the application never does.
"""

import os


def in_ci() -> bool:
    """True on the CI runner, where anything that would skip must fail instead."""
    return os.environ.get("CI", "").strip().lower() in {"1", "true", "yes"}
