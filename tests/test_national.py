"""A national repository as published: Kyrgyzstan's (SDMX-ML against the national DSD
``KG_NSC:SDG(1.8)``, CSVs named ``1-5-4.csv`` with Russian headers and labels), read with
nothing written for that country. See tests/specimens/README.md for the extract."""

from pathlib import Path

import pyarrow.compute as pc
import pytest

from sdgtrack import ingest, pipeline
from sdgtrack.errors import IssueCode
from sdgtrack.ingest import ReadOptions

from conftest import SPECIMENS
from conftest import rows_where as _rows

KG = SPECIMENS / "open-sdg-kyrgyzstan"
SHARED_KG = Path(__file__).resolve().parents[2] / "shared" / "data" / "open-sdg-kyrgyzstan"


@pytest.fixture(scope="module")
def kg():
    result = ingest.read(KG, ReadOptions())
    return result, ingest.normalise(result.observations)


def _issues(result, code, file=None):
    return [i for i in result.issues if i.code is code and (file is None or i.file == file)]


def test_the_repository_is_read_whole_without_area_or_mapping(kg):
    result, typed = kg
    assert "open-sdg" == ingest.find_reader(KG).name
    counts = pc.value_counts(typed["source_file"]).to_pylist()
    by_file = {c["values"]: c["counts"] for c in counts}
    # <Obs elements: 175 in 1.1.1.xml, 18 in 1.5.4.xml, 31 in 12.4.2.xml; CSV data lines:
    # 1-5-1.csv 10 areas x 3 (total, men, women) x 2 years = 60; 1-5-4.csv 3 series x 5
    # years = 15; 4-1-2.csv 122 (its last line has no newline: `wc -l` says 122 with the
    # header)
    assert {"data/1.1.1.xml": 175, "data/1.5.4.xml": 18, "data/12.4.2.xml": 31,
            "data/1-5-1.csv": 60, "data/1-5-4.csv": 15, "data/4-1-2.csv": 122} == by_file


def test_a_national_dsd_derived_from_the_sdg_one_is_read(kg):
    _, typed = kg
    # 1.1.1.xml: <Series SERIES="SI_POV_DAY1" REF_AREA="KG" SEX="_T" ...>
    #   <Obs TIME_PERIOD="2007" OBS_VALUE="0.13" .../>
    (first,) = _rows(typed, series_code="SI_POV_DAY1", ref_area="417", time_period=2007,
                     sex="_T")
    assert 0.13 == first["value"]  # REF_AREA="KG" is the country: M49 417
    assert ("N", "PT", "C") == (first["reporting_type"], first["unit_measure"],
                                first["nature"])
    oblasts = {a for a in typed["ref_area"].to_pylist() if a.startswith("KG")}
    assert {"KG02", "KG03", "KG04", "KG05", "KG06", "KG07", "KG08", "KG11", "KG21"} == oblasts


def test_sub_national_areas_are_named_from_the_shipped_dsd(kg):
    result, _ = kg
    areas = {r["ref_area"]: (r["name"], r["parent"]) for r in result.areas.to_pylist()}
    assert ("Batken", "417") == areas["KG05"]  # CL_AREA: KG05 en "Batken"
    assert ("Bishkek (city)", "417") == areas["KG11"]


