"""A repository written the way the Open SDG starter writes one (human-readable headers and
labels, periods that are not calendar years, placeholder rows, many breakdown columns)
loads without --area and without a mapping file. The repository is built here; every
expected number is the one written into it."""

import pyarrow.compute as pc
import pytest

from sdgtrack import ingest, pipeline
from sdgtrack.errors import IssueCode
from sdgtrack.ingest import ReadOptions

from conftest import rows_where

HEADER = "Year,Series,Sex,Region,GeoCode,Unit measure,Unit multiplier,Observation status,Value"
FILES = {
    # financial years, both sexes and a region (names in Region, codes in GeoCode)
    "indicator_1-2-1.csv": [
        HEADER,
        "2015/16,,,,,Percentage,Units,Normal value,21.5",
        "2016/17,,,,,Percentage,Units,Normal value,20.1",
        "2016/17,,Female,,,Percentage,Units,Normal value,22.0",
        "2016/17,,Male,,,Percentage,Units,Estimated value,18.2",
        "2016/17,,,North East,E12000001,Percentage,Units,Normal value,26.3",
    ],
    # quarters, written three ways
    "indicator_8-5-2.csv": [
        "Year,Units,Value",
        "2020 Q1,Percentage,4.0", "2020-Q2,Percentage,4.1", "2020Q3,Percentage,4.8",
        "2020 Q4,Percentage,5.2",
    ],
    # months
    "indicator_8-10-1.csv": ["Year,Value", "2021-01,10", "2021-02,12", "2021-03,11"],
    # ranges: of years, written two ways, and of financial years
    "indicator_3-1-1.csv": [
        "Year,Series,Value",
        "2014-2016,Maternal deaths per 100000 births,9.8",
        "2017 to 2019,Maternal deaths per 100000 births,9.6",
        "2016/17 to 2018/19,Maternal deaths (financial years),9.7",
    ],
    # placeholders stand in the Year column
    "indicator_2-1-1.csv": ["Year,Value", "There is no data for this indicator yet,"],
    "indicator_16-10-1.csv": ["Year,Value", "This is a non-statistical indicator,"],
    # six breakdown columns: Sex and five the starter's repositories use
    "indicator_3-4-2.csv": [
        "Year,Sex,Ethnicity,Country of birth,Local authority,Deprivation decile,"
        "Cause of death,Value",
        "2019,,,,,,,10.1",
        "2019,Female,,,,,,8.0",
        "2019,Female,Asian,,,,,7.5",
        "2019,Female,Asian,UK,,,,7.4",
        "2019,Female,Asian,UK,Leeds,,,7.9",
        "2019,Female,Asian,UK,Leeds,1,,9.9",
        "2019,Female,Asian,UK,Leeds,1,Suicide,2.2",
        "2019,Female,Asian,UK,Leeds,2,Suicide,1.9",
        "2019,Male,Asian,UK,Leeds,1,Suicide,4.4",
    ],
}


@pytest.fixture
def starter(tmp_path):
    root = tmp_path / "open-sdg-data-starter"
    (root / "data").mkdir(parents=True)
    for name, lines in FILES.items():
        (root / "data" / name).write_text("\n".join(lines) + "\n", encoding="utf-8")
    # the site's config names the country, as Open SDG's _config.yml does
    (root / "_config.yml").write_text("country:\n  name: United Kingdom\n  adjective: UK\n",
                                      encoding="utf-8")
    return root


def _one(typed, **where):
    (row,) = rows_where(typed, **where)
    return row


def test_it_loads_without_area_or_mapping_and_every_row_is_stored(starter, store):
    result = pipeline.ingest_path(starter, store)
    assert "loaded" == result.status, [str(i) for i in result.issues]
    # 5 + 4 + 3 + 3 + 9 data rows; the 2 placeholder rows are not observations
    assert (24, 24, 0, 0) == (result.rows_read, result.rows_loaded, result.rows_rejected,
                              result.rows_duplicate)
    assert not [i for i in result.issues if i.code is IssueCode.DUPLICATE_KEY]
    assert {"826", "E12000001"} == result.areas  # the UK's M49 code, from the config


