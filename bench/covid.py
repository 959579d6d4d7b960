"""Benchmark: the COVID-19 setback and the probabilities of reaching the targets (1,000
bootstrap draws) for the region, its 5 subregions and the 58 member countries over every
assessable series of the bundled December 2023 extract, as a ratio to one ESCAP assessment
of the same units in the same run.

    python bench/covid.py [--repeat 3] [--db STORE]   # a store holding the extract, or
                                                      # a fresh one loaded here

Target (issue 15): setback + probabilities <= 10 x the assessment. Both run on the
assessment's tables (the pages compute it once); ``end_to_end`` counts the assessment in.
Prints one JSON object; nothing here is a test.
"""

from __future__ import annotations

import argparse
import json
import tempfile
from pathlib import Path

from timing import best  # bench/timing.py

from sdgtrack import bundled, pipeline
from sdgtrack.assess import compute, covid, load_spec, probability, standard_units
from sdgtrack.store import Store


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--db", type=Path, default=None)
    args = parser.parse_args()
    if args.db is None:
        store = Store(Path(tempfile.mkdtemp(prefix="sdgtrack-bench-")) / "bench.duckdb")
        pipeline.ingest_path(bundled.unsd_escap(), store, dataset=bundled.UNSD_DATASET)
    else:
        store = Store(args.db, read_only=True)
    obs, spec, units = store.table("observations_current"), load_spec(), standard_units()
    a = compute(obs, spec, units)
    setback = covid.of_assessment(a)
    chances = probability.of_assessment(a)
    out = {
        "units": len(units),
        "series_with_data": int(len(setback)),
        "series_bootstrapped": int(len(chances["series"])),
        "draws": probability.ProbabilityParameters().draws,
        "assess_s": best(lambda: compute(obs, spec, units), args.repeat),
        "setback_s": best(lambda: covid.of_assessment(a), args.repeat),
        "probability_s": best(lambda: probability.of_assessment(a), args.repeat),
    }
    extra = out["setback_s"] + out["probability_s"]
    out["ratio"] = round(extra / out["assess_s"], 2)
    out["end_to_end_ratio"] = round((out["assess_s"] + extra) / out["assess_s"], 2)
    print(json.dumps(out, indent=1))


if __name__ == "__main__":
    main()
