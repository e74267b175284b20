"""The one-time code that hands a sign-in's token to the server route setting the HttpOnly
cookie, on SQLite and on a real PostgreSQL: it gives the token once, within its lifetime,
for a live sign-in only, and the database keeps neither the code nor the token."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from eha.actor import Actor
from eha.errors import SignedOut
from storage.accounts_service import SIGN_IN_CODE_LIFETIME
from storage.models import SignInCodeRow
from storage.services import Workbook
from tests.support.clock import Clock

PASSWORD = "a long enough password"


@pytest.fixture
def token(workbook: Workbook) -> str:
    workbook.accounts.add(
        username="sam.worker", display_name="Sam", role="practitioner", password=PASSWORD, actor=Actor.system("t")
    )
    return workbook.accounts.sign_in(username="sam.worker", password=PASSWORD).token


def test_a_code_gives_its_sign_ins_token_once(workbook: Workbook, token: str):
    code = workbook.accounts.issue_sign_in_code(token=token)
    assert code != token
    assert workbook.accounts.redeem_sign_in_code(code=code) == token
    with pytest.raises(SignedOut):
        workbook.accounts.redeem_sign_in_code(code=code)
    with pytest.raises(SignedOut):
        workbook.accounts.redeem_sign_in_code(code="made-up")


def test_the_database_keeps_neither_the_code_nor_the_token(workbook: Workbook, token: str):
    code = workbook.accounts.issue_sign_in_code(token=token)
    with workbook._core.unit() as session:
        rows = session.scalars(select(SignInCodeRow)).all()
        kept = " ".join(f"{r.code_hash} {r.token_hash} {r.sealed_token}" for r in rows)
    assert len(rows) == 1 and code not in kept and token not in kept


def test_an_expired_code_or_one_for_an_ended_sign_in_is_refused(workbook: Workbook, token: str, clock: Clock):
    late = workbook.accounts.issue_sign_in_code(token=token)
    clock.offset += SIGN_IN_CODE_LIFETIME + timedelta(seconds=1)
    with pytest.raises(SignedOut):
        workbook.accounts.redeem_sign_in_code(code=late)
    ended = workbook.accounts.issue_sign_in_code(token=token)
    workbook.accounts.sign_out(token=token)
    with pytest.raises(SignedOut):
        workbook.accounts.redeem_sign_in_code(code=ended)
    with pytest.raises(SignedOut):
        workbook.accounts.issue_sign_in_code(token=token)
    # A code is used up by trying it, whether or not it was accepted.
    with workbook._core.unit() as session:
        assert session.scalars(select(SignInCodeRow)).all() == []
