"""People's scorecards, submitted like stakeholder evidence: a contributor (or an
administrator) submits one for a country and period, with the coalition, the
constituencies it consulted and, for each goal it scores, a score from 1 (no progress) to 5
(on track), a rationale and evidence links (the A4SD People's Scorecards' form). It is
pending until an administrator approves it (``evidence.moderate``); then the pages show it
beside the official assessment, marked non-official."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sdgtrack import framework
from sdgtrack.auth import Role, User
from sdgtrack.errors import Unprocessable, UsageError
from sdgtrack.store import Store
from sdgtrack.store import evidence as table
from sdgtrack.store import scorecards as cards
from sdgtrack.store.audit import record_event
from sdgtrack.submission.evidence import (
    URL,
    _text,
    contributor_area,
    refuse_providers,
    visible,
)

MAX_LINKS = 10
MAX_RATIONALE = 2000
#: What the scores mean (the A4SD People's Scorecard scale).
SCALE = {1: "no progress", 2: "little progress", 3: "some progress",
         4: "good progress", 5: "on track"}


@dataclass(frozen=True)
class GoalScore:
    goal: int
    score: int
    rationale: str
    links: tuple[str, ...] = ()


@dataclass(frozen=True)
class Scorecard:
    ref_area: str
    period_start: int
    period_end: int
    coalition: str
    constituencies: tuple[str, ...]
    scores: tuple[GoalScore, ...] = field(default_factory=tuple)


def _check(card: Scorecard) -> None:
    if not card.coalition.strip():
        raise Unprocessable("coalition: name the civil-society coalition that scored.")
    _text("title", card.coalition)
    if not 1990 <= card.period_start <= card.period_end <= 2100:
        raise Unprocessable("period: the first and last year, e.g. 2016 and 2020, first "
                            "not after last.")
    if not card.constituencies or any(not c.strip() for c in card.constituencies):
        raise Unprocessable("constituencies: list the constituencies consulted (women, "
                            "youth, farmers ...).")
    for c in card.constituencies:
        _text("value", c)
    if not card.scores:
        raise Unprocessable("scores: score at least one goal.")
    goals = [s.goal for s in card.scores]
    if len(set(goals)) != len(goals):
        raise Unprocessable("scores: each goal once.")
    for s in card.scores:
        _score(s)


def _score(s: GoalScore) -> None:
    if not 1 <= s.goal <= 17:
        raise Unprocessable(f"goal {s.goal}: goals are 1 to 17.")
    if s.score not in SCALE:
        raise Unprocessable(f"goal {s.goal}: the score is 1 (no progress) to 5 (on track), "
                            f"not {s.score}.")
    if not s.rationale.strip() or len(s.rationale) > MAX_RATIONALE:
        raise Unprocessable(f"goal {s.goal}: give the rationale (at most {MAX_RATIONALE} "
                            "characters).")
    _text("summary", s.rationale, one_line=False)
    if len(s.links) > MAX_LINKS or any(not URL.fullmatch(u) or len(u) > 500 for u in s.links):
        raise Unprocessable(f"goal {s.goal}: evidence links are web addresses starting with "
                            f"https:// or http://, at most {MAX_LINKS}.")


def submit(store: Store, user: User, card: Scorecard) -> dict[str, Any]:
    """Record a scorecard, pending moderation; returns it as its submitter sees it."""
    refuse_providers(user, "scorecards are")
    _check(card)
    area = contributor_area(store, user, card.ref_area)
    period = f"{card.period_start}–{card.period_end}"
    now = datetime.now(UTC).replace(tzinfo=None)
    with store.transaction():
        evidence_id = store.next_id("evidence_ids")
        store.con.execute(
            "INSERT INTO evidence VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, NULL, NULL)",
            [evidence_id, user.user_id, user.organisation, cards.CODE, area, card.period_end,
             None, f"People's scorecard: {card.coalition.strip()}, {period}",
             "Constituencies consulted: " + ", ".join(card.constituencies), None,
             table.PENDING, now])
        cards.insert(store, evidence_id, card.coalition.strip(),
                     [c.strip() for c in card.constituencies],
                     (card.period_start, card.period_end),
                     [{"goal": s.goal, "score": s.score, "rationale": s.rationale.strip(),
                       "links": list(s.links)} for s in card.scores])
        record_event(store.con, user.username, "scorecard_submit", f"evidence:{evidence_id}",
                     {"ref_area": area, "goals": [s.goal for s in card.scores]})
    return scorecards(store, user, evidence_id=evidence_id)[0]


def scorecards(store: Store, user: User | None, area: str | None = None,
               evidence_id: int | None = None) -> list[dict[str, Any]]:
    """The scorecards ``user`` may see (the public: approved ones), with their scores;
    ``area`` is an M49 or ISO3 code (or a sub-national one)."""
    if area is not None:
        try:
            area = framework.resolve_area(area)
        except UsageError:
            pass  # a sub-national code, as stored
    items = [e for e in visible(store, user, cards.CODE, area)
             if evidence_id is None or e["evidence_id"] == evidence_id]
    if evidence_id is not None and not items and user is not None:
        items = [e for e in table.query(store, evidence_id=evidence_id)
                 if e["submitted_by"] == user.username or user.role is Role.ADMIN]
    return cards.with_scores(store, items)
