"""Parameters of the ESCAP progress assessment, each named and documented.

Items marked [U] are reconstructions: the published method leaves them unclear
(``../shared/METHODS.md`` §1, §6). They are parameters so that they can be corrected without
rewriting the method.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, replace
from typing import Any

from sdgtrack.assess.periods import AnnualRule

METHOD_NAME = "ESCAP Current Status Index and Anticipated Progress Index"
#: 2: the baseline window by edition, best performers ranked in one year for every baseline,
#: targets too near the baseline not measured against (issue 15).
METHOD_VERSION = "sdgtrack-escap/2"


@dataclass(frozen=True)
class EscapParameters:
    """Defaults follow the ESCAP Asia and the Pacific SDG Progress Report, 2023+ editions."""

    #: t0. 2015 in the 2023+ editions; 2000 in the 2017-2022 editions.
    baseline_year: int = 2015
    #: When t0 has no value, the first later value is the baseline, at most this many years
    #: later [U]; None = the edition's window (``baseline_window``): 5 years for a 2000
    #: baseline, whose editions assessed series starting as late as 2005 (goal 13's disaster
    #: series among them; METHODS §1.1), 3 for a 2015 baseline.
    baseline_max_lag: int | None = None
    #: T, the year the targets are for.
    target_year: int = 2030
    #: First year of data the trend (anticipated progress) is estimated from [V, UNECE].
    trend_start: int = 2000
    #: Last year of data used; None = every year in the store.
    end_year: int | None = None
    #: The "current year" of the expected-progress line; None = the latest year assessed.
    current_year: int | None = None
    #: A country is usable for a series with at least this many data points [V].
    min_points: int = 2
    #: ...and a group is assessable when more than this share of its countries are usable [V].
    min_country_share: float = 0.5
    #: Group value per year: "mean" (ESCAP, unweighted) or "median" (UNECE) [V].
    aggregate: str = "mean"
    #: Fill each country's gaps linearly between its observed years before aggregating [U].
    interpolate: bool = True
    #: ...and hold its first and last values this many years beyond them ("limited
    #: extrapolation"), so that a country that last reported in 2017 still counts in 2019 [U].
    extrapolate_years: int = 3
    #: Progress of one series counts at most this much (target reached or passed) [V].
    cap: float = 1.0
    #: ...and at least this much, so one regressing series cannot dominate a goal [U].
    floor: float = -1.0
    #: Projection to the target year: "regression" (2020+ editions) or "cagr" (2017-2019).
    projection: str = "regression"
    #: Weights of the time-weighted regression: "linear" (w = t - first + 1) or "equal" [U].
    regression_weights: str = "linear"
    #: Anticipated progress at or above this is "maintain" (on track); 0.95 in UNSD variants.
    on_track: float = 1.0
    #: Anticipated progress below this is "reverse"; between the two, "accelerate".
    reverse_below: float = 0.0
    #: Number of regional best performers whose average is the target when the SDG gives none [U].
    best_performers: int = 5
    #: Group whose countries define best-performer targets (region-wide constants) [U].
    reference_group: str = "escap"
    #: Year whose values rank the best performers, the same for every baseline [U]: ranked
    #: in 2000, the top five's 41 % of internet users was a 2030 target the region passed
    #: (53 %) by 2018. Each country's first value in the baseline window after it is used.
    best_performer_year: int = 2015
    #: Tolerance under which a target is taken as met.
    tolerance: float = 1e-9
    #: A target closer to the baseline than this share of the larger of the two is too near
    #: to measure progress against [U]: any movement would swing the index to +1 or -1 (bank
    #: capital, 18.30 at baseline against a target of 18.39). A unit within that band of the
    #: target now counts as having reached it; otherwise it is not assessed, with a reason.
    near_target: float = 0.01
    #: A parity-type value within this share of its target counts as at parity: UNESCO's
    #: convention reads a gender parity index between 0.97 and 1.03 as parity [S].
    parity_band: float = 0.03
    #: The year reached at the current pace is shown up to this year; later reads "not at
    #: this pace" (a forest share reached in 4591 is not a finding).
    pace_horizon: int = 2100
    #: How observations of other periods (financial years, quarters, months, ranges) give
    #: the one value a year the trend needs (``assess/periods.py``); the default counts a
    #: financial year for its first year, averages quarters and months, dates a range by
    #: its last year (as the store does).
    annual: AnnualRule = AnnualRule()
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def baseline_window(self) -> int:
        """Years after ``baseline_year`` in which the first value is the baseline.

        >>> EscapParameters().baseline_window, EscapParameters(baseline_year=2000).baseline_window
        (3, 5)
        """
        if self.baseline_max_lag is not None:
            return self.baseline_max_lag
        return 5 if self.baseline_year < 2015 else 3

    def with_(self, **changes: Any) -> EscapParameters:
        return replace(self, **changes)

    def as_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d.pop("extra")
        d["baseline_window"] = self.baseline_window  # what None resolved to
        return d

    def check(self) -> None:
        from sdgtrack.errors import UsageError

        if self.aggregate not in ("mean", "median"):
            raise UsageError(f"aggregate must be 'mean' or 'median', not {self.aggregate!r}")
        if self.projection not in ("regression", "cagr"):
            raise UsageError(f"projection must be 'regression' or 'cagr', not {self.projection!r}")
        if self.regression_weights not in ("linear", "equal"):
            raise UsageError("regression_weights must be 'linear' or 'equal'")
        if not self.trend_start <= self.baseline_year < self.target_year:
            raise UsageError("Need trend_start <= baseline_year < target_year.")
