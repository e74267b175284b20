"""Many people at once, on SQLite and PostgreSQL: parallel sign-in attempts keep the lockout,
and parallel reads (each of which writes an audit entry) never fail for waiting on each other.

Each test starts its threads together at a barrier and collects what every call returned or
raised; nothing here measures time.
"""

import threading
from collections.abc import Callable
from datetime import date
from functools import partial
from typing import Any

import pytest
from sqlalchemy import Engine, event, make_url, text

import storage.audit_service
from eha.accounts import WRONG_CREDENTIALS
from eha.actor import Actor, TeamRole
from eha.background import Carer, Child
from eha.errors import DuplicateFamily, SignInRefused, ValidationFailed
from eha.localities import load_localities
from storage.db import make_engine
from storage.services import Workbook
from tests.support import AUDIT_KEY

PASSWORD = "a long test password"
OPERATOR = Actor.system("test")


def in_parallel(calls: list[Callable[[], object]], *, give_up_after: float = 600) -> list[object]:
    """Run each call on its own thread, all released at once; what each returned or raised.
    A call still running after `give_up_after` seconds fails the test (it would never end)."""
    barrier = threading.Barrier(len(calls))
    outcomes: list[object] = [None] * len(calls)

    def run(i: int, call: Callable[[], object]) -> None:
        barrier.wait()
        try:
            outcomes[i] = call()
        except BaseException as exc:  # looked at on the test's thread
            outcomes[i] = exc

    threads = [threading.Thread(target=run, args=(i, call)) for i, call in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=give_up_after)
    assert not any(t.is_alive() for t in threads), "a call never returned"
    return outcomes


def column(database_url: str, sql: str, **params: object) -> list:
    engine = make_engine(database_url)
    try:
        with engine.connect() as conn:
            return list(conn.execute(text(sql), params).scalars())
    finally:
        engine.dispose()


def short_waiting_engine(database_url: str) -> Engine:
    """An app server's engine whose SQLite busy wait is a quarter of a second, not ten, so
    that a unit left waiting on SQLite's lock fails at once instead of after a long wait."""
    engine = make_engine(database_url)
    if make_url(database_url).get_backend_name() == "sqlite":

        @event.listens_for(engine, "connect")
        def _short_wait(dbapi_connection: Any, _record: Any) -> None:
            dbapi_connection.execute("PRAGMA busy_timeout=250")

    return engine


@pytest.fixture
def servers(make_workbook) -> list[Workbook]:
    """Three app servers over one database, none of them sleeping out the slow-down."""
    made = [make_workbook() for _ in range(3)]
    for wb in made:
        wb.accounts._sleep = lambda _seconds: None
    return made


@pytest.fixture
def sam(workbook: Workbook) -> Actor:
    return workbook.accounts.add(
        username="sam.worker", display_name="Sam Worker", role="practitioner", password=PASSWORD, actor=OPERATOR
    ).actor()


# -- signing in ------------------------------------------------------------------------------


def test_parallel_wrong_passwords_each_count_and_the_lock_holds_for_the_right_one(
    servers: list[Workbook], sam: Actor, database_url: str
):
    attempts = [
        partial(servers[i % 3].accounts.sign_in, username="sam.worker", password="wrong password") for i in range(25)
    ]
    outcomes = in_parallel(attempts)
    assert [type(o) for o in outcomes] == [SignInRefused] * 25, outcomes
    with pytest.raises(SignInRefused, match="paused for 15 minutes"):
        servers[0].accounts.sign_in(username="sam.worker", password=PASSWORD)
    assert column(database_url, "SELECT failures FROM sign_in_attempts WHERE username = 'sam.worker'") == [26]
    assert column(database_url, "SELECT COUNT(*) FROM audit_log WHERE action = 'signed_in'") == [0]
    failed = column(database_url, "SELECT COUNT(*) FROM audit_log WHERE action = 'sign_in_failed'")
    assert failed == [26]
    assert servers[0].audit.verify(actor=OPERATOR)[1] is None


