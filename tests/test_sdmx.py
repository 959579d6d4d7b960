"""SDMX-CSV and SDMX-ML readers on real SDG specimens (see tests/specimens/sdmx/README.md)."""

import pyarrow.compute as pc
import pytest

from sdgtrack import ingest, pipeline
from sdgtrack.errors import IssueCode

from conftest import SPECIMENS

SDMX = SPECIMENS / "sdmx"
KEY = ["series_code", "ref_area", "time_period", "sex", "value_raw", "unit_measure", "nature"]


def _rows(path):
    result = ingest.read(path)
    typed = ingest.normalise(result.observations)
    return result, sorted(tuple(r[k] for k in KEY) for r in typed.to_pylist())


@pytest.mark.parametrize("name, reader", [
    ("opensdg_1-1-1--generic.xml", "sdmx-ml"),
    ("opensdg_1-1-1--structure-specific.xml", "sdmx-ml"),
    ("tajstat_Tajstat_ss_21_DATA.xml", "sdmx-ml"),
    ("tajstat_DF_SDG_GLH.csv", "sdmx-csv"),
])
def test_registry_picks_the_sdmx_readers(name, reader):
    assert reader == ingest.find_reader(SDMX / name).name


def test_generic_and_structure_specific_give_the_same_observations():
    _, generic = _rows(SDMX / "opensdg_1-1-1--generic.xml")
    _, specific = _rows(SDMX / "opensdg_1-1-1--structure-specific.xml")
    # the generic message carries no UNIT_MEASURE, the structure-specific one says PT
    assert [r[:5] for r in generic] == [r[:5] for r in specific]
    assert [
        ("SI_POV_DAY1", "826", 2020, "F", "70"), ("SI_POV_DAY1", "826", 2020, "M", "50"),
        ("SI_POV_DAY1", "826", 2020, "_T", "100"), ("SI_POV_DAY1", "826", 2021, "F", "80"),
        ("SI_POV_DAY1", "826", 2021, "M", "60"), ("SI_POV_DAY1", "826", 2021, "_T", "120"),
    ] == [r[:5] for r in specific]


def test_sdmx_csv_and_ml_of_the_same_data_agree():
    _, ml = _rows(SDMX / "tajstat_Tajstat_ss_21_DATA.xml")
    _, csv = _rows(SDMX / "tajstat_DF_SDG_GLH.csv")
    assert 188 == len(ml)  # 188 observations in the message
    assert ml == csv


def test_national_iso_codes_and_published_text_are_kept():
    result, _ = _rows(SDMX / "tajstat_Tajstat_ss_21_DATA.xml")
    typed = ingest.normalise(result.observations)
    assert {"762"} == set(typed["ref_area"].to_pylist())  # REF_AREA="TJ" is Tajikistan, M49 762
    odd = typed.filter(pc.equal(typed["value_raw"], "06")).to_pylist()
    assert [6.0] == [r["value"] for r in odd]  # OBS_VALUE="06" as published, number 6
    assert {"N"} == set(typed["reporting_type"].to_pylist())


@pytest.mark.parametrize("name", ["other_estat_NAMA_10_GDP-ss.xml",
                                  "other_oecd_g20_prices_data.csv"])
def test_another_data_structure_is_refused_and_changes_nothing(store, name):
    before = store.fingerprint()
    result = pipeline.ingest_path(SDMX / name, store)
    assert "rejected" == result.status
    (issue,) = result.issues
    assert IssueCode.WRONG_STRUCTURE == issue.code
    assert "IAEG-SDGs:SDG" in issue.hint
    assert before == store.fingerprint()


def test_sdmx_csv_without_obs_value_names_the_column(tmp_path):
    text = (SDMX / "tajstat_DF_SDG_GLH.csv").read_text().splitlines()
    header = text[0].split(",")
    keep = [i for i, c in enumerate(header) if c != "TIME_PERIOD"]
    path = tmp_path / "cut.csv"
    path.write_text("\n".join(",".join(line.split(",")[i] for i in keep) for line in text[:4]))
    (issue,) = ingest.read(path).issues
    assert (IssueCode.MISSING_COLUMN, "TIME_PERIOD") == (issue.code, issue.column)


def test_truncated_sdmx_ml_is_refused_with_a_reason(store, tmp_path):
    text = (SDMX / "tajstat_Tajstat_ss_21_DATA.xml").read_text()
    path = tmp_path / "cut.xml"
    path.write_text(text[: len(text) // 2])
    before = store.fingerprint()
    result = pipeline.ingest_path(path, store)
    assert "rejected" == result.status
    assert [IssueCode.NOT_TABULAR] == [i.code for i in result.issues]
    assert before == store.fingerprint()
