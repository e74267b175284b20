"""A throwaway PostgreSQL cluster for one test session.

`start_postgres()` runs `initdb` into a fresh temporary directory and starts the server with
`pg_ctl -w` on 127.0.0.1 and a free port: trust authentication, loopback and a private unix
socket only, fsync off (the data is thrown away, so durability buys nothing). Each test gets
its own database from `create_database()`, so tests never see each other's rows.

PostgreSQL refuses to run as root, so when we are root the cluster belongs to the `postgres`
system user (Debian's package creates it) and the commands run through `runuser`.

Clean-up: `stop()` is idempotent and also registered with `atexit`. If the test process was
killed outright (no atexit), the next start reaps clusters whose owning process is gone.
"""

from __future__ import annotations

import atexit
import contextlib
import itertools
import os
import pwd
import re
import secrets
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

INSTALL_HINT = (
    "PostgreSQL server binaries (initdb, pg_ctl) were not found. "
    "Install everything the tests need with: bash scripts/setup.sh --test "
    "(Debian package `postgresql`)."
)

_DIR_PREFIX = "eha-pg-"
_OWNER_FILE = "owner.pid"
_SYSTEM_USER = "postgres"
_INITDB_FLAGS = ("-E", "UTF8", "--no-locale", "--no-sync")
_START = ("-w", "-t", "60", "start")


class PostgresUnavailable(RuntimeError):
    """The PostgreSQL binaries (or, as root, the `postgres` user or runuser) are missing."""


class PostgresStartError(RuntimeError):
    """The binaries exist but the cluster would not initialise or start."""


def _version_key(path: Path) -> tuple[int, ...]:
    # /usr/lib/postgresql/<version>/bin: newest (numerically, so 15 beats 9.6) first.
    return tuple(int(n) for n in re.findall(r"\d+", path.parent.name)) or (0,)


def find_pg_binaries() -> tuple[Path, Path] | None:
    """(initdb, pg_ctl): `EHA_PG_BINDIR`, then PATH, then the newest /usr/lib/postgresql/*/bin."""
    override = os.environ.get("EHA_PG_BINDIR")
    if override:
        bindir = Path(override)
        if (bindir / "initdb").is_file() and (bindir / "pg_ctl").is_file():
            return bindir / "initdb", bindir / "pg_ctl"
    initdb, pg_ctl = shutil.which("initdb"), shutil.which("pg_ctl")
    if initdb and pg_ctl:
        return Path(initdb), Path(pg_ctl)
    candidates = sorted(Path("/usr/lib/postgresql").glob("*/bin"), key=_version_key, reverse=True)
    for bindir in candidates:
        if (bindir / "initdb").is_file() and (bindir / "pg_ctl").is_file():
            return bindir / "initdb", bindir / "pg_ctl"
    return None