@pytest.mark.parametrize("username", ["nobody.here", "sam.worker"])
def test_parallel_attempts_on_a_fresh_username_are_all_refused_without_a_crash(
    servers: list[Workbook], sam: Actor, database_url: str, username: str
):
    attempts = [
        partial(servers[i % 3].accounts.sign_in, username=username, password="wrong password") for i in range(30)
    ]
    outcomes = in_parallel(attempts)
    assert [type(o) for o in outcomes] == [SignInRefused] * 30, outcomes
    # The first four failures say only that the details are wrong; from the fifth on, paused.
    messages = sorted(str(o) for o in outcomes)
    assert messages.count(WRONG_CREDENTIALS) == 4
    assert column(database_url, "SELECT failures FROM sign_in_attempts WHERE username = :u", u=username) == [30]


def test_a_right_password_among_parallel_wrong_ones_keeps_the_count_of_the_rest(
    servers: list[Workbook], sam: Actor, database_url: str
):
    """Three wrong and one right at once: however they interleave, the right one signs in
    (fewer than five attempts in all) and the failures left counted are the wrong ones that
    came after it, never more than three."""
    wrong = [
        partial(servers[i % 3].accounts.sign_in, username="sam.worker", password="wrong password") for i in range(3)
    ]
    outcomes = in_parallel([*wrong, lambda: servers[0].accounts.sign_in(username="sam.worker", password=PASSWORD)])
    assert [type(o) for o in outcomes[:3]] == [SignInRefused] * 3, outcomes
    assert outcomes[3].actor == sam  # type: ignore[union-attr]
    (left,) = column(database_url, "SELECT failures FROM sign_in_attempts WHERE username = 'sam.worker'")
    assert 0 <= left <= 3


# -- the same thing added twice at once -------------------------------------------------------


def test_the_same_account_child_or_team_member_added_at_once_is_added_once(
    workbook: Workbook, sam: Actor, database_url: str
):
    """Each of these checks that the thing is not there yet, then adds it; ten at once must
    end with one added and nine clear refusals (or, for the team, nine that find it there)."""
    accounts = in_parallel(
        [
            partial(
                workbook.accounts.add,
                username="kit.other",
                display_name="Kit",
                role="practitioner",
                password=PASSWORD,
                actor=OPERATOR,
            )
            for _ in range(10)
        ]
    )
    assert sorted(type(o).__name__ for o in accounts) == ["Account"] + ["ValidationFailed"] * 9, accounts
    assert {str(o) for o in accounts if isinstance(o, ValidationFailed)} == {
        "username: There is already an account with this username."
    }

    families = in_parallel(
        [
            partial(
                workbook.families.create,
                locality="central",
                address="12 Church Lane",
                main_carer=Carer(name="Agnieszka Nowak", relationship="Mother"),
                child=Child(name="Zoë Nowak", date_of_birth=date(2018, 2, 3)),
                actor=sam,
            )
            for _ in range(10)
        ]
    )
    created = [o for o in families if isinstance(o, tuple)]
    assert len(created) == 1 and all(isinstance(o, DuplicateFamily) for o in families if o not in created), families
    assert column(database_url, "SELECT COUNT(*) FROM families") == [1]

    family_id = created[0][0]
    added = in_parallel(
        [
            partial(
                workbook.families.add_to_team,
                family_id=family_id,
                username="kit.other",
                team_role=TeamRole.TAF_MEMBER,
                actor=sam,
            )
            for _ in range(10)
        ]
    )
    assert added == [None] * 10
    assert workbook.families.team(family_id=family_id, actor=sam) == [
        ("sam.worker", TeamRole.AUTHOR),
        ("kit.other", TeamRole.TAF_MEMBER),
    ]


# -- reading while others read and write -------------------------------------------------------


