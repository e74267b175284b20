"""Many people at once, on SQLite and PostgreSQL: parallel sign-in attempts keep the lockout,
and parallel reads (each of which writes an audit entry) never fail for waiting on each other.

Each test starts its threads together at a barrier and collects what every call returned or
raised; nothing here measures time.
"""

import threading
from collections.abc import Callable
from functools import partial

import pytest
from sqlalchemy import text

from eha.accounts import WRONG_CREDENTIALS
from eha.actor import Actor
from eha.errors import SignInRefused
from storage.db import make_engine
from storage.services import Workbook

PASSWORD = "a long test password"
OPERATOR = Actor.system("test")


def in_parallel(calls: list[Callable[[], object]]) -> list[object]:
    """Run each call on its own thread, all released at once; what each returned or raised."""
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
        t.join(timeout=600)
    assert not any(t.is_alive() for t in threads), "a call never returned"
    return outcomes


def column(database_url: str, sql: str, **params: object) -> list:
    engine = make_engine(database_url)
    try:
        with engine.connect() as conn:
            return list(conn.execute(text(sql), params).scalars())
    finally:
        engine.dispose()


@pytest.fixture
def servers(make_workbook) -> list[Workbook]:
    """Three app servers over one database, none of them sleeping out the slow-down."""
    made = [make_workbook() for _ in range(3)]
    for wb in made:
        wb._sleep = lambda _seconds: None
    return made


@pytest.fixture
def sam(workbook: Workbook) -> Actor:
    return workbook.add_account(
        username="sam.worker", display_name="Sam Worker", role="practitioner", password=PASSWORD, actor=OPERATOR
    ).actor()


# -- signing in ------------------------------------------------------------------------------


def test_parallel_wrong_passwords_each_count_and_the_lock_holds_for_the_right_one(
    servers: list[Workbook], sam: Actor, database_url: str
):
    attempts = [partial(servers[i % 3].sign_in, username="sam.worker", password="wrong password") for i in range(25)]
    outcomes = in_parallel(attempts)
    assert [type(o) for o in outcomes] == [SignInRefused] * 25, outcomes
    with pytest.raises(SignInRefused, match="paused for 15 minutes"):
        servers[0].sign_in(username="sam.worker", password=PASSWORD)
    assert column(database_url, "SELECT failures FROM sign_in_attempts WHERE username = 'sam.worker'") == [26]
    assert column(database_url, "SELECT COUNT(*) FROM audit_log WHERE action = 'signed_in'") == [0]
    failed = column(database_url, "SELECT COUNT(*) FROM audit_log WHERE action = 'sign_in_failed'")
    assert failed == [26]
    assert servers[0].verify_audit_trail(actor=OPERATOR)[1] is None


@pytest.mark.parametrize("username", ["nobody.here", "sam.worker"])
def test_parallel_attempts_on_a_fresh_username_are_all_refused_without_a_crash(
    servers: list[Workbook], sam: Actor, database_url: str, username: str
):
    attempts = [partial(servers[i % 3].sign_in, username=username, password="wrong password") for i in range(30)]
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
    wrong = [partial(servers[i % 3].sign_in, username="sam.worker", password="wrong password") for i in range(3)]
    outcomes = in_parallel([*wrong, lambda: servers[0].sign_in(username="sam.worker", password=PASSWORD)])
    assert [type(o) for o in outcomes[:3]] == [SignInRefused] * 3, outcomes
    assert outcomes[3].actor == sam  # type: ignore[union-attr]
    (left,) = column(database_url, "SELECT failures FROM sign_in_attempts WHERE username = 'sam.worker'")
    assert 0 <= left <= 3
