"""The county-scale benchmark: the workbook's lists and screens at 2,000 and 20,000 families,
on SQLite and PostgreSQL, against hand-written SQL and a reference page, measured in one run.
A benchmark that prints figures (a table, then JSON lines), never a test:

    .venv/bin/python scripts/bench_county.py [--families 2000 20000] [--backends sqlite postgresql]
        [--runs 5] [--seed 1] [--data-dir data/bench] [--skip screens,start,memory]

For each database (built by `eha demo --families N --seed S`, as a user would build it; SQLite
files are kept in --data-dir and reused, PostgreSQL databases live in a throwaway cluster and
are loaded again each run) it measures, as medians of --runs repeats, wall and CPU time (this
machine is shared, so CPU time is the steadier figure):

- **lists**: the families search (by a name word), the families list (most recent first),
  My families as a practitioner and as an LCSS reviewer, and `eha list`, each against a
  hand-written SQL query that returns the same page of rows (the target: within 2x of it, and
  flat from 2,000 to 20,000 families);
- **screens**: every page's script (AppTest, as scripts/bench_pages.py) for a typical family and
  for the largest, against the reference page (the target: within 3x);
- **cold start**: `streamlit run serve.py` to the first rendered page in Chromium (target: 5 s);
- **memory**: the server's resident memory after an LCSS reviewer and a practitioner have each
  opened every page of a family in Chromium (target: 300 MB).
"""

# The hand-written SQL is put together from this file's own constants (no user input), and the
# only subprocess is this checkout's own `eha` command.
# ruff: noqa: S603, S608
from __future__ import annotations

import argparse
import contextlib
import functools
import io
import json
import os
import secrets
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
os.environ.setdefault("STREAMLIT_LOGGER_LEVEL", "error")  # AppTest's bare-mode warnings, once a call
sys.path[:0] = [str(ROOT), str(ROOT / "scripts")]

import bench_pages  # noqa: E402
from bench_pages import measure_screens  # noqa: E402
from sqlalchemy import Engine, text  # noqa: E402

import cli  # noqa: E402
from eha.actor import Actor  # noqa: E402
from eha.audit import AuditAction  # noqa: E402
from eha.demo import DEMO_PASSWORD, DEMO_PRACTITIONER  # noqa: E402
from eha.text import fold  # noqa: E402
from pages import _addresses, _ui  # noqa: E402
from storage.bootstrap import open_workbook  # noqa: E402
from storage.services import Workbook  # noqa: E402
from storage.settings import load_settings  # noqa: E402

LCSS = "demo.lcss"
PER_PAGE = 50
LIST_TARGET = 2.0
START_TARGET_S = 5.0
MEMORY_TARGET_MB = 300.0
LARGE_FAMILY = "EH-HQ7DBK"


def timed(run: Callable[[], object], runs: int) -> tuple[float, float]:
    """(median wall seconds, median CPU seconds) of `runs` calls, after one warm-up call (the
    first reads its rows from disk and compiles its statements)."""
    run()
    return bench_pages.timed(run, runs)


# -- the databases --------------------------------------------------------------------------


@dataclass
class Database:
    backend: str
    families: int
    url: str
    env: dict[str, str]
    load_seconds: float | None  # None: reused from an earlier run


def _env(url: str, audit_key: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("EHA_")}
    return {**env, "EHA_DATABASE_URL": url, "EHA_AUDIT_KEY": audit_key}


def _load(url: str, env: dict[str, str], families: int, seed: int) -> float:
    eha = [sys.executable, str(ROOT / "cli.py")]
    started = time.perf_counter()
    subprocess.run([*eha, "db", "upgrade"], env=env, cwd=ROOT, check=True)
    subprocess.run([*eha, "demo", "--families", str(families), "--seed", str(seed)], env=env, cwd=ROOT, check=True)
    return time.perf_counter() - started


def sqlite_database(data_dir: Path, families: int, seed: int) -> Database:
    data_dir.mkdir(parents=True, exist_ok=True)
    path = data_dir / f"county-{families}-seed{seed}.sqlite3"
    key_file = path.with_suffix(".key")
    url = f"sqlite:///{path}"
    if path.exists() and key_file.exists():
        return Database("sqlite", families, url, _env(url, key_file.read_text().strip()), None)
    for stale in (path, key_file):
        stale.unlink(missing_ok=True)
    key = secrets.token_hex(32)
    env = _env(url, key)
    seconds = _load(url, env, families, seed)
    key_file.write_text(key)  # last: a load that failed half-way is not reused
    return Database("sqlite", families, url, env, seconds)


