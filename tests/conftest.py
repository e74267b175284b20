"""Shared fixtures: databases on both backends, a real `streamlit run`, and Chromium.

- `audit_key` (automatic): EHA_AUDIT_KEY is tests.support.AUDIT_KEY for the whole session.
- `database_url`: a fresh empty database; every test that takes it runs twice, ids
  `[sqlite]` and `[postgres]` (the latter marked `postgres`).
- `sqlite_url`: a fresh SQLite file only.
- `postgres_server`: the session's throwaway cluster (`.create_database()`, `.url(name)`).
- `streamlit_server`: a factory, `start(env=None, app="serve.py") -> base_url`.
- `browser` / `page` / `make_page(width, height, **context_options)`: Playwright pages in
  Debian's Chromium; a failing test leaves `test-artifacts/<test name>.png`.

Tests that use PostgreSQL or the browser are marked `postgres` / `browser` automatically.
Locally they skip, saying how to install what is missing; with `CI=true` they fail instead,
and any skip of such a test is turned into a failure, so nothing silently skips in CI.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Generator, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

import pytest

from tests.support import AUDIT_KEY, in_ci
from tests.support.browser import artifact_name, chromium_missing_reason, launch_chromium
from tests.support.postgres import (
    PostgresServer,
    PostgresStartError,
    PostgresUnavailable,
    start_postgres,
)
from tests.support.streamlit import PROJECT_ROOT, StreamlitServer, StreamlitStartError, launch

if TYPE_CHECKING:
    from playwright.sync_api import Browser, BrowserContext, Page

ARTIFACTS = PROJECT_ROOT / "test-artifacts"
BROWSER_FIXTURES = frozenset({"browser", "page", "make_page", "streamlit_server"})
POSTGRES_FIXTURES = frozenset({"postgres_server"})
SERVICE_MARKERS = ("postgres", "browser")


def _unavailable(message: str) -> NoReturn:
    """Skip locally; fail in CI, where a missing service is a broken machine."""
    if in_ci():
        pytest.fail(f"CI=true, so this fails instead of skipping: {message}", pytrace=False)
    pytest.skip(message)


def _test_failed(item: pytest.Item) -> bool:
    return any(
        getattr(item, f"rep_{when}", None) is not None and getattr(item, f"rep_{when}").failed
        for when in ("setup", "call")
    )


# --- hooks -------------------------------------------------------------------------------


def pytest_configure(config: pytest.Config) -> None:
    # Also declared in pyproject.toml; repeated so this conftest works as a plugin on its own.
    config.addinivalue_line("markers", "postgres: needs a real PostgreSQL server")
    config.addinivalue_line("markers", "browser: drives Chromium against streamlit run")


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    # tryfirst: the markers must be on the items before `-m` deselects by them.
    for item in items:
        names = set(getattr(item, "fixturenames", ()))
        callspec = getattr(item, "callspec", None)
        uses_postgres = bool(names & POSTGRES_FIXTURES) or (
            callspec is not None and callspec.params.get("database_url") == "postgres"
        )
        if uses_postgres and item.get_closest_marker("postgres") is None:
            item.add_marker(pytest.mark.postgres)
        if names & BROWSER_FIXTURES and item.get_closest_marker("browser") is None:
            item.add_marker(pytest.mark.browser)


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    report = yield
    needs_service = any(item.get_closest_marker(m) is not None for m in SERVICE_MARKERS)
    if in_ci() and report.skipped and needs_service and not hasattr(report, "wasxfail"):
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else report.longrepr
        report.outcome = "failed"
        report.longrepr = (
            f"CI=true: a test marked postgres/browser was skipped ({reason}). "
            "Nothing that needs PostgreSQL or the browser may skip in CI."
        )
    # Kept so fixtures can tell at teardown whether the test failed (screenshots, logs).
    setattr(item, f"rep_{report.when}", report)
    return report


# --- settings ----------------------------------------------------------------------------


@pytest.fixture(autouse=True, scope="session")
def audit_key() -> Iterator[str]:
    """The tests' audit key, as EHA_AUDIT_KEY for everything that reads the settings: the app
    under AppTest, `eha` and `streamlit run` started by a test (their environment is ours)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("EHA_AUDIT_KEY", AUDIT_KEY)
        patch.delenv("EHA_AUDIT_KEY_FILE", raising=False)
        yield AUDIT_KEY


# --- databases ---------------------------------------------------------------------------


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    """The session's throwaway PostgreSQL cluster (127.0.0.1, user postgres, no password)."""
    try:
        server = start_postgres()
    except PostgresUnavailable as exc:
        _unavailable(str(exc))
    except PostgresStartError as exc:
        pytest.fail(f"Could not start the throwaway PostgreSQL cluster:\n{exc}", pytrace=False)
    try:
        yield server
    finally:
        server.stop()


