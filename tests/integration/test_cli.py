"""The `eha` command as an operator runs it, against SQLite and PostgreSQL."""

import getpass
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from eha.actor import Actor
from eha.demo import LARGE_FAMILY_ID
from tests.support import AUDIT_KEY
from tests.support.eha import without_import_notes

ROOT = Path(__file__).resolve().parents[2]
EHA = Path(sys.executable).with_name("eha")


def eha(
    url: str, *args: str, check: bool = True, env: dict[str, str] | None = None, timeout: int = 120
) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, "EHA_DATABASE_URL": url, **(env or {})}
    result = subprocess.run(
        [str(EHA), *args], env=environment, cwd=ROOT, capture_output=True, text=True, timeout=timeout, check=False
    )
    if check and result.returncode != 0:
        pytest.fail(f"eha {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return result


def test_upgrade_demo_list_export_import_round_trip(database_url: str, tmp_path: Path):
    eha(database_url, "db", "upgrade")
    eha(database_url, "demo", "--families", "4", "--seed", "11")
    listed = json.loads(eha(database_url, "list", "--json").stdout)
    # The large family first (closed, its TAF done), then the four generated ones.
    (large,) = [f for f in listed if f["family_id"] == LARGE_FAMILY_ID]
    assert large["assessments"][0]["status"] == "closed"
    families = [f for f in listed if f is not large]
    assert len(families) == 4
    # The first of the dozen: two active TAFs, a closed episode and a draft.
    assert sorted(f["assessments"][0]["status"] for f in families) == ["closed", "draft", "taf_active", "taf_active"]
    assessment_id = families[0]["assessments"][0]["assessment_id"]

    exported = eha(database_url, "export", assessment_id).stdout
    document = json.loads(exported)
    assert document["schema_name"] == "eha-family-record" and document["schema_version"] == 1
    assert document["id"] == families[0]["family_id"]
    path = tmp_path / "family.json"
    path.write_text(exported, encoding="utf-8")

    empty = f"sqlite:///{tmp_path / 'other.db'}"
    eha(empty, "import", str(path))
    again = json.loads(eha(empty, "export", assessment_id).stdout)
    # The operator who imported is the author now; the file's author is kept in the note.
    operator = f"cli:{getpass.getuser()}"
    assert again["created_by"] == again["assessments"][0]["created_by"] == operator
    # The demo was loaded through the import service too, so this is the second import.
    notes = again["assessments"][0]["sections"]["imported"]["data"]["imports"]
    assert [(n["imported_by"], n["author"]) for n in notes] == [(operator, "demo.practitioner")] * 2
    for part in (again, again["assessments"][0]):
        part["created_by"] = "demo.practitioner"
    assert without_import_notes(json.dumps(again)) == without_import_notes(json.dumps(document))
    # The record of sharing comes back with the family (a demo family holds what one of its
    # professionals sent at the start), still recorded by whoever recorded it.
    assert document["sharing"] and again["sharing"] == document["sharing"]
    assert {e["recorded_by"] for e in again["sharing"]} == {"demo.practitioner"}
    twice = eha(empty, "import", str(path), check=False)
    assert twice.returncode == 2 and "already in this database" in twice.stderr
    assert len(twice.stderr.splitlines()) == 1


def test_demo_is_reproducible_for_a_seed(tmp_path: Path):
    first, second = (f"sqlite:///{tmp_path / name}" for name in ("a.db", "b.db"))
    for url in (first, second):
        eha(url, "demo", "--families", "3", "--seed", "5")
    assert eha(first, "list", "--json").stdout == eha(second, "list", "--json").stdout
    # --if-empty leaves a database with families alone.
    eha(first, "demo", "--families", "3", "--seed", "6", "--if-empty")
    assert len(json.loads(eha(first, "list", "--json").stdout)) == 1 + 3  # the large family and three more


def test_import_refuses_a_broken_file_with_a_message_and_changes_nothing(sqlite_url: str, tmp_path: Path):
    bad = tmp_path / "bad.json"
    bad.write_text('{"schema_name": "eha-family-record", "schema_version": 7}', encoding="utf-8")
    result = eha(sqlite_url, "import", str(bad), check=False)
    assert result.returncode == 2
    assert "schema version 7" in result.stderr
    missing = eha(sqlite_url, "import", str(tmp_path / "nope.json"), check=False)
    assert missing.returncode == 1 and "cannot read" in missing.stderr
    assert json.loads(eha(sqlite_url, "list", "--json").stdout) == []


def test_export_of_an_unknown_assessment_says_so(sqlite_url: str):
    result = eha(sqlite_url, "export", "no-such-id", check=False)
    assert result.returncode == 1
    assert "no assessment with that id" in result.stderr


def eha_in(url: str, *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "EHA_DATABASE_URL": url}
    return subprocess.run(
        [str(EHA), *args], env=env, cwd=ROOT, input=stdin, capture_output=True, text=True, timeout=120, check=False
    )


def test_accounts_are_added_listed_and_disabled(sqlite_url: str):
    eha(sqlite_url, "db", "upgrade")
    added = eha_in(
        sqlite_url,
        "user", "add", "--username", "lee.central", "--role", "lcss", "--locality", "central",
        "--email", "Lee@Example.org", "--name", "Lee Ó Briain", "--password-stdin",
        stdin="a long enough password\n",
    )  # fmt: skip
    assert added.returncode == 0, added.stderr
    short = eha_in(
        sqlite_url, "user", "add", "--username", "x.y", "--role", "admin", "--password-stdin", stdin="short\n"
    )
    assert short.returncode == 1 and "password: Use at least 12 characters" in short.stderr
    no_locality = eha_in(
        sqlite_url, "user", "add", "--username", "x.y", "--role", "lcss", "--password-stdin", stdin="x" * 20
    )
    assert no_locality.returncode == 1 and "locality" in no_locality.stderr
    accounts = json.loads(eha(sqlite_url, "user", "list", "--json").stdout)
    assert accounts == [
        {
            "username": "lee.central",
            "name": "Lee Ó Briain",
            "role": "lcss",
            "locality": "central",
            "email": "lee@example.org",
            "disabled": False,
            "password": True,
        }
    ]
    eha(sqlite_url, "user", "disable", "lee.central")
    assert json.loads(eha(sqlite_url, "user", "list", "--json").stdout)[0]["disabled"] is True
    assert eha(sqlite_url, "--as", "lee.central", "list", check=False).returncode == 1


# Every role against one Central family authored by demo.practitioner: may they export it?
EXPORT_ACCESS = {
    "demo.practitioner": True,  # the author
    "other.practitioner": False,
    "demo.lcss": True,  # LCSS, Central
    "lcss.north": False,
    "demo.admin": False,
}


def test_export_as_each_role_obeys_its_scope(sqlite_url: str):
    eha(sqlite_url, "demo", "--families", "3", "--seed", "2")
    for username, role, extra in (
        ("other.practitioner", "practitioner", []),
        ("lcss.north", "lcss", ["--locality", "north"]),
    ):
        added = eha_in(
            sqlite_url,
            "user",
            "add",
            "--username",
            username,
            "--role",
            role,
            *extra,
            "--password-stdin",
            stdin="x" * 16,
        )
        assert added.returncode == 0, added.stderr
    families = json.loads(eha(sqlite_url, "list", "--json").stdout)
    central = next(f for f in families if f["locality"] == "central")
    assessment = central["assessments"][0]["assessment_id"]
    for username, allowed in EXPORT_ACCESS.items():
        result = eha(sqlite_url, "--as", username, "export", assessment, check=False)
        if allowed:
            assert result.returncode == 0 and json.loads(result.stdout)["id"] == central["family_id"], username
        else:
            assert result.returncode == 1, username
            assert "You don't have access to this record" in result.stderr
            assert result.stdout == ""
    # The Central family generated and the large family, which is Central too.
    assert len(json.loads(eha(sqlite_url, "--as", "demo.lcss", "list", "--json").stdout)) == 2
    assert eha(sqlite_url, "--as", "demo.admin", "list", check=False).returncode == 1


def test_audit_verify_passes_then_finds_an_edited_entry(database_url: str):
    eha(database_url, "demo", "--families", "2", "--seed", "3")
    eha(database_url, "list")
    ok = eha(database_url, "audit", "verify")
    assert "intact" in ok.stderr
    from sqlalchemy import text

    from storage.db import make_engine

    engine = make_engine(database_url)
    with engine.begin() as conn:
        conn.execute(text("UPDATE audit_log SET actor = 'someone.else' WHERE seq = 3"))
    engine.dispose()
    broken = eha(database_url, "audit", "verify", check=False)
    assert broken.returncode == 1
    assert "broken at entry 3" in broken.stderr


# -- import through the rules, and bulk loads -------------------------------------------------


def exported_demo_family(url: str, tmp_path: Path) -> tuple[dict, Path]:
    """One demo family exported from `url` (which then holds it) and a path to write edits to."""
    eha(url, "demo", "--families", "1", "--seed", "21")
    (family,) = [f for f in json.loads(eha(url, "list", "--json").stdout) if f["family_id"] != LARGE_FAMILY_ID]
    document = json.loads(eha(url, "export", family["assessments"][0]["assessment_id"]).stdout)
    return document, tmp_path / "edited.json"


def refused_import(url: str, path: Path, *args: str, env: dict[str, str] | None = None) -> str:
    """`eha import` of `path` must exit 2 with one line on stderr, and leave `url` empty."""
    result = eha(url, *args, "import", str(path), check=False, env=env)
    assert result.returncode == 2, result.stderr
    assert len(result.stderr.splitlines()) == 1 and "Traceback" not in result.stderr, result.stderr
    assert result.stderr.startswith(f"eha: {path}: not imported: ")
    assert json.loads(eha(url, "list", "--json").stdout) == []
    return result.stderr


def test_an_edited_file_is_refused_in_one_line_with_exit_2_and_nothing_written(database_url: str, tmp_path: Path):
    source = f"sqlite:///{tmp_path / 'source.db'}"
    document, path = exported_demo_family(source, tmp_path)
    eha(database_url, "db", "upgrade")
    carer = document["assessments"][0]["sections"]["background"]["data"]["carers"][0]
    for value, expected in (
        ("Agnieszka\x00", "NUL"),
        ("A" * 200_001, "200 characters or fewer"),
        ("\ud800", "isn't valid text (a broken emoji or symbol) at assessments.0.sections.background.data.carers.0"),
    ):
        carer["name"] = value
        path.write_text(json.dumps(document), encoding="utf-8")
        assert expected in refused_import(database_url, path)


def test_a_file_over_the_import_limit_is_refused_before_it_is_read(sqlite_url: str, tmp_path: Path):
    eha(sqlite_url, "db", "upgrade")
    huge = tmp_path / "huge.json"
    with huge.open("wb") as fh:
        fh.truncate(60 * 1024 * 1024)  # 60 MB of nothing (sparse): never read, only measured
    assert "The file is 60.0 MB" in refused_import(sqlite_url, huge)
    assert "EHA_IMPORT_LIMIT_MB" in refused_import(sqlite_url, huge)
    source = f"sqlite:///{tmp_path / 'source.db'}"
    document, path = exported_demo_family(source, tmp_path)
    path.write_text(json.dumps(document), encoding="utf-8")
    assert "the largest record this workbook imports is 1 KB" in refused_import(
        sqlite_url, path, env={"EHA_IMPORT_LIMIT_MB": "0.001"}
    )
    eha(sqlite_url, "import", str(path), env={"EHA_IMPORT_LIMIT_MB": "1"})
    typo = eha(sqlite_url, "import", str(path), check=False, env={"EHA_IMPORT_LIMIT_MB": "fifty"})
    assert typo.returncode == 1
    assert typo.stderr == "eha: EHA_IMPORT_LIMIT_MB must be a number of megabytes, not 'fifty'.\n"
    not_utf8 = tmp_path / "latin1.json"
    not_utf8.write_bytes(b'{"schema_name": "eha-family-record", "name": "Zo\xeb"}')
    other = f"sqlite:///{tmp_path / 'other.db'}"
    assert "not UTF-8" in refused_import(other, not_utf8)


def test_the_person_importing_becomes_the_author_and_lcss_and_admins_may_not(sqlite_url: str, tmp_path: Path):
    source = f"sqlite:///{tmp_path / 'source.db'}"
    document, path = exported_demo_family(source, tmp_path)
    path.write_text(json.dumps(document), encoding="utf-8")
    eha(sqlite_url, "demo", "--families", "0")  # the demo accounts, no families
    for username, role, extra in (("kim.worker", "practitioner", []), ("lcss.north", "lcss", ["--locality", "north"])):
        added = eha_in(
            sqlite_url, "user", "add", "--username", username, "--role", role, *extra, "--password-stdin",
            stdin="x" * 16,
        )  # fmt: skip
        assert added.returncode == 0, added.stderr
    for username, message in (
        ("demo.lcss", "LCSS reviewers can read this record but not change it"),
        ("lcss.north", "LCSS reviewers can read this record but not change it"),
        ("demo.admin", "You don't have access to this record"),
    ):
        assert message in refused_import(sqlite_url, path, "--as", username)
    eha(sqlite_url, "--as", "kim.worker", "import", str(path))
    assert [f["family_id"] for f in json.loads(eha(sqlite_url, "--as", "kim.worker", "list", "--json").stdout)] == [
        document["id"]
    ]
    # The file's author (demo.practitioner, who has an account here too) does not see it.
    assert json.loads(eha(sqlite_url, "--as", "demo.practitioner", "list", "--json").stdout) == []


def test_an_id_already_in_the_database_is_a_one_line_refusal_not_a_traceback(database_url: str, tmp_path: Path):
    document, path = exported_demo_family(database_url, tmp_path)
    document["id"] = "11111111-1111-4111-8111-111111111111"
    document["reference"] = "EH-BCDFGH"
    document["assessments"][0]["sections"]["background"]["data"]["children"] = []
    path.write_text(json.dumps(document), encoding="utf-8")
    result = eha(database_url, "import", str(path), check=False)
    assert result.returncode == 2 and len(result.stderr.splitlines()) == 1, result.stderr
    assert "assessment 1: a record with this id is already in this database" in result.stderr
    assert len(json.loads(eha(database_url, "list", "--json").stdout)) == 2  # the demo load's two


def test_several_files_load_each_on_its_own_and_a_refused_one_stops_none_of_the_others(sqlite_url: str, tmp_path: Path):
    source = f"sqlite:///{tmp_path / 'source.db'}"
    eha(source, "demo", "--families", "2", "--seed", "8")
    paths = []
    for n, family in enumerate(json.loads(eha(source, "list", "--json").stdout)):
        paths.append(tmp_path / f"family-{n}.json")
        paths[-1].write_text(eha(source, "export", family["assessments"][0]["assessment_id"]).stdout, "utf-8")
    eha(sqlite_url, "import", str(paths[0]))
    result = eha(sqlite_url, "import", str(paths[0]), str(paths[1]), check=False)
    assert result.returncode == 2
    first, second = result.stderr.splitlines()
    assert first.startswith(f"eha: {paths[0]}: not imported: The family EH-") and "already in this database" in first
    assert second.startswith("Imported family ") and second.endswith(f" from {paths[1]}.")
    assert len(json.loads(eha(sqlite_url, "list", "--json").stdout)) == 2


def test_a_bulk_load_skips_a_family_already_recorded_and_says_so(sqlite_url: str, tmp_path: Path):
    from eha.background import Carer, Child, FamilyBackground
    from eha.demo import generate_families
    from eha.localities import load_localities
    from storage.db import make_engine, upgrade
    from storage.services import Workbook

    upgrade(sqlite_url)
    engine = make_engine(sqlite_url)
    workbook = Workbook(engine, localities=load_localities(), audit_key=AUDIT_KEY.encode())
    third = generate_families(count=5, seed=3, today=workbook.today())[2]
    child = FamilyBackground.model_validate(third.assessments[0].sections["background"].data).children[0]
    workbook.families.create(
        locality="south",
        address="1 Ock Street",
        main_carer=Carer(name="Someone Else"),
        child=Child(name=child.name, date_of_birth=child.date_of_birth),
        actor=Actor.system("test"),
    )
    engine.dispose()
    result = eha(sqlite_url, "demo", "--families", "5", "--seed", "3")
    assert result.stderr.splitlines() == [
        "Loaded 5 demo families (seed 3).",  # the large family and four of the five generated
        "Skipped 1 family: a child with the same name and date of birth is already recorded.",
    ]
    assert len(json.loads(eha(sqlite_url, "list", "--json").stdout)) == 6
    again = eha(sqlite_url, "demo", "--families", "6", "--seed", "3")
    assert again.stderr.splitlines() == [
        "Loaded 1 demo family (seed 3).",
        "Skipped 5 families: the family is already in this database.",
        "Skipped 1 family: a child with the same name and date of birth is already recorded.",
    ]


def test_list_pages_through_the_families_and_says_how_many(sqlite_url: str):
    eha(sqlite_url, "demo", "--families", "4", "--seed", "11")
    whole = eha(sqlite_url, "list").stdout.splitlines()
    pages = [eha(sqlite_url, "list", "--page", str(p), "--per-page", "2") for p in (1, 2, 3)]
    assert [line for page in pages for line in page.stdout.splitlines()] == whole
    assert pages[2].stderr == "Showing 5–5 of 5 families, page 3 of 3.\n"
    assert eha(sqlite_url, "list", "--page", "9", "--per-page", "2").stdout == pages[2].stdout  # past the last
    refused = eha(sqlite_url, "list", "--per-page", "201", check=False)
    assert refused.returncode == 1 and "between 1 and 200" in refused.stderr


def test_two_thousand_demo_families_load_in_full(sqlite_url: str):
    result = eha(sqlite_url, "demo", "--families", "2000", "--seed", "1", timeout=600)
    assert result.stderr.splitlines() == ["Loaded 2001 demo families (seed 1)."]  # and the large family
    listed = eha(sqlite_url, "list", "--json")
    assert len(json.loads(listed.stdout)) == 50 and listed.stderr == "Showing 1–50 of 2,001 families, page 1 of 41.\n"
    last = eha(sqlite_url, "list", "--page", "41", "--per-page", "50")
    assert (
        len(last.stdout.splitlines()) == 1 and last.stderr == "Showing 2,001–2,001 of 2,001 families, page 41 of 41.\n"
    )


def test_pdf_obeys_the_rules_of_the_page_and_writes_the_same_records(database_url: str, tmp_path: Path):
    from tests.support.pdf import pdf_text

    eha(database_url, "db", "upgrade")
    eha(database_url, "demo", "--families", "3", "--seed", "5")
    families = json.loads(eha(database_url, "list", "--json").stdout)
    assessment_id = families[0]["assessments"][0]["assessment_id"]
    reference = families[0]["reference"]
    out = tmp_path / "mine.pdf"
    environment = {**os.environ, "EHA_DATABASE_URL": database_url}
    made = subprocess.run(
        [str(EHA), "pdf", assessment_id, "--document", "full", "--for", "self", "--out", str(out), "--password-stdin"],
        env=environment,
        cwd=ROOT,
        input="a secret phrase\n",
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert made.returncode == 0, made.stderr
    assert "OFFICIAL-SENSITIVE" in pdf_text(out.read_bytes(), password="a secret phrase")
    assert reference in made.stderr
    with pytest.raises(subprocess.CalledProcessError):
        subprocess.run(["pdftotext", str(out), "-"], capture_output=True, check=True)

    # Refused: nothing written, exit 2, and the reason said.
    refused = tmp_path / "refused.pdf"
    for args, reason in (
        (["--for", "professional:nobody-has-this-id"], "no professional in section 1"),
        (["--for", "everyone"], "choose lcss, professional:ID, family or self"),
        (["--for", "lcss"], "parent_told"),
        (["--for", "self", "--item", "x"], "item"),
    ):
        result = eha(
            database_url, "pdf", assessment_id, "--document", "full", "--out", str(refused), *args, check=False
        )
        assert result.returncode == 2, result.stderr
        assert reason in result.stderr
        assert not refused.exists()
    outsider = eha(
        database_url,
        "--as",
        "demo.admin",
        "pdf",
        assessment_id,
        "--document",
        "full",
        "--for",
        "self",
        "--out",
        str(refused),
        check=False,
    )
    assert outsider.returncode == 2 and not refused.exists()
    audit = eha(database_url, "audit", "verify")
    assert "intact" in audit.stderr


def test_the_demo_accounts_are_two_practitioners_and_an_lcss_reviewer_per_locality_sharing_one_password(
    sqlite_url: str,
):
    from eha.demo import DEMO_PASSWORD
    from eha.localities import load_localities
    from storage.db import make_engine
    from storage.services import Workbook

    eha(sqlite_url, "demo", "--families", "0")
    accounts = json.loads(eha(sqlite_url, "user", "list", "--json").stdout)
    reviewers = sorted(a["locality"] for a in accounts if a["role"] == "lcss")
    assert reviewers == ["central", "north", "south"]
    practitioners = {a["username"] for a in accounts if a["role"] == "practitioner"}
    assert {"demo.practitioner", "demo.colleague"} < practitioners and len(practitioners) == 6
    assert {"demo.lcss", "demo.admin"} <= {a["username"] for a in accounts}
    engine = make_engine(sqlite_url)
    try:
        workbook = Workbook(engine, localities=load_localities(), audit_key=AUDIT_KEY.encode())
        for username in ("demo.practitioner", "demo.north.colleague", "demo.south.lcss"):
            assert workbook.accounts.sign_in(username=username, password=DEMO_PASSWORD).actor.username == username
    finally:
        engine.dispose()