def postgres_database(server: Any, families: int, seed: int) -> Database:
    url = server.create_database(prefix=f"county_{families}")
    env = _env(url, secrets.token_hex(32))
    return Database("postgresql", families, url, env, _load(url, env, families, seed))


# -- the lists, against hand-written SQL ------------------------------------------------------


def _scope(actor: Actor) -> tuple[str, dict[str, Any]]:
    """The SQL condition on `families f` for the families this person may see."""
    if actor.locality and actor.role.value == "lcss":
        return "f.locality = :locality", {"locality": actor.locality}
    return "f.id IN (SELECT t.family_id FROM family_team t WHERE t.username = :username)", {"username": actor.username}


def _summary_rows(where: str, order: str) -> str:
    """A page of families with their people and assessments, as the families list shows."""
    return f"""
        WITH page AS (SELECT f.id, f.reference, f.locality, f.updated_at FROM families f
                      WHERE {where} ORDER BY {order} LIMIT {PER_PAGE})
        SELECT page.id, page.reference, page.locality, p.kind, p.name, a.id, a.status, a.started_on
        FROM page LEFT JOIN family_people p ON p.family_id = page.id
                  LEFT JOIN assessments a ON a.family_id = page.id
        ORDER BY {order.replace("f.", "page.")}"""


def _hand(engine: Engine, *statements: tuple[str, dict[str, Any]]) -> Callable[[], object]:
    def run() -> object:
        with engine.connect() as connection:
            return [connection.execute(text(sql), params).all() for sql, params in statements]

    return run


def _my_families_sql(dialect: str, where: str, today: date) -> tuple[str, str]:
    """(the count by how due, the page): My families' order and its due rule, by hand."""
    if dialect == "postgresql":
        finalised = "m.data->>'finalised_at'"
        set_at_meeting = "(m.data->>'next_review_on')::date"
    else:
        finalised = "json_extract(m.data, '$.finalised_at')"
        set_at_meeting = "json_extract(m.data, '$.next_review_on')"
    soon = today + timedelta(days=7)
    ranked = f"""
        WITH latest AS (
            SELECT a.id, a.family_id, a.status, a.review_date,
                   ROW_NUMBER() OVER (PARTITION BY a.family_id ORDER BY a.created_at DESC, a.id DESC) AS n
            FROM assessments a),
        last AS (
            SELECT m.assessment_id, m.data,
                   ROW_NUMBER() OVER (PARTITION BY m.assessment_id ORDER BY m.number DESC) AS n
            FROM taf_meetings m),
        due AS (
            SELECT f.id, f.reference, l.id AS assessment_id, l.status,
                   CASE WHEN l.id IS NULL THEN NULL
                        WHEN l.status NOT IN ('completed', 'taf_active') THEN NULL
                        WHEN m.assessment_id IS NULL THEN l.review_date
                        WHEN {finalised} IS NULL THEN NULL
                        ELSE {set_at_meeting} END AS next_review
            FROM families f
            LEFT JOIN latest l ON l.family_id = f.id AND l.n = 1
            LEFT JOIN last m ON m.assessment_id = l.id AND m.n = 1
            WHERE {where}),
        ranked AS (
            SELECT due.*, CASE WHEN next_review IS NULL THEN 3
                               WHEN next_review < '{today.isoformat()}' THEN 0
                               WHEN next_review <= '{soon.isoformat()}' THEN 1
                               ELSE 2 END AS rank
            FROM due)"""
    count = f"{ranked} SELECT rank, count(*) FROM ranked GROUP BY rank"
    page = f"""{ranked},
        page AS (SELECT * FROM ranked ORDER BY rank, next_review, reference LIMIT {PER_PAGE})
        SELECT page.*, p.name FROM page LEFT JOIN family_people p ON p.family_id = page.id AND p.kind = 'child'
        ORDER BY page.rank, page.next_review, page.reference"""
    return count, page


