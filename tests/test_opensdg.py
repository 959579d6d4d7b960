"""The Open SDG reader on real Kazakhstan files and on a human-readable repository."""

import pytest

from sdgtrack import ingest, pipeline
from sdgtrack.errors import DataError, IssueCode
from sdgtrack.ingest import ReadOptions

from conftest import SPECIMENS
from conftest import rows_where as _rows

KZ = SPECIMENS / "open-sdg-kazakhstan"
READABLE = SPECIMENS / "open-sdg-readable"


@pytest.fixture(scope="module")
def kz():
    result = ingest.read(KZ, ReadOptions())
    return result, ingest.normalise(result.observations)


def test_country_is_inferred_from_sub_national_codes(kz):
    result, typed = kz
    assert "open-sdg" == ingest.find_reader(KZ).name
    (national,) = _rows(typed, series_code="KAZ_3_2_1", time_period=2010, ref_area="398",
                        sex="_T", urbanisation="_T")
    # indicator_3-2-1.csv line 2: 2010,PER_1000_LIVE_BIRTHS,_T,,,19.55
    assert 19.55 == national["value"]
    (akmola,) = _rows(typed, series_code="KAZ_3_2_1", time_period=2010, ref_area="KZAKM",
                      sex="_T", urbanisation="_T")
    assert 16.99 == akmola["value"]  # line 3: ...,KZAKM,16.99
    assert "N" == national["reporting_type"]
    areas = dict(zip(result.areas["ref_area"].to_pylist(), result.areas["parent"].to_pylist()))
    assert "398" == areas["KZAKM"]  # declared from translations/en/REF_AREA.yml


def test_messiness_is_reported_not_fatal(kz):
    result, _ = kz
    codes = {(i.file, i.code) for i in result.issues}
    assert ("data/indicator_10-4-2.csv", IssueCode.INDICATOR_WITHOUT_DATA) in codes
    assert ("data/indicator_1-4-2.csv", IssueCode.EMPTY_HEADER) in codes  # 4 empty headers
    assert ("data/indicator_17-3-1-2.csv", IssueCode.RENAMED_COLUMN) in codes  # GeoCode
    malformed = [i.row for i in result.issues if i.code is IssueCode.MALFORMED_ROW]
    assert [2, 20, 38, 56] == malformed  # 4-c-1-2: "2019,PT,32.8" has 3 of 4 fields


def test_local_series_codes_are_scoped_by_indicator(kz):
    _, typed = kz
    series = set(typed["series_code"].to_pylist())
    # _L_KZ_DD_MSD is used by both 2.2.1 (stunting) and 2.2.2 (wasting): two series
    assert {"KAZ_2_2_1:_L_KZ_DD_MSD", "KAZ_2_2_2:_L_KZ_DD_MSD"} <= series
    (stunting,) = _rows(typed, series_code="KAZ_2_2_1:_L_KZ_DD_MSD", time_period=2010,
                        sex="_T", urbanisation="_T", age="_T", ref_area="398")
    (wasting,) = _rows(typed, series_code="KAZ_2_2_2:_L_KZ_DD_MSD", time_period=2010,
                       sex="_T", urbanisation="_T", age="_T", ref_area="398")
    assert (13.1, 4.05) == (stunting["value"], wasting["value"])


def test_an_indicator_in_two_units_becomes_two_series(kz):
    _, typed = kz
    series = {s for s in typed["series_code"].to_pylist() if s.startswith("KAZ_17_3_1_2")}
    assert {"KAZ_17_3_1_2:M_USD", "KAZ_17_3_1_2:PT"} == series  # 76 rows in M_USD, 12 in PT
    assert 12 == len(_rows(typed, series_code="KAZ_17_3_1_2:PT"))


def test_conflicting_rows_block_the_load_until_skipped(store):
    refused = pipeline.ingest_path(KZ, store)
    assert "rejected" == refused.status
    conflicts = {i.file for i in refused.issues if i.code is IssueCode.DUPLICATE_KEY}
    # real conflicts in the source: 5-5-2 repeats 2020 with other values, 17-3-1-2 has
    # two values (0.7 and 1.32) for 2021 in percent
    assert {"data/indicator_5-5-2.csv", "data/indicator_17-3-1-2.csv"} == conflicts
    loaded = pipeline.ingest_path(KZ, store, skip_invalid=True)
    assert "loaded" == loaded.status
    # every row read is loaded, rejected, or a repeat stored once
    assert loaded.rows_read == loaded.rows_loaded + loaded.rows_rejected + loaded.rows_duplicate


def test_human_readable_headers_load_through_the_mapping(store):
    result = ingest.read(READABLE, ReadOptions(area="KAZ", mapping=READABLE / "mapping.yml"))
    typed = ingest.normalise(result.observations)
    (female,) = _rows(typed, ref_area="398", time_period=2019, sex="F", urbanisation="_T")
    (rural,) = _rows(typed, ref_area="398", time_period=2019, sex="_T", urbanisation="R")
    assert {"F", "M", "_T"} == set(typed["sex"].to_pylist())  # Female, Male, empty
    assert "A" == female["obs_status"]  # "Normal value"
    assert "PER_1000_LIVE_BIRTHS" == female["unit_measure"]  # mapped by the user's file
    assert "KZAKM" in set(typed["ref_area"].to_pylist())  # the "Oblast" column
    assert rural["value"] is not None


def test_without_the_mapping_an_unknown_column_is_a_breakdown():
    result = ingest.read(READABLE, ReadOptions(area="KAZ"))
    typed = ingest.normalise(result.observations)
    assert "OBLAST=KZAKM" in set(typed["breakdown"].to_pylist())
    assert IssueCode.UNKNOWN_COLUMN in {i.code for i in result.issues}


def test_a_repository_without_country_asks_for_area(tmp_path):
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "indicator_1-1-1.csv").write_text("Year,Value\n2019,1.5\n")
    with pytest.raises(DataError) as err:
        ingest.read(tmp_path, ReadOptions())
    assert "--area" in err.value.issues[0].hint


def test_series_profile_explains_headline_and_breakdowns(store):
    from sdgtrack.store import queries

    pipeline.ingest_path(KZ, store, skip_invalid=True)
    profile = queries.series_profile(store.table("observations_current"),
                                     store.table("areas_all")).execute().set_index("series_code")
    # 3.2.1: national rows with every breakdown empty, by sex, urban/rural and oblast
    u5 = profile.loc["KAZ_3_2_1"]
    assert (True, True, True, True, False) == (
        u5.headline, u5.subnational, u5.by_sex, u5.by_urbanisation, u5.by_age)
    # 1.4.2 is published only by oblast and sex (SEX column, REF_AREA) plus a national row
    assert bool(profile.loc["KAZ_1_4_2"].subnational)
