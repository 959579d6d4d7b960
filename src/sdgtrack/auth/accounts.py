"""Accounts and roles. Public readers have no account; everyone who writes has one:

- ``admin``: the secretariat; loads any data, sees the audit trail, rolls loads back, moderates
  stakeholder evidence, manages accounts.
- ``provider``: a national statistics office or line ministry; loads data for its areas only
  (a country covers its sub-national areas).
- ``contributor``: civil society or academia; submits evidence, which is shown marked as
  non-official once an administrator approves it, and never enters the official series.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

import duckdb

from sdgtrack import framework
from sdgtrack.auth.passwords import check_password, hash_password, needs_rehash, weakness
from sdgtrack.errors import NoSuchRecord, UsageError
from sdgtrack.store import Store
from sdgtrack.store.audit import now, record_event

USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{1,39}$")
MAX_ORGANISATION = 200


class Role(StrEnum):
    ADMIN = "admin"
    PROVIDER = "provider"
    CONTRIBUTOR = "contributor"


@dataclass(frozen=True)
class User:
    user_id: int
    username: str
    role: Role
    areas: tuple[str, ...]  # M49 or sub-national codes; empty: every area
    organisation: str
    disabled: bool

    def covers(self, area: str, parents: dict[str, str | None]) -> bool:
        """Whether the account may write data for ``area``: one of its areas, or inside one
        (``parents`` maps a sub-national area to the area it belongs to)."""
        if not self.areas:
            return self.role is not Role.PROVIDER
        seen: set[str] = set()
        code: str | None = area
        while code is not None and code not in seen:  # a cycle of parents ends the walk
            if code in self.areas:
                return True
            seen.add(code)
            code = parents.get(code)
        return False

    def public(self) -> dict[str, Any]:
        return {"username": self.username, "role": self.role.value, "areas": list(self.areas),
                "organisation": self.organisation, "disabled": self.disabled}


def _user(row: tuple[Any, ...]) -> User:
    user_id, username, role, areas, organisation, disabled = row
    return User(int(user_id), str(username), Role(role), tuple(json.loads(areas)),
                str(organisation or ""), bool(disabled))


_COLUMNS = "user_id, username, role, areas, organisation, disabled"


def has_accounts(store: Store) -> bool:
    """Whether the store has any account (an older store opened read-only has no table)."""
    try:
        return bool(store.con.execute("SELECT count(*) FROM users").fetchall()[0][0])
    except duckdb.CatalogException:  # a store from before accounts existed
        return False


def get_user(store: Store, username: str) -> User | None:
    rows = store.con.execute(f"SELECT {_COLUMNS} FROM users WHERE username = ?",
                             [username]).fetchall()
    return _user(rows[0]) if rows else None


def user_by_id(store: Store, user_id: int) -> User | None:
    rows = store.con.execute(f"SELECT {_COLUMNS} FROM users WHERE user_id = ?",
                             [user_id]).fetchall()
    return _user(rows[0]) if rows else None


def require_user(store: Store, username: str) -> User:
    user = get_user(store, username)
    if user is None:
        raise NoSuchRecord(f"There is no account {username!r}; `sdgtrack users list` lists "
                           "them.")
    return user


def list_users(store: Store) -> list[User]:
    return [_user(r) for r in store.con.execute(
        f"SELECT {_COLUMNS} FROM users ORDER BY username").fetchall()]


def resolve_areas(store: Store, codes: list[str]) -> tuple[str, ...]:
    """M49 codes (from M49, ISO3 or ISO2) or sub-national codes the store knows."""
    known = store.known_areas()
    out = []
    for code in codes:
        try:
            out.append(framework.resolve_area(code))
        except UsageError:
            if code not in known:
                raise UsageError(f"Unknown area {code!r}: give an M49 or ISO3 code (398, KAZ) "
                                 "or a sub-national code already in the store.") from None
            out.append(code)
    return tuple(sorted(set(out)))


def _check_new(username: str, role: Role, areas: tuple[str, ...], organisation: str) -> None:
    if not USERNAME.fullmatch(username):
        raise UsageError(f"{username[:60]!r} cannot be a user name: use 2 to 40 lower-case "
                         "letters, digits, '.', '_' or '-', starting with a letter or digit.")
    if role is Role.PROVIDER and not areas:
        raise UsageError("A data provider needs at least one area: give --area (e.g. KAZ).")
    if role is Role.ADMIN and areas:
        raise UsageError("An administrator covers every area: omit --area.")
    if len(organisation) > MAX_ORGANISATION or any(ord(c) < 32 for c in organisation):
        raise UsageError(f"The organisation must be one line of at most {MAX_ORGANISATION} "
                         "characters.")


def add_user(store: Store, username: str, role: Role, password: str,
             areas: list[str] | None = None, organisation: str = "",
             actor: str | None = None) -> User:
    """Create an account; ``areas`` (M49, ISO3 or sub-national codes) scope a provider."""
    codes = resolve_areas(store, areas or [])
    _check_new(username, role, codes, organisation)
    if (problem := weakness(password)) is not None:
        raise UsageError(problem)
    with store.transaction():
        if get_user(store, username) is not None:
            raise UsageError(f"There is already an account {username!r}.")
        store.con.execute(
            "INSERT INTO users VALUES (?, ?, ?, ?, ?, ?, false, ?)",
            [store.next_id("user_ids"), username, role.value, json.dumps(codes), organisation,
             hash_password(password), now()])
        record_event(store.con, actor, "user_add", f"user:{username}",
                     {"role": role.value, "areas": codes})
    return require_user(store, username)


def set_disabled(store: Store, username: str, disabled: bool, actor: str | None = None) -> User:
    """Disable (or enable again) an account. A disabled account's sessions end and its API
    tokens are revoked, so enabling it again revives none of them: its owner asks for new
    ones."""
    user = require_user(store, username)
    with store.transaction():
        store.con.execute("UPDATE users SET disabled = ? WHERE user_id = ?",
                          [disabled, user.user_id])
        if disabled:
            _end_credentials(store, user.user_id)
        record_event(store.con, actor, "user_disable" if disabled else "user_enable",
                     f"user:{username}")
    return require_user(store, username)


def set_areas(store: Store, username: str, areas: list[str], actor: str | None = None
              ) -> User:
    """Give an account other areas (M49, ISO3 or sub-national codes)."""
    user = require_user(store, username)
    codes = resolve_areas(store, areas)
    _check_new(username, user.role, codes, user.organisation)
    with store.transaction():
        store.con.execute("UPDATE users SET areas = ? WHERE user_id = ?",
                          [json.dumps(codes), user.user_id])
        record_event(store.con, actor, "user_areas", f"user:{username}", {"areas": codes})
    return require_user(store, username)


def set_password(store: Store, username: str, password: str, actor: str | None = None) -> None:
    """A new password: the account's sessions end and its API tokens are revoked."""
    user = require_user(store, username)
    if (problem := weakness(password)) is not None:
        raise UsageError(problem)
    with store.transaction():
        store.con.execute("UPDATE users SET password_hash = ? WHERE user_id = ?",
                          [hash_password(password), user.user_id])
        _end_credentials(store, user.user_id)
        record_event(store.con, actor, "password_set", f"user:{username}")


def _end_credentials(store: Store, user_id: int) -> None:
    """End every session of an account and revoke every API token it has: a new password
    (the old one may be known to someone else) or a disabled account leaves no way in."""
    store.con.execute("DELETE FROM sessions WHERE user_id = ?", [user_id])
    store.con.execute("UPDATE api_tokens SET revoked_at = ? WHERE user_id = ? "
                      "AND revoked_at IS NULL", [now(), user_id])


def authenticate(store: Store, username: str, password: str) -> User | None:
    """The enabled account with this name and password, or None (the same for an unknown
    name, a wrong password or a disabled account, so the answer reveals nothing)."""
    rows = store.con.execute("SELECT password_hash FROM users WHERE username = ?",
                             [username]).fetchall() if USERNAME.fullmatch(username) else []
    stored = str(rows[0][0]) if rows and rows[0][0] else None
    if not check_password(stored, password) or stored is None:
        return None
    user = get_user(store, username)
    if user is None or user.disabled:
        return None
    if needs_rehash(stored):
        store.con.execute("UPDATE users SET password_hash = ? WHERE user_id = ?",
                          [hash_password(password), user.user_id])
    return user
