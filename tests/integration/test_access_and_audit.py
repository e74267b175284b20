"""Who may see what, and the audit trail, through the service layer on SQLite and PostgreSQL."""

import threading
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import text

from eha.accounts import NOT_SET_UP, WRONG_CREDENTIALS
from eha.actor import Actor, Role, TeamRole
from eha.background import Carer, Child
from eha.errors import AccessDenied, SignedOut, SignInRefused
from eha.record import parse_record
from storage.db import make_engine
from storage.services import Workbook
from tests.support import AUDIT_KEY
from tests.support.eha import TEST_PEOPLE, add_people, sharing_on_safeguarding

PASSWORD = "a long test password"
OPERATOR = Actor.system("test")


@pytest.fixture
def people(workbook: Workbook) -> dict[str, Actor]:
    accounts = {**TEST_PEOPLE, "other": ("kit.other", "practitioner", None)}
    return add_people(workbook, accounts, password=PASSWORD, with_email=True)


def new_family(workbook: Workbook, actor: Actor, *, child: str = "Zoë Nowak", locality: str = "central"):
    return workbook.families.create(
        locality=locality,
        address="12 Church Lane\nBanbury",
        main_carer=Carer(name="Agnieszka Nowak", relationship="Mother"),
        child=Child(name=child, date_of_birth=date(2018, 2, 3)),
        actor=actor,
    )


class Trail:
    """Reads the audit log directly, so that counting entries adds none."""

    def __init__(self, url: str) -> None:
        self.engine = make_engine(url)

    def count(self) -> int:
        with self.engine.connect() as conn:
            return int(conn.execute(text("SELECT COUNT(*) FROM audit_log")).scalar_one())

    def last(self) -> dict:
        with self.engine.connect() as conn:
            row = conn.execute(text("SELECT * FROM audit_log ORDER BY seq DESC LIMIT 1")).mappings().one()
            return dict(row)


@pytest.fixture
def trail(workbook: Workbook, database_url: str):
    t = Trail(database_url)
    yield t
    t.engine.dispose()


ALLOWED = {"author": True, "other": False, "lcss_same": True, "lcss_other": False, "admin": False}


@pytest.mark.parametrize("who", list(ALLOWED))
def test_each_role_sees_exactly_its_scope(workbook: Workbook, people, who: str):
    family_id, assessment_id = new_family(workbook, people["author"])
    new_family(workbook, people["other"], child="Oliver Smith", locality="north")
    actor = people[who]
    reads = [
        lambda: workbook.families.get(family_id=family_id, actor=actor),
        lambda: workbook.assessments.open(assessment_id=assessment_id, actor=actor),
        lambda: workbook.families.export(family_id=family_id, actor=actor),
        lambda: workbook.sharing.history(family_id=family_id, actor=actor),
        lambda: workbook.families.of_assessment(assessment_id=assessment_id, actor=actor),
    ]
    for read in reads:
        if ALLOWED[who]:
            read()
        else:
            with pytest.raises(AccessDenied, match=r"^You don't have access to this record\.$"):
                read()
    if who == "admin":
        with pytest.raises(AccessDenied):
            workbook.families.search(query="", actor=actor)
    else:
        listed = {f.family_id for f in workbook.families.search(query="", actor=actor)}
        assert (family_id in listed) is ALLOWED[who]
        assert (family_id in {f.family_id for f in workbook.families.search(query="zoe", actor=actor)}) is ALLOWED[who]


def test_a_team_member_added_later_sees_the_family(workbook: Workbook, people):
    family_id, _ = new_family(workbook, people["author"])
    with pytest.raises(AccessDenied):
        workbook.families.get(family_id=family_id, actor=people["other"])
    workbook.families.add_to_team(
        family_id=family_id, username="kit.other", team_role=TeamRole.TAF_MEMBER, actor=people["author"]
    )
    assert workbook.families.get(family_id=family_id, actor=people["other"]).family_id == family_id
    assert workbook.families.team(family_id=family_id, actor=people["other"]) == [
        ("sam.worker", TeamRole.AUTHOR),
        ("kit.other", TeamRole.TAF_MEMBER),
    ]


