"""A national repository's own series are assessed for their global indicator
(assess/national.py), on Kazakhstan's real files."""

import pytest

from sdgtrack import pipeline
from sdgtrack.assess import assess_units, load_spec, unit_report
from sdgtrack.assess.national import national_rows

from conftest import SPECIMENS


@pytest.fixture(scope="module")
def kz_store(tmp_path_factory):
    from sdgtrack.store import Store

    store = Store(tmp_path_factory.mktemp("kz") / "s.duckdb")
    pipeline.ingest_path(SPECIMENS / "open-sdg-kazakhstan", store, skip_invalid=True)
    yield store
    store.close()


def test_a_national_series_takes_its_global_indicators_direction_and_target(kz_store):
    result, unit = assess_units(kz_store, area="KAZ")
    report = unit_report(result, unit.code)
    (u5,) = [i for i in report["indicators"] if i["series_code"] == "KAZ_3_2_1"]
    # indicator_3-2-1.csv line 737: 2015,PER_1000_LIVE_BIRTHS,_T,,,12.04 (the baseline); the
    # spec's 3.2.1 row is SH_DYN_MORT, decrease, target 25 per 1,000 live births, the same unit
    assert ("SH_DYN_MORT", "decrease", "value", 25.0) == (
        u5["spec_series_code"], u5["direction"], u5["target_rule"], u5["target_level"])
    assert (2015, 12.04, True) == (u5["t0"], u5["x0"], u5["assessed"])
    assessed = {s["goal"] for s in report["snapshot"] if s["status"] != "insufficient_data"}
    assert {3, 5} == assessed  # before: none, the files carry no global series code


def test_a_group_mean_never_takes_one_countrys_national_series(kz_store):
    result, unit = assess_units(kz_store, members="KAZ,KGZ")
    codes = {i["series_code"] for i in unit_report(result, unit.code)["indicators"]}
    assert not {c for c in codes if c.startswith("KAZ_")}


def test_a_national_series_without_a_target_in_its_unit_says_why():
    spec = load_spec()
    # 3.2.1's rows (escap_spec.csv): infant mortality against the best performers, under-5
    # mortality against 25 per 1,000 live births; neither holds for a series in percent
    rows, reasons = national_rows(spec, {"KAZ_3_2_1": "PT", "KAZ_99_1_1": "PT"})
    # kept, unassessed, with the reason; 3.2.1's direction is known (decrease), 99.1.1's not
    assert [("KAZ_3_2_1", "decrease"), ("KAZ_99_1_1", "")] == list(
        zip(rows.series_code, rows.direction))
    assert list(rows.given_reason) == [reasons["KAZ_3_2_1"], reasons["KAZ_99_1_1"]]
    assert ("no target in its unit PT: of indicator 3.2.1's series, SH_DYN_IMRT has a "
            "best_performers target in PER_1000_LIVE_BIRTHS; SH_DYN_MORT has a value target "
            "in PER_1000_LIVE_BIRTHS") == reasons["KAZ_3_2_1"]
    assert ("no direction known: its indicator is not in the assessment specification "
            "(99.1.1)") == reasons["KAZ_99_1_1"]
