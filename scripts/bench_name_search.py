"""How long a name search takes through the service, against hand-written SQL for the same rows.
A benchmark that prints figures, never a test:

    .venv/bin/python scripts/bench_name_search.py [--families 500] [--runs 7] [--database-url URL]

The demo families (`eha demo`'s generator, seed 1) are loaded into a fresh temporary SQLite
database (or the empty database at `--database-url`, e.g. a throwaway PostgreSQL) through the
import service, as `eha demo` loads them; a duplicate is skipped and counted. Then, as the
system operator, each query is searched through `workbook.families.search` (the first page of
50, with the count, the people and assessments of each row, and the audit entry) and through
one hand-written statement pair that returns the same family ids (a COUNT and a page, on the
word index); the figures are medians of `--runs`, wall and CPU time (this machine is shared).
A table, then one JSON line per query.
"""

from __future__ import annotations

import argparse
import json
import secrets
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import text

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT)]

from eha.actor import Actor  # noqa: E402
from eha.demo import DEMO_PRACTITIONER, demo_families  # noqa: E402
from eha.errors import AlreadyImported, DuplicateFamily  # noqa: E402
from eha.text import search_words  # noqa: E402
from storage.bootstrap import add_demo_accounts, open_workbook  # noqa: E402
from storage.name_index import following  # noqa: E402
from storage.settings import load_settings  # noqa: E402

QUERIES = ("a", "hale", "zoe", "mohammed ali", "nowak z")
# The same family ids as the service's first page, and its count, written by hand.
PAGE = """
SELECT f.id FROM families f WHERE f.id IN (
    SELECT w.family_id FROM family_person_words w
    WHERE w.word >= :first AND w.word < :after
      AND (:second = '' OR EXISTS (
          SELECT 1 FROM family_person_words o
          WHERE o.person_id = w.person_id AND o.word >= :second AND o.word < :second_after))
)
ORDER BY f.updated_at DESC, f.id LIMIT 50
"""
COUNT = """
SELECT COUNT(*) FROM families f WHERE f.id IN (
    SELECT w.family_id FROM family_person_words w
    WHERE w.word >= :first AND w.word < :after
      AND (:second = '' OR EXISTS (
          SELECT 1 FROM family_person_words o
          WHERE o.person_id = w.person_id AND o.word >= :second AND o.word < :second_after))
)
"""


def timed(run: Callable[[], object], runs: int) -> tuple[float, float, object]:
    """(median wall seconds, median CPU seconds, the last result) of `runs` calls."""
    walls, cpus, result = [], [], None
    for _ in range(runs):
        wall, cpu = time.perf_counter(), time.process_time()
        result = run()
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    return statistics.median(walls), statistics.median(cpus), result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--families", type=int, default=500)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--database-url", default="")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as folder:
        url = args.database_url or f"sqlite:///{Path(folder) / 'eha.sqlite3'}"
        settings = load_settings(
            {"EHA_DATABASE_URL": url, "EHA_AUDIT_KEY": secrets.token_hex(32)},
            secrets_file=Path(folder) / "no-secrets.toml",
        )
        workbook, engine = open_workbook(settings)
        operator = Actor.system("scripts")
        add_demo_accounts(workbook, actor=operator)
        started = time.perf_counter()
        records = demo_families(
            count=args.families,
            seed=1,
            today=workbook.today(),
            wording=workbook.assessments.consent_wording,
            directory=workbook.directory,
        )
        skipped = 0
        for record in records:
            try:
                workbook.families.import_record(record=record, actor=operator, author=DEMO_PRACTITIONER)
            except (DuplicateFamily, AlreadyImported):
                skipped += 1
        loaded = workbook.families.all(actor=operator, per_page=1).total
        took = time.perf_counter() - started
        print(f"{loaded:,} families loaded ({skipped:,} skipped) in {took:.0f} s", file=sys.stderr)

        def by_hand(query: str) -> list[str]:
            words = search_words(query)
            first, second = words[0], words[1] if len(words) > 1 else ""
            params = {
                "first": first,
                "after": following(first),
                "second": second,
                "second_after": following(second) if second else "",
            }
            with engine.connect() as conn:
                conn.execute(text(COUNT), params).scalar_one()
                return list(conn.execute(text(PAGE), params).scalars())

        lines = []
        for query in QUERIES:
            wall, cpu, page = timed(lambda q=query: workbook.families.search(query=q, actor=operator), args.runs)
            hand_wall, hand_cpu, ids = timed(lambda q=query: by_hand(q), args.runs)
            assert [f.family_id for f in page] == ids, query  # type: ignore[attr-defined]
            lines.append(
                {
                    "query": query,
                    "families": loaded,
                    "found": page.total,  # type: ignore[attr-defined]
                    "service_ms": round(wall * 1000, 2),
                    "service_cpu_ms": round(cpu * 1000, 2),
                    "sql_ms": round(hand_wall * 1000, 2),
                    "sql_cpu_ms": round(hand_cpu * 1000, 2),
                    "ratio": round(wall / hand_wall, 2) if hand_wall else None,
                }
            )
        print(f"{'query':<14} {'found':>7} {'service ms':>11} {'(cpu)':>8} {'SQL ms':>8} {'(cpu)':>8} {'ratio':>6}")
        for line in lines:
            print(
                f"{line['query']:<14} {line['found']:>7,} {line['service_ms']:>11.1f} {line['service_cpu_ms']:>8.1f}"
                f" {line['sql_ms']:>8.1f} {line['sql_cpu_ms']:>8.1f} {line['ratio']:>6}"
            )
        for line in lines:
            print(json.dumps(line))
        engine.dispose()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
