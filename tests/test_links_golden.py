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
    assert (58, 226_065, 107_876, 118_189) == (p.unit.nunique(), len(p), known,
                                              counts["insufficient_data"])
    # 31,856 / 107,876 = 29.5 % synergies; 16,063 / 107,876 = 14.9 % trade-offs
    assert (31_856, 16_063) == (counts["synergy"], counts["trade_off"])
    per = p.groupby("unit")["class"].value_counts().unstack(fill_value=0)
    assert 56 == int((per.synergy > per.trade_off).sum())  # of the 58 countries
    region = links.summary[links.summary.unit == "escap"].set_index("goal")
    assert [1, 6, 3] == region.share_synergy.nlargest(3).index.tolist()
    assert [12, 15, 16] == region.share_trade_off.nlargest(3).index.tolist()
    assert (0.39, 0.13) == (round(region.share_synergy[1], 2),
                            round(region.share_trade_off[12], 2))
    assert 13 not in region.index  # no specification row of its own
