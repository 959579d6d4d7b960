"""Numbers within their natural bounds, and classes that agree with them (issue 18): every
series the bundled data lets the method assess, in every unit of the site (the region, its
subregions, LDC/LLDC/SIDS and each member), run through the rules a reviewer applies."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from sdgtrack.assess import EscapParameters
from sdgtrack.publish.site.data import SiteData


@pytest.fixture(scope="module")
def assessed(bundled_store) -> pd.DataFrame:
    subs = SiteData(bundled_store).results.assessment().subindicators
    return subs[subs.assessed].copy()


@pytest.fixture(scope="module")
def shares(bundled_store) -> set[str]:
    """Series in per cent whose every stored value lies within 0..100 (shares), from SQL."""
    return {r[0] for r in bundled_store.con.execute(
        "SELECT series_code FROM observations_current WHERE value IS NOT NULL "
        "GROUP BY series_code HAVING count(DISTINCT unit_measure) = 1 "
        "AND any_value(unit_measure) = 'PERCENT' AND min(value) >= 0 AND max(value) <= 100"
    ).fetchall()}


def test_share_projections_stay_within_0_and_100(assessed, shares):
    mine = assessed[assessed.series_code.isin(shares)]
    assert len(mine) > 1000  # most assessed series are shares
    assert (mine.projected >= 0).all() and (mine.projected <= 100).all()
    # the bound is said: every projection at 0 or 100 that the line took past it is marked
    marked = mine[mine.projection_bound.notna()]
    assert set(marked.projection_bound) == {"upper", "lower"}
    assert (marked.projected == np.where(marked.projection_bound == "upper", 100.0, 0.0)).all()


def test_electricity_of_fiji_is_projected_at_100_not_beyond(assessed):
    """Access to electricity, Fiji (242): 93.2 % in 2015, 92.1 % in 2021; the weighted line
    rises past 100 by 2030, so the projection is 100, marked as the upper bound. The share
    fell since 2015 (current status (92.1 - 93.2) / (100 - 93.2) = -0.162), so the class is
    "accelerate", not "maintain"."""
    row = assessed[(assessed.unit == "242") & (assessed.series_code == "EG_ACS_ELEC")].iloc[0]
    assert (93.2, 92.1) == (row.x0, row.xc)
    assert 100.0 == row.projected and "upper" == row.projection_bound
    assert -0.162 == round(row.current_status, 3)  # -1.1 / 6.8
    assert "accelerate" == row["class"]


def test_no_target_year_past_2100(assessed):
    p = EscapParameters()
    years = assessed.year_reached.dropna()
    assert (years <= p.pace_horizon).all()
    # Myanmar's forest area share rose 0.9 points in 5 years towards 55.7: centuries away
    forest = assessed[(assessed.unit == "104") & (assessed.series_code == "AG_LND_FRSTPRCT")]
    assert forest.year_reached.isna().all()


def test_classes_agree_with_their_numbers(assessed):
    p = EscapParameters()
    cls, api, cs = assessed["class"], assessed.anticipated_progress, assessed.current_status
    maintain = assessed[cls == "maintain"]
    assert (maintain.current_status >= 0).all()  # no "maintain" after losing ground
    assert (maintain.anticipated_progress >= p.on_track - p.tolerance).all()
    assert (maintain.year_reached <= p.target_year).all()  # reached by 2030 at this pace
    assert (api[cls == "reverse"] < p.reverse_below).all()
    accelerate = assessed[cls == "accelerate"]
    assert ((accelerate.anticipated_progress < p.on_track)
            | (accelerate.current_status < 0)).all()
    # a series already at its target reads the latest year, never "not at this pace"
    at_target = assessed[cs >= p.cap]
    assert len(at_target) > 100
    assert (at_target.year_reached == at_target.tc).all()
    # and one still to reach it, by 2030 at this pace, is on track unless it has lost
    # ground (one at its target now may still be heading away: reverse or accelerate)
    early = assessed[(assessed.year_reached <= p.target_year)
                     & (assessed.year_reached > assessed.tc) & (cs >= 0)]
    assert len(early) > 50
    assert (early["class"] == "maintain").all()
