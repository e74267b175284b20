"""The `eha` command: database upgrades, demo data, listing, export and import, PDFs, accounts
and the audit trail.

It goes through the same service layer as the app, so it never bypasses the rules the app
enforces, and what it does is audited. It acts as the system operator `cli:<login>`, or with
--as USERNAME as that workbook account, with exactly that account's access.
"""

from __future__ import annotations

import argparse
import getpass
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from eha.actor import Actor, Role
from eha.audit import Anchor, AnchorUnreadable, anchor_text, parse_anchors
from eha.demo import iter_demo_families
from eha.documents import Audience, DocumentKind, Sending
from eha.errors import AccessDenied, DomainError, DuplicateFamily, ImportRefused, ValidationFailed
from eha.paging import PER_PAGE, PER_PAGE_MAX
from eha.record import parse_record, read_record_file
from eha.sharing import LawfulBasis, Told
from storage.bootstrap import MigrationError, add_demo_accounts, open_workbook, upgrade_database
from storage.services import Workbook
from storage.settings import SettingsError, load_settings


def _actor(args: argparse.Namespace, workbook: Workbook) -> Actor:
    """Raises NotFound when --as names no enabled account."""
    if args.as_user:
        return workbook.accounts.actor_for(username=args.as_user)
    name = f"cli:{getpass.getuser()}"
    return Actor(username=name, display_name=name, role=Role.SYSTEM)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="eha", description="EHA and Family Star workbook")
    parser.add_argument(
        "--as", dest="as_user", metavar="USERNAME", help="act as this workbook account, with its access"
    )
    sub = parser.add_subparsers(dest="command", required=True)
    db = sub.add_parser("db", help="database maintenance")
    db.add_argument("action", choices=["upgrade"], help="migrate to the latest schema")
    demo = sub.add_parser("demo", help="load synthetic demo families")
    demo.add_argument(
        "--families",
        type=int,
        default=12,
        help="how many generated families, after the large example family every load begins with "
        "(0: the demo accounts only)",
    )
    demo.add_argument("--seed", type=int, default=1)
    demo.add_argument("--if-empty", action="store_true", help="only when there are no families yet")
    listing = sub.add_parser("list", help="families with their assessments")
    listing.add_argument("--json", action="store_true", help="machine-readable output")
    listing.add_argument("--page", type=int, default=1, help="which page, from 1 (past the last: the last)")
    listing.add_argument(
        "--per-page", type=int, default=PER_PAGE, help=f"families a page, 1 to {PER_PAGE_MAX} (default {PER_PAGE})"
    )
    export = sub.add_parser("export", help="a whole family record as JSON on stdout")
    export.add_argument("assessment_id")
    imp = sub.add_parser("import", help="load family records exported by `eha export`; you become their author")
    imp.add_argument("files", type=Path, nargs="+", metavar="FILE")
    imp.add_argument("--author", help="system operator only: the practitioner account who becomes the author")
    pdf = sub.add_parser(
        "pdf",
        help="make a document as a PDF, for LCSS, a professional, the family or your own records (recorded as sharing)",
    )
    pdf.add_argument("assessment_id")
    pdf.add_argument("--document", required=True, choices=[k.value for k in DocumentKind])
    pdf.add_argument("--item", help="the child's, professional's or TAF meeting's id, for a document about one")
    pdf.add_argument(
        "--for",
        dest="made_for",
        required=True,
        metavar="lcss|professional:ID|family|self",
        help="whom it is for; ID is a professional's id from section 1 or a local directory entry's key",
    )
    pdf.add_argument("--out", required=True, type=Path, metavar="FILE")
    pdf.add_argument(
        "--password-stdin", action="store_true", help="protect it with a password read from standard input"
    )
    pdf.add_argument("--purpose", default="", help="why it is shared (default: the usual purpose)")
    pdf.add_argument("--basis", default="consent", choices=[b.value for b in LawfulBasis], help="the lawful basis")
    pdf.add_argument("--basis-details", default="", help="what the lawful basis is, when it is not consent")
    pdf.add_argument("--parent-told", choices=[t.value for t in Told])
    pdf.add_argument("--parent-not-told-reason", default="")
    pdf.add_argument("--child-told", choices=[t.value for t in Told if t is not Told.COULD_NOT_CONTACT])
    pdf.add_argument("--child-not-told-reason", default="")
    user = sub.add_parser("user", help="workbook accounts").add_subparsers(dest="user_command", required=True)
    add = user.add_parser("add", help="add an account")
    add.add_argument("--username", required=True)
    add.add_argument("--role", required=True, choices=["practitioner", "lcss", "admin"])
    add.add_argument("--locality", help="an LCSS reviewer's locality (its key, e.g. north)")
    add.add_argument("--email", help="for single sign-on: the email the identity provider vouches for")
    add.add_argument("--name", help="the person's name as colleagues know it (default: the username)")
    add.add_argument("--password-stdin", action="store_true", help="read the password from standard input (first line)")
    user_list = user.add_parser("list", help="list the accounts")
    user_list.add_argument("--json", action="store_true", help="machine-readable output")
    disable = user.add_parser("disable", help="stop an account signing in and end its sign-ins")
    disable.add_argument("username")
    audit = sub.add_parser("audit", help="the audit trail").add_subparsers(dest="audit_command", required=True)
    verify = audit.add_parser("verify", help="check the keyed hash chain; exits 1 at the first broken entry")
    verify.add_argument(
        "--anchor",
        action="append",
        default=[],
        metavar="FILE_OR_VALUE",
        help="also check an anchor saved by `eha audit anchor`: a file of them (every line is checked) or SEQ:HASH",
    )
    audit.add_parser("anchor", help="print the last entry's number and hash, to save outside the database")
    searches = audit.add_parser("searches", help="the searches for these words (matched through their keyed hash)")
    searches.add_argument("words")
    args = parser.parse_args(argv)

    try:
        settings = load_settings()
        if args.command == "db":
            upgrade_database(settings)
            print("Database is up to date.", file=sys.stderr)
            return 0
        workbook, engine = open_workbook(settings)
        try:
            return _run(args, workbook, _actor(args, workbook), limit_bytes=settings.import_limit_bytes)
        finally:
            engine.dispose()
    except ValidationFailed as exc:
        for field, message in exc.errors.items():
            print(f"eha: {field}: {message}", file=sys.stderr)
        return 1
    except (SettingsError, MigrationError) as exc:
        print(f"eha: {exc}", file=sys.stderr)
        return 1
    except DomainError as exc:
        print(f"eha: {exc}", file=sys.stderr)
        return 1


