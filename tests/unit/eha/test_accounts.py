"""Accounts and the sign-in policy, without a database."""

from datetime import UTC, datetime, timedelta

from eha.accounts import SignInPolicy, check_account, hash_password, password_matches

LOCALITIES = ("north", "central", "south")


def test_passwords_are_hashed_with_argon2id_and_checked():
    stored = hash_password("correct horse battery")
    assert stored.startswith("$argon2id$")
    assert "correct horse" not in stored
    assert password_matches(stored, "correct horse battery")
    assert not password_matches(stored, "correct horse batterY")
    assert not password_matches(None, "anything at all")
    assert not password_matches("not a hash", "anything at all")


def test_failures_slow_down_then_lock():
    policy = SignInPolicy(max_failures=5, lock_minutes=15)
    assert [policy.delay_after(n) for n in range(7)] == [0, 0, 1, 2, 4, 4, 4]
    now = datetime(2026, 11, 22, tzinfo=UTC)
    assert policy.locked_until(4, now) is None
    assert policy.locked_until(5, now) == now + timedelta(minutes=15)


def test_account_rules():
    def check(**changes):
        base = {
            "username": "sam.worker",
            "display_name": "Sam Worker",
            "role": "practitioner",
            "locality": None,
            "email": None,
            "password": "a long enough password",
            "localities": LOCALITIES,
        }
        return check_account(**{**base, **changes})

    assert check() == {}
    assert "username" in check(username="Sam Worker")
    assert "role" in check(role="system")
    assert "locality" in check(role="lcss")
    assert "locality" in check(role="lcss", locality="east")
    assert check(role="lcss", locality="north") == {}
    assert "password" in check(password="short")
    assert "password" in check(password=None)
    assert check(password=None, email="sam@example.org") == {}
    assert "email" in check(email="not an email")
