"""Routes for people's scorecards, under the evidence API (a scorecard is stakeholder
evidence: its writes need an account, its reads of approved ones are public). Thin: check who
is asking, call ``sdgtrack.submission.scorecards``. Moderation is the evidence's
(``/api/v1/evidence/{id}/moderation``, ``/admin/evidence``)."""

from __future__ import annotations

from functools import partial
from typing import Annotated, Any

from fastapi import Depends, FastAPI, Query, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import BaseModel, ConfigDict, Field
from starlette.concurrency import run_in_threadpool

from sdgtrack.auth import Role
from sdgtrack.errors import UsageError
from sdgtrack.publish.site.pages_scorecards import csv_of
from sdgtrack.submission import scorecards
from sdgtrack.web.guard import Gate, bearer

AREA = r"^[A-Za-z0-9_.\-]{1,30}$"
ONE_LINE = r"^[^\x00-\x08\x0a-\x1f\x7f]*$"
LINES = r"^[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f]*$"
URL = r"^https?://[^\s<>\"']+$"


class GoalScoreIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    goal: int = Field(ge=1, le=17)
    score: int = Field(ge=1, le=5, description="1 no progress ... 5 on track")
    rationale: str = Field(min_length=1, max_length=2000, pattern=LINES)
    links: list[Annotated[str, Field(max_length=500, pattern=URL)]] = Field(
        default_factory=list, max_length=10)


class ScorecardIn(BaseModel):
    """A people's scorecard: a coalition's score of each goal for a country and period."""

    model_config = ConfigDict(extra="forbid")
    ref_area: str = Field(pattern=AREA, description="M49 or ISO3 code")
    period_start: int = Field(ge=1990, le=2100)
    period_end: int = Field(ge=1990, le=2100)
    coalition: str = Field(min_length=1, max_length=200, pattern=ONE_LINE)
    constituencies: list[Annotated[str, Field(min_length=1, max_length=200,
                                              pattern=ONE_LINE)]] = Field(
        min_length=1, max_length=30)
    scores: list[GoalScoreIn] = Field(min_length=1, max_length=17)


def _form_card(form: Any) -> scorecards.Scorecard:
    """The scorecard of the /submit page's form: a score (1-5, or none) per goal, its
    rationale and links (one a line)."""
    def year(name: str) -> int:
        value = str(form.get(name) or "").strip()
        if not (value.isascii() and value.isdigit() and len(value) == 4):
            raise UsageError(f"{name}: a year, e.g. 2020.")
        return int(value)

    scores = []
    for goal in range(1, 18):
        score = str(form.get(f"score_{goal}") or "").strip()
        if not score:
            continue
        if score not in {"1", "2", "3", "4", "5"}:
            raise UsageError(f"score_{goal}: 1 to 5, or none.")
        links = tuple(u.strip() for u in str(form.get(f"links_{goal}") or "").splitlines()
                      if u.strip())
        scores.append(scorecards.GoalScore(goal, int(score),
                                           str(form.get(f"rationale_{goal}") or ""), links))
    constituencies = tuple(c.strip() for c in str(form.get("constituencies") or "").split(",")
                           if c.strip())
    return scorecards.Scorecard(str(form.get("ref_area") or "").strip(), year("period_start"),
                                year("period_end"), str(form.get("coalition") or ""),
                                constituencies, tuple(scores))


def register(app: FastAPI, gate: Gate) -> None:
    @app.post("/submit/scorecard", include_in_schema=False)
    async def submit_scorecard(request: Request) -> Response:
        form = await request.form()
        if any(len(str(v)) > 4000 for v in form.values()):
            raise UsageError("A field of the form is over 4,000 characters.")
        principal = await run_in_threadpool(partial(
            gate.writer_for, request, Role.ADMIN, Role.CONTRIBUTOR,
            csrf=str(form.get("csrf") or "")))
        card = _form_card(form)

        def write() -> None:
            with gate.writer() as store:
                scorecards.submit(store, principal.user, card)
        await run_in_threadpool(write)
        gate.on_change()
        return RedirectResponse("/submit", status_code=303)

    @app.post("/api/v1/evidence/scorecards", tags=["evidence"], status_code=201,
              dependencies=[Depends(bearer)],
              description="Submit a people's scorecard (contributor or administrator); "
                          "public, marked non-official, once an administrator approves it.")
    def scorecard_create(request: Request, card: ScorecardIn) -> dict[str, Any]:
        principal = gate.writer_for(request, Role.ADMIN, Role.CONTRIBUTOR)
        with gate.writer() as store:
            done = scorecards.submit(store, principal.user, scorecards.Scorecard(
                card.ref_area, card.period_start, card.period_end, card.coalition,
                tuple(card.constituencies), tuple(scorecards.GoalScore(
                    s.goal, s.score, s.rationale, tuple(s.links)) for s in card.scores)))
        gate.on_change()
        return done

    @app.get("/api/v1/evidence/scorecards", tags=["evidence"],
             description="Approved people's scorecards (non-official), with their scores.")
    def scorecard_list(area: Annotated[str | None, Query(pattern=AREA)] = None
                       ) -> list[dict[str, Any]]:
        with gate.reader() as store:
            return scorecards.scorecards(store, None, area)

    @app.get("/api/v1/evidence/scorecards.csv", tags=["evidence"], response_class=Response,
             responses={200: {"description": "CSV", "content": {
                 "text/csv": {"schema": {"type": "string"}}}}},
             description="Approved people's scorecards as CSV: one row per scorecard and goal, "
                         "each marked non-official.")
    def scorecard_csv(area: Annotated[str | None, Query(pattern=AREA)] = None) -> Response:
        with gate.reader() as store:
            cards = scorecards.scorecards(store, None, area)
        return Response(csv_of(cards), media_type="text/csv; charset=utf-8")
