import csv
from collections import Counter

import pytest

from sdgtrack import framework
from sdgtrack.errors import IssueCode
from sdgtrack.framework import successors

from conftest import shared


def test_framework_tables_have_the_published_counts():
    goals = framework.table("goals")
    targets = framework.table("targets")
    assert 17 == goals.num_rows  # 17 goals
    assert 169 == targets.num_rows  # 169 targets
    indicators = set(framework.table("indicators")["indicator"].to_pylist())
    # the 2020 framework lists 247 indicator codes; a few (7.b.1 = 12.a.1 ...) repeat one
    # indicator under several targets, which leaves 231 distinct indicators; plus 11.5.3,
    # which the 2023 database uses (the 2020 comprehensive review split it from 11.5.2)
    assert 247 + 1 == len(indicators)
    assert "11.5.3" in indicators
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


# -- series successors (issue 13) --------------------------------------------------------------

def _successor_rows():
    with (framework.data_dir() / "series_successors.csv").open(newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def test_stunting_2020_code_is_a_comparable_rename_of_the_2023_code():
    (s,) = successors.successors("SH_STA_STUNT")
    assert "SH_STA_STNT" == s.new_code  # stunting: SH_STA_STUNT (Oct 2020) -> SH_STA_STNT (2023)
    assert "renamed" == s.relation
    assert s.comparable  # median difference 4.4 % over 190 shared area-years
    assert "2.2.1" == s.indicator
    assert "SH_STA_STNT" == successors.series_family("SH_STA_STUNT")
    assert ("SH_STA_STUNT", "SH_STA_STNT") == successors.family_members("SH_STA_STNT")


def test_a_rename_whose_values_were_revised_is_not_comparable():
    (s,) = successors.successors("SH_STA_MMR")
    assert ("SH_STA_MORT", "renamed", False) == (s.new_code, s.relation, s.comparable)
    # not comparable, so not one family: the old code is its own family
    assert "SH_STA_MMR" == successors.series_family("SH_STA_MMR")
    assert ("SH_STA_MORT",) == successors.family_members("SH_STA_MORT")


def test_a_split_and_a_discontinued_series():
    split = successors.successors("SG_PLN_MSTKSDG")  # 17.16.1: provider and recipient
    assert [("SG_PLN_MSTKSDG_P", "split"), ("SG_PLN_MSTKSDG_R", "split")] == [
        (s.new_code, s.relation) for s in split]
    assert "SG_PLN_MSTKSDG" == successors.series_family("SG_PLN_MSTKSDG")  # a split is no rename
    (gone,) = successors.successors("SD_XPD_ESED")  # 1.a.2 education spending: no 2023 series
    assert ("", "discontinued", False) == (gone.new_code, gone.relation, gone.comparable)
    assert () == successors.successors("SI_POV_DAY1")  # unchanged codes are not in the map


def test_the_shipped_successors_map_has_the_curated_counts():
    rows = _successor_rows()
    # every one of the 66 series of Oct 2020 that Dec 2023 lacks, but SE_TOT_CPLR (only
    # missing from the mirror), once; SG_PLN_MSTKSDG twice (a split)
    assert 65 == len({r["old_code"] for r in rows})
    relations = Counter(r["relation"] for r in rows)
    assert {"renamed": 28, "replaced": 16, "split": 2, "discontinued": 20} == dict(relations)
    assert 21 == sum(r["comparable"] == "yes" for r in rows)  # comparable renames
    assert set(relations) <= set(successors.RELATIONS)
    assert [] == [r for r in rows if r["comparable"] == "yes" and r["relation"] != "renamed"]
    assert [] == [r for r in rows if (r["relation"] == "discontinued") != (r["new_code"] == "")]
    assert [] == [r for r in rows if not r["evidence"] or not r["source"]]


def test_the_shipped_successors_map_names_only_known_series():
    assert [] == successors.check_successors(_successor_rows(), framework.known_series())


def test_a_successor_pointing_at_an_unknown_code_is_one_issue_with_its_place():
    rows = _successor_rows()
    line = next(i for i, r in enumerate(rows) if r["old_code"] == "SH_TBS_INCID") + 2
    rows = [dict(r, new_code="SH_TBS_INCDX") if r["old_code"] == "SH_TBS_INCID" else r
            for r in rows]
    (issue,) = successors.check_successors(rows, framework.known_series())
    assert IssueCode.UNKNOWN_SERIES == issue.code
    assert ("series_successors.csv", line, "new_code", "SH_TBS_INCDX") == (
        issue.file, issue.row, issue.column, issue.value)
    assert "leave new_code empty" in issue.hint


# -- areas: every code of the UN SDG database, with its kind ------------------------------------

def test_area_kinds_have_the_documented_counts():
    kinds = Counter(framework.area_kinds().values())
    # 193 UN member States + 2 observer States; 54 other M49 countries or areas + Kosovo;
    # 36 M49/SDG regions + 8 custodians' variants; LDC, LLDC, SIDS, developed/developing, EU ...;
    # former States, parts of countries, ocean areas, residual ODA codes
    assert {"country": 195, "territory": 55, "region": 44, "aggregate": 17, "other": 104} == dict(
        kinds)
    assert set(kinds) == set(framework.AREA_KINDS)
    k = framework.area_kinds()
    assert ("territory", "territory", "territory") == (k["344"], k["316"], k["412"])  # HK, Guam
    assert ("country", "country") == (k["275"], k["336"])  # observer States: Palestine, Holy See
    assert ("aggregate", "aggregate", "aggregate") == (k["199"], k["514"], k["722"])
    assert ("other", "other", "other") == (k["921"], k["890"], k["99051"])  # ODA, former, LME


def test_territories_keep_their_iso2_code():
    assert "316" == framework.resolve_area("GU")  # Guam, a territory
    assert "344" == framework.resolve_area("HKG")


def test_no_group_holds_an_aggregate_or_a_region():
    kinds = framework.area_kinds()
    bad = [r for r in framework.table("group_members").to_pylist()
           if kinds.get(r["m49"]) not in framework.NATIONAL_KINDS]
    assert [] == bad  # group means are means of countries and territories, never of aggregates


@pytest.mark.shared
def test_every_area_of_the_world_extract_is_known():
    import duckdb

    folder = shared("unsd-sdg-global-database-world-2023")
    files = sorted(str(p) for p in (folder / "data").glob("*.csv.gz"))
    codes = {str(int(c)) for (c,) in duckdb.connect().execute(
        "SELECT DISTINCT GeoAreaCode FROM read_csv(?, all_varchar = true, union_by_name = true)",
        [files]).fetchall()}
    with (folder / "geo_areas.csv").open(newline="", encoding="utf-8") as f:
        listed = {str(int(r["GeoAreaCode"])) for r in csv.DictReader(f)}
    assert 414 == len(codes | listed)  # README: 414 areas
    assert [] == sorted((codes | listed) - set(framework.area_names()))


# -- the other regional commissions ------------------------------------------------------------

def test_regional_commissions_have_their_published_membership_counts():
    roles = Counter((r["group"], r["role"]) for r in framework.table("group_members").to_pylist())
    assert 54 == roles["eca", "member"]  # the African UN member States
    assert 56 == roles["ece", "member"]
    assert (33, 14) == (roles["eclac", "member"], roles["eclac", "associate"])
    assert 21 == roles["escwa", "member"]
    assert {"eca", "ece", "eclac", "escwa"} <= set(framework.group_codes())
    kinds = framework.area_kinds()
    rows = [r for r in framework.table("group_members").to_pylist()
            if r["group"] in {"eca", "ece", "eclac", "escwa"}]
    # members are States, associates territories; nobody is listed twice in one commission
    assert [] == [r for r in rows if kinds[r["m49"]] != {"member": "country",
                                                         "associate": "territory"}[r["role"]]]
    assert len(rows) == len({(r["group"], r["m49"]) for r in rows})
    assert "398" in framework.group_members("ece")  # Kazakhstan: ECE and ESCAP
    assert "818" in framework.group_members("eca") and "818" in framework.group_members("escwa")
    assert "124" in framework.group_members("ece")  # Canada
    assert "124" not in framework.group_members("eclac")  # a non-regional ECLAC member