def free_port() -> int:
    """A TCP port on 127.0.0.1 that was free a moment ago (callers retry on a lost race)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


@dataclass
class PostgresServer:
    """A running throwaway cluster. Connect as `postgres` over TCP, no password."""

    root: Path
    port: int
    pg_ctl: Path
    run_as: str | None
    _counter: itertools.count[int] = field(default_factory=lambda: itertools.count(1))
    _stopped: bool = False

    @property
    def data_dir(self) -> Path:
        return self.root / "data"

    @property
    def log_path(self) -> Path:
        return self.root / "postgres.log"

    def url(self, dbname: str = "postgres") -> str:
        """SQLAlchemy URL of database `dbname` on this server."""
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{dbname}"

    def create_database(self, prefix: str = "eha_test") -> str:
        """Create a fresh, uniquely named, empty database and return its SQLAlchemy URL."""
        import psycopg
        from psycopg import sql

        name = f"{prefix}_{next(self._counter)}_{secrets.token_hex(4)}"
        with psycopg.connect(
            host="127.0.0.1", port=self.port, user="postgres", dbname="postgres", autocommit=True
        ) as conn:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        return self.url(name)

    def drop_database(self, url_or_name: str) -> None:
        """Drop a database made by `create_database`, closing its connections first."""
        import psycopg
        from psycopg import sql

        name = url_or_name.rsplit("/", 1)[-1]
        with psycopg.connect(
            host="127.0.0.1", port=self.port, user="postgres", dbname="postgres", autocommit=True
        ) as conn:
            conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))

    def log_tail(self, lines: int = 40) -> str:
        try:
            text = self.log_path.read_text(errors="replace")
        except OSError:
            return "(no server log)"
        return "\n".join(text.splitlines()[-lines:])

    def stop(self) -> None:
        """Stop immediately and delete the cluster. Safe to call twice."""
        if self._stopped:
            return
        self._stopped = True
        with contextlib.suppress(Exception):
            atexit.unregister(self.stop)
        _stop_cluster(self.root, self.pg_ctl, self.run_as)


def _as_user(cmd: Sequence[str | Path], run_as: str | None) -> list[str]:
    argv = [str(c) for c in cmd]
    return ["runuser", "-u", run_as, "--", *argv] if run_as else argv


def _run(cmd: Sequence[str | Path], run_as: str | None, cwd: Path, timeout: float) -> None:
    argv = _as_user(cmd, run_as)
    result = subprocess.run(argv, cwd=cwd, capture_output=True, text=True, timeout=timeout, check=False)
    if result.returncode != 0:
        raise PostgresStartError(f"{' '.join(argv)} exited {result.returncode}\n{result.stdout}\n{result.stderr}")


def _stop_cluster(root: Path, pg_ctl: Path, run_as: str | None) -> None:
    data = root / "data"
    if (data / "postmaster.pid").exists():
        with contextlib.suppress(Exception):
            subprocess.run(
                _as_user([pg_ctl, "-D", data, "-m", "immediate", "-w", "-t", "20", "stop"], run_as),
                cwd=root,
                capture_output=True,
                timeout=30,
                check=False,
            )
        # pg_ctl failed or timed out: kill the postmaster ourselves, but only if that pid
        # really is a postgres process (a stale pid file may name a reused pid).
        with contextlib.suppress(Exception):
            pid = int((data / "postmaster.pid").read_text().split()[0])
            if b"postgres" in Path(f"/proc/{pid}/cmdline").read_bytes():
                os.kill(pid, signal.SIGKILL)
                time.sleep(0.2)
    shutil.rmtree(root, ignore_errors=True)


def _base_dir(running_as_root: bool) -> Path:
    base = Path(os.environ.get("EHA_PG_TMPDIR") or tempfile.gettempdir())
    # As root the cluster belongs to `postgres`, who must be able to reach the directory.
    if running_as_root and (base.stat().st_mode & 0o001) == 0:
        base = Path("/tmp")
    return base


def reap_stale_clusters(base: Path, pg_ctl: Path, run_as: str | None) -> None:
    """Remove clusters left by test runs that were killed before their atexit ran."""
    for root in base.glob(f"{_DIR_PREFIX}*"):
        try:
            owner = int((root / _OWNER_FILE).read_text().strip())
        except (OSError, ValueError):
            continue
        if owner != os.getpid() and not _pid_alive(owner):
            _stop_cluster(root, pg_ctl, run_as)


def start_postgres(*, attempts: int = 3) -> PostgresServer:
    """Initialise and start a cluster; raises PostgresUnavailable or PostgresStartError."""
    binaries = find_pg_binaries()
    if binaries is None:
        raise PostgresUnavailable(INSTALL_HINT)
    initdb, pg_ctl = binaries

    running_as_root = os.geteuid() == 0
    run_as: str | None = None
    uid = gid = -1
    if running_as_root:
        try:
            entry = pwd.getpwnam(_SYSTEM_USER)
        except KeyError:
            raise PostgresUnavailable(
                "Running as root, but there is no `postgres` system user to own the test "
                "cluster (PostgreSQL refuses to run as root). " + INSTALL_HINT
            ) from None
        if shutil.which("runuser") is None:
            raise PostgresUnavailable("Running as root, but `runuser` (util-linux) is missing.")
        run_as, uid, gid = _SYSTEM_USER, entry.pw_uid, entry.pw_gid

    base = _base_dir(running_as_root)
    reap_stale_clusters(base, pg_ctl, run_as)

    root = Path(tempfile.mkdtemp(prefix=_DIR_PREFIX, dir=base))  # mode 0700
    (root / _OWNER_FILE).write_text(str(os.getpid()))
    sock = root / "sock"
    sock.mkdir(mode=0o700)
    if running_as_root:
        os.chown(root, uid, gid)
        os.chown(sock, uid, gid)
    server = PostgresServer(root=root, port=0, pg_ctl=pg_ctl, run_as=run_as)
    atexit.register(server.stop)
    try:
        _run(
            [initdb, "-D", root / "data", "-U", "postgres", "-A", "trust", *_INITDB_FLAGS],
            run_as,
            root,
            timeout=120,
        )
        data = root / "data"
        # Appending/truncating keeps the files owned by `postgres`.
        with (data / "postgresql.conf").open("a") as conf:
            conf.write(
                "\n# eha test cluster\n"
                "listen_addresses = '127.0.0.1'\n"
                f"unix_socket_directories = '{sock}'\n"
                "fsync = off\n"
                "synchronous_commit = off\n"
                "full_page_writes = off\n"
                "max_connections = 200\n"
                "shared_buffers = 32MB\n"
            )
        with (data / "pg_hba.conf").open("w") as hba:
            hba.write(
                "# eha test cluster: no passwords, loopback and the private socket only\n"
                "local all all trust\n"
                "host  all all 127.0.0.1/32 trust\n"
            )
        last_error: Exception | None = None
        for _ in range(attempts):
            port = free_port()
            try:
                _run(
                    [pg_ctl, "-D", data, "-l", server.log_path, "-o", f"-p {port}", *_START],
                    run_as,
                    root,
                    timeout=90,
                )
            except (PostgresStartError, subprocess.TimeoutExpired) as exc:
                last_error = exc  # most likely lost the race for the port: try another
                continue
            server.port = port
            return server
        raise PostgresStartError(f"pg_ctl start failed: {last_error}\n{server.log_tail()}")
    except BaseException:
        server.stop()
        raise
