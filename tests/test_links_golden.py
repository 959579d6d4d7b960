"""The regional findings the README states, on the bundled December 2023 extract (the 58
ESCAP members): kept true by this test."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.slow


def test_regional_findings_of_the_readme(bundled_store):
    from sdgtrack.assess import load_spec, standard_units
    from sdgtrack.assess.links_run import compute_links

    links = compute_links(bundled_store.table("observations_current"), load_spec(),
                          standard_units())
    p = links.pairs
    counts = p["class"].value_counts()
    known = len(p) - counts["insufficient_data"]
    assert (58, 233_960, 111_250, 122_710) == (p.unit.nunique(), len(p), known,
                                              counts["insufficient_data"])
    # 32,278 / 111,250 = 29.0 % synergies; 17,525 / 111,250 = 15.8 % trade-offs
    assert (32_278, 17_525) == (counts["synergy"], counts["trade_off"])
    per = p.groupby("unit")["class"].value_counts().unstack(fill_value=0)
    assert 56 == int((per.synergy > per.trade_off).sum())  # of the 58 countries
    region = links.summary[links.summary.unit == "escap"].set_index("goal")
    assert [1, 6, 3] == region.share_synergy.nlargest(3).index.tolist()
    # goal 13 (specification version 3: emissions) leads the trade-offs: 208 of 533
    assert [13, 15, 12] == region.share_trade_off.nlargest(3).index.tolist()
    assert (0.37, 0.39) == (round(region.share_synergy[1], 2),
                            round(region.share_trade_off[13], 2))
