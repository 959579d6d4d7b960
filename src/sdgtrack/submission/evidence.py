"""The rules for stakeholder evidence: contributor accounts (and administrators) submit it,
attached to a goal, target or indicator and an area; an administrator approves or rejects it;
the public sees approved contributions only, a contributor also sees its own."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache
from typing import Any

from sdgtrack import framework
from sdgtrack.auth import Role, User
from sdgtrack.auth.accounts import resolve_areas
from sdgtrack.errors import Forbidden, NoSuchRecord, NotSignedIn, Unprocessable, UsageError
from sdgtrack.store import Store
from sdgtrack.store import evidence as table
from sdgtrack.store.audit import record_event
from sdgtrack.submission.scope import parents

LIMITS = {"title": 200, "summary": 4000, "value": 200, "source_url": 500, "note": 1000}
URL = re.compile(r"^https?://[^\s<>\"']+$")
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


@dataclass(frozen=True)
class Contribution:
    code: str  # a goal (3), target (3.2) or indicator (3.2.1)
    ref_area: str  # M49, ISO3 or a sub-national code
    title: str
    summary: str = ""
    value: str | None = None  # the contributor's figure, as text ("62% of respondents")
    time_period: int | None = None
    source_url: str | None = None


@cache
def framework_codes() -> frozenset[str]:
    return frozenset(str(c) for name, column in (("goals", "goal"), ("targets", "target"),
                                                 ("indicators", "indicator"))
                     for c in framework.table(name)[column].to_pylist())


def _text(name: str, value: str | None, one_line: bool = True) -> None:
    if value is None:
        return
    if len(value) > LIMITS[name]:
        raise UsageError(f"{name}: at most {LIMITS[name]} characters.")
    if CONTROL.search(value) or (one_line and ("\n" in value or "\r" in value)):
        raise UsageError(f"{name}: control characters are not allowed"
                         + (" (one line only)." if one_line else "."))


def _check(c: Contribution) -> None:
    if c.code not in framework_codes():
        raise Unprocessable(f"{c.code[:40]!r} is no goal, target or indicator: give e.g. 3, 3.2 "
                         "or 3.2.1.")
    if not c.title.strip():
        raise Unprocessable("title: say in a few words what the evidence shows.")
    for name in ("title", "value", "source_url"):
        _text(name, getattr(c, name))
    _text("summary", c.summary, one_line=False)
    if c.source_url and not URL.fullmatch(c.source_url):
        raise Unprocessable("source_url: give a web address starting with https:// or http://.")
    if c.time_period is not None and not 1900 <= c.time_period <= 2100:
        raise Unprocessable("time_period: a year between 1900 and 2100.")


def refuse_providers(user: User, what: str) -> None:
    """Data providers load official data; ``what`` ("evidence is") is for contributors."""
    if user.role is Role.PROVIDER:
        raise Forbidden(f"Data provider accounts load official data; {what} "
                        "submitted by contributor accounts.")


def contributor_area(store: Store, user: User, ref_area: str) -> str:
    """The M49 code of ``ref_area``, which must be an area of ``user``'s account."""
    try:
        (area,) = resolve_areas(store, [ref_area])
    except UsageError as exc:  # a well-formed code of no area: the request is understood
        raise Unprocessable(str(exc)) from exc
    if not user.covers(area, parents(store)):
        raise Forbidden(f"Area {area} is outside the areas of account {user.username!r}.")
    return area


def submit(store: Store, user: User, c: Contribution) -> dict[str, Any]:
    """Record a contribution, pending moderation."""
    refuse_providers(user, "evidence is")
    _check(c)
    area = contributor_area(store, user, c.ref_area)
    now = datetime.now(UTC).replace(tzinfo=None)
    with store.transaction():
        evidence_id = store.next_id("evidence_ids")
        store.con.execute(
            "INSERT INTO evidence VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, NULL, NULL)",
            [evidence_id, user.user_id, user.organisation, c.code, area, c.time_period,
             c.value, c.title.strip(), c.summary, c.source_url, table.PENDING, now])
        record_event(store.con, user.username, "evidence_submit", f"evidence:{evidence_id}",
                     {"code": c.code, "ref_area": area})
    return get(store, user, evidence_id)


#: Kept from the public: who moderated a contribution, the note, and the account name.
PRIVATE = ("submitted_by", "moderated_by", "note")


def _shown(item: dict[str, Any], user: User | None) -> dict[str, Any]:
    """An item as ``user`` may see it: everything for an administrator or its contributor,
    without ``PRIVATE`` for anyone else."""
    if user is not None and (user.role is Role.ADMIN or item["submitted_by"] == user.username):
        return item
    return {k: v for k, v in item.items() if k not in PRIVATE}


def visible(store: Store, user: User | None, code: str | None = None,
            area: str | None = None, status: str | None = None) -> list[dict[str, Any]]:
    """What ``user`` (None: the public) may see: an administrator everything; a contributor
    the approved contributions and its own; everyone else the approved ones."""
    if user is not None and user.role is Role.ADMIN:
        return table.query(store, code, area, status)
    contributor = user is not None and user.role is Role.CONTRIBUTOR
    if status == table.APPROVED or (status is None and not contributor):
        return [_shown(e, user) for e in table.approved(store, code, area)]
    if user is None:  # anonymous: sign in first (401), whatever the query
        raise NotSignedIn("Pending and rejected contributions are seen by their contributor "
                          "and the administrators: sign in, or send an API token.")
    if not contributor:
        raise Forbidden("Only approved contributions are public; pending and rejected ones "
                        "are seen by their contributor and the administrators.")
    if status is None:
        return [_shown(e, user) for e in table.query(store, code, area, table.APPROVED,
                                                     also_user_id=user.user_id)]
    return table.query(store, code, area, status, user_id=user.user_id)


def get(store: Store, user: User | None, evidence_id: int) -> dict[str, Any]:
    rows = table.query(store, evidence_id=evidence_id)
    if not rows:
        raise NoSuchRecord(f"There is no contribution {evidence_id}.")
    found = rows[0]
    mine = user is not None and found["submitted_by"] == user.username
    if found["status"] != table.APPROVED and user is None:
        raise NotSignedIn(f"Contribution {evidence_id} is not public (it is "
                          f"{found['status']}): sign in, or send an API token.")
    if found["status"] != table.APPROVED and not mine and (user is None
                                                              or user.role is not Role.ADMIN):
        raise Forbidden(f"Contribution {evidence_id} is not public (it is {found['status']}).")
    return _shown(found, user)


def moderate(store: Store, user: User, evidence_id: int, decision: str, note: str = ""
             ) -> dict[str, Any]:
    """An administrator approves (public from now on) or rejects a contribution."""
    if user.role is not Role.ADMIN:
        raise Forbidden("Only an administrator moderates contributions.")
    if decision not in (table.APPROVED, table.REJECTED, table.PENDING):
        raise UsageError("decision: approved, rejected or pending.")
    _text("note", note, one_line=False)
    get(store, user, evidence_id)
    with store.transaction():
        store.con.execute("UPDATE evidence SET status = ?, moderated_by = ?, moderated_at = ?,"
                          " note = ? WHERE evidence_id = ?",
                          [decision, user.username, datetime.now(UTC).replace(tzinfo=None),
                           note, evidence_id])
        record_event(store.con, user.username, "evidence_moderate", f"evidence:{evidence_id}",
                     {"decision": decision})
    return get(store, user, evidence_id)
