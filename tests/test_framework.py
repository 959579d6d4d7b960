from collections import Counter

from sdgtrack import framework


def test_framework_tables_have_the_published_counts():
    goals = framework.table("goals")
    targets = framework.table("targets")
    assert 17 == goals.num_rows  # 17 goals
    assert 169 == targets.num_rows  # 169 targets
    indicators = set(framework.table("indicators")["indicator"].to_pylist())
    # the 2020 framework lists 247 indicator codes; a few (7.b.1 = 12.a.1 ...) repeat one
    # indicator under several targets, which leaves 231 distinct indicators
    assert 247 == len(indicators)
    assert "3.2.1" in indicators


def test_escap_region_and_subregions_partition_58_members():
    escap = set(framework.group_members("escap"))
    assert 58 == len(escap)  # 49 regional members + 9 associate members
    subs = ["escap_enea", "escap_sea", "escap_sswa", "escap_nca", "escap_pacific"]
    sizes = [len(framework.group_members(g)) for g in subs]
    assert [7, 11, 10, 9, 21] == sizes
    union = set().union(*(framework.group_members(g) for g in subs))
    assert escap == union  # every member is in exactly one subregion: 7+11+10+9+21 = 58
    roles = Counter(r["role"] for r in framework.table("group_members").to_pylist()
                    if r["group"] == "escap")
    assert {"member": 49, "associate": 9} == dict(roles)


def test_every_series_links_to_a_framework_indicator():
    indicators = set(framework.table("indicators")["indicator"].to_pylist())
    links = framework.table("series_indicators").to_pylist()
    assert 523 == len(links)  # 471 series, some serving several indicators
    assert [] == [r for r in links if r["indicator"] not in indicators]


def test_resolve_area_accepts_m49_padded_and_iso3():
    assert "398" == framework.resolve_area("KAZ")
    assert "4" == framework.resolve_area("004")
    assert "524" == framework.resolve_area("npl")
