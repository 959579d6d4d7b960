"""Accounts, passwords, API tokens, sessions and the sign-in rate limit (issue 8), on a real
store: a DuckDB file and a PostgreSQL database."""

import hashlib

import pytest

from sdgtrack import auth
from sdgtrack.auth import Role
from sdgtrack.errors import NoSuchRecord, TooManyAttempts, UsageError

import accounts
from accounts import PASSWORD, add_accounts

fast_hashing = accounts.fast_hashing  # a shared fixture

pytestmark = [pytest.mark.usefixtures("fast_hashing"), pytest.mark.both_backends]


@pytest.fixture
def users(store):
    return add_accounts(store)


def _all_text(store) -> str:
    """Every value of the account tables, as one text (to look for leaked secrets)."""
    parts = []
    for table in ("users", "api_tokens", "sessions", "audit_events"):
        parts += [str(v) for row in store.con.execute(f"SELECT * FROM {table}").fetchall()
                  for v in row]
    return "\n".join(parts)


def test_passwords_are_stored_as_argon2id_hashes(store, users):
    (stored,) = store.con.execute("SELECT password_hash FROM users WHERE username = 'kz-nso'"
                                  ).fetchall()[0]
    assert stored.startswith("$argon2id$")  # the algorithm is in the hash itself
    assert PASSWORD not in _all_text(store)
    assert ("398",) == users["kz-nso"].areas  # KAZ given, stored as its M49 code


def test_sign_in_checks_password_and_state(store, users):
    assert "kz-nso" == auth.authenticate(store, "kz-nso", PASSWORD).username
    assert auth.authenticate(store, "kz-nso", PASSWORD + "x") is None
    assert auth.authenticate(store, "nobody", PASSWORD) is None
    assert auth.authenticate(store, "' OR '1'='1", PASSWORD) is None
    auth.set_disabled(store, "kz-nso", True)
    assert auth.authenticate(store, "kz-nso", PASSWORD) is None  # disabled: refused
    auth.set_disabled(store, "kz-nso", False)
    assert auth.authenticate(store, "kz-nso", PASSWORD) is not None


@pytest.mark.parametrize("name, role, areas, message", [
    ("x'; DROP TABLE users; --", Role.PROVIDER, ["KAZ"], "cannot be a user name"),
    ("../admin", Role.PROVIDER, ["KAZ"], "cannot be a user name"),
    ("a" * 5000, Role.CONTRIBUTOR, [], "cannot be a user name"),
    ("nul\0name", Role.CONTRIBUTOR, [], "cannot be a user name"),
    ("kz-moh", Role.PROVIDER, [], "needs at least one area"),
    ("boss", Role.ADMIN, ["KAZ"], "covers every area"),
    ("kz-moh", Role.PROVIDER, ["ATLANTIS"], "Unknown area 'ATLANTIS'"),
    ("admin", Role.ADMIN, [], "already an account"),
])
def test_bad_accounts_are_refused_with_the_reason(store, users, name, role, areas, message):
    before = store.fingerprint()
    with pytest.raises(UsageError) as err:
        auth.add_user(store, name, role, PASSWORD, areas)
    assert message in str(err.value)
    assert before == store.fingerprint()


def test_weak_passwords_are_refused(store):
    for password, message in (("short", "at least 10"), ("x" * 2000, "at most 1024"),
                              ("ten chars\0!", "NUL")):
        with pytest.raises(UsageError, match=message):
            auth.add_user(store, "someone", Role.CONTRIBUTOR, password)


def test_api_tokens_are_stored_as_digests_and_can_be_revoked(store, users):
    token_id, secret = auth.issue_token(store, users["kz-nso"], "nightly upload")
    assert secret.startswith("sdgt_") and len(secret) > 40
    assert secret not in _all_text(store)
    (digest,) = store.con.execute("SELECT token_hash FROM api_tokens").fetchall()[0]
    assert hashlib.sha256(secret.encode()).hexdigest() == digest
    assert "kz-nso" == auth.token_user(store, secret).username
    assert auth.token_user(store, secret[:-1]) is None
    auth.revoke_token(store, token_id, actor="admin")
    assert auth.token_user(store, secret) is None  # revoked: stops working at once
    with pytest.raises(NoSuchRecord):
        auth.revoke_token(store, 999)