def _run(args: argparse.Namespace, workbook: Workbook, actor: Actor, *, limit_bytes: int) -> int:
    if args.command == "demo":
        add_demo_accounts(workbook, actor=actor)
        if args.if_empty and workbook.families.all(actor=actor, per_page=1).total:
            print("Demo data not loaded: the database already has families.", file=sys.stderr)
            return 0
        records = iter_demo_families(
            count=args.families,
            seed=args.seed,
            today=workbook.today(),
            wording=workbook.assessments.consent_wording,
            directory=workbook.directory,
        )
        # Through the bulk import: every record checked as `eha import` checks one, written a
        # batch per transaction. A family already there is skipped and counted, never fatal.
        # The system operator keeps each generated author; a practitioner authors them all.
        tally = workbook.families.import_records(records=records, actor=actor, file_authors=actor.role is Role.SYSTEM)
        print(f"Loaded {tally.imported} demo {_families(tally.imported)} (seed {args.seed}).", file=sys.stderr)
        for count, reason in (
            (tally.already_here, "the family is already in this database"),
            (tally.same_child, "a child with the same name and date of birth is already recorded"),
        ):
            if count:
                print(f"Skipped {count} {_families(count)}: {reason}.", file=sys.stderr)
        return 0
    if args.command == "list":
        families = workbook.families.all(actor=actor, page=args.page, per_page=args.per_page)
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
        # On stderr, so that the listing itself (JSON or text) stays one page of rows.
        where = f"{families.showing()} {_families(families.total)}, page {families.page} of {families.pages}"
        print(f"{where}." if families.total else "No families.", file=sys.stderr)
        return 0
    if args.command == "export":
        family_id = workbook.families.of_assessment(assessment_id=args.assessment_id, actor=actor)
        print(workbook.families.export(family_id=family_id, actor=actor).to_json())
        return 0
    if args.command == "import":
        return _import(args, workbook, actor, limit_bytes=limit_bytes)
    if args.command == "pdf":
        return _pdf(args, workbook, actor)
    if args.command == "user":
        return _user(args, workbook, actor)
    if args.command == "audit":
        return _audit(args, workbook, actor)
    raise AssertionError(args.command)


def _audit(args: argparse.Namespace, workbook: Workbook, actor: Actor) -> int:
    if args.audit_command == "anchor":
        print(anchor_text(workbook.audit.anchor(actor=actor)))
        return 0
    if args.audit_command == "searches":
        lines = workbook.audit.searches_for(words=args.words, actor=actor)
        for line in lines:
            entry = line.entry
            print(f"{entry.seq}\t{entry.at.isoformat()}\t{entry.actor}\t{entry.actor_role}\t{entry.record}")
        if not lines:
            print("No search for those words is in the audit trail.", file=sys.stderr)
        return 0
    anchors: list[Anchor] = []
    for given in args.anchor:
        try:
            anchors.extend(_anchors(given))
        except AnchorUnreadable as exc:
            print(f"eha: --anchor {given}: {exc}.", file=sys.stderr)
            return 1
    checked, broken = workbook.audit.verify(actor=actor, anchors=anchors)
    if broken is not None:
        print(f"eha: the audit trail is broken at entry {broken.seq}: {broken.reason}.", file=sys.stderr)
        return 1
    against = f", against {len(anchors)} anchor{'' if len(anchors) == 1 else 's'}" if anchors else ""
    print(f"The audit trail is intact: {checked} entries checked{against}.", file=sys.stderr)
    return 0


