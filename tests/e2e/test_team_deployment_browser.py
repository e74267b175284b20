"""The team deployment as scripts/run-team.sh starts it (PostgreSQL, two workbook processes and
nginx routing each browser by its eha_route cookie), driven in Chromium: two browsers on
different processes edit the same section (the second, stale save is refused, and both versions
are kept), a sign-in made through one process is honoured by the other, and killing a process
loses nothing that was saved: its browser, reloaded, is served by the other."""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import signal
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from eha.actor import Actor, Role
from eha.background import Carer, Child
from eha.localities import load_localities
from storage.db import make_engine
from storage.services import Workbook
from tests.support import AUDIT_KEY
from tests.support.browser import open_app, wait_for_app
from tests.support.postgres import find_pg_binaries, free_port
from tests.support.sign_in import PASSWORD, sign_in
from tests.support.streamlit import PROJECT_ROOT

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
PRACTITIONER = Actor(username="team.practitioner", display_name="team.practitioner", role=Role.PRACTITIONER)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.postgres,
    pytest.mark.skipif(
        not Path(NGINX).exists() or find_pg_binaries() is None,
        reason="nginx and PostgreSQL are needed: bash scripts/setup.sh --test installs them",
    ),
]


@dataclass
class Team:
    base_url: str
    directory: Path
    ports: dict[str, int]  # route -> the port of the process it names
    database_url: str

    def access_log(self) -> list[str]:
        return (self.directory / "log" / "nginx-access.log").read_text().splitlines()

    def served(self, route: str, what: str) -> set[str]:
        """The processes (ports) that served requests of `route` for `what` (a path)."""
        found = set()
        for line in self.access_log():
            if f"route={route} " in line and f' {what}"' in line:
                found.add(re.search(r"upstream=(\S+(?:, \S+)*) status", line).group(1))  # type: ignore[union-attr]
        return found

    def kill(self, route: str) -> None:
        pid = int((self.directory / "run" / f"app-{self.ports[route]}.pid").read_text())
        os.kill(pid, signal.SIGKILL)


@pytest.fixture(scope="module")
def team() -> Iterator[Team]:
    # As root the cluster belongs to `postgres`, who must reach the directory: /tmp, not tmp_path.
    directory = Path(tempfile.mkdtemp(prefix="eha-team-", dir="/tmp"))
    directory.chmod(0o755)
    ports = {"a": free_port(), "b": free_port()}
    proxy = free_port()
    env = {
        **os.environ,
        "EHA_TEAM_DIR": str(directory),
        "EHA_TEAM_PORT": str(proxy),
        "EHA_TEAM_PG_PORT": str(free_port()),
        "EHA_TEAM_APP_PORTS": f"{ports['a']} {ports['b']}",
        "EHA_TEAM_DEMO_FAMILIES": "0",
    }
    output = directory / "run-team.out"
    with output.open("wb") as out:
        process = subprocess.Popen(
            ["bash", "scripts/run-team.sh"],
            cwd=PROJECT_ROOT,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        deadline = time.monotonic() + 180
        while "The team deployment is ready" not in output.read_text(errors="replace"):
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"run-team.sh did not start:\n{output.read_text(errors='replace')}", pytrace=False)
            time.sleep(0.5)
        password = (directory / "postgres.password").read_text().strip()
        database_url = f"postgresql+psycopg://eha:{password}@127.0.0.1:{env['EHA_TEAM_PG_PORT']}/eha"
        yield Team(f"http://127.0.0.1:{proxy}", directory, ports, database_url)
    finally:
        # run-team.sh stops what it started (the processes, nginx, PostgreSQL) on SIGTERM.
        with contextlib.suppress(ProcessLookupError):
            os.kill(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)
        shutil.rmtree(directory, ignore_errors=True)


def a_family(team: Team) -> str:
    """A practitioner's account and a family of theirs, made through the services; its
    assessment id."""
    engine = make_engine(team.database_url)
    try:
        wb = Workbook(engine, localities=load_localities(), audit_key=AUDIT_KEY.encode())
        wb.accounts.add(
            username=PRACTITIONER.username,
            display_name=PRACTITIONER.display_name,
            role="practitioner",
            locality=None,
            password=PASSWORD,
            actor=Actor.system("tests"),
        )
        _, assessment_id = wb.families.create(
            locality="central",
            address="12 Cowley Road\nOxford",
            main_carer=Carer(name="Maryam Khan", relationship="Mother"),
            child=Child(name="Ayaan Khan", date_of_birth=date(2017, 9, 14)),
            actor=PRACTITIONER,
        )
        return assessment_id
    finally:
        engine.dispose()


