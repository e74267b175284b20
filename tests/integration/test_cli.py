"""The `eha` command as an operator runs it, against SQLite and PostgreSQL."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
EHA = Path(sys.executable).with_name("eha")


def eha(url: str, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "EHA_DATABASE_URL": url}
    result = subprocess.run(
        [str(EHA), *args], env=env, cwd=ROOT, capture_output=True, text=True, timeout=120, check=False
    )
    if check and result.returncode != 0:
        pytest.fail(f"eha {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return result


def test_upgrade_demo_list_export_import_round_trip(database_url: str, tmp_path: Path):
    eha(database_url, "db", "upgrade")
    eha(database_url, "demo", "--families", "4", "--seed", "11")
    families = json.loads(eha(database_url, "list", "--json").stdout)
    assert len(families) == 4
    assert all(f["assessments"][0]["status"] == "draft" for f in families)
    assessment_id = families[0]["assessments"][0]["assessment_id"]

    exported = eha(database_url, "export", assessment_id).stdout
    document = json.loads(exported)
    assert document["schema_name"] == "eha-family-record" and document["schema_version"] == 1
    assert document["id"] == families[0]["family_id"]
    path = tmp_path / "family.json"
    path.write_text(exported, encoding="utf-8")

    empty = f"sqlite:///{tmp_path / 'other.db'}"
    eha(empty, "import", str(path))
    assert eha(empty, "export", assessment_id).stdout == exported
    again = eha(empty, "import", str(path), check=False)
    assert again.returncode == 1 and "already in this database" in again.stderr


def test_demo_is_reproducible_for_a_seed(tmp_path: Path):
    first, second = (f"sqlite:///{tmp_path / name}" for name in ("a.db", "b.db"))
    for url in (first, second):
        eha(url, "demo", "--families", "3", "--seed", "5")
    assert eha(first, "list", "--json").stdout == eha(second, "list", "--json").stdout
    # --if-empty leaves a database with families alone.
    eha(first, "demo", "--families", "3", "--seed", "6", "--if-empty")
    assert len(json.loads(eha(first, "list", "--json").stdout)) == 3


def test_import_refuses_a_broken_file_with_a_message_and_changes_nothing(sqlite_url: str, tmp_path: Path):
    bad = tmp_path / "bad.json"
    bad.write_text('{"schema_name": "eha-family-record", "schema_version": 7}', encoding="utf-8")
    result = eha(sqlite_url, "import", str(bad), check=False)
    assert result.returncode == 1
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
    assert len(json.loads(eha(sqlite_url, "--as", "demo.lcss", "list", "--json").stdout)) == 1
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


def test_an_lcss_reviewer_cannot_import_through_the_command(sqlite_url: str, tmp_path: Path):
    source = f"sqlite:///{tmp_path / 'source.db'}"
    eha(source, "demo", "--families", "2", "--seed", "11")
    central = next(f for f in json.loads(eha(source, "list", "--json").stdout) if f["locality"] == "central")
    path = tmp_path / "family.json"
    path.write_text(eha(source, "export", central["assessments"][0]["assessment_id"]).stdout, encoding="utf-8")
    eha(sqlite_url, "demo", "--families", "1", "--seed", "12")
    before = eha(sqlite_url, "list", "--json").stdout
    refused = eha(sqlite_url, "--as", "demo.lcss", "import", str(path), check=False)
    assert refused.returncode == 1
    assert "LCSS reviewers can read this record but not change it" in refused.stderr
    assert eha(sqlite_url, "list", "--json").stdout == before