def test_a_disabled_account_loses_its_tokens_and_sessions(store, users):
    _, secret = auth.issue_token(store, users["np-cbs"])
    session = auth.start_session(store, users["np-cbs"], hours=1)
    assert auth.session_of(store, session.secret) is not None
    auth.set_disabled(store, "np-cbs", True)
    assert auth.token_user(store, secret) is None
    assert auth.session_of(store, session.secret) is None


def test_sessions_expire_and_end(store, users):
    live = auth.start_session(store, users["admin"], hours=1)
    expired = auth.start_session(store, users["admin"], hours=-1)
    assert "admin" == auth.session_of(store, live.secret).user.username
    assert live.csrf != live.secret and len(live.csrf) >= 40
    assert auth.session_of(store, expired.secret) is None
    auth.end_session(store, live.secret)
    assert auth.session_of(store, live.secret) is None
    assert auth.session_of(store, "x" * 5000) is None


@pytest.mark.parametrize("kept", ["memory", "store"])
def test_the_rate_limit_refuses_then_forgives(kept, store_at):
    from contextlib import nullcontext

    from sdgtrack.store import Store

    now = [1000.0]
    if kept == "memory":
        limiter = auth.SignInLimiter(attempts=3, window=60, clock=lambda: now[0])
    else:
        store = Store(store_at)
        limiter = auth.StoredLimiter(lambda: nullcontext(store), attempts=3, window=60,
                                     clock=lambda: now[0])
    for _ in range(3):
        limiter.check("user:kz-nso")
        limiter.failed("user:kz-nso")
        now[0] += 1
    with pytest.raises(TooManyAttempts) as err:
        limiter.check("user:kz-nso")
    assert 57 == err.value.retry_after  # now 1003; the first failure (1000) ages out at 1060
    assert 429 == err.value.status
    limiter.check("user:np-cbs")  # other accounts are not affected
    now[0] += 57
    limiter.check("user:kz-nso")


def test_areas_cover_their_subnational_areas(users):
    kz = users["kz-nso"]
    parents = {"KZ-ALA": "398", "KZ-ALA-1": "KZ-ALA", "NP-P1": "524"}
    assert kz.covers("398", parents) and kz.covers("KZ-ALA-1", parents)
    assert not kz.covers("524", parents) and not kz.covers("NP-P1", parents)
    assert users["admin"].covers("524", parents)


def test_account_changes_are_in_the_audit_trail(store, users):
    auth.set_disabled(store, "csos2", True, actor="admin")
    events = store.con.execute("SELECT actor, action, target FROM audit_events "
                               "ORDER BY event_id").fetchall()
    assert ("admin", "user_disable", "user:csos2") == events[-1]
    assert 5 == sum(1 for e in events if e[1] == "user_add")


def test_the_real_hash_parameters(monkeypatch):
    from sdgtrack.auth.passwords import check_password, hash_password, needs_rehash

    monkeypatch.undo()  # the real hasher, not the tests' cheap one

    # argon2-cffi's defaults: RFC 9106's low-memory profile (64 MiB, 3 passes, 4 lanes)
    stored = hash_password(PASSWORD)
    assert stored.startswith("$argon2id$v=19$m=65536,t=3,p=4$")
    assert check_password(stored, PASSWORD) and not check_password(stored, "wrong one!")
    cheap = "$argon2id$v=19$m=8,t=1,p=1$c29tZXNhbHQ$9sTbSlTio3Biev89thdrlKKiCaYsjjYVJxGAL3swxpg"
    assert needs_rehash(cheap)  # a hash made with less work is upgraded at the next sign-in
