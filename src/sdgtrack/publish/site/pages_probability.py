""""How likely is each target to be met by 2030?" on the country, group and goal pages (the
ESCAP class beside the probability of ``assess/probability.py``), and the back-test of that
probability on the methodology page."""

from __future__ import annotations

from typing import Any

import pandas as pd

from sdgtrack.assess.probability import ProbabilityParameters, backtest_units, of_assessment
from sdgtrack.assess.run import records
from sdgtrack.model import json_value
from sdgtrack.publish.site.data import SiteData

PARAMETERS = ProbabilityParameters()
#: A goal's back-test coverage farther than this from 80 % is named on the methodology page.
TOLERANCE = 0.05


def _probabilities(d: SiteData, unit: str | None = None) -> dict[str, pd.DataFrame]:
    """Every assessed unit's probabilities (series, indicators, targets), once a version;
    or ``unit``'s alone (the same numbers) for a document or a page of one unit, unless the
    site is being built (``whole``) or every unit's are made already: all 70 units' draws
    take 5-7 s, one unit's 0.3 s."""
    every = d.whole or d.cache.has(d.versions.current(), "probability")
    if unit is not None and not every:
        return d.cached(("probability", unit), lambda: of_assessment(  # type: ignore
            d.results.assessment(), PARAMETERS, units={unit}))
    return d.cached("probability", lambda: of_assessment(  # type: ignore[no-any-return]
        d.results.assessment(), PARAMETERS))


def probability_targets(d: SiteData) -> pd.DataFrame:
    """Every assessed unit x target with its probability."""
    return _probabilities(d)["targets"]


def series_probabilities(d: SiteData, unit: str) -> dict[tuple[str, str], float]:
    """(series code, selection) -> the probability that the unit's series reaches its 2030
    target, for its assessed series."""
    s = _probabilities(d, unit)["series"]
    mine = s[s.unit == unit]
    return {(c, sel or ""): float(v) for c, sel, v in
            zip(mine.series_code, mine.selection, mine.probability)}


def section(d: SiteData, unit: str, goal: int | None = None) -> dict[str, Any] | None:
    """The unit's assessed targets (of ``goal``, or all): class, index and probability;
    ``without``: the assessed targets with no probability (a series of fewer than
    ``min_points`` values, ``probability.aggregate``)."""
    t = _probabilities(d, unit)["targets"]
    mine = t[t.unit == unit]
    dash = d.results.assessment().dashboard
    assessed = dash[(dash.unit == unit) & dash.anticipated_progress_index.notna()]
    if goal is not None:
        mine, assessed = mine[mine.goal == goal], assessed[assessed.goal == goal]
    if mine.empty and assessed.empty:
        return None
    rows = records(mine[["goal", "target", "class", "anticipated_progress_index",
                         "probability"]])
    listed = set(mine.target)
    without = [x for x in assessed.target if x not in listed]
    return {"targets": rows, "draws": PARAMETERS.draws, "seed": PARAMETERS.seed,
            "without": without, "min_points": PARAMETERS.min_points}


def backtest(d: SiteData) -> dict[str, Any]:
    """The back-test on the site's countries: coverage of the 80 % intervals overall, by
    goal and by years ahead, raw and calibrated, and the goals outside 80 ± 5 %."""
    def make() -> dict[str, Any]:
        got = backtest_units(d.results.assessment(), PARAMETERS)
        goals = got["by_goal"]
        off = goals[(goals.coverage - 0.8).abs() > TOLERANCE]
        # a store with too little data for a back-test has no coverage (None, not NaN)
        return {"overall": {k: json_value(v) for k, v in got["overall"].items()},
                "calibration": {k: json_value(v) for k, v in got["calibration"].items()},
                "by_goal": records(goals), "by_ahead": records(got["by_ahead"]),
                "outside": [int(g) for g in off.goal], "tolerance": TOLERANCE}

    return d.cached("probability_backtest", make)  # type: ignore[no-any-return]
