"""The interlinkage section of the country profile and the regional report, on the real
slice (goals 5 and 7 of the 2023 extract): the numbers are the pages' numbers."""

from __future__ import annotations

import pytest

from sdgtrack.publish.report.country import country_profile
from sdgtrack.publish.report.region import regional_report
from sdgtrack.publish.site.data import SiteData
from sdgtrack.publish.site.pages_links import unit_section


@pytest.fixture(scope="module")
def site(slice_store):
    return SiteData(slice_store, frozen=True)


def test_country_profile_has_the_section_with_the_page_numbers(site):
    html = country_profile(site, "KAZ", fmt="html").decode("utf-8")
    t = unit_section(site, "398", "en")["totals"]
    assert "Synergies and trade-offs" in html and "A synergy is co-movement, not a cause." in html
    assert (f"Of {t['with_data']:,} pairs of series with at least 8 years in common, "
            f"{t['synergy']:,} are synergies") in html
    assert html.count('src="data:image/svg+xml;base64,') >= 2  # network and heat map


def test_regional_report_pools_the_members_pairs(site):
    html = regional_report(site, "escap_nca", fmt="html").decode("utf-8")
    pooled = unit_section(site, "escap_nca", "en")["pooled"]
    # North and Central Asia, goals 5 and 7: the 171 pairs of its 9 members (as on Spark)
    assert 171 == pooled["with_data"] + pooled["insufficient_data"]
    assert (f"Across the members, of {pooled['with_data']:,} pairs of series with at least 8 "
            f"years in common, {pooled['synergy']:,} are synergies") in html
    zh = regional_report(site, "escap_nca", lang="zh", fmt="html").decode("utf-8")
    assert "协同与权衡" in zh and "协同是共同变动，而非因果。" in zh


def test_regional_report_shows_how_cross_country_links_moved(site):
    from sdgtrack.publish.report.links import kroll_section

    k = kroll_section(site, "escap")
    # the trends the section was made from (compute_kroll, one assessment a year, kept for
    # the store version): its first pair is the one whose rho rose most
    _, trends = site.cached(("kroll", "escap"), lambda: pytest.fail("not kept"))
    assert 3 == len(trends)  # the slice's goal pairs: 5-7, 5-12 and 7-12 (EG_EGY_RNEW)
    top = trends.loc[trends.change.idxmax()]
    assert ((top.goal_a, top.goal_b), top.change) == (
        (k["rose"][0]["goal_a"], k["rose"][0]["goal_b"]), pytest.approx(k["rose"][0]["change"]))
    assert (2017, 2023) == (k["first_year"], k["last_year"])  # baseline 2015 + 2 to the latest
    html = regional_report(site, "escap", fmt="html").decode("utf-8")
    assert "Across the countries, year by year" in html