def _name_word(engine: Engine) -> str:
    """A word someone would type: the surname of a child in the middle of the county."""
    with engine.connect() as connection:
        names = connection.execute(text("SELECT name FROM family_people WHERE kind = 'child' ORDER BY id")).scalars()
        everyone = [str(n) for n in names]
    return everyone[len(everyone) // 2].split()[-1]


def measure_lists(workbook: Workbook, engine: Engine, env: dict[str, str], runs: int) -> list[dict[str, Any]]:
    practitioner = workbook.accounts.actor_for(username=DEMO_PRACTITIONER)
    lcss = workbook.accounts.actor_for(username=LCSS)
    dialect = engine.dialect.name
    today = workbook.today()
    word = _name_word(engine)
    lcss_where, lcss_params = _scope(lcss)
    prac_where, prac_params = _scope(practitioner)
    recent = "f.updated_at DESC, f.id"
    # One word typed: the families with a person one of whose words begins with it, read as a
    # range of the word index (as storage.name_index does), or the family's reference.
    search_where = (
        f"{lcss_where} AND (f.reference = :ref OR f.id IN "
        "(SELECT w.family_id FROM family_person_words w WHERE w.word >= :low AND w.word < :high))"
    )
    folded = fold(word)
    high = folded[:-1] + chr(ord(folded[-1]) + 1)
    search_params = {**lcss_params, "ref": word.upper(), "low": folded, "high": high}
    cases: list[tuple[str, Callable[[], object], Callable[[], object]]] = [
        (
            "families search (LCSS)",
            lambda: workbook.families.search(query=word, actor=lcss),
            _hand(
                engine,
                (f"SELECT count(*) FROM families f WHERE {search_where}", search_params),
                (_summary_rows(search_where, recent), search_params),
            ),
        ),
        (
            "families list (LCSS)",
            lambda: workbook.families.search(query="", actor=lcss),
            _hand(
                engine,
                (f"SELECT count(*) FROM families f WHERE {lcss_where}", lcss_params),
                (_summary_rows(lcss_where, recent), lcss_params),
            ),
        ),
    ]
    for who, actor, where, params in (
        ("practitioner", practitioner, prac_where, prac_params),
        ("LCSS", lcss, lcss_where, lcss_params),
    ):
        count, page = _my_families_sql(dialect, where, today)
        cases.append(
            (
                f"My families ({who})",
                functools.partial(workbook.taf.my_families, actor=actor),
                _hand(engine, (count, params), (page, params)),
            )
        )

    def eha_list() -> None:
        with _environment(env), contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
            if cli.main(["list", "--json"]) != 0:
                raise RuntimeError("eha list failed")

    by_reference = _hand(engine, ("SELECT count(*) FROM families f", {}), (_summary_rows("1 = 1", "f.reference"), {}))
    operator = Actor.system("bench")
    # `eha list`'s page, as the command reads it; then the whole command in this process (its
    # settings, engine, the migration check and the argument parser are a fixed cost per run).
    cases.append(("eha list (its page)", functools.partial(workbook.families.all, actor=operator), by_reference))
    cases.append(("eha list (whole command)", eha_list, by_reference))
    rows = []

    # What every list read costs before it reads a row: its one audit entry (a keyed, chained
    # write, committed), which no hand-written SELECT pays.
    def audit_only() -> None:
        with workbook._core.unit() as session:
            workbook._core.audit(session, lcss, action=AuditAction.SEARCHED, record="families", details={"found": 0})

    wall, cpu = timed(audit_only, runs)
    rows.append({"list": "(its audit entry alone)", "wall_ms": round(wall * 1000, 1), "cpu_ms": round(cpu * 1000, 1)})
    for name, service, hand in cases:
        wall, cpu = timed(service, runs)
        hand_wall, hand_cpu = timed(hand, runs)
        rows.append(
            {
                "list": name,
                "wall_ms": round(wall * 1000, 1),
                "cpu_ms": round(cpu * 1000, 1),
                "sql_wall_ms": round(hand_wall * 1000, 1),
                "sql_cpu_ms": round(hand_cpu * 1000, 1),
                "ratio": round(wall / hand_wall, 1),
                "within_target": wall <= LIST_TARGET * hand_wall,
            }
        )
    return rows


@contextlib.contextmanager
def _environment(env: dict[str, str]) -> Iterator[None]:
    saved = dict(os.environ)
    os.environ.clear()
    os.environ.update(env)
    try:
        yield
    finally:
        os.environ.clear()
        os.environ.update(saved)


# -- the screens ------------------------------------------------------------------------------


def _family_ids(workbook: Workbook, actor: Actor, reference: str | None) -> dict[str, str]:
    """The ids a screen reads from its URL, for the family `reference`, or else for a family of
    this practitioner's with the most TAF meetings on page one of their caseload."""
    if reference:
        found = workbook.families.search(query=reference, actor=actor).items
    else:
        found = workbook.families.search(query="", actor=actor, per_page=200).items
    best: tuple[int, dict[str, str]] | None = None
    for family in found:
        if not family.assessments:
            continue
        assessment = workbook.assessments.open(assessment_id=family.assessments[-1].assessment_id, actor=actor)
        ids = {"assessment": assessment.assessment_id, "family": family.family_id}
        if assessment.taf.meetings:
            ids["meeting"] = assessment.taf.meetings[-1].meeting_id
        score = len(assessment.taf.meetings)
        if best is None or score > best[0]:
            best = (score, ids)
        if reference or score >= 3:
            break
    if best is None:
        raise RuntimeError(f"no family with an assessment for {actor.username}")
    return best[1]


def measure_pages(workbook: Workbook, folder: Path, runs: int) -> list[dict[str, Any]]:
    _ui.workbook = lambda: workbook  # the screens read this database
    practitioner = workbook.accounts.actor_for(username=DEMO_PRACTITIONER)
    token = workbook.accounts.sign_in(username=DEMO_PRACTITIONER, password=DEMO_PASSWORD).token
    rows = []
    for family, reference in (("typical", None), ("largest", LARGE_FAMILY)):
        ids = _family_ids(workbook, practitioner, reference)
        (ref_wall, ref_cpu), screens = measure_screens(folder, token=token, ids=ids, runs=runs, family=family)
        figures = {"wall_ms": round(ref_wall * 1000, 1), "cpu_ms": round(ref_cpu * 1000, 1)}
        rows.append({"page": "reference", "family": family, **figures})
        rows.extend(screens)
    return rows


# -- the server: cold start and memory --------------------------------------------------------


def _rss_mb(pid: int) -> float:
    """Resident memory of a process and its children, in MB (from /proc)."""
    total = 0
    pids = [pid]
    with contextlib.suppress(OSError):
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        pids += [int(c) for c in children]
    for p in pids:
        with contextlib.suppress(OSError):
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
    return total / 1024


def measure_server(db: Database, folder: Path, runs: int, skip: set[str]) -> list[dict[str, Any]]:
    from playwright.sync_api import sync_playwright

    from tests.support.browser import launch_chromium, open_app, wait_for_app
    from tests.support.streamlit import launch

    rows: list[dict[str, Any]] = []
    with sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        try:
            if "start" not in skip:
                starts = []
                for _ in range(runs):
                    started = time.perf_counter()
                    server = launch(ROOT / "serve.py", env=db.env, log_dir=folder)
                    try:
                        page = browser.new_page()
                        open_app(page, server.base_url)
                        page.get_by_role("textbox", name="Username", exact=True).wait_for()
                        starts.append(time.perf_counter() - started)
                        page.close()
                    finally:
                        server.stop()
                start_s = statistics.median(starts)
                rows.append(
                    {"measure": "cold start", "seconds": round(start_s, 2), "within_target": start_s <= START_TARGET_S}
                )
            if "memory" not in skip:
                workbook, engine = open_workbook(load_settings(db.env, secrets_file=folder / "none.toml"))
                # The largest family, which both can see: every page, a TAF meeting's included.
                ids = _family_ids(workbook, workbook.accounts.actor_for(username=DEMO_PRACTITIONER), LARGE_FAMILY)
                engine.dispose()
                server = launch(ROOT / "serve.py", env=db.env, log_dir=folder)
                try:
                    for username in (LCSS, DEMO_PRACTITIONER):
                        context = browser.new_context(viewport={"width": 1366, "height": 900})
                        page = context.new_page()
                        open_app(page, server.base_url)
                        page.get_by_role("textbox", name="Username", exact=True).fill(username)
                        page.get_by_role("textbox", name="Password", exact=True).fill(DEMO_PASSWORD)
                        page.get_by_role("button", name="Sign in", exact=True).click()
                        page.get_by_text("Signed in as").wait_for()
                        wait_for_app(page)
                        for address in _addresses.ALL:
                            if address is _addresses.SIGN_OUT or not set(address.ids) <= set(ids):
                                continue
                            query = "&".join(f"{k}={ids[k]}" for k in address.ids)
                            page.goto(f"{server.base_url}/{address.url_path}" + (f"?{query}" if query else ""))
                            wait_for_app(page)
                        context.close()
                    memory = _rss_mb(server.process.pid)
                finally:
                    server.stop()
                rows.append(
                    {"measure": "server memory", "mb": round(memory, 1), "within_target": memory <= MEMORY_TARGET_MB}
                )
        finally:
            browser.close()
    return rows


# -- the run ----------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--families", type=int, nargs="+", default=[2000, 20000])
    parser.add_argument("--backends", nargs="+", default=["sqlite", "postgresql"], choices=["sqlite", "postgresql"])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--data-dir", type=Path, default=ROOT / "data" / "bench")
    parser.add_argument("--skip", default="", help="comma-separated: lists, screens, start, memory")
    args = parser.parse_args(argv)
    skip = {s for s in args.skip.split(",") if s}
    os.chdir(ROOT)
    folder = Path(tempfile.mkdtemp(prefix="eha-bench-county-"))

    server = None
    if "postgresql" in args.backends:
        from tests.support.postgres import start_postgres

        server = start_postgres()
    results: list[dict[str, Any]] = []
    try:
        for backend in args.backends:
            for families in args.families:
                if backend == "sqlite":
                    db = sqlite_database(args.data_dir, families, args.seed)
                else:
                    db = postgres_database(server, families, args.seed)
                where = {"backend": backend, "families": families}
                print(f"\n== {backend}, {families} families", flush=True)
                if db.load_seconds is not None:
                    print(f"built by eha demo in {db.load_seconds:.0f} s")
                    results.append({**where, "measure": "demo load", "seconds": round(db.load_seconds, 1)})
                settings = load_settings(db.env, secrets_file=folder / "none.toml")
                workbook, engine = open_workbook(settings)
                try:
                    if "lists" not in skip:
                        rows = measure_lists(workbook, engine, db.env, args.runs)
                        print_lists(rows)
                        results += [{**where, **row} for row in rows]
                    if "screens" not in skip:
                        rows = measure_pages(workbook, folder, args.runs)
                        print_pages(rows)
                        results += [{**where, **row} for row in rows]
                finally:
                    engine.dispose()
                if not {"start", "memory"} <= skip:
                    rows = measure_server(db, folder, min(args.runs, 3), skip)
                    for row in rows:
                        print(", ".join(f"{k}: {v}" for k, v in row.items()))
                    results += [{**where, **row} for row in rows]
    finally:
        if server is not None:
            server.stop()
    print()
    for row in results:
        print(json.dumps(row))
    return 0


def print_lists(rows: list[dict[str, Any]]) -> None:
    print(f"{'list':<28} {'wall ms':>8} {'CPU ms':>8} {'SQL ms':>8} {'x SQL':>6}  within {LIST_TARGET:g}x")
    for r in rows:
        figures = f"{r['wall_ms']:>8} {r['cpu_ms']:>8} {r.get('sql_wall_ms', ''):>8} {r.get('ratio', ''):>6}"
        print(f"{r['list']:<28} {figures}  {r.get('within_target', '')}")


def print_pages(rows: list[dict[str, Any]]) -> None:
    print(f"{'page':<32} {'family':<8} {'wall ms':>8} {'CPU ms':>8} {'x ref':>6} {'CPU x':>6}  within 3x")
    for r in rows:
        ratios = f"{r.get('ratio', 1.0):>6} {r.get('cpu_ratio', 1.0):>6}"
        times = f"{r['wall_ms']:>8} {r['cpu_ms']:>8}"
        print(f"{r['page']:<32} {r['family']:<8} {times} {ratios}  {r.get('within_target', '')}")


if __name__ == "__main__":
    raise SystemExit(main())
