"""Three published progress rules side by side on the same series, baseline and target, and
the component that makes two of them disagree.

- **ESCAP** (``escap.py``): the Anticipated Progress Index, the time-weighted regression from
  the trend start to the latest year projected to 2030, against the target; maintain at 1,
  reverse below 0.
- **UNSD SDG Progress Chart** (Technical Note 2023; ``../shared/METHODS.md`` §4.1):
  ``ratio = CR_a / CR_r``, the compound annual growth achieved from the baseline to the latest
  year over the growth required from the baseline to reach the target by 2030; substantial
  progress at 0.95, fair at 0.5, limited at -0.1, deterioration below [U: the cut-points of
  the 2023 note as METHODS gives them]. Where the baseline, the latest value or the target is
  zero or below, compound growth is undefined and the linear form is used (METHODS: "for
  targets of the form zero ... use the linear form").
- **SDSN trend arrow** (SDR; METHODS §2, ``sdr.arrow``): the linear change a year achieved
  over the change required to reach the target by 2030; ↑ at 1, ➚ at 0.5, → at 0, ↓ below.
  SDSN measures against its green threshold on a 0-100 score; here the rule is applied to
  the series' own values and the assessment's target, so that only the rule differs.

The three differ in three components, and nowhere else here (same data, same baseline, same
target): the **trend** (a regression over every year, or the two end points), the **growth
form** (linear or compound) and the **cut-points**. Each verdict is put on one scale
(``on_track``, ``acceleration_needed``, ``regressing``); where two disagree, the components
of the first are swapped for the second's one at a time, in that order, and the first swap
that brings the first's verdict to the second's is named as deciding the difference.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from sdgtrack.assess.escap import met
from sdgtrack.assess.params import EscapParameters

ON_TRACK, ACCELERATE, REGRESSING = "on_track", "acceleration_needed", "regressing"
INSUFFICIENT = "insufficient_data"
#: ESCAP's own classes on the common scale (its class, not a cut of its index, is shown: a
#: series that lost ground since the baseline is never "maintain", ``escap.classify``).
FROM_ESCAP = {"maintain": ON_TRACK, "accelerate": ACCELERATE, "reverse": REGRESSING,
              "insufficient_data": INSUFFICIENT}
Ratio = Callable[[str, str], np.ndarray]


@dataclass(frozen=True)
class Cuts:
    """A rule's cut-points on its ratio: on track at ``on_track``, still progressing (but
    needing acceleration) at ``progressing``, regressing below it."""

    name: str
    on_track: float
    progressing: float


ESCAP_CUTS = Cuts("ESCAP", 1.0, 0.0)
UNSD_CUTS = Cuts("UNSD", 0.95, -0.1)  # fair 0.5 and limited -0.1 both need acceleration
SDSN_CUTS = Cuts("SDSN", 1.0, 0.0)

#: Each rule's (trend, growth form, cut-points).
RULES = {"escap": ("regression", "linear", ESCAP_CUTS),
         "unsd": ("endpoints", "compound", UNSD_CUTS),
         "sdsn": ("endpoints", "linear", SDSN_CUTS)}


def endpoint_ratio(x0: pd.Series, t0: pd.Series, xc: pd.Series, tc: pd.Series,
                   target: pd.Series, form: str, p: EscapParameters) -> np.ndarray:
    """Growth achieved from (t0, x0) to (tc, xc) over the growth required from x0 to the
    target by the target year: linear, ``((xc - x0)/(tc - t0)) / ((x* - x0)/(T - t0))``, or
    compound, ``CR_a / CR_r`` with ``CR = (x1/x0)^(1/years) - 1`` (linear where a value is 0
    or below). Direction needs no sign: achieved and required share it when all goes well.

    Worked example (METHODS §4.1): x_2015 = 50, x_2022 = 40, x* = 25: CR_a = (40/50)^(1/7) - 1
    = -0.0314, CR_r = (25/50)^(1/15) - 1 = -0.0452, ratio 0.695 (fair progress). Linear:
    (-10/7) / (-25/15) = 0.857.

    >>> s = lambda v: pd.Series([v], dtype="float64")
    >>> p = EscapParameters()
    >>> [round(float(endpoint_ratio(s(50), s(2015), s(40), s(2022), s(25), f, p)[0]), 3)
    ...  for f in ("compound", "linear")]
    [0.695, 0.857]
    """
    x0, xc, target = (np.asarray(v, float) for v in (x0, xc, target))
    years, left = np.asarray(tc - t0, float), np.asarray(p.target_year - t0, float)
    with np.errstate(divide="ignore", invalid="ignore"):
        linear = ((xc - x0) / years) / ((target - x0) / left)
        positive = (x0 > 0) & (xc > 0) & (target > 0)
        achieved = np.power(np.where(positive, xc / x0, 1.0), 1 / years) - 1
        required = np.power(np.where(positive, target / x0, 1.0), 1 / left) - 1
        ratio = linear if form == "linear" else np.where(positive, achieved / required, linear)
    # nothing required (the target is the baseline): no ratio (``verdict`` reads the level)
    return np.asarray(np.where(np.isfinite(ratio), ratio, np.nan))


def verdict(ratio: np.ndarray, done: np.ndarray, fell_back: np.ndarray, cuts: Cuts
            ) -> np.ndarray:
    """A ratio on the common scale. A series at its target is on track; one that was past
    it at the baseline and is not now has fallen back (regressing: no growth was required,
    so the ratio has no meaning; SDSN's rule for "required <= 0").

    >>> no = np.zeros(6, bool)
    >>> verdict(np.array([1.2, 0.96, 0.3, -0.05, -0.5, np.nan]), no, no, UNSD_CUTS).tolist()
    ['on_track', 'on_track', 'acceleration_needed', 'acceleration_needed', 'regressing', \
'insufficient_data']
    """
    return np.select([done, fell_back, np.isnan(ratio), ratio >= cuts.on_track,
                      ratio >= cuts.progressing],
                     [ON_TRACK, REGRESSING, INSUFFICIENT, ON_TRACK, ACCELERATE],
                     REGRESSING).astype(object)


def side_by_side(subs: pd.DataFrame, p: EscapParameters | None = None) -> pd.DataFrame:
    """One row per assessed sub-indicator of an assessment (``Assessment.subindicators``):
    each rule's ratio and verdict, whether they agree, and for each pair that does not, the
    component that decides it (``escap_vs_unsd``, ``escap_vs_sdsn``, ``unsd_vs_sdsn``)."""
    p = p or EscapParameters()
    a = subs[subs.assessed].reset_index(drop=True)
    done = np.asarray(met(a.xc, a.target_level, a.direction, p), bool)
    fell_back = ~done & np.asarray(met(a.x0, a.target_level, a.direction, p), bool)
    ratio: dict[str, np.ndarray] = {"regression": a.anticipated_progress.to_numpy(float),
                                    **{form: endpoint_ratio(a.x0, a.t0, a.xc, a.tc,
                                                            a.target_level, form, p)
                                       for form in ("linear", "compound")}}

    def of(trend: str, form: str) -> np.ndarray:
        return ratio["regression"] if trend == "regression" else ratio[form]

    out = a[["unit", "indicator", "series_code", "selection", "x0", "t0", "xc", "tc",
             "target_level", "direction"]].copy()
    out.insert(1, "goal", out.indicator.str.split(".").str[0].astype(int))
    for name, (trend, form, cuts) in RULES.items():
        out[f"{name}_ratio"] = of(trend, form)
        out[name] = verdict(out[f"{name}_ratio"].to_numpy(float), done, fell_back, cuts)
    out["escap"] = a["class"].map(FROM_ESCAP).to_numpy()
    verdicts = out[list(RULES)]
    out["agree"] = verdicts.nunique(axis=1).eq(1)
    for first, second in (("escap", "unsd"), ("escap", "sdsn"), ("unsd", "sdsn")):
        out[f"{first}_vs_{second}"] = _deciding(RULES[first], RULES[second], of,
                                                (done, fell_back), out[first], out[second])
    return out


def _deciding(first: tuple[str, str, Cuts], second: tuple[str, str, Cuts], of: Ratio,
              state: tuple[np.ndarray, np.ndarray], a: pd.Series, b: pd.Series
              ) -> np.ndarray:
    """Per row, None where the two verdicts agree; else the first component whose swap
    (trend, then growth form, then cut-points) turns the first rule's verdict into the
    second's, described in words."""
    trend, form, cuts = first
    steps = []
    for component, changed in (("trend", (second[0], form, cuts)),
                               ("growth form", (second[0], second[1], cuts)),
                               ("cut-points", second)):
        t, f, c = changed
        steps.append((component, first, changed, verdict(of(t, f), *state, c)))
    out = np.full(len(a), None, dtype=object)
    differ = (a != b).to_numpy()
    for component, before, after, got in steps:
        now = differ & (out == None) & (got == b.to_numpy())  # noqa: E711 - elementwise
        out[now] = _words(component, before, after)
    out[differ & (out == None)] = "several components together"  # noqa: E711
    return out


def _words(component: str, before: tuple[str, str, Cuts], after: tuple[str, str, Cuts]
           ) -> str:
    if component == "trend":
        return ("the trend: a weighted regression over every year against the change "
                "between the baseline and the latest value")
    if component == "growth form":
        return f"the growth form: {before[1]} against {after[1]} annual growth"
    return (f"the cut-points: on track at {before[2].on_track:g} of the required progress "
            f"({before[2].name}) against {after[2].on_track:g} ({after[2].name}), regressing "
            f"below {before[2].progressing:g} against {after[2].progressing:g}")
