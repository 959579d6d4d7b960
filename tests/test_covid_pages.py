"""The "Where COVID-19 set progress back" sections of the goal, country and group pages, on
a slice of the real data (goals 5 and 7 of the December 2023 extract)."""

import pytest

from sdgtrack import api
from sdgtrack.publish.site import router
from sdgtrack.publish.site.data import SiteData
from sdgtrack.publish.site.render import render


@pytest.fixture(scope="module")
def site(slice_store):
    return SiteData(slice_store)


def page(site, path):
    built = router.build(site, router.parse(path))
    return built, render(site, built)


def test_goal_page_section_agrees_with_the_command(site, slice_store):
    built, html = page(site, "en/goal/7.html")
    facts = built["covid"]["facts"]
    rows = api.covid_setback(slice_store, group="escap").series
    goal7 = rows[rows.goal == 7]
    assert len(goal7) == facts["series"]
    assert (goal7["class"] == "setback").sum() == facts["n_setback"]
    assert GOLDEN_GOAL7 == (facts["series"], facts["with_trend"], facts["n_setback"],
                            facts["n_ahead"], facts["n_within_trend"])
    assert "Where COVID-19 set progress back" in html
    # every country with a goal-7 trend has a row, most setbacks (as a share) first
    shares = [c["share_setback"] for c in built["covid_countries"]]
    assert shares == sorted(shares, reverse=True)
    assert "2019 冠状病毒病在哪些方面使进展倒退" in page(site, "zh/goal/7.html")[1]


def test_country_page_lists_its_worst_setbacks_with_a_chart(site):
    built, html = page(site, "en/area/360.html")  # Indonesia
    covid = built["covid"]
    # access to electricity and to clean cooking fell behind their 2015-2019 trends
    assert {"EG_ACS_ELEC", "EG_EGY_CLEAN"} <= {w["series_code"] for w in covid["worst"]}
    lost = [w["years_lost"] for w in covid["worst"] if w["years_lost"] is not None]
    assert lost == sorted(lost, reverse=True)
    assert all(w["observed"] < w["lower"] or w["observed"] > w["upper"]
               for w in covid["worst"])  # a setback lies outside its interval
    panels = {v["series"] for v in covid["chart"]["data"]["values"]}
    assert len(covid["worst"]) == len(panels)
    svg = html.split('id="covid"')[1].split("</figure>")[0]
    assert "<svg" in svg
    # the legend names both lines, whole; the interval is drawn for 2020-2023 only
    assert "Observed" in svg and "Trend of 2015-2019, carried on" in svg
    band = [v for v in covid["chart"]["data"]["values"] if v["lower"] is not None]
    assert {2020, 2021, 2022, 2023} == {v["year"] for v in band}
    assert {g["goal"] for g in covid["goals"]} <= {5, 7, 12}
    assert "Откат" in page(site, "ru/area/360.html")[1]


def test_group_page_has_its_members_table(site):
    built, _ = page(site, "en/group/escap_sea.html")
    from sdgtrack import framework

    members = set(framework.group_members("escap_sea"))
    assert {c["unit"] for c in built["covid_countries"]} <= members
    assert built["covid"]["facts"]["with_trend"] > 0


#: the region's goal-7 series (slice of the 2023 extract): series, with a 2015-2019 trend,
#: setback, ahead, within trend
GOLDEN_GOAL7 = (5, 5, 0, 1, 4)


def test_regional_report_has_the_section_with_its_chart(site):
    from sdgtrack.publish.report.region import region_context

    region = region_context(site, "escap", "en")["covid"]
    built, _ = page(site, "en/group/escap.html")
    assert built["covid"]["facts"] == region["facts"]  # the report shows what the page does
    # on goals 5 and 7 no group has a setback (so the region's section has no chart);
    # the section's chart as the report draws it, for Indonesia's two
    assert (0, None) == (region["facts"]["n_setback"], region.get("image"))
    from sdgtrack.publish.report.covid import covid_context

    indonesia = covid_context(site, "360", "en")
    assert {"EG_ACS_ELEC", "EG_EGY_CLEAN"} <= {w["series_code"] for w in indonesia["worst"]}
    assert indonesia["image"].startswith("data:image/svg+xml;base64,")


def test_probability_beside_the_class_and_the_backtest_on_the_methodology_page(site):
    built, html = page(site, "en/goal/7.html")
    shown = {t["target"]: (t["class"], t["probability"]) for t in built["probability"]["targets"]}
    # the same as `sdgtrack probability --group escap` (tests/test_probability.py): a
    # series' draws are its own, whatever else the site computes
    assert {"7.1": ("accelerate", 0.0), "7.3": ("accelerate", 0.08)}.items() <= shown.items()
    # 7.3, the class in words (not its code)
    assert "Accelerate progress to achieve target (probability of reaching the target: 8%)" \
        in html
    # how a class and a probability can differ, in the page's language
    assert "can be classed “Reverse trend to achieve target” and still have" in html
    zh = page(site, "zh/goal/7.html")[1]
    assert "可能被归为“扭转趋势以实现目标”却仍有不小的概率，或被归为“保持进展以实现目标”" in zh
    method, html = page(site, "en/methodology.html")
    b = method["backtest"]
    assert 1972 == b["overall"]["values"]  # as tests/test_probability.py's back-test
    assert {5: 0.821, 7: 0.734} == {g["goal"]: round(g["coverage"], 3) for g in b["by_goal"]}
    assert [7] == b["outside"]  # goal 7: 73.4 %, outside 80 ± 5 %
    assert 'id="backtest"' in html
    assert "按目标分列的 80% 区间覆盖率" in page(site, "zh/methodology.html")[1]


def test_regional_report_shows_each_target_beside_its_probability(site):
    from sdgtrack.publish.report.region import region_context

    prob = region_context(site, "escap", "en")["probability"]
    built, _ = page(site, "en/group/escap.html")
    assert built["probability"]["targets"] == prob["targets"]  # what the group page shows
    assert {"7.1", "7.3"} <= {t["target"] for t in prob["targets"]}
