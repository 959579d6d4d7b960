"""Secrets that stand for an account: web sessions (a cookie, with a CSRF token for the forms
of that session) and API tokens for scripted uploads. Only SHA-256 digests are stored: the
secrets are random (256 bits), so a fast digest is enough, and a copy of the store file gives
no usable token. A session or token of a disabled account stops working at once."""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import duckdb

from sdgtrack.auth.accounts import User, user_by_id
from sdgtrack.errors import NoSuchRecord, UsageError
from sdgtrack.store import Store
from sdgtrack.store.audit import now, record_event

TOKEN_PREFIX = "sdgt_"
MAX_SECRET = 200  # longer is no secret of ours: refused before hashing
MAX_LABEL = 100
LABEL = re.compile(rf"^[\w .,:()-]{{0,{MAX_LABEL}}}$")


def new_secret() -> str:
    return secrets.token_urlsafe(32)


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8", "replace")).hexdigest()


def same(a: str | None, b: str | None) -> bool:
    """Constant-time comparison of two secrets (False when either is missing)."""
    if not a or not b:
        return False
    return hmac.compare_digest(a.encode("utf-8", "replace"), b.encode("utf-8", "replace"))


def _enabled(store: Store, user_id: int) -> User | None:
    user = user_by_id(store, user_id)
    return None if user is None or user.disabled else user


# -- API tokens ---------------------------------------------------------------------------

def issue_token(store: Store, user: User, label: str = "", actor: str | None = None
                ) -> tuple[int, str]:
    """A new API token for ``user``: (its id, the secret). The secret is shown once."""
    if not LABEL.fullmatch(label):
        raise UsageError(f"A token label is at most {MAX_LABEL} letters, digits, spaces and "
                         "'.,:()_-' (what the token is for: 'nightly upload').")
    secret = TOKEN_PREFIX + new_secret()
    with store.transaction():
        token_id = store.next_id("token_ids")
        store.con.execute("INSERT INTO api_tokens VALUES (?, ?, ?, ?, ?, NULL)",
                          [token_id, user.user_id, digest(secret), label, now()])
        record_event(store.con, actor, "token_issue", f"token:{token_id}",
                     {"user": user.username, "label": label})
    return token_id, secret


def revoke_token(store: Store, token_id: int, actor: str | None = None) -> None:
    with store.transaction():
        rows = store.con.execute("SELECT revoked_at FROM api_tokens WHERE token_id = ?",
                                 [token_id]).fetchall()
        if not rows:
            raise NoSuchRecord(f"There is no API token {token_id}; `sdgtrack users token NAME "
                               "--list` lists a user's tokens.")
        store.con.execute("UPDATE api_tokens SET revoked_at = ? WHERE token_id = ? "
                          "AND revoked_at IS NULL", [now(), token_id])
        record_event(store.con, actor, "token_revoke", f"token:{token_id}")


def tokens_of(store: Store, user: User) -> list[dict[str, Any]]:
    cur = store.con.execute("SELECT token_id, label, created_at, revoked_at FROM api_tokens "
                            "WHERE user_id = ? ORDER BY token_id", [user.user_id])
    names = [d[0] for d in cur.description]
    return [dict(zip(names, r)) for r in cur.fetchall()]


def token_user(store: Store, secret: str) -> User | None:
    """The enabled account of an unrevoked API token, or None."""
    if not secret.startswith(TOKEN_PREFIX) or len(secret) > MAX_SECRET:
        return None
    try:
        rows = store.con.execute("SELECT user_id FROM api_tokens WHERE token_hash = ? AND "
                                 "revoked_at IS NULL", [digest(secret)]).fetchall()
    except duckdb.CatalogException:  # a store from before accounts existed
        return None
    return _enabled(store, int(rows[0][0])) if rows else None


# -- web sessions -------------------------------------------------------------------------

@dataclass(frozen=True)
class Session:
    secret: str  # the cookie's value
    csrf: str  # every form of the session carries it
    user: User
    expires_at: datetime


def start_session(store: Store, user: User, hours: int) -> Session:
    started = now()
    session = Session(new_secret(), new_secret(), user, started + timedelta(hours=hours))
    with store.transaction():
        store.con.execute("DELETE FROM sessions WHERE expires_at < ?", [started])
        store.con.execute("INSERT INTO sessions VALUES (?, ?, ?, ?, ?)",
                          [digest(session.secret), user.user_id, session.csrf, started,
                           session.expires_at])
    return session


def session_of(store: Store, secret: str) -> Session | None:
    """The live session of a cookie value, or None (unknown, expired, account disabled)."""
    if len(secret) > MAX_SECRET:
        return None
    try:
        rows = store.con.execute("SELECT user_id, csrf, expires_at FROM sessions WHERE "
                                 "session_hash = ? AND expires_at > ?",
                                 [digest(secret), now()]).fetchall()
    except duckdb.CatalogException:
        return None
    if not rows:
        return None
    user = _enabled(store, int(rows[0][0]))
    return Session(secret, str(rows[0][1]), user, rows[0][2]) if user else None


def end_session(store: Store, secret: str) -> None:
    store.con.execute("DELETE FROM sessions WHERE session_hash = ?", [digest(secret)])
