"""The UN SDG API CSV reader on real specimens, against golden files and by hand."""

from pathlib import Path

import pyarrow.csv as pacsv
import pytest

from sdgtrack import ingest
from sdgtrack.ingest import ReadOptions
from sdgtrack.validate import Known, check

from conftest import HERE, SPECIMENS

SPECIMEN = SPECIMENS / "unsd" / "sdg_goal02_escap_specimen.csv"
EXPECTED = HERE / "expected" / "unsd_goal02_specimen.csv"
GOLDEN_COLUMNS = ["series_code", "ref_area", "time_period", "sex", "age", "value_raw", "value",
                  "value_qualifier", "unit_measure", "nature", "source_row"]


def _typed(path: Path):
    result = ingest.read(path, ReadOptions())
    return result, ingest.normalise(result.observations)


def test_reader_registry_picks_the_un_reader():
    assert "un-sdg-csv" == ingest.find_reader(SPECIMEN).name


def test_goal02_specimen_matches_golden_file(update_golden=False):
    _, typed = _typed(SPECIMEN)
    got = typed.select(GOLDEN_COLUMNS)
    if not EXPECTED.exists():  # pragma: no cover - written once, then reviewed by hand
        EXPECTED.parent.mkdir(exist_ok=True)
        pacsv.write_csv(got, EXPECTED)
    expected = pacsv.read_csv(EXPECTED, convert_options=pacsv.ConvertOptions(
        column_types=got.schema, strings_can_be_null=True))
    assert expected.to_pylist() == got.to_pylist()


def test_qualified_values_and_n_codes_by_hand():
    _, typed = _typed(SPECIMEN)
    rows = {(r["series_code"], r["ref_area"], r["time_period"]): r for r in typed.to_pylist()}
    aze_2007 = rows[("SN_ITK_DEFC", "31", 2007)]  # published as "<2.5"
    assert "<2.5" == aze_2007["value_raw"]
    assert 2.5 == aze_2007["value"]
    assert "<" == aze_2007["value_qualifier"]
    assert "NOTSPEC" == aze_2007["age"]  # kept as published: not a total
    aze_n = rows[("SN_ITK_DEFCN", "31", 2010)]  # published as "N" with nature N
    assert (None, "N", "N") == (aze_n["value"], aze_n["value_raw"], aze_n["nature"])
    assert "_T" == aze_n["age"]  # blank cell = no breakdown = explicit total
    assert 22 == typed.num_rows  # header + 22 lines in the specimen
    assert 2 == rows[("SN_ITK_DEFC", "31", 2005)]["source_row"]  # first line after the header


def test_goal03_specimen_sex_breakdown_normalised():
    _, typed = _typed(SPECIMENS / "unsd" / "sdg_goal03_escap_specimen.csv")
    kaz_2015 = {r["sex"]: r["value"] for r in typed.to_pylist()
                if r["ref_area"] == "398" and r["time_period"] == 2015}
    assert {"_T": 11.8, "F": 10.3, "M": 13.3} == kaz_2015  # BOTHSEX/FEMALE/MALE as published
    assert {"Y0T4"} == set(typed["age"].to_pylist())  # "<5Y"


def test_specimens_are_clean():
    for path in sorted((SPECIMENS / "unsd").glob("*.csv")):
        result, typed = _typed(path)
        issues = check(result.observations, typed,
                       Known({"SN_ITK_DEFC", "SN_ITK_DEFCN", "SH_DYN_MORT"},
                             {"31", "398", "524"}, set()))
        assert [] == result.issues + issues, path


@pytest.mark.parametrize("value", ["004", "4"])
def test_zero_padded_m49_codes_are_the_same_area(tmp_path, value):
    text = (SPECIMENS / "unsd" / "sdg_goal03_escap_specimen.csv").read_text()
    lines = text.splitlines(keepends=True)
    path = tmp_path / "afg.csv"
    path.write_text(lines[0] + lines[1].replace(",398,Kazakhstan,", f",{value},Afghanistan,"))
    _, typed = _typed(path)
    assert ["4"] == typed["ref_area"].to_pylist()


def test_reporting_type_column_is_read(tmp_path):
    # the live SDG API has [Reporting Type]: G (global) and N (national) rows of one series
    # and area must stay two observations, not collide
    path = tmp_path / "rt.csv"
    path.write_text("SeriesCode,GeoAreaCode,TimePeriod,Value,[Reporting Type]\n"
                    "SI_POV_DAY1,398,2015,0.1,G\nSI_POV_DAY1,398,2015,0.3,N\n",
                    encoding="utf-8")
    _, typed = _typed(path)
    assert ["G", "N"] == typed["reporting_type"].to_pylist()
    assert [0.1, 0.3] == typed["value"].to_pylist()
    forced = ingest.normalise(ingest.read(path, ReadOptions(reporting_type="N")).observations)
    assert ["N", "N"] == forced["reporting_type"].to_pylist()  # --reporting-type overrides