def test_an_unknown_id_and_someone_elses_record_look_the_same_and_both_are_audited(workbook: Workbook, people, trail):
    family_id, _ = new_family(workbook, people["author"])
    messages = []
    for target in (family_id, "00000000-0000-0000-0000-000000000000"):
        with pytest.raises(AccessDenied) as refused:
            workbook.families.get(family_id=target, actor=people["other"])
        messages.append(str(refused.value))
        entry = trail.last()
        assert (entry["action"], entry["actor"], entry["record"]) == ("access_refused", "kit.other", f"family:{target}")
    assert messages[0] == messages[1] == "You don't have access to this record."


def test_every_action_writes_exactly_one_audit_entry(workbook: Workbook, people, trail, clock, tmp_path: Path):
    sam, lee = people["author"], people["lcss_same"]

    def once(action: str, do):
        before = trail.count()
        result = do()
        assert trail.count() == before + 1, action
        assert trail.last()["action"] == action
        return result

    def refused(do):
        before = trail.count()
        with pytest.raises((AccessDenied, SignInRefused)):
            do()
        assert trail.count() == before + 1
        return trail.last()

    token = once("signed_in", lambda: workbook.accounts.sign_in(username="sam.worker", password=PASSWORD)).token
    refused(lambda: workbook.accounts.sign_in(username="sam.worker", password="wrong password"))
    assert trail.last()["action"] == "sign_in_failed"
    family_id, assessment_id = once("created", lambda: new_family(workbook, sam))
    once("viewed", lambda: workbook.families.get(family_id=family_id, actor=sam))
    view = once("viewed", lambda: workbook.assessments.open(assessment_id=assessment_id, actor=sam))
    saved = once(
        "changed",
        lambda: workbook.assessments.save_details(
            assessment_id=assessment_id,
            expected_version=view.background.version,
            address="New",
            reason="Why",
            actor=sam,
        ),
    )
    assert (
        '"field":"address"' in trail.last()["details"]
        and '"before":"12 Church Lane\\nBanbury"' in trail.last()["details"]
    )
    extra = Child(name="Łukasz Nowak", date_of_birth=date(2021, 7, 7))
    saved = once(
        "changed",
        lambda: workbook.assessments.save_member(
            assessment_id=assessment_id, expected_version=saved.version, member=extra, actor=sam
        ),
    )
    once(
        "changed",
        lambda: workbook.assessments.remove_member(
            assessment_id=assessment_id, expected_version=saved.version, member_id=extra.id, actor=sam
        ),
    )
    record = once("exported", lambda: workbook.families.export(family_id=family_id, actor=lee))
    once("searched", lambda: workbook.families.search(query="zoe", actor=sam))
    once("searched", lambda: workbook.families.all(actor=lee))
    once(
        "team_changed",
        lambda: workbook.families.add_to_team(
            family_id=family_id, username="kit.other", team_role=TeamRole.LEAD, actor=sam
        ),
    )
    decision = sharing_on_safeguarding(date(2026, 11, 22))  # this family has no consent recorded
    once(
        "sharing_recorded", lambda: workbook.sharing.record_decision(family_id=family_id, decision=decision, actor=sam)
    )
    once("viewed", lambda: workbook.sharing.history(family_id=family_id, actor=sam))
    once("viewed", lambda: workbook.audit.trail(actor=lee))
    refused(lambda: workbook.families.get(family_id=family_id, actor=people["lcss_other"]))
    refused(lambda: workbook.audit.trail(actor=sam))
    once(
        "account_changed",
        lambda: workbook.accounts.add(
            username="new.person", display_name="New", role="practitioner", password=PASSWORD, actor=people["admin"]
        ),
    )
    once("account_changed", lambda: workbook.accounts.disable(username="new.person", actor=people["admin"]))
    once("signed_out", lambda: workbook.accounts.sign_out(token=token))
    sso = once("signed_in", lambda: workbook.accounts.sign_in_with_email(email="LEE.Central@Example.org"))
    refused(lambda: workbook.accounts.sign_in_with_email(email="stranger@example.org"))
    clock.offset += timedelta(minutes=31)
    with pytest.raises(SignedOut):
        once("signed_out", lambda: workbook.accounts.resume(token=sso.token))
    assert trail.last()["action"] == "signed_out" and '"why":"idle"' in trail.last()["details"]

    other = tmp_path / "other.db"
    from eha.localities import load_localities
    from storage.db import upgrade

    upgrade(f"sqlite:///{other}")
    target = Workbook(
        make_engine(f"sqlite:///{other}"), localities=load_localities(), audit_key=AUDIT_KEY.encode(), clock=clock
    )
    target.families.import_record(record=parse_record(record.to_json()), actor=OPERATOR)
    assert [e.entry.action for e in target.audit.trail(actor=OPERATOR)] == ["imported"]
    assert workbook.audit.verify(actor=OPERATOR)[1] is None