def _anchors(given: str) -> list[Anchor]:
    """Anchors from a file (one a line) or the value itself. Raises AnchorUnreadable."""
    path = Path(given)
    if path.is_file():
        try:
            return parse_anchors(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError) as exc:
            raise AnchorUnreadable(f"cannot read {given}: {exc}") from None
    return parse_anchors(given)


def _import(args: argparse.Namespace, workbook: Workbook, actor: Actor, *, limit_bytes: int) -> int:
    """Each file on its own, in one transaction: loaded whole, or refused in one line with
    nothing of it written. Exit 2 if any file was refused, 1 if one could not be read."""
    worst = 0
    for path in args.files:
        try:
            record = parse_record(read_record_file(path, limit_bytes=limit_bytes))
            family_id = workbook.families.import_record(record=record, actor=actor, author=args.author)
        except OSError as exc:
            print(f"eha: cannot read {path}: {exc.strerror}", file=sys.stderr)
            worst = max(worst, 1)
        except (ImportRefused, DuplicateFamily, AccessDenied) as exc:
            print(f"eha: {path}: not imported: {' '.join(str(exc).split())}", file=sys.stderr)
            worst = 2
        else:
            print(f"Imported family {family_id} from {path}.", file=sys.stderr)
    return worst


def _pdf(args: argparse.Namespace, workbook: Workbook, actor: Actor) -> int:
    """The same rules and records as the page's download. Exit 2, with the reason and no file
    written, for anything refused."""
    audience_text, _, key = args.made_for.partition(":")
    try:
        audience = Audience(audience_text)
    except ValueError:
        print(f"eha: --for: choose lcss, professional:ID, family or self (not {args.made_for!r}).", file=sys.stderr)
        return 2
    password = sys.stdin.readline().rstrip("\r\n") if args.password_stdin else None
    try:
        recipient = None
        if audience is Audience.PROFESSIONAL:
            offered = workbook.documents.recipients(assessment_id=args.assessment_id, actor=actor)
            recipient = next((r for r in offered if r.key == key), None)
            if recipient is None:
                print(
                    f"eha: --for professional:{key}: no professional in section 1 or local directory entry has that "
                    "id; `eha export` shows the professionals' ids.",
                    file=sys.stderr,
                )
                return 2
        made = workbook.documents.make(
            assessment_id=args.assessment_id,
            kind=DocumentKind(args.document),
            item_id=args.item,
            sending=Sending(
                audience=audience,
                recipient=recipient,
                purpose=args.purpose,
                lawful_basis=LawfulBasis(args.basis),
                lawful_basis_other=args.basis_details,
                parent_told=Told(args.parent_told) if args.parent_told else None,
                parent_not_told_reason=args.parent_not_told_reason,
                child_told=Told(args.child_told) if args.child_told else None,
                child_not_told_reason=args.child_not_told_reason,
            ),
            password=password,
            actor=actor,
        )
    except ValidationFailed as exc:
        for field, message in exc.errors.items():
            print(f"eha: not made: {field}: {message}", file=sys.stderr)
        return 2
    except AccessDenied as exc:
        print(f"eha: not made: {exc}", file=sys.stderr)
        return 2
    args.out.write_bytes(made.content)
    shared = f"; recorded as shared (entry {made.sharing_id})" if made.sharing_id else ""
    print(f"Wrote {args.out} ({made.filename}, {len(made.content):,} bytes){shared}.", file=sys.stderr)
    return 0


def _families(n: int) -> str:
    return "family" if n == 1 else "families"


def _user(args: argparse.Namespace, workbook: Workbook, actor: Actor) -> int:
    if args.user_command == "add":
        password = sys.stdin.readline().rstrip("\r\n") if args.password_stdin else None
        account = workbook.accounts.add(
            username=args.username,
            display_name=args.name or args.username,
            role=args.role,
            locality=args.locality,
            email=args.email,
            password=password,
            actor=actor,
        )
        print(f"Added {account.role.value} account {account.username}.", file=sys.stderr)
        return 0
    if args.user_command == "list":
        accounts = workbook.accounts.all(actor=actor)
        if args.json:
            rows = [
                {
                    "username": a.username,
                    "name": a.display_name,
                    "role": a.role.value,
                    "locality": a.locality,
                    "email": a.email,
                    "disabled": a.disabled,
                    "password": a.has_password,
                }
                for a in accounts
            ]
            print(json.dumps(rows, ensure_ascii=False, indent=2))
        else:
            for a in accounts:
                state = "disabled" if a.disabled else "enabled"
                print(f"{a.username:<24} {a.role.value:<12} {a.locality or '-':<8} {state:<8} {a.display_name}")
        return 0
    if args.user_command == "disable":
        workbook.accounts.disable(username=args.username, actor=actor)
        print(f"Disabled {args.username}; their sign-ins have ended.", file=sys.stderr)
        return 0
    raise AssertionError(args.user_command)


if __name__ == "__main__":
    raise SystemExit(main())