def test_russian_headers_and_labels_map_to_sdmx_codes(kg):
    _, typed = kg
    # 4-1-2.csv line 12: 2018,Процент завершения начального образования,,,Баткенская
    # область,,,,100 -- "Территория" is REF_AREA by the DSD's Russian concept name, the
    # oblast is KG05 by its Russian code name
    (batken,) = _rows(typed, series_code="KGZ_4_1_2:L1", ref_area="KG05", time_period=2018,
                      sex="_T", urbanisation="_T", breakdown="_T",
                      income_wealth_quantile="_T")
    assert 100.0 == batken["value"]
    # line 26: ...,г. Бишкек,,,,99.1 (the DSD writes "г. Бишкек")
    (bishkek,) = _rows(typed, series_code="KGZ_4_1_2:L1", ref_area="KG11", time_period=2018,
                       sex="_T", urbanisation="_T", breakdown="_T",
                       income_wealth_quantile="_T")
    assert 99.1 == bishkek["value"]
    # line 10: 2018,...,,Женский,,,,,99.5 -- "Женский" is F through the mapping table
    (female,) = _rows(typed, series_code="KGZ_4_1_2:L1", ref_area="417", time_period=2018,
                      sex="F", urbanisation="_T", breakdown="_T")
    assert 99.5 == female["value"]
    # 1-5-1.csv: "г.Бишкек" without the space is still KG11 (spaces are ignored)
    assert _rows(typed, series_code="KGZ_1_5_1", ref_area="KG11", time_period=2019, sex="_T")


def test_a_series_named_in_the_dsd_gets_its_code(kg):
    _, typed = kg
    # 1-5-4.csv line 2: 2019,Число местных органов власти,484; the DSD names SG_GOV_LOGV
    # "Число местных органов власти" in Russian
    (row,) = _rows(typed, series_code="SG_GOV_LOGV", time_period=2019,
                   source_file="data/1-5-4.csv")
    assert 484.0 == row["value"]


def test_series_named_in_words_get_short_codes_and_keep_their_names(kg):
    result, _ = kg
    titles = dict(zip(result.series["series_code"].to_pylist(),
                      result.series["description"].to_pylist()))
    # the three labels of 4-1-2.csv sorted: начального < неполного < полного
    assert "Процент завершения начального образования" == titles["KGZ_4_1_2:L1"]
    assert "Процент завершения полного среднего образования" == titles["KGZ_4_1_2:L3"]


def test_unmatched_labels_are_kept_and_listed_once_per_column(kg):
    result, typed = kg
    (nation,) = _issues(result, IssueCode.UNMAPPED_CODE, "data/1-5-1.csv")
    assert ("Территория", 2, "Кыргызская Республика") == (nation.column, nation.row,
                                                          nation.value)
    assert _rows(typed, ref_area="Кыргызская Республика", time_period=2019, sex="_T")
    listed = {i.column: i.value for i in _issues(result, IssueCode.UNMAPPED_CODE,
                                                   "data/4-1-2.csv")}
    # 121 rows, one issue per column: the labels of the two columns no code list covers
    assert {"Образование матери": "Высшее; Основное общее; Профессиональное "
            "начальное/среднее; Среднее общее",
            "Функциональные трудности у матери": "Нет; Нет информации"} == listed
    assert "ОБРАЗОВАНИЕ_МАТЕРИ=Высшее" in set(typed["breakdown"].to_pylist())


def test_a_series_in_two_units_in_one_sdmx_file_is_two_series(kg):
    _, typed = kg
    # 12.4.2.xml gives EN_HAZ_PCAP in UNIT_MEASURE="KG" (1 series) and "PT" (2 series)
    series = {s for s in typed["series_code"].to_pylist() if s.startswith("EN_HAZ_PCAP")}
    assert {"EN_HAZ_PCAP:KG", "EN_HAZ_PCAP:PT"} == series


def test_every_row_is_loaded_or_explained(store):
    refused = pipeline.ingest_path(KG, store)
    assert "rejected" == refused.status
    conflicts = {(i.file, i.row) for i in refused.issues if i.code is IssueCode.DUPLICATE_KEY}
    # a real conflict of the source: SG_DSR_SILS 2019-2023 is 10.12397 ... 40.53 in
    # 1-5-4.csv (lines 7-11) and 101 ... in 1.5.4.xml (observations 7-11)
    assert {("data/1-5-4.csv", r) for r in range(7, 12)} | {
        ("data/1.5.4.xml", r) for r in range(7, 12)} == conflicts
    loaded = pipeline.ingest_path(KG, store, skip_invalid=True)
    assert "loaded" == loaded.status
    # 421 read = 401 loaded + 10 in conflict + 10 repeats (SG_DSR_SILN and SG_GOV_LOGV
    # 2019-2023 in both 1-5-4.csv and 1.5.4.xml, same values) stored once
    assert (421, 401, 10, 10) == (loaded.rows_read, loaded.rows_loaded,
                                  loaded.rows_rejected, loaded.rows_duplicate)