def test_parallel_reads_and_saves_never_fail_for_waiting_on_each_other(sam: Actor, database_url: str, clock):
    """One app server, eight people at once, 60 calls each: views (each writes its audit
    entry) and, from two of them, saves. On SQLite the server's busy wait is cut to a quarter
    of a second: before units of work queued, the same load failed about one read in 480 with
    "database is locked" after the full ten seconds; with so short a wait it failed many."""
    engine = short_waiting_engine(database_url)
    server = Workbook(engine, localities=load_localities(), audit_key=AUDIT_KEY.encode(), clock=clock)
    families = [
        server.families.create(
            locality="central",
            address=f"{n} Church Lane",
            main_carer=Carer(name="Agnieszka Nowak", relationship="Mother"),
            child=Child(name=f"Zoë Nowak {n}", date_of_birth=date(2018, 2, n + 1)),
            actor=sam,
        )
        for n in range(4)
    ]
    before = column(database_url, "SELECT COUNT(*) FROM audit_log")[0]

    def person(n: int) -> int:
        done = 0
        for call in range(60):
            family_id, assessment_id = families[(n + call) % len(families)]
            if n < 2 and call % 6 == 5:
                # Each saver has a family of its own, so no save is refused as stale.
                family_id, assessment_id = families[n]
                version = server.assessments.open(assessment_id=assessment_id, actor=sam).background.version
                server.assessments.save_details(
                    assessment_id=assessment_id,
                    expected_version=version,
                    address=f"{call} Mill Street",
                    reason="Worried about school attendance.",
                    actor=sam,
                )
                done += 2
                continue
            view = (
                partial(server.families.get, family_id=family_id),
                partial(server.assessments.open, assessment_id=assessment_id),
                partial(server.families.search, query="nowak"),
                partial(server.taf.my_families),
                partial(server.sharing.history, family_id=family_id),
                partial(server.families.export, family_id=family_id),
            )[call % 6]
            view(actor=sam)
            done += 1
        return done

    outcomes = in_parallel([partial(person, n) for n in range(8)])
    failures = [o for o in outcomes if isinstance(o, BaseException)]
    assert failures == []
    # Every call wrote exactly its audit entry, and the chain is whole.
    assert column(database_url, "SELECT COUNT(*) FROM audit_log")[0] - before == sum(outcomes)  # type: ignore[arg-type]
    assert server.audit.verify(actor=OPERATOR)[1] is None
    engine.dispose()


def test_verifying_the_audit_trail_holds_nobody_up(
    workbook: Workbook, sam: Actor, database_url: str, clock, monkeypatch
):
    """`eha audit verify` reads the whole trail in one snapshot, which can take a while on a
    big trail; an app server's views and saves go on meanwhile (the check is made to wait for
    one of them halfway through)."""
    family_id, _ = workbook.families.create(
        locality="central",
        address="12 Church Lane",
        main_carer=Carer(name="Agnieszka Nowak", relationship="Mother"),
        child=Child(name="Zoë Nowak", date_of_birth=date(2018, 2, 3)),
        actor=sam,
    )
    engine = short_waiting_engine(database_url)
    app = Workbook(engine, localities=load_localities(), audit_key=AUDIT_KEY.encode(), clock=clock)
    real_check = storage.audit_service.verify_chain
    meanwhile: list[object] = []

    def check_while_someone_works(entries, **kwargs):
        read = list(entries)
        meanwhile.extend(in_parallel([partial(app.families.get, family_id=family_id, actor=sam)], give_up_after=60))
        return real_check(iter(read), **kwargs)

    monkeypatch.setattr(storage.audit_service, "verify_chain", check_while_someone_works)
    checked, broken = workbook.audit.verify(actor=OPERATOR)
    assert broken is None and checked >= 2
    assert [getattr(o, "family_id", o) for o in meanwhile] == [family_id]
    # The view made meanwhile is on the trail, after the entries that were checked.
    monkeypatch.setattr(storage.audit_service, "verify_chain", real_check)
    assert workbook.audit.verify(actor=OPERATOR) == (checked + 1, None)
    engine.dispose()
