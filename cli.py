"""The `eha` command: database upgrades, demo data, listing, export and import.

It goes through the same service layer as the app, so it never bypasses the rules the app
enforces. Case data is written as the operator named by --as (default: the local user).
"""

from __future__ import annotations

import argparse
import getpass
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from eha.actor import Actor, Role
from eha.demo import generate_families
from eha.errors import DomainError
from eha.record import parse_record
from storage.bootstrap import open_workbook
from storage.db import upgrade
from storage.services import Workbook
from storage.settings import load_settings


def _actor(args: argparse.Namespace) -> Actor:
    name = args.as_user or f"cli:{getpass.getuser()}"
    return Actor(username=name, display_name=name, role=Role.SYSTEM)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="eha", description="EHA and Family Star workbook")
    parser.add_argument("--as", dest="as_user", help="who is acting (recorded on every change)")
    sub = parser.add_subparsers(dest="command", required=True)
    db = sub.add_parser("db", help="database maintenance")
    db.add_argument("action", choices=["upgrade"], help="migrate to the latest schema")
    demo = sub.add_parser("demo", help="load synthetic demo families")
    demo.add_argument("--families", type=int, default=12)
    demo.add_argument("--seed", type=int, default=1)
    demo.add_argument("--if-empty", action="store_true", help="only when there are no families yet")
    listing = sub.add_parser("list", help="families with their assessments")
    listing.add_argument("--json", action="store_true", help="machine-readable output")
    export = sub.add_parser("export", help="a whole family record as JSON on stdout")
    export.add_argument("assessment_id")
    imp = sub.add_parser("import", help="load a family record exported by `eha export`")
    imp.add_argument("file", type=Path)
    args = parser.parse_args(argv)

    settings = load_settings()
    try:
        if args.command == "db":
            upgrade(settings.database_url)
            print("Database is up to date.", file=sys.stderr)
            return 0
        workbook, engine = open_workbook(settings)
        actor = _actor(args)
        try:
            return _run(args, workbook, actor)
        finally:
            engine.dispose()
    except DomainError as exc:
        print(f"eha: {exc}", file=sys.stderr)
        return 1


def _run(args: argparse.Namespace, workbook: Workbook, actor: Actor) -> int:
    if args.command == "demo":
        if args.if_empty and workbook.list_families(actor=actor):
            print("Demo data not loaded: the database already has families.", file=sys.stderr)
            return 0
        records = generate_families(count=args.families, seed=args.seed, today=workbook.today())
        for record in records:
            workbook.import_family(record=record, actor=actor)
        print(f"Loaded {len(records)} demo families (seed {args.seed}).", file=sys.stderr)
        return 0
    if args.command == "list":
        families = workbook.list_families(actor=actor)
        if args.json:
            rows = [
                {
                    "family_id": f.family_id,
                    "reference": f.reference,
                    "locality": f.locality,
                    "assessments": [
                        {"assessment_id": a.assessment_id, "status": a.status.value} for a in f.assessments
                    ],
                }
                for f in families
            ]
            print(json.dumps(rows, ensure_ascii=False, indent=2))
        else:
            for f in families:
                statuses = ", ".join(f"{a.assessment_id} {a.status.label}" for a in f.assessments)
                print(f"{f.reference}  {f.locality:<8} {statuses}")
        return 0
    if args.command == "export":
        family_id = workbook.family_of_assessment(assessment_id=args.assessment_id, actor=actor)
        print(workbook.export_family(family_id=family_id, actor=actor).to_json())
        return 0
    if args.command == "import":
        try:
            text = args.file.read_text(encoding="utf-8")
        except OSError as exc:
            print(f"eha: cannot read {args.file}: {exc.strerror}", file=sys.stderr)
            return 1
        family_id = workbook.import_family(record=parse_record(text), actor=actor)
        print(f"Imported family {family_id}.", file=sys.stderr)
        return 0
    raise AssertionError(args.command)


if __name__ == "__main__":
    raise SystemExit(main())