@pytest.mark.skipif(not SHARED_KG.is_dir(), reason="../shared/data/open-sdg-kyrgyzstan is "
                    "absent: the whole-repository check needs it")
def test_the_whole_kyrgyz_repository_loads(store):
    result = pipeline.ingest_path(SHARED_KG, store, skip_invalid=True)
    assert "loaded" == result.status
    # 26,523 SDMX-ML observations (the README's count) + 1,374 CSV rows read
    assert 26_523 + 1_374 == result.rows_read
    # each row not loaded is a repeat stored once or a real conflict (duplicate_key)
    assert result.rows_read == result.rows_loaded + result.rows_rejected + result.rows_duplicate
    rejected = {i.code for i in result.issues if i.severity.value == "error"}
    assert {IssueCode.DUPLICATE_KEY} == rejected


@pytest.mark.parametrize("fmt, name", [("csv", "kg.csv"), ("sdmx-ml", "kg.xml"),
                                       ("open-sdg", "kg-open-sdg")])
def test_exported_and_read_back_gives_the_same_observations(fmt, name, store, tmp_path):
    from sdgtrack.publish.export import export, store_catalogue
    from sdgtrack.store import Store

    pipeline.ingest_path(KG, store, skip_invalid=True)
    obs = store.table("observations_current")
    export(obs, fmt, tmp_path / name, catalogue=store_catalogue(store))
    with Store(tmp_path / "again.duckdb") as again:
        # the UN layout does not declare sub-national areas: --areas gives the ones loaded
        areas = tmp_path / "areas.csv"
        declared = store.table("areas_declared").select("ref_area", "name", "parent")
        declared.to_pyarrow().to_pandas().to_csv(areas, index=False)
        options = ReadOptions(areas=areas) if fmt == "csv" else ReadOptions()
        back = pipeline.ingest_path(tmp_path / name, again, options)
        assert "loaded" == back.status, [str(i) for i in back.issues][:3]
        key = ["series_code", "ref_area", "time_period", "period", "sex", "age",
               "urbanisation", "income_wealth_quantile", "breakdown", "value_raw"]
        first = sorted(obs.select(key).to_pyarrow().to_pylist(), key=repr)
        second = again.table("observations_current").select(key).to_pyarrow().to_pylist()
        # the Open SDG export writes a series under each indicator that uses it: the
        # copies read back as repeats, stored once
        assert 401 == len(first)
        assert first == sorted(second, key=repr)


def test_a_damaged_structure_beside_sdmx_ml_is_refused_naming_it(store, tmp_path):
    """The structure message beside exported SDMX-ML, cut short: the load is refused with an
    issue that names that file and says what to do; nothing is stored."""
    from sdgtrack.publish.export import export, store_catalogue
    from sdgtrack.store import Store

    pipeline.ingest_path(KG, store, skip_invalid=True)
    result = export(store.table("observations_current"), "sdmx-ml", tmp_path / "kg.xml",
                    catalogue=store_catalogue(store))
    assert 2 == result.files
    beside = tmp_path / "kg.dsd.xml"
    beside.write_bytes(beside.read_bytes()[:700])  # half a message
    with Store(tmp_path / "again.duckdb") as again:
        back = pipeline.ingest_path(tmp_path / "kg.xml", again)
        assert "rejected" == back.status
        (issue,) = back.issues
        assert ("kg.dsd.xml", IssueCode.NOT_TABULAR) == (issue.file, issue.code)
        assert "cannot be read" in issue.message and "remove kg.dsd.xml" in issue.hint
        assert 0 == again.table("observations").count().execute()
