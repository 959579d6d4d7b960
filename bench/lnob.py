"""Benchmark: the LNOB survey analysis (cells, weighted CART tree, D-index over the terminal
nodes and the cells, HOI, Shapley decomposition of D) of 20 binary outcomes on generated
microdata with 6 categorical circumstances (5 x 2 x 3 x 2 x 4 x 6 = 1,440 cells), at 100k,
300k and 1M records; as a ratio to a plain pandas groupby weighted mean of the same 20
outcomes by the same 6 circumstances, timed in the same run.

    python bench/lnob.py [--repeat 2] [--sizes 100000 300000 1000000]

Target (issue 6): 1,000,000 records x 6 circumstances x 20 outcomes in <= 60 s on 2 cores.
Prints one JSON object; nothing here is a test.
"""

from __future__ import annotations

import argparse
import json
from typing import Any

import numpy as np
import pandas as pd
from timing import best  # bench/timing.py

from sdgtrack.lnob.survey import SurveySpec, analyse_survey, prepare_survey

LEVELS = {"wealth": 5, "area": 2, "education": 3, "sex": 2, "region": 4, "household": 6}
OUTCOMES = 20
TARGET_S = 60.0


def generate(records: int, seed: int = 6) -> pd.DataFrame:
    """Records with 6 circumstances, a lognormal weight and 20 0/1 outcomes whose log-odds
    depend on every circumstance with random effects (so that trees have splits to find)."""
    rng = np.random.default_rng(seed)
    codes = {c: rng.integers(0, k, records) for c, k in LEVELS.items()}
    frame = pd.DataFrame({c: pd.Categorical.from_codes(v, [f"{c}{i}" for i in range(k)])
                          for (c, v), k in zip(codes.items(), LEVELS.values())})
    frame["wt"] = rng.lognormal(0.0, 0.5, records)
    for j in range(OUTCOMES):
        logit = rng.normal(0, 0.5) + sum(rng.normal(0, 0.6, k)[codes[c]]
                                         for c, k in LEVELS.items())
        frame[f"y{j}"] = (rng.random(records) < 1 / (1 + np.exp(-logit))).astype("int8")
    return frame


def analyse_all(frame: pd.DataFrame, specs: list[SurveySpec]) -> list[dict[str, Any]]:
    prepared = frame[[*LEVELS, "wt"]].rename(columns={"wt": "weight"})
    return [analyse_survey(prepared.assign(outcome=frame[s.outcome].astype("float64")), s)
            for s in specs]


def baseline(frame: pd.DataFrame) -> None:
    """What a user would write first: weighted mean of each outcome by the circumstances."""
    for j in range(OUTCOMES):
        sums = pd.DataFrame({"w": frame["wt"], "wy": frame["wt"] * frame[f"y{j}"]})
        g = sums.groupby([frame[c] for c in LEVELS], observed=True).sum()
        (g["wy"] / g["w"]).to_numpy()


def run(records: int, repeat: int) -> dict[str, float]:
    frame = generate(records)
    specs = [SurveySpec(f"y{j}", tuple(LEVELS), weight="wt") for j in range(OUTCOMES)]
    results: list[dict[str, Any]] = []
    prepare = best(lambda: prepare_survey(frame, specs[0]), repeat)
    base = best(lambda: baseline(frame), repeat)
    analyse = best(lambda: results.extend(analyse_all(frame, specs)), repeat)
    leaves = [sum(n["terminal"] for n in r["tree"]) for r in results[:OUTCOMES]]
    return {"records": records, "prepare_one_outcome_s": round(prepare, 3),
            "baseline_s": round(base, 3), "analyse_20_s": round(analyse, 3),
            "ratio": round(analyse / base, 1), "terminal_nodes_mean": sum(leaves) / len(leaves)}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 300_000, 1_000_000])
    args = parser.parse_args()
    runs = [run(n, args.repeat) for n in args.sizes]
    first, last = runs[0], runs[-1]
    print(json.dumps({
        "circumstances": LEVELS, "outcomes": OUTCOMES, "runs": runs, "target_s": TARGET_S,
        "within_target": last["analyse_20_s"] <= TARGET_S,
        "growth_analyse": round(last["analyse_20_s"] / first["analyse_20_s"], 2),
        "growth_records": round(last["records"] / first["records"], 2),
    }, indent=1))


if __name__ == "__main__":
    main()
