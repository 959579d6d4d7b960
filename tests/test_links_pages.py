"""The "Synergies and trade-offs" sections on the real slice (goals 5 and 7 of the 2023
extract): the country page's JSON twin lists every pair behind its counts, the goal page
names the partner goals, the charts say the classes by symbol and line as well as colour,
and the words are translated."""

from __future__ import annotations

import re

import pytest

from sdgtrack.publish.charts import to_svg
from sdgtrack.publish.links_charts import heatmap_spec, network_spec
from sdgtrack.publish.site.data import SiteData
from sdgtrack.publish.site.render import render
from sdgtrack.publish.site.router import build, parse

CLASSES = ("synergy", "trade_off", "not_classified", "insufficient_data")


@pytest.fixture(scope="module")
def site(slice_store):
    return SiteData(slice_store, frozen=True)


def page(site, address):
    p = build(site, parse(address))
    return p, render(site, p)


def test_country_json_lists_every_pair_behind_the_counts(site):
    p, html = page(site, "en/area/398.html")
    links = p["links"]
    fields, series = links["pairs"]["fields"], links["pairs"]["series"]
    pairs = []
    few = [[a, b, n, None, None, None, None, "insufficient_data"]
           for a, b, n in links["pairs"]["not_enough_data"]]
    for row in links["pairs"]["rows"] + few:  # each pair names its two series by position
        pair = dict(zip(fields, row, strict=True))
        a, b = series[pair.pop("a")], series[pair.pop("b")]
        pairs.append({**pair, "series_a": a["series_code"], "goal_a": a["goal"],
                      "series_b": b["series_code"], "goal_b": b["goal"]})
    for g in links["goals"]:
        mine = [x["class"] for x in pairs if (x["goal_a"], x["goal_b"]) == (g["goal_a"],
                                                                           g["goal_b"])]
        assert [g[c] for c in CLASSES] == [mine.count(c) for c in CLASSES]
    # the sentence under the heading is the totals over the pairs
    assert links["totals"]["synergy"] == sum(x["class"] == "synergy" for x in pairs)
    assert "A synergy is co-movement, not a cause." in html
    n = f"{links['totals']['with_data']:,}"
    assert f"Of {n} pairs of series with at least 8 years in common" in html
    # the electricity / clean fuels pair (22 years, rho 0.6621) is there as the CLI gives it
    elec = next(x for x in pairs if (x["series_a"], x["series_b"]) == ("EG_ACS_ELEC",
                                                                       "EG_EGY_CLEAN"))
    assert (22, 0.6621, "synergy") == (elec["years"], elec["rho"], elec["class"])


def test_pairs_with_too_few_years_are_listed_with_their_years(site):
    p, html = page(site, "en/area/762.html")
    pairs = p["links"]["pairs"]
    few = [(pairs["series"][a]["series_code"], n) for a, b, n in pairs["not_enough_data"]]
    # Tajikistan: women in managerial positions has fewer than 8 years beside 6 series
    assert 6 == len(few) and {"IC_GEN_MGTL"} == {code for code, _n in few}
    assert all(n < 8 for _code, n in few)
    assert f"{len(few)} more pairs have fewer years in common: not enough data" in html


def test_group_page_counts_countries(site):
    p, html = page(site, "en/group/escap_nca.html")
    goals = p["links"]["goals"]
    assert {"countries"} == {g["counted"] for g in goals}
    assert all(9 == sum(g[c] for c in CLASSES) for g in goals)  # the 9 members each counted
    assert "pairs" not in p["links"] and "Countries with data" in html


def test_goal_page_names_the_partner_goals(site):
    p, html = page(site, "en/goal/7.html")
    links = p["links"]
    region = {r["partner"]: r for r in links["region"]}
    assert {5, 7} <= set(region)
    top = links["most_synergy"][0]
    # the top partner has the highest share of countries whose pairs are mostly synergies
    assert top["share_synergy"] == max(r["share_synergy"] for r in links["region"]
                                       if r["synergy"] > 0)
    assert f"{top['partner']}. {top['title']}" in html
    kaz = next(c for c in links["countries"] if c["unit"] == "398")
    assert kaz["with_data"] > 0 and 'href="../area/398.html#links"' in html


def test_sections_are_translated(site):
    _, zh = page(site, "zh/area/398.html")
    _, ru = page(site, "ru/goal/7.html")
    assert "协同与权衡" in zh and "协同是共同变动，而非因果。" in zh
    assert "Синергии и компромиссы" in ru


ROWS = [  # three goals by hand: 1-2 mostly synergies, 1-3 mostly trade-offs, 2-3 not
    {"goal_a": 1, "goal_b": 2, "dominant": "synergy", "share_synergy": 0.75,
     "share_trade_off": 0.0, "with_data": 4},
    {"goal_a": 1, "goal_b": 3, "dominant": "trade_off", "share_synergy": 0.2,
     "share_trade_off": 0.6, "with_data": 5},
    {"goal_a": 2, "goal_b": 3, "dominant": "not_classified", "share_synergy": 0.1,
     "share_trade_off": 0.1, "with_data": 10},
]


def test_heat_map_marks_each_cell_with_its_class_symbol():
    svg = to_svg(heatmap_spec(ROWS, "Somewhere"))
    symbols = re.findall(r"<text[^>]*>([+−○·])</text>", svg)
    # 3 x 3 cells: 1-2 and 2-1 "+", 1-3 and 3-1 "−", 2-3 and 3-2 "○", the diagonal (no
    # within-goal pair given) "·"
    assert sorted("++−−○○···") == sorted(symbols)


def test_network_draws_an_edge_per_dominant_pair_dashed_for_trade_offs():
    svg = to_svg(network_spec(ROWS, "Somewhere"))
    lines = re.findall(r'<line[^>]*aria-roledescription="rule mark"[^>]*>', svg)
    dashed = [x for x in lines if 'stroke-dasharray="6,4"' in x]
    # 1-2 (synergy, solid) and 1-3 (trade-off, dashed); 2-3 is not drawn
    assert (2, 1) == (len(lines), len(dashed))
    assert "goals: 1–3" in dashed[0] and "#b2182b" in dashed[0]
    labels = re.findall(r"<text[^>]*>(\d+)</text>", svg)
    assert {"1", "2", "3"} <= set(labels)


def test_methodology_page_states_the_interlinkage_parameters(site):
    p, html = page(site, "en/methodology.html")
    assert (8, 0.6, 0.05) == tuple(p["links_method"]["parameters"][k]
                                   for k in ("min_years", "threshold", "alpha"))
    assert "ρ &gt; 0.6, p &lt; 0.05: Synergy" in html