def test_a_refused_change_is_rolled_back_but_its_refusal_is_kept(workbook: Workbook, people, trail):
    family_id, assessment_id = new_family(workbook, people["author"])
    version = workbook.assessments.open(assessment_id=assessment_id, actor=people["author"]).background.version
    with pytest.raises(AccessDenied):
        workbook.assessments.save_details(
            assessment_id=assessment_id, expected_version=version, address="X", reason="Y", actor=people["other"]
        )
    assert trail.last()["action"] == "access_refused" and trail.last()["family_id"] == family_id
    assert workbook.assessments.open(assessment_id=assessment_id, actor=people["author"]).background.data.address != "X"


def test_lcss_read_their_localitys_trail_admins_all_practitioners_none(workbook: Workbook, people):
    central_id, _ = new_family(workbook, people["author"])
    north_id, _ = new_family(workbook, people["author"], child="Oliver Smith", locality="north")
    lee = people["lcss_same"]
    seen = {line.entry.family_id for line in workbook.audit.trail(actor=lee)}
    assert central_id in seen and north_id not in seen
    assert {line.entry.family_id for line in workbook.audit.trail(actor=people["admin"])} >= {central_id, north_id}
    with pytest.raises(AccessDenied):
        workbook.audit.trail(actor=people["author"])
    reference = workbook.families.get(family_id=central_id, actor=lee).reference
    by_record = workbook.audit.trail(actor=lee, record=reference.lower())
    assert by_record and {line.entry.family_id for line in by_record} == {central_id}
    assert by_record[0].family_reference == reference
    mine = workbook.audit.trail(actor=people["admin"], person="lee.central")
    assert mine and {line.entry.actor for line in mine} == {"lee.central"}
    assert workbook.audit.trail(actor=people["admin"], since=date(2026, 11, 23)).total == 0
    assert workbook.audit.trail(actor=people["admin"], until=date(2026, 11, 22))


def test_concurrent_writers_queue_on_the_chain_instead_of_forking_it(make_workbook, people, workbook: Workbook):
    family_id, _ = new_family(workbook, people["author"])
    servers = [make_workbook() for _ in range(4)]
    errors: list[BaseException] = []

    def work(wb: Workbook) -> None:
        try:
            for _ in range(8):
                wb.families.get(family_id=family_id, actor=people["lcss_same"])
        except BaseException as exc:  # reported below, on the test's thread
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(wb,)) for wb in servers]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert errors == []
    checked, broken = workbook.audit.verify(actor=OPERATOR)
    assert broken is None
    assert checked >= 32


def test_no_code_path_updates_or_deletes_audit_entries():
    storage = Path(__file__).resolve().parents[2] / "storage"
    # The one exception: migration 0007 re-keys the hashes of a trail it has checked (never its content).
    rekeying = storage / "migrations" / "versions" / "0007_audit_keyed.py"
    assert "update(audit_log)" in rekeying.read_text(encoding="utf-8")
    for source in storage.rglob("*.py"):
        if source == rekeying:
            continue
        body = source.read_text(encoding="utf-8")
        for forbidden in (
            "update(AuditEntryRow",
            "delete(AuditEntryRow",
            "UPDATE audit_log",
            "DELETE FROM audit_log",
            "update(audit_log",
            "delete(audit_log",
        ):
            assert forbidden not in body, f"{source.name}: {forbidden}"


# -- signing in --------------------------------------------------------------------------------


