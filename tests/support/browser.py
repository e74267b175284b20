"""Playwright helpers for driving the Streamlit app in Debian's Chromium.

We never download Playwright's own browser: `launch_chromium` starts `/usr/bin/chromium`
(override with env `EHA_CHROMIUM`). After every action that makes Streamlit rerun, call
`wait_for_app(page)` before reading the screen, or you will read the previous run's output.
"""

from __future__ import annotations

import contextlib
import os
import re
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page, Playwright

CHROMIUM = Path(os.environ.get("EHA_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
INSTALL_HINT = (
    f"Chromium was not found at {CHROMIUM}. Install everything the tests need with: "
    "bash scripts/setup.sh --test (Debian package `chromium`)."
)

APP = '[data-testid="stApp"]'
_RUNNING = f'{APP}[data-test-script-state="running"]'
_NOT_RUNNING = f'{APP}[data-test-script-state="notRunning"]'


def chromium_missing_reason() -> str | None:
    """Why browser tests cannot run here, or None if they can."""
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "The `playwright` Python package is missing. Run: bash scripts/setup.sh --test"
    if not (CHROMIUM.is_file() and os.access(CHROMIUM, os.X_OK)):
        return INSTALL_HINT
    return None


def launch_chromium(playwright: Playwright) -> Browser:
    return playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)


def wait_for_app(page: Page, *, timeout_ms: float = 30_000, settle_ms: float = 750) -> None:
    """Wait until Streamlit has finished running the script.

    After a click or a fill the rerun starts a moment later, so first give the app up to
    `settle_ms` to enter `running` (ignoring a timeout: a quick run may already be over),
    then wait for `notRunning`.
    """
    from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

    with contextlib.suppress(PlaywrightTimeoutError):
        page.wait_for_selector(_RUNNING, state="attached", timeout=settle_ms)
    page.wait_for_selector(_NOT_RUNNING, state="attached", timeout=timeout_ms)


def open_app(page: Page, base_url: str, path: str = "", *, timeout_ms: float = 60_000) -> None:
    """Go to `base_url/path` and wait for the first script run to finish."""
    page.goto(base_url.rstrip("/") + "/" + path.lstrip("/"))
    # On load the state is `initial` until the first run starts, so no settle step needed.
    page.wait_for_selector(_NOT_RUNNING, state="attached", timeout=timeout_ms)


def artifact_name(test_name: str) -> str:
    """A file-name-safe version of a test name such as `test_x[postgres-800x600]`."""
    return re.sub(r"[^A-Za-z0-9_.\[\]-]+", "_", test_name)[:180]
