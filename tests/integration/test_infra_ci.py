"""With CI=true nothing that needs PostgreSQL or the browser may skip; locally it skips.

Runs a small generated test file in a child pytest that loads our conftest as a plugin,
with the PostgreSQL binaries and Chromium made to look missing.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path
from xml.etree import ElementTree

from tests.support.streamlit import PROJECT_ROOT

CHILD_ARGS = ("-p", "tests.conftest", "-p", "no:cacheprovider", "-q", "-rsfE", "--rootdir", ".")
GENERATED = textwrap.dedent(
    """
    import pytest

    import tests.support.postgres as pg

    pg.find_pg_binaries = lambda: None  # as on a machine without the postgresql package


    @pytest.mark.postgres
    def test_marked_skip():
        pytest.skip("pretend the server is elsewhere")


    def test_unmarked_skip():
        pytest.skip("nothing to do with services")


    def test_needs_postgres(postgres_server):
        pass


    def test_needs_browser(page):
        pass


    def test_both_backends(database_url):
        assert database_url.startswith("sqlite")
    """
)


def _outcomes(tmp_path: Path, *, ci: bool) -> tuple[dict[str, str], str]:
    test_file = tmp_path / "test_generated_ci.py"
    report = tmp_path / "report.xml"
    test_file.write_text(GENERATED)
    env = {k: v for k, v in os.environ.items() if k != "CI"}
    env.update(PYTHONPATH=str(PROJECT_ROOT), EHA_CHROMIUM=str(tmp_path / "no-chromium"))
    if ci:
        env["CI"] = "true"
    result = subprocess.run(
        [sys.executable, "-m", "pytest", *CHILD_ARGS, "--junitxml", str(report), str(test_file)],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    outcomes: dict[str, str] = {}
    if report.exists():
        for case in ElementTree.parse(report).getroot().iter("testcase"):
            kinds = [child.tag for child in case if child.tag in {"failure", "error", "skipped"}]
            # A failure and an error on one test: the error (fixture set-up) came first.
            outcome = "error" if "error" in kinds else (kinds[0] if kinds else "passed")
            outcomes[case.get("name", "?")] = outcome
    return outcomes, result.stdout + result.stderr


def test_locally_missing_services_skip_with_install_hint(tmp_path: Path) -> None:
    outcomes, output = _outcomes(tmp_path, ci=False)
    assert outcomes == {
        "test_marked_skip": "skipped",
        "test_unmarked_skip": "skipped",
        "test_needs_postgres": "skipped",
        "test_needs_browser": "skipped",
        "test_both_backends[sqlite]": "passed",
        "test_both_backends[postgres]": "skipped",
    }, output
    assert "bash scripts/setup.sh --test" in output


def test_in_ci_nothing_that_needs_a_service_skips(tmp_path: Path) -> None:
    outcomes, output = _outcomes(tmp_path, ci=True)
    assert outcomes["test_marked_skip"] == "failure", output
    assert outcomes["test_unmarked_skip"] == "skipped", output
    assert outcomes["test_needs_postgres"] == "error", output
    assert outcomes["test_needs_browser"] == "error", output
    assert outcomes["test_both_backends[sqlite]"] == "passed", output
    assert outcomes["test_both_backends[postgres]"] == "error", output
    assert "CI=true" in output and "bash scripts/setup.sh --test" in output