def test_every_period_form_is_read_with_its_frequency_and_text(starter):
    typed = ingest.normalise(ingest.read(starter, ReadOptions()).observations)
    fy = _one(typed, series_code="GBR_1_2_1", time_text="2016/17", sex="_T", ref_area="826")
    assert (2016, "2016-FY", "FY", 20.1) == (fy["time_period"], fy["period"], fy["freq"],
                                             fy["value"])
    quarters = typed.filter(pc.equal(typed["series_code"], "GBR_8_5_2"))
    assert ["2020-Q1", "2020-Q2", "2020-Q3", "2020-Q4"] == sorted(quarters["period"].to_pylist())
    assert {"Q"} == set(quarters["freq"].to_pylist())
    march = _one(typed, series_code="GBR_8_10_1", period="2021-03")
    assert (2021, "M", 11.0) == (march["time_period"], march["freq"], march["value"])
    ranges = {r["time_text"]: (r["period"], r["time_period"]) for r in typed.filter(
        pc.equal(typed["freq"], "R")).to_pylist()}
    # a range is stored under the last year it covers; financial years 2016/17 to 2018/19
    # end in 2019
    assert {"2014-2016": ("2014/2016", 2016), "2017 to 2019": ("2017/2019", 2019),
            "2016/17 to 2018/19": ("2016-FY/2018-FY", 2019)} == ranges


def test_human_readable_labels_become_codes(starter):
    typed = ingest.normalise(ingest.read(starter, ReadOptions()).observations)
    male = _one(typed, series_code="GBR_1_2_1", sex="M")
    # "Estimated value" is E, "Percentage" PT, "Units" a multiplier of 10^0
    assert ("E", "PT", 0, 18.2) == (male["obs_status"], male["unit_measure"],
                                    male["unit_mult"], male["value"])
    region = _one(typed, series_code="GBR_1_2_1", ref_area="E12000001")
    assert 26.3 == region["value"]  # GeoCode is the area, not the Region's name


def test_six_breakdowns_are_kept_apart(starter):
    typed = ingest.normalise(ingest.read(starter, ReadOptions()).observations)
    rows = typed.filter(pc.equal(typed["series_code"], "GBR_3_4_2"))
    assert 9 == len(set(zip(rows["sex"].to_pylist(), rows["breakdown"].to_pylist())))
    leeds = _one(typed, series_code="GBR_3_4_2", sex="M")
    # each breakdown its own concept=code pair, never run together
    assert ("CAUSE_OF_DEATH=Suicide;COUNTRY_OF_BIRTH=UK;DEPRIVATION_DECILE=1;"
            "ETHNICITY=Asian;LOCAL_AUTHORITY=Leeds") == leeds["breakdown"]
    assert 4.4 == leeds["value"]


def test_placeholder_rows_are_an_indicator_status_not_an_error(starter):
    result = ingest.read(starter, ReadOptions())
    said = [i for i in result.issues if i.code is IssueCode.INDICATOR_WITHOUT_DATA]
    assert {"data/indicator_2-1-1.csv": "There is no data for this indicator yet",
            "data/indicator_16-10-1.csv": "This is a non-statistical indicator"} == {
        i.file: i.value for i in said}
    assert {"warning"} == {i.severity.value for i in said}


def test_one_value_a_year_by_the_rule_a_method_names(starter):
    from sdgtrack.assess.periods import AnnualRule, annual

    typed = ingest.normalise(ingest.read(starter, ReadOptions()).observations)

    def values(series, rule):
        rows = annual(typed.filter(pc.equal(typed["series_code"], series)), rule)
        rows = rows.filter(pc.and_(pc.equal(rows["sex"], "_T"), pc.equal(rows["ref_area"],
                                                                          "826")))
        return dict(zip(rows["time_period"].to_pylist(), rows["value"].to_pylist()))

    # quarters 4.0, 4.1, 4.8, 5.2: mean 18.1 / 4 = 4.525, latest 5.2
    assert {2020: pytest.approx(4.525)} == values("GBR_8_5_2", AnnualRule())
    assert {2020: 5.2} == values("GBR_8_5_2", AnnualRule(within_year="latest"))
    # 2015/16 21.5 and 2016/17 20.1 count for their first year, or their second
    assert {2015: 21.5, 2016: 20.1} == values("GBR_1_2_1", AnnualRule())
    assert {2016: 21.5, 2017: 20.1} == values("GBR_1_2_1", AnnualRule(financial_year="end"))
    # series named in words sorted: L1 "Maternal deaths (financial years)", L2 "... per
    # 100000 births". 2014-2016 counts for 2016, or its middle year (2014 + 2016) // 2 =
    # 2015; 2016/17 to 2018/19 ends in 2019, its middle (2016 + 2019) // 2 = 2017
    assert {2016: 9.8, 2019: 9.6} == values("GBR_3_1_1:L2", AnnualRule())
    assert {2015: 9.8, 2018: 9.6} == values("GBR_3_1_1:L2", AnnualRule(range="mid"))
    assert {2017: 9.7} == values("GBR_3_1_1:L1", AnnualRule(range="mid"))