def _fresh_sqlite_url(directory: Path) -> str:
    return f"sqlite:///{directory / 'eha-test.db'}"


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    """URL of a fresh (not yet created) SQLite file in this test's tmp_path."""
    return _fresh_sqlite_url(tmp_path)


@pytest.fixture(
    params=[
        pytest.param("sqlite", id="sqlite"),
        pytest.param("postgres", id="postgres", marks=pytest.mark.postgres),
    ]
)
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh empty database on each backend in turn; the test runs once per backend."""
    if request.param == "sqlite":
        yield _fresh_sqlite_url(tmp_path)
        return
    # Looked up lazily so that the sqlite runs never start PostgreSQL.
    server: PostgresServer = request.getfixturevalue("postgres_server")
    url = server.create_database()
    yield url
    try:
        server.drop_database(url)  # keeps the connection count bounded over a long session
    except Exception as exc:  # a test's leftover state must not fail the next test
        print(f"note: could not drop test database: {exc}")


# --- streamlit run -----------------------------------------------------------------------


@pytest.fixture
def streamlit_server(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Callable[..., str]]:
    """Factory: `start(env=None, app="serve.py") -> base_url` of a running `streamlit run`.

    `env` is merged over os.environ. Unless `env` names `EHA_DATABASE_URL`, the app gets a
    fresh SQLite file, so a test can never write to a developer's real database. Relative
    `app` paths are relative to the project root (the server's cwd).
    """
    servers: list[StreamlitServer] = []
    log_dir = tmp_path_factory.mktemp("streamlit")

    def start(env: dict[str, str] | None = None, app: str = "serve.py") -> str:
        merged = {**os.environ, **(env or {})}
        if "EHA_DATABASE_URL" not in (env or {}):
            merged["EHA_DATABASE_URL"] = _fresh_sqlite_url(tmp_path_factory.mktemp("streamlit-db"))
        merged["PYTHONUNBUFFERED"] = "1"
        try:
            server = launch(app, env=merged, log_dir=log_dir)
        except StreamlitStartError as exc:
            pytest.fail(f"streamlit did not start:\n{exc}", pytrace=False)
        servers.append(server)
        return server.base_url

    yield start

    failed = _test_failed(request.node)
    for number, server in enumerate(servers, start=1):
        server.stop()
        if failed:
            ARTIFACTS.mkdir(exist_ok=True)
            suffix = "" if number == 1 else f"-{number}"
            name = f"{artifact_name(request.node.name)}{suffix}.streamlit.log"
            shutil.copyfile(server.log_path, ARTIFACTS / name)


# --- browser -----------------------------------------------------------------------------


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """Debian's Chromium, headless, shared by the whole session."""
    reason = chromium_missing_reason()
    if reason is not None:
        _unavailable(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = launch_chromium(playwright)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def make_page(browser: Browser, request: pytest.FixtureRequest) -> Iterator[Callable[..., Page]]:
    """Factory: `make_page(width=1280, height=900, **context_options) -> Page`.

    Each page has its own browser context (no shared cookies or storage), e.g.
    `make_page(820, 1180, has_touch=True)` for a tablet. If the test fails, every page it
    made is saved to `test-artifacts/<test name>.png`.
    """
    made: list[tuple[BrowserContext, Page]] = []

    def make(width: int = 1280, height: int = 900, **context_options: Any) -> Page:
        context = browser.new_context(viewport={"width": width, "height": height}, **context_options)
        context.set_default_timeout(30_000)
        new_page = context.new_page()
        made.append((context, new_page))
        return new_page

    yield make

    failed = _test_failed(request.node)
    for number, (context, made_page) in enumerate(made, start=1):
        if failed:
            ARTIFACTS.mkdir(exist_ok=True)
            suffix = "" if number == 1 else f"-{number}"
            target = ARTIFACTS / f"{artifact_name(request.node.name)}{suffix}.png"
            try:
                made_page.screenshot(path=str(target), full_page=True)
            except Exception as exc:  # the page may have crashed: keep the real failure
                print(f"note: no screenshot for {request.node.name}: {exc}")
        context.close()


@pytest.fixture
def page(make_page: Callable[..., Page], request: pytest.FixtureRequest) -> Page:
    """A fresh page, 1280x900 unless given a viewport by indirect parametrisation:

    `@pytest.mark.parametrize("page", [(390, 844), {"width": 820, "height": 1180,
    "has_touch": True}], indirect=True)`
    """
    viewport = getattr(request, "param", None)
    if viewport is None:
        return make_page()
    if isinstance(viewport, dict):
        return make_page(**viewport)
    width, height = viewport
    return make_page(width, height)