def test_wrong_password_unknown_user_and_disabled_account_get_the_same_answer(workbook: Workbook, people):
    workbook.accounts.disable(username="kit.other", actor=people["admin"])
    answers = []
    for username, password in (("sam.worker", "nope nope nope"), ("nobody.here", PASSWORD), ("kit.other", PASSWORD)):
        with pytest.raises(SignInRefused) as refused:
            workbook.accounts.sign_in(username=username, password=password)
        answers.append(str(refused.value))
    assert answers == [WRONG_CREDENTIALS] * 3
    assert workbook.accounts.sign_in(username="  Sam.Worker ", password=PASSWORD).actor.username == "sam.worker"


def test_repeated_failures_slow_down_then_lock_for_a_while_known_or_not(workbook: Workbook, people, clock):
    waits: list[float] = []
    workbook.accounts._sleep = waits.append
    for username in ("sam.worker", "nobody.here"):
        waits.clear()
        messages = []
        for _ in range(6):
            with pytest.raises(SignInRefused) as refused:
                workbook.accounts.sign_in(username=username, password="wrong password")
            messages.append(str(refused.value))
        assert messages[:4] == [WRONG_CREDENTIALS] * 4
        assert all("paused for 15 minutes" in m for m in messages[4:])
        assert waits == [1, 2, 4, 4]
    with pytest.raises(SignInRefused, match="paused"):
        workbook.accounts.sign_in(username="sam.worker", password=PASSWORD)
    clock.offset += timedelta(minutes=16)
    assert workbook.accounts.sign_in(username="sam.worker", password=PASSWORD).actor.role is Role.PRACTITIONER


def test_a_sign_in_lasts_while_active_and_ends_when_idle_or_signed_out(workbook: Workbook, people, clock):
    signed = workbook.accounts.sign_in(username="lee.central", password=PASSWORD)
    for _ in range(3):
        clock.offset += timedelta(minutes=29)
        assert workbook.accounts.resume(token=signed.token) == people["lcss_same"]
    clock.offset += timedelta(minutes=31)
    with pytest.raises(SignedOut, match="signed out after 30 minutes without activity"):
        workbook.accounts.resume(token=signed.token)
    with pytest.raises(SignedOut):
        workbook.accounts.resume(token=signed.token)
    again = workbook.accounts.sign_in(username="lee.central", password=PASSWORD)
    workbook.accounts.sign_out(token=again.token)
    with pytest.raises(SignedOut):
        workbook.accounts.resume(token=again.token)
    with pytest.raises(SignedOut):
        workbook.accounts.resume(token="made-up")


def test_disabling_an_account_ends_its_sign_ins(workbook: Workbook, people):
    signed = workbook.accounts.sign_in(username="sam.worker", password=PASSWORD)
    workbook.accounts.disable(username="sam.worker", actor=people["admin"])
    with pytest.raises(SignedOut):
        workbook.accounts.resume(token=signed.token)


def test_tokens_are_stored_only_as_hashes(workbook: Workbook, people, database_url):
    signed = workbook.accounts.sign_in(username="sam.worker", password=PASSWORD)
    engine = make_engine(database_url)
    with engine.connect() as conn:
        stored = conn.execute(text("SELECT token_hash FROM sign_in_sessions")).scalars().all()
        hashes = conn.execute(text("SELECT password_hash FROM accounts")).scalars().all()
    engine.dispose()
    assert signed.token not in stored and len(stored) == 1 and len(stored[0]) == 64
    assert all(h.startswith("$argon2id$") for h in hashes)


def test_single_sign_on_maps_an_email_to_its_account(workbook: Workbook, people):
    assert workbook.accounts.sign_in_with_email(email="Nia.North@EXAMPLE.org").actor == people["lcss_other"]
    with pytest.raises(SignInRefused, match=NOT_SET_UP.rstrip(".")):
        workbook.accounts.sign_in_with_email(email="someone@example.org")
    workbook.accounts.disable(username="nia.north", actor=people["admin"])
    with pytest.raises(SignInRefused):
        workbook.accounts.sign_in_with_email(email="nia.north@example.org")


def test_only_admins_run_accounts(workbook: Workbook, people):
    for who in ("author", "lcss_same"):
        with pytest.raises(AccessDenied):
            workbook.accounts.all(actor=people[who])
        with pytest.raises(AccessDenied):
            workbook.accounts.add(username="x.y", display_name="X", role="admin", password=PASSWORD, actor=people[who])
    assert len(workbook.accounts.all(actor=people["admin"])) == 5