def stored_analysis(team: Team, assessment_id: str) -> str:
    engine = make_engine(team.database_url)
    try:
        wb = Workbook(engine, localities=load_localities(), audit_key=AUDIT_KEY.encode())
        return wb.assessments.open(assessment_id=assessment_id, actor=PRACTITIONER).plan.data.analysis
    finally:
        engine.dispose()


def route_of(context: BrowserContext) -> str:
    return {c["name"]: c["value"] for c in context.cookies()}["eha_route"]


def go_to_route(context: BrowserContext, team: Team, route: str) -> None:
    context.add_cookies([{"name": "eha_route", "value": route, "url": team.base_url}])


def save_analysis(page: Page, text: str) -> None:
    page.get_by_role("textbox", name="Summary and analysis", exact=True).fill(text)
    page.get_by_role("button", name="Save", exact=True).first.click()
    wait_for_app(page)
    wait_for_app(page)  # the save ends with a rerun


def test_two_processes_behind_nginx_keep_each_browser_and_lose_nothing(team: Team, browser: Browser):
    assessment_id = a_family(team)
    plan = f"plan?assessment={assessment_id}"
    first_context, second_context = browser.new_context(), browser.new_context()
    try:
        # A new browser is given a route by nginx; the second is put on the other process.
        first = first_context.new_page()
        with first.expect_response(lambda r: r.url == team.base_url + "/") as answer:
            open_app(first, team.base_url)
        assert "eha_route=" in (answer.value.header_value("set-cookie") or "")
        mine = route_of(first_context)
        theirs = "b" if mine == "a" else "a"
        go_to_route(second_context, team, theirs)
        second = second_context.new_page()
        open_app(second, team.base_url)

        # Signed in through my process; the other process honours the same sign-in.
        sign_in(first, PRACTITIONER.username)
        assert team.served(mine, "/eha/sign-in-cookie") == {f"127.0.0.1:{team.ports[mine]}"}
        go_to_route(first_context, team, theirs)
        first.goto(team.base_url + "/_stcore/health")  # a request the access log names
        open_app(first, team.base_url)
        expect(first.get_by_text("Signed in as team.practitioner")).to_be_visible()
        assert team.served(theirs, "/_stcore/health") == {f"127.0.0.1:{team.ports[theirs]}"}
        go_to_route(first_context, team, mine)
        sign_in(second, PRACTITIONER.username)
        assert route_of(second_context) == theirs

        # Both open section 6; I save first; their save, against the version they opened, is
        # refused with the reason, and keeps what they typed; mine is what is stored.
        open_app(first, team.base_url, plan)
        open_app(second, team.base_url, plan)
        expect(first.get_by_role("textbox", name="Summary and analysis", exact=True)).to_be_visible()
        expect(second.get_by_role("textbox", name="Summary and analysis", exact=True)).to_be_visible()
        save_analysis(first, "Mornings are the main difficulty (saved through my process).")
        expect(first.get_by_text(re.compile(r"Saved at \d"))).to_be_visible()
        save_analysis(second, "Their view of the analysis, typed on the other process.")
        expect(second.get_by_text("changed by someone else since you opened it").first).to_be_visible()
        expect(second.get_by_role("textbox", name="Summary and analysis", exact=True)).to_have_value(
            "Their view of the analysis, typed on the other process."
        )
        assert stored_analysis(team, assessment_id) == "Mornings are the main difficulty (saved through my process)."

        # My process is killed; reloaded, my browser is served by theirs, still signed in, and
        # sees what I saved.
        team.kill(mine)
        first.goto(team.base_url + "/_stcore/health")
        open_app(first, team.base_url, plan)
        expect(first.get_by_text("Signed in as team.practitioner")).to_be_visible()
        expect(first.get_by_role("textbox", name="Summary and analysis", exact=True)).to_have_value(
            "Mornings are the main difficulty (saved through my process)."
        )
        served = team.served(mine, "/_stcore/health")
        assert any(upstream.endswith(f"127.0.0.1:{team.ports[theirs]}") for upstream in served), served
    finally:
        first_context.close()
        second_context.close()
