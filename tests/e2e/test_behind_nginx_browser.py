"""The deployment's nginx configuration (deploy/nginx): it passes `nginx -t`, and the real app
loaded through it in Chromium signs in with every security header present and no
Content-Security-Policy violation."""

from __future__ import annotations

import contextlib
import shutil
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from playwright.sync_api import ConsoleMessage, Page, expect

from pages._ui import SIGN_IN_ROUTE, SIGN_OUT_ROUTE
from tests.support.browser import open_app
from tests.support.postgres import free_port
from tests.support.sign_in import database_with_account, sign_in

DEPLOY = Path(__file__).resolve().parents[2] / "deploy" / "nginx"
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
HEADERS = {
    "content-security-policy",
    "x-frame-options",
    "x-content-type-options",
    "referrer-policy",
    "permissions-policy",
}

pytestmark = pytest.mark.skipif(
    not Path(NGINX).exists(), reason="nginx is not installed: bash scripts/setup.sh --test installs it"
)


def _main_conf(work: Path, body: str) -> Path:
    """An nginx main configuration that keeps everything (pid, logs, temp files) in `work`."""
    for sub in ("body", "proxy", "fastcgi", "uwsgi", "scgi"):
        (work / sub).mkdir(exist_ok=True)
    conf = work / "nginx.conf"
    conf.write_text(
        f"""
worker_processes 1;
pid {work}/nginx.pid;
error_log {work}/error.log;
events {{ worker_connections 64; }}
http {{
    access_log off;
    client_body_temp_path {work}/body;
    proxy_temp_path {work}/proxy;
    fastcgi_temp_path {work}/fastcgi;
    uwsgi_temp_path {work}/uwsgi;
    scgi_temp_path {work}/scgi;
{body}
}}
"""
    )
    return conf


def _test(conf: Path, work: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [NGINX, "-t", "-q", "-e", str(work / "error.log"), "-c", str(conf)], capture_output=True, text=True, check=False
    )


@pytest.mark.parametrize("site", ["eha.conf", "eha-team.conf"])
def test_the_deployment_configuration_passes_nginx_t(tmp_path: Path, site: str):
    """deploy/nginx/eha.conf (one process) and eha-team.conf (two, each browser kept on one by a
    route cookie) as shipped, with their snippet paths and certificate pointed here."""
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "1",
            "-subj",
            "/CN=eha.test",
            "-keyout",
            str(key),
            "-out",
            str(cert),
        ],
        check=True,
        capture_output=True,
    )
    site = (
        (DEPLOY / site)
        .read_text()
        .replace("/etc/nginx/snippets/eha", str(DEPLOY))
        .replace("/etc/ssl/certs/eha.example.org.pem", str(cert))
        .replace("/etc/ssl/private/eha.example.org.key", str(key))
    )
    checked = _test(_main_conf(tmp_path, site), tmp_path)
    assert checked.returncode == 0, checked.stderr


@pytest.fixture
def nginx_in_front(tmp_path: Path) -> Iterator[Callable[[int], str]]:
    """`start(upstream_port) -> base_url`: nginx on a loopback port with the deployment's
    header and proxy snippets, in front of the workbook."""
    started: list[subprocess.Popen[bytes]] = []

    def start(upstream: int) -> str:
        port = free_port()
        conf = _main_conf(
            tmp_path,
            f"""
    map $http_upgrade $connection_upgrade {{ default upgrade; "" close; }}
    upstream eha_workbook {{ server 127.0.0.1:{upstream}; }}
    server {{
        listen 127.0.0.1:{port};
        include {DEPLOY}/eha-security-headers.conf;
        location / {{ proxy_pass http://eha_workbook; include {DEPLOY}/eha-proxy.conf; }}
    }}
""",
        )
        checked = _test(conf, tmp_path)
        assert checked.returncode == 0, checked.stderr
        process = subprocess.Popen(
            [NGINX, "-c", str(conf), "-e", str(tmp_path / "error.log"), "-g", "daemon off;"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        started.append(process)
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            with (
                contextlib.suppress(urllib.error.URLError, OSError),
                urllib.request.urlopen(url + "/_stcore/health", timeout=2) as answer,
            ):
                if answer.status == 200:
                    return url
            time.sleep(0.2)
        pytest.fail(f"nginx did not answer: {(tmp_path / 'error.log').read_text(errors='replace')}")

    yield start
    for process in started:
        process.terminate()
        process.wait(timeout=10)


def test_through_nginx_every_header_is_sent_and_the_app_breaks_no_csp_rule(
    streamlit_server, nginx_in_front, page: Page, tmp_path: Path
):
    app_url = streamlit_server(env={"EHA_DATABASE_URL": database_with_account(tmp_path)})
    base_url = nginx_in_front(int(app_url.rsplit(":", 1)[1]))
    problems: list[str] = []

    def watch(message: ConsoleMessage) -> None:
        if "Content Security Policy" in message.text or "Content-Security-Policy" in message.text:
            problems.append(message.text)

    page.on("console", watch)
    with page.expect_response(lambda r: r.url == base_url + "/") as first:
        open_app(page, base_url)
    headers = first.value.headers
    assert set(headers) >= HEADERS, set(headers)
    assert "frame-ancestors 'none'" in headers["content-security-policy"]
    assert headers["x-frame-options"] == "DENY" and headers["x-content-type-options"] == "nosniff"

    with page.expect_response(lambda r: r.url.endswith(SIGN_IN_ROUTE) and r.status == 204):
        sign_in(page)
    expect(page.get_by_role("heading", name="Families", exact=True)).to_be_visible()
    assert {c["name"]: c for c in page.context.cookies()}["eha_sign_in"]["httpOnly"] is True
    page.reload()
    expect(page.get_by_text("Signed in as demo.practitioner")).to_be_visible()
    with page.expect_response(lambda r: r.url.endswith(SIGN_OUT_ROUTE) and r.status == 204):
        page.get_by_role("link", name="Sign out").click()
    expect(page.get_by_text("You have signed out.")).to_be_visible()
    assert problems == [], problems
