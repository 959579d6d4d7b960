"""People's scorecards (issue 17): a coalition's 1-5 score per goal, submitted as
stakeholder evidence, moderated, shown beside the official assessment marked non-official,
downloadable as CSV, and summed up per goal for the region."""

from __future__ import annotations

import csv
import io

import accounts
from accounts import rows  # noqa: F401 - the world's specimen

fast_hashing, template, world = accounts.fast_hashing, accounts.template, accounts.world

NEPAL = {"ref_area": "NPL", "period_start": 2016, "period_end": 2020,
         "coalition": "Nepal SDGs Forum", "constituencies": ["women", "youth", "farmers"],
         "scores": [{"goal": 3, "score": 2, "rationale": "Clinics far from rural wards.",
                     "links": ["https://example.org/np-3"]},
                    {"goal": 13, "score": 1, "rationale": "=HYPERLINK(\"x\") no plan",
                     "links": []}]}
KAZAKHSTAN = {**NEPAL, "ref_area": "KAZ", "coalition": "Kazakhstan CSO network",
              "scores": [{"goal": 3, "score": 4, "rationale": "Immunisation kept up.",
                          "links": []}]}


def _submit(world, role: str, card: dict) -> dict:
    answer = world.client(role).post("/api/v1/evidence/scorecards", json=card,
                                     headers=world.bearer(role))
    assert 201 == answer.status_code, answer.text
    return answer.json()


def _approve(world, evidence_id: int) -> None:
    answer = world.client("admin").post(f"/api/v1/evidence/{evidence_id}/moderation",
                                        json={"decision": "approved"},
                                        headers=world.bearer("admin"))
    assert 200 == answer.status_code, answer.text


def test_a_scorecard_goes_from_submission_to_the_pages_and_the_csv(world):
    public = world.client("anonymous")
    before = world.store.con.execute("SELECT count(*) FROM observations").fetchall()
    card = _submit(world, "csos", NEPAL)
    assert ("pending", "524", [3, 13]) == (card["status"], card["ref_area"],
                                           [s["goal"] for s in card["scores"]])
    # pending: not public, on no page
    assert [] == public.get("/api/v1/evidence/scorecards").json()
    assert [] == public.get("/en/area/524.json").json()["scorecards"]
    _approve(world, card["evidence_id"])
    _approve(world, _submit(world, "csos2", KAZAKHSTAN)["evidence_id"])
    listed = public.get("/api/v1/evidence/scorecards", params={"area": "NPL"}).json()
    assert [("Nepal SDGs Forum", ["women", "youth", "farmers"], 2016, 2020)] == [
        (c["coalition"], c["constituencies"], c["period_start"], c["period_end"])
        for c in listed]
    # the country page: civil society's score beside the official status of the goal
    official = {g["goal"]: g["status"]
                for g in public.get("/api/v1/assessment/524").json()["snapshot"]}
    area = public.get("/en/area/524.json").json()
    (shown,) = area["scorecards"]
    assert (False, 2, "little progress", official[3]) == (
        shown["official"], shown["scores"][0]["score"], shown["scores"][0]["meaning"],
        shown["scores"][0]["official_status"])
    assert all(e["code"] != "scorecard" for e in area["evidence"])  # its own section only
    html = public.get("/en/area/524.html").text
    assert "People&#39;s scorecards (non-official)" in html and "2 of 5" in html
    zh = public.get("/zh/area/524.html").text
    assert "人民计分卡（非官方）" in zh and "5 分中的 2 分" in zh
    # the goal page: every country's score for the goal, Kazakhstan's too
    goal = public.get("/en/goal/3.json").json()["scorecards"]
    assert {("524", 2), ("398", 4)} == {(r["ref_area"], r["score"]) for r in goal}
    assert "scores goal 3 in Nepal at 2 of 5" in public.get("/en/goal/3.html").text
    # the region: goal 3 scored in 2 countries, mean (2 + 4) / 2 = 3; goal 13 in 1, at 1
    summary = public.get("/en/index.json").json()["scorecard_summary"]
    assert [{"goal": 3, "countries": 2, "mean": 3.0, "lowest": 2, "highest": 4},
            {"goal": 13, "countries": 1, "mean": 1.0, "lowest": 1, "highest": 1}] == summary
    # the download: one row per scorecard and goal, non-official, formulas neutralised
    got = list(csv.DictReader(io.StringIO(public.get(
        "/api/v1/evidence/scorecards.csv").text)))
    assert 3 == len(got)
    nepal13 = next(r for r in got if r["ref_area"] == "524" and r["goal"] == "13")
    assert ("1", "no progress", "False") == (nepal13["score"], nepal13["meaning"],
                                             nepal13["official"])
    assert nepal13["rationale"].startswith("'=HYPERLINK")
    # never mixed into the official data
    assert before == world.store.con.execute("SELECT count(*) FROM observations").fetchall()


def test_a_bad_scorecard_is_refused_and_a_provider_may_not_submit(world):
    client = world.client("csos")
    bad = {**NEPAL, "scores": [{"goal": 3, "score": 6, "rationale": "x", "links": []}]}
    refused = client.post("/api/v1/evidence/scorecards", json=bad, headers=world.bearer("csos"))
    assert 400 == refused.status_code and "score" in refused.text
    twice = {**NEPAL, "scores": [NEPAL["scores"][0], NEPAL["scores"][0]]}
    refused = client.post("/api/v1/evidence/scorecards", json=twice,
                          headers=world.bearer("csos"))
    assert (422, "scores: each goal once.") == (refused.status_code, refused.json()["error"])
    provider = world.client("np-cbs").post("/api/v1/evidence/scorecards", json=NEPAL,
                                           headers=world.bearer("np-cbs"))
    assert 403 == provider.status_code
    assert 0 == world.store.con.execute(
        "SELECT count(*) FROM evidence WHERE code = 'scorecard'").fetchall()[0][0]


def test_the_submit_page_s_form_submits_a_scorecard(world):
    client = world.client("csos")
    assert "Submit a people&#39;s scorecard" in client.get("/submit").text  # escaped
    form = {"csrf": world.csrf("csos"), "ref_area": "NPL", "period_start": "2016",
            "period_end": "2020", "coalition": "Nepal SDGs Forum",
            "constituencies": "women, youth , farmers", "score_3": "2",
            "rationale_3": "Clinics far from rural wards.",
            "links_3": "https://example.org/a\nhttps://example.org/b", "score_5": ""}
    answer = client.post("/submit/scorecard", data=form)
    assert 303 == answer.status_code, answer.text
    (card,) = client.get("/api/v1/evidence/scorecards", headers=world.bearer("admin")).json() \
        or [None]
    assert card is None  # pending: the public list (even asked with a token) has approved only
    from sdgtrack.submission import scorecards

    (mine,) = scorecards.scorecards(world.store, world.users["csos"])
    assert (["women", "youth", "farmers"], [(3, 2)], ["https://example.org/a",
                                                       "https://example.org/b"]) == (
        mine["constituencies"], [(s["goal"], s["score"]) for s in mine["scores"]],
        mine["scores"][0]["links"])
    bad = client.post("/submit/scorecard", data={**form, "score_3": "7"})
    assert 400 == bad.status_code and "score_3: 1 to 5" in bad.text
