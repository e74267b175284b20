"""Run `streamlit run <app>` as a real server for browser tests.

The server gets its own process group (so teardown also stops anything it spawned) and, on
Linux, dies with the test process even if that is killed outright. Its output goes to a log
file rather than a pipe, so a chatty app can never block on a full pipe; the log is quoted
when the server fails to come up.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from tests.support.postgres import free_port

PROJECT_ROOT = Path(__file__).resolve().parents[2]
HEALTH_TIMEOUT_S = 60.0


class StreamlitStartError(RuntimeError):
    """`streamlit run` exited or did not answer /_stcore/health in time."""


def streamlit_command() -> list[str]:
    """`<venv>/bin/streamlit` of the interpreter running the tests (not resolved: a venv's
    python is a symlink to the system one), falling back to `python -m streamlit`."""
    exe = Path(sys.executable).parent / "streamlit"
    if exe.is_file() and os.access(exe, os.X_OK):
        return [str(exe)]
    return [sys.executable, "-m", "streamlit"]


try:  # loaded here, not in the forked child, where dlopen could deadlock
    _LIBC: ctypes.CDLL | None = ctypes.CDLL(None, use_errno=True)
except OSError:
    _LIBC = None
_PR_SET_PDEATHSIG = 1


def _die_with_parent() -> None:
    # Runs in the child between fork and exec: SIGTERM the server if the test process dies
    # without running its teardown (Linux only; elsewhere a no-op).
    if _LIBC is not None and sys.platform.startswith("linux"):
        _LIBC.prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)


@dataclass
class StreamlitServer:
    process: subprocess.Popen[bytes]
    port: int
    log_path: Path

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def output(self, max_chars: int = 8000) -> str:
        try:
            text = self.log_path.read_text(errors="replace")
        except OSError:
            return "(no output captured)"
        return text[-max_chars:]

    def stop(self) -> None:
        """Stop the whole process group: SIGTERM, then SIGKILL after 10 s."""
        if self.process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=10)
        else:
            # The leader is gone; make sure nothing it started lingers.
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(self.process.pid, signal.SIGKILL)


def _healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return bool(response.status == 200)
    except (urllib.error.URLError, OSError):
        return False


def launch(
    app: str | Path,
    *,
    env: dict[str, str],
    log_dir: Path,
    cwd: Path = PROJECT_ROOT,
    timeout: float = HEALTH_TIMEOUT_S,
    attempts: int = 2,
) -> StreamlitServer:
    """Start `streamlit run app` on a free loopback port and wait until it is healthy."""
    last = ""
    for attempt in range(1, attempts + 1):
        port = free_port()
        log_path = log_dir / f"streamlit-{port}.log"
        argv = [
            *streamlit_command(),
            "run",
            str(app),
            "--server.headless=true",
            "--server.address=127.0.0.1",
            f"--server.port={port}",
            "--browser.gatherUsageStats=false",
            # No file watcher: saves CPU and inotify handles; tests never edit the app.
            "--server.fileWatcherType=none",
            "--server.runOnSave=false",
        ]
        with log_path.open("wb") as log:
            process = subprocess.Popen(
                argv,
                cwd=cwd,
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
                preexec_fn=_die_with_parent,
            )
        server = StreamlitServer(process=process, port=port, log_path=log_path)
        health = f"{server.base_url}/_stcore/health"
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if process.poll() is not None:
                break
            if _healthy(health):
                return server
            time.sleep(0.25)
        exited = process.poll()
        server.stop()
        what = f"exited with code {exited}" if exited is not None else f"did not answer {health} within {timeout:.0f} s"
        last = f"`{' '.join(argv)}` (cwd {cwd}) {what}\n--- server output ---\n{server.output()}"
        if "already in use" not in server.output() or attempt == attempts:
            break
    raise StreamlitStartError(last)
