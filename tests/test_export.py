"""Open exports: each format is read back by sdgtrack's own reader of it, and opened with the
format's own library, on real specimens.

A round trip compares every key, value and attribute column exactly. Only the provenance
columns differ, by construction: ``dataset`` and ``load_id`` name the load, ``source_file``
and ``source_row`` the file and line a row was read from, and an export is another file.
"""

import csv
import io

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest
from openpyxl import load_workbook

from sdgtrack import ingest, pipeline
from sdgtrack.errors import DataError, UsageError
from sdgtrack.ingest import ReadOptions
from sdgtrack.model import COLUMNS, KEY_NAMES, PROVENANCE
from sdgtrack.model.codes import normalise_code
from sdgtrack.model.template import COLUMNS as TEMPLATE_COLUMNS
from sdgtrack.publish import export as ex
from sdgtrack.publish.export import (
    FORMATS,
    current_observations,
    export,
    store_catalogue,
)
from sdgtrack.store import Store

from conftest import SPECIMENS

#: Provenance columns legitimately differ after a round trip (see the module docstring).
DIFFERS = tuple(c.name for c in PROVENANCE)
COMPARED = [c.name for c in COLUMNS if c.name not in DIFFERS]
GOAL02, GOAL03 = "sdg_goal02_escap_specimen", "sdg_goal03_escap_specimen"
TAJSTAT, OPENSDG_XML, KZ = "tajstat_DF_SDG_GLH", "opensdg_1-1-1--generic", "open-sdg-kazakhstan"
#: The reporting type of each dataset: readers of formats without one are told it.
REPORTING = {GOAL02: "G", GOAL03: "G", TAJSTAT: "N", OPENSDG_XML: "N", KZ: "N"}


@pytest.fixture(scope="module")
def specimens(tmp_path_factory):
    """A store with every real specimen of a readable format loaded."""
    store = Store(tmp_path_factory.mktemp("specimens") / "s.duckdb")
    for path in (SPECIMENS / "unsd" / f"{GOAL02}.csv", SPECIMENS / "unsd" / f"{GOAL03}.csv",
                 SPECIMENS / "sdmx" / f"{TAJSTAT}.csv", SPECIMENS / "sdmx" / f"{OPENSDG_XML}.xml"):
        assert "loaded" == pipeline.ingest_path(path, store).status
    # Kazakhstan's repository has real conflicting rows (5-5-2, 17-3-1-2): store the others
    assert "loaded" == pipeline.ingest_path(SPECIMENS / KZ, store, skip_invalid=True).status
    yield store
    store.close()


def _dataset(store, name):
    obs = store.table("observations_current")
    return obs.filter(obs.dataset == name)


def _rows(table, blank_is_null=()):
    """The compared columns of every row, sorted; ``blank_is_null`` columns read '' as null."""
    rows = []
    for r in table.select(COMPARED).to_pylist():
        rows.append(tuple(None if k in blank_is_null and r[k] == "" else r[k] for k in COMPARED))
    return sorted(rows, key=repr)


def _reread(path, **options):
    result = ingest.read(path, ReadOptions(**options))
    return ingest.normalise(result.observations), result


# -- round trips through sdgtrack's readers ----------------------------------------------------

ALL = [GOAL02, GOAL03, TAJSTAT, OPENSDG_XML, KZ]


@pytest.mark.parametrize("dataset", ALL)
def test_un_csv_round_trip(dataset, specimens, tmp_path):
    obs = _dataset(specimens, dataset)
    out = tmp_path / "un.csv"
    result = export(obs, "csv", out, catalogue=store_catalogue(specimens))
    assert "un-sdg-csv" == ingest.find_reader(out).name
    # the UN reader ignores [Reporting Type] (reported): tell it, as a user would
    back, read = _reread(out, reporting_type=REPORTING[dataset])
    assert [] == read.issues
    assert _rows(obs.to_pyarrow()) == _rows(back)  # every key, value and attribute
    assert (back.num_rows, 1) == (result.rows, result.files)


@pytest.mark.parametrize("dataset", ALL)
def test_sdmx_ml_round_trip(dataset, specimens, tmp_path):
    obs = _dataset(specimens, dataset)
    out = tmp_path / "sdmx.xml"
    result = export(obs, "sdmx-ml", out, catalogue=store_catalogue(specimens))
    assert "sdmx-ml" == ingest.find_reader(out).name
    back, read = _reread(out)  # REPORTING_TYPE is a key of every series
    assert [] == read.issues
    assert _rows(obs.to_pyarrow()) == _rows(back)  # every key, value and attribute
    # Kazakhstan's codes outside the SDG code lists (its regions, its national series) are
    # described in sdmx.dsd.xml beside the data; the others use the SDG code lists only
    assert (back.num_rows, 2 if dataset == KZ else 1) == (result.rows, result.files)
    assert (dataset == KZ) == (tmp_path / "sdmx.dsd.xml").is_file()
    if dataset == KZ:  # read back as the store has them
        areas = {r["ref_area"]: (r["name"], r["parent"]) for r in read.areas.to_pylist()}
        stored = {r["ref_area"]: (r["name"], r["parent"]) for r in specimens.table(
            "areas_all").to_pyarrow().to_pylist() if r["ref_area"] in areas}
        assert areas and areas == stored
        assert "Akmola" == areas["KZAKM"][0] and "398" == areas["KZAKM"][1]
        links = set(map(tuple, read.series_indicators.to_pandas().itertuples(index=False)))
        assert ("KAZ_2_2_1:_L_KZ_DD_MSD", "2.2.1") in links


@pytest.mark.parametrize("version", ["1.0", "2.0"])
@pytest.mark.parametrize("dataset", ALL)
def test_sdmx_csv_round_trip(dataset, version, specimens, tmp_path):
    obs = _dataset(specimens, dataset)
    out = tmp_path / "sdmx.csv"
    export(obs, "sdmx-csv", out, sdmx_version=version)
    assert "sdmx-csv" == ingest.find_reader(out).name
    back, read = _reread(out)  # REPORTING_TYPE is a column of the file: nothing to tell
    assert [] == read.issues
    assert _rows(obs.to_pyarrow()) == _rows(back)


def test_parquet_round_trip_keeps_everything(specimens, tmp_path):
    obs = specimens.table("observations_current").to_pyarrow()
    out = tmp_path / "all.parquet"
    result = export(obs, "parquet", out)
    back = pq.read_table(out)
    # the canonical table, provenance included, sorted by key
    expected = obs.sort_by([(k, "ascending") for k in KEY_NAMES])
    assert expected.equals(back.select(expected.column_names))
    assert [c.name for c in COLUMNS] == back.column_names
    assert (4997, 4997) == (obs.num_rows, result.rows)  # 22 + 30 + 188 + 6 + 4751


@pytest.mark.parametrize("dataset", [GOAL02, GOAL03, OPENSDG_XML, KZ])
def test_xlsx_round_trip(dataset, specimens, tmp_path):
    obs = _dataset(specimens, dataset)
    out = tmp_path / "entry.xlsx"
    export(obs, "xlsx", out, catalogue=store_catalogue(specimens))
    assert "excel-template" == ingest.find_reader(out).name
    back, read = _reread(out, reporting_type=REPORTING[dataset])
    assert [] == [i for i in read.issues if i.code.value != "unknown_column"]
    # ingest.excel keeps an empty cell as '' where every other reader gives null (reported);
    # and the template has no Observation status column: the XML's OBS_STATUS A is not read
    blank = ("nature", "unit_measure", "source_detail", "footnote", "time_detail")
    expected = obs.to_pyarrow()
    if dataset == OPENSDG_XML:
        expected = expected.set_column(expected.schema.get_field_index("obs_status"),
                                       "obs_status", pa.nulls(expected.num_rows, pa.string()))
    assert _rows(expected, blank) == _rows(back, blank)


def test_xlsx_says_what_the_template_cannot_carry(specimens, tmp_path):
    result = export(_dataset(specimens, TAJSTAT), "xlsx", tmp_path / "t.xlsx")
    assert 1 == len(result.notes)
    assert "no column for Observation status" in result.notes[0]
    wb = load_workbook(tmp_path / "t.xlsx", read_only=True)
    header = next(wb["Data"].iter_rows(max_row=1, values_only=True))
    assert ("Observation status",) == header[len(TEMPLATE_COLUMNS):]  # kept for people
    wb.close()


def test_open_sdg_round_trip_of_a_national_repository(specimens, tmp_path):
    obs = _dataset(specimens, KZ)
    out = tmp_path / "kz"
    result = export(obs, "open-sdg", out, catalogue=store_catalogue(specimens))
    assert "open-sdg" == ingest.find_reader(out).name
    back, read = _reread(out)  # the country is inferred from translations/en/REF_AREA.yml
    assert [] == [i for i in read.issues if i.severity.value == "error"]
    assert _rows(obs.to_pyarrow()) == _rows(back)
    names = sorted(p.name for p in (out / "data").iterdir())
    assert ["indicator_1-4-2.csv", "indicator_17-3-1-2.csv", "indicator_2-2-1.csv",
            "indicator_2-2-2.csv", "indicator_3-2-1.csv", "indicator_4-c-1-2.csv",
            "indicator_5-5-2.csv"] == names  # 10-4-2 has no data; the others, as read
    assert (7 + 1, ()) == (result.files, result.notes)  # + translations/en/REF_AREA.yml


def test_open_sdg_round_trip_of_un_data_for_one_country(specimens, tmp_path):
    obs = _dataset(specimens, GOAL03)
    out = tmp_path / "kz-un"
    result = export(obs, "open-sdg", out, area="KAZ", catalogue=store_catalogue(specimens))
    kazakhstan = obs.filter(obs.ref_area == "398").to_pyarrow()
    back, _ = _reread(out, area="KAZ")
    assert _rows(kazakhstan) == _rows(back)  # global series SH_DYN_MORT, REPORTING_TYPE G
    assert ["indicator_3-2-1.csv"] == [p.name for p in (out / "data").iterdir()]
    assert "15 rows of other areas (524)" in result.notes[0]
    assert "re-import it with --area KAZ" in result.notes[1]


def test_open_sdg_says_which_codes_its_mapping_changes(specimens, tmp_path):
    obs = _dataset(specimens, GOAL02)
    out = tmp_path / "kz-un"
    result = export(obs, "open-sdg", out, area="398")
    back, _ = _reread(out, area="398")
    # the default mapping reads the unit 'Percent' as PT, so the UN code PERCENT comes back PT
    assert any("'PERCENT' reads back as 'PT'" in n for n in result.notes)
    assert {"PT", "NUM_M"} == set(back["unit_measure"].to_pylist())


def test_un_csv_loads_into_a_second_store_unchanged(specimens, tmp_path):
    out = tmp_path / "goal03.csv"
    export(_dataset(specimens, GOAL03), "csv", out, catalogue=store_catalogue(specimens))
    with Store(tmp_path / "second.duckdb") as second:
        loaded = pipeline.ingest_path(out, second)
        assert ("loaded", 30, []) == (loaded.status, loaded.rows_loaded, loaded.issues)
        again = second.table("observations_current").to_pyarrow()
    assert _rows(_dataset(specimens, GOAL03).to_pyarrow()) == _rows(again)
    assert {"goal03"} == set(again["dataset"].to_pylist())  # provenance: the new file


# -- each file opened with its own library -----------------------------------------------------

def test_un_csv_layout_and_codes(specimens, tmp_path):
    out = tmp_path / "goal03.csv"
    export(_dataset(specimens, GOAL03), "csv", out, catalogue=store_catalogue(specimens))
    with out.open(newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert [
        "Goal", "Target", "Indicator", "SeriesCode", "SeriesDescription", "GeoAreaCode",
        "GeoAreaName", "TimePeriod", "Value", "Time_Detail", "TimeCoverage", "UpperBound",
        "LowerBound", "BasePeriod", "Source", "GeoInfoUrl", "FootNote", "[Age]", "[Sex]",
        "[Nature]", "[Units]", "[Reporting Type]",
    ] == list(rows[0])
    # specimen line 3: ...,398,Kazakhstan,2015,10.3,E,PER_1000_LIVE_BIRTHS,<5Y,,,,FEMALE,,
    (row,) = [r for r in rows if (r["GeoAreaCode"], r["TimePeriod"], r["[Sex]"])
              == ("398", "2015", "FEMALE")]
    assert ("3", "3.2", "3.2.1", "SH_DYN_MORT", "Kazakhstan", "10.3", "<5Y", "E",
            "PER_1000_LIVE_BIRTHS", "G") == (
        row["Goal"], row["Target"], row["Indicator"], row["SeriesCode"], row["GeoAreaName"],
        row["Value"], row["[Age]"], row["[Nature]"], row["[Units]"], row["[Reporting Type]"])
    assert row["SeriesDescription"].startswith("Under-five mortality rate")


def test_sdmx_csv_is_the_un_download_layout(specimens, tmp_path):
    out = tmp_path / "tj.csv"
    export(_dataset(specimens, TAJSTAT), "sdmx-csv", out)
    written = out.read_text(encoding="utf-8").splitlines()
    # the specimen is in the layout of data.un.org's SDMX-CSV; the store keeps REF_AREA as
    # M49 (TJ is read as 762), otherwise the export is the specimen line for line
    specimen = (SPECIMENS / "sdmx" / f"{TAJSTAT}.csv").read_text(encoding="utf-8")
    expected = specimen.replace(",TJ,", ",762,").splitlines()
    assert expected[0] == written[0]
    assert sorted(expected[1:]) == sorted(written[1:])


def _sdg_dataflow():
    """The SDG dataflow with the concepts of the UN's SDMX-CSV: the full DSD is several MB
    (tests/specimens/sdmx/README.md), and sdmx1 needs only the component ids to read."""
    from sdmx.model import common, v21

    from sdgtrack.publish.export.sdmx import CONCEPTS

    agency = common.Agency(id="IAEG-SDGs")
    dsd = v21.DataStructureDefinition(id="SDG", maintainer=agency, version="1.24")
    split = CONCEPTS.index("OBS_VALUE")
    for concept in CONCEPTS[:split]:
        dsd.dimensions.getdefault(concept)
    dsd.measures.getdefault("OBS_VALUE")
    for concept in CONCEPTS[split + 1:]:
        dsd.attributes.getdefault(concept)
    return v21.DataflowDefinition(id="DF_SDG_GLH", maintainer=agency, version="1.24",
                                  structure=dsd)


def test_sdmx_csv_2_is_read_by_sdmx1(specimens, tmp_path):
    import sdmx

    out = tmp_path / "goal03.csv"
    export(_dataset(specimens, GOAL03), "sdmx-csv", out, sdmx_version="2.0")
    # from memory: sdmx1 leaves a file it opened unclosed (as ingest.sdmx notes)
    message = sdmx.read_sdmx(io.BytesIO(out.read_bytes()), format="csv",
                             structure=_sdg_dataflow())
    (ds,) = message.data
    assert 30 == len(ds.obs)
    found = [o for o in ds.obs if {k: v.value for k, v in o.dimension.values.items()
                                    if k in ("REF_AREA", "TIME_PERIOD", "SEX")}
             == {"REF_AREA": "398", "TIME_PERIOD": "2015", "SEX": "F"}]
    (obs,) = found
    assert "10.3" == obs.value  # specimen line 3: Kazakhstan, 2015, FEMALE, 10.3
    assert ("Y0T4", "SH_DYN_MORT") == (obs.dimension.values["AGE"].value,
                                       obs.dimension.values["SERIES"].value)
    assert ("E", "PER_1000_LIVE_BIRTHS") == (obs.attached_attribute["NATURE"].value,
                                             obs.attached_attribute["UNIT_MEASURE"].value)


def test_parquet_opened_with_pyarrow(specimens, tmp_path):
    out = tmp_path / "goal02.parquet"
    export(_dataset(specimens, GOAL02), "parquet", out)
    table = pq.read_table(out)
    assert pa.int32() == table.schema.field("time_period").type
    assert pa.float64() == table.schema.field("value").type
    assert b"the value exactly as published" == table.schema.field("value_raw").metadata[b"doc"]
    assert b"series_code,ref_area,time_period" in table.schema.metadata[b"sdgtrack.key"]
    # specimen line 4: SN_ITK_DEFC, Azerbaijan (31), 2007, published "<2.5"
    (row,) = table.filter(pc.and_(pc.equal(table["ref_area"], "31"),
                                  pc.equal(table["time_period"], 2007))).to_pylist()
    assert ("<2.5", 2.5, "<", "E") == (row["value_raw"], row["value"], row["value_qualifier"],
                                       row["nature"])
    assert (GOAL02 + ".csv", 4) == (row["source_file"], row["source_row"])


def test_xlsx_opened_with_openpyxl(specimens, tmp_path):
    out = tmp_path / "goal02.xlsx"
    export(_dataset(specimens, GOAL02), "xlsx", out, catalogue=store_catalogue(specimens))
    wb = load_workbook(out)
    data = wb["Data"]
    # the template's columns, then the reporting type it has no column for (G, not N)
    assert [c.header for c in TEMPLATE_COLUMNS] + ["Reporting type"] == [
        c.value for c in data[1]]
    rows = {(r[1], r[2]): r for r in data.iter_rows(min_row=2, values_only=True)
            if r[0] == "SN_ITK_DEFC"}
    # specimen lines 2 and 4: Azerbaijan 2005 is 4.8, 2007 is published "<2.5"
    assert (4.8, "<2.5") == (rows[("31", 2005)][3], rows[("31", 2007)][3])
    assert ("PERCENT", "E", "NOTSPEC") == (rows[("31", 2005)][4], rows[("31", 2005)][6],
                                           rows[("31", 2005)][8])
    provenance = list(wb["Provenance"].iter_rows(values_only=True))
    assert ("Data row", "Dataset", "Load", "Source file", "Source row") == provenance[0]
    line = 1 + list(rows).index(("31", 2007)) + 1  # SN_ITK_DEFC rows come first
    assert (line, GOAL02, GOAL02 + ".csv", 4) == (provenance[line - 1][0],
                                                  provenance[line - 1][1],
                                                  provenance[line - 1][3],
                                                  provenance[line - 1][4])
    readme = [r for r in wb["README"].iter_rows(values_only=True)]
    assert ("Observations", 22) == readme[2][:2]
    (load,) = [r for r in readme if r[0] == GOAL02]
    # dataset, load, rows, path, reader: where the rows were read, and how
    assert (22, str(SPECIMENS / "unsd" / f"{GOAL02}.csv"), "un-sdg-csv") == load[2:5]
    assert "hidden" == wb["sdgtrack"].sheet_state  # the template's marker sheet


# -- attributes the specimens leave empty --------------------------------------------------------

def _with_attributes(specimens):
    """Specimen line 3 of goal 3 (Kazakhstan, 2015, girls, 10.3) with every attribute set, in
    text that CSV, Excel and YAML each have reasons to mangle."""
    t = _dataset(specimens, GOAL03).to_pyarrow()
    t = t.filter(pc.and_(pc.equal(t["ref_area"], "398"),
                         pc.and_(pc.equal(t["time_period"], 2015), pc.equal(t["sex"], "F"))))
    values = {"footnote": 'Data refer to "Akmola", 2014–2016; see p. 3', "source_detail":
              "MICS, 2015", "time_detail": "2014-2016", "obs_status": "E", "base_period": "2010",
              "lower_bound": 9.1, "upper_bound": 11.6, "unit_mult": 3}
    for name, value in values.items():
        i = t.schema.get_field_index(name)
        t = t.set_column(i, name, pa.array([value], t.schema.field(name).type))
    return t, values


@pytest.mark.parametrize("fmt, name, options, lost, said", [
    ("csv", "a.csv", {"reporting_type": "G"}, (), ()),
    ("sdmx-csv", "a.csv", {}, (), ()),
    ("xlsx", "a.xlsx", {"reporting_type": "G"}, ("obs_status", "base_period"),
     ("Observation status", "Base period")),
    ("open-sdg", "a", {"area": "KAZ"}, ("base_period",), ("base_period is not written",)),
])
def test_every_attribute_survives(fmt, name, options, lost, said, specimens, tmp_path):
    table, values = _with_attributes(specimens)
    result = export(table, fmt, tmp_path / name, catalogue=store_catalogue(specimens))
    back, _ = _reread(tmp_path / name, **options)
    (row,) = back.to_pylist()
    assert {k: (None if k in lost else v) for k, v in values.items()} == {
        k: row[k] for k in values}
    assert ("10.3", 10.3, "Y0T4", "F") == (row["value_raw"], row["value"], row["age"],
                                          row["sex"])
    for words in said:  # a loss is said, never silent
        assert any(words in note for note in result.notes), result.notes


def test_sdmx_breakdowns_outside_the_structure_are_said(tmp_path):
    table = pa.table({"series_code": ["SH_DTH_NCOM"], "ref_area": ["4"], "time_period": [2015],
                      "breakdown": ["NAME_OF_NON_COMMUNICABLE_DISEASE=CAN"],
                      "value_raw": ["8.4"]})
    result = export(table, "sdmx-csv", tmp_path / "x.csv")
    assert "NAME_OF_NON_COMMUNICABLE_DISEASE" in result.notes[0]
    back, read = _reread(tmp_path / "x.csv")
    # read back as its own breakdown (a national structure's dimension), and said
    assert ["NAME_OF_NON_COMMUNICABLE_DISEASE=CAN"] == back["breakdown"].to_pylist()
    assert {"unknown_column"} == {i.code.value for i in read.issues}
    # the UN layout has a column for any breakdown
    export(table, "csv", tmp_path / "un.csv")
    back, _ = _reread(tmp_path / "un.csv")
    assert ["NAME_OF_NON_COMMUNICABLE_DISEASE=CAN"] == back["breakdown"].to_pylist()


# -- codes -------------------------------------------------------------------------------------

def test_un_codes_read_back_as_the_stored_codes(specimens):
    from sdgtrack.publish.export.codes import un_code

    obs = specimens.table("observations_current").to_pyarrow()
    checked = 0
    for dim in ("sex", "age", "urbanisation", "income_wealth_quantile", "activity"):
        codes = set(pc.unique(obs[dim]).to_pylist()) | {"_T", "Y15T24", "Y_GE65", "M0", "Q1"}
        for code in codes:
            assert code == normalise_code(dim, un_code(dim, code)), (dim, code)
            checked += 1
    assert checked > 30
    assert ("BOTHSEX", "ALLAREA", "<5Y", "15-24") == (
        un_code("sex", "_T"), un_code("urbanisation", "_T"), un_code("age", "Y0T4"),
        un_code("age", "Y15T24"))


def test_un_dimension_columns_are_those_the_reader_maps():
    from sdgtrack.ingest.uncsv import DIMENSION_COLUMNS
    from sdgtrack.model.codes import concept_name
    from sdgtrack.publish.export.uncsv import DIMENSION_LABELS

    assert {d: d for d in DIMENSION_LABELS} == {
        DIMENSION_COLUMNS[concept_name(label)]: d for d, label in DIMENSION_LABELS.items()}


# -- atomic writes ---------------------------------------------------------------------------

def test_a_failing_writer_leaves_no_file(specimens, tmp_path, monkeypatch):
    from sdgtrack.publish.export import uncsv

    def half_then_fail(path, header, columns, compress=False):
        path.write_text(",".join(header) + "\n", encoding="utf-8")  # a partial file ...
        raise OSError("disk full")  # ... then the disk fills up

    monkeypatch.setattr(uncsv, "write_csv", half_then_fail)
    out = tmp_path / "un.csv"
    out.write_text("the previous export\n", encoding="utf-8")
    with pytest.raises(OSError, match="disk full"):
        export(_dataset(specimens, GOAL02), "csv", out)
    assert ["un.csv"] == [p.name for p in tmp_path.iterdir()]  # no temporary left
    assert "the previous export\n" == out.read_text(encoding="utf-8")  # and not replaced


def test_text_excel_cannot_hold_fails_before_anything_is_written(specimens, tmp_path):
    table, _ = _with_attributes(specimens)
    i = table.schema.get_field_index("footnote")
    table = table.set_column(i, "footnote", pa.array(["bell \x07 in a footnote"]))
    with pytest.raises(DataError, match="Excel cannot store"):
        export(table, "xlsx", tmp_path / "a.xlsx")
    assert [] == list(tmp_path.iterdir())


def test_a_failing_repository_export_leaves_no_folder(specimens, tmp_path, monkeypatch):
    from sdgtrack.publish.export import opensdg

    written = []

    def second_fails(path, header, columns, compress=False):
        if written:
            raise OSError("disk full")
        written.append(path)
        path.write_text("Year,Value\n", encoding="utf-8")
        return 1

    monkeypatch.setattr(opensdg, "write_csv", second_fails)
    with pytest.raises(OSError):
        export(_dataset(specimens, KZ), "open-sdg", tmp_path / "kz",
               catalogue=store_catalogue(specimens))
    assert 1 == len(written)
    assert [] == list(tmp_path.iterdir())


def test_a_repository_is_never_written_into_an_existing_folder(specimens, tmp_path):
    (tmp_path / "repo" / "meta").mkdir(parents=True)
    kz, names = _dataset(specimens, KZ), store_catalogue(specimens)
    with pytest.raises(UsageError, match="not an empty folder"):
        export(kz, "open-sdg", tmp_path / "repo", catalogue=names)
    assert ["meta"] == [p.name for p in (tmp_path / "repo").iterdir()]
    (tmp_path / "empty").mkdir()
    assert 8 == export(kz, "open-sdg", tmp_path / "empty", catalogue=names).files


# -- the entry point and the store helper -------------------------------------------------------

def test_unknown_format_lists_every_format(specimens, tmp_path):
    with pytest.raises(UsageError) as info:
        export(_dataset(specimens, KZ), "json", tmp_path / "x.json")
    assert all(name in str(info.value) for name in FORMATS)
    assert ["csv", "open-sdg", "parquet", "sdmx-csv", "sdmx-ml", "xlsx"] == sorted(FORMATS)


def test_open_sdg_needs_one_country(specimens, tmp_path):
    with pytest.raises(UsageError, match="M49 areas 31, 398"):
        export(_dataset(specimens, GOAL02), "open-sdg", tmp_path / "r")


def test_current_observations_filters(specimens):
    obs = current_observations(specimens, series=["SH_DYN_MORT", "SN_ITK_DEFC"], areas="KAZ",
                               years=(2012, 2016)).to_pyarrow()
    # SN_ITK_DEFC 2012 (2.8); SH_DYN_MORT 2015-2016 by sex (6 rows)
    assert 7 == obs.num_rows
    assert {"398"} == set(obs["ref_area"].to_pylist())
    assert (2012, 2016) == tuple(pc.min_max(obs["time_period"]).as_py().values())


def test_rows_from_two_datasets_are_said(specimens, tmp_path):
    t = _dataset(specimens, GOAL03).to_pyarrow()
    result = export(pa.concat_tables([t, t]), "parquet", tmp_path / "twice.parquet")
    assert 60 == result.rows
    assert result.notes[0].startswith("30 observation key(s) occur in more than one row")


def test_the_public_api_is_pinned():
    assert ["Catalogue", "DATAFLOW", "ExportResult", "FORMATS", "current_observations",
            "export", "store_catalogue", "write_open_sdg", "write_parquet", "write_sdmx_csv",
            "write_un_csv", "write_xlsx"] == sorted(ex.__all__)


# -- a slice of the bundled extract (the whole of it: bench/export.py) ------------------------

def test_the_bundled_slice_round_trips(slice_store, tmp_path):
    """Goals 5 and 7 of the December 2023 extract, all 64 areas, out as CSV and back, then
    as SDMX-CSV and back. The whole extract's round trip (476,035 rows) is bench/export.py."""
    obs = slice_store.table("observations_current").to_pyarrow()
    out = tmp_path / "slice.csv.gz"
    export(obs, "csv", out, catalogue=store_catalogue(slice_store))
    back, read = _reread(out)
    assert [] == read.issues
    assert 32_365 == back.num_rows  # the files' data lines: 7,319 (goal 5) + 25,046 (goal 7)
    assert _rows(obs) == _rows(back)  # the renewable-technology breakdown included
    # SDMX-CSV carries the rows whose breakdowns are concepts of the SDG structure; the type
    # of renewable technology is not one: 32,365 - (1,320 marine + 1,892 bioenergy + 1,430
    # geothermal + 2,134 hydropower + 2,354 solar + 2,090 wind + 1,166 multiple) = 19,979
    plain = obs.filter(pc.equal(obs["breakdown"], "_T"))
    assert 19_979 == plain.num_rows
    export(plain, "sdmx-csv", tmp_path / "slice-sdmx.csv")
    back, _ = _reread(tmp_path / "slice-sdmx.csv")
    assert _rows(plain) == _rows(back)


def test_cli_export_and_reimport(bundled_store, tmp_path):
    from typer.testing import CliRunner

    from sdgtrack.cli import app
    from sdgtrack.store import Store

    out = tmp_path / "kaz.csv"
    result = CliRunner().invoke(app, ["export", "--db", str(bundled_store.path), "--format",
                                      "csv", "--out", str(out), "--area", "KAZ",
                                      "--series", "SH_STA_STNT", "--years", "2010-"])
    assert 0 == result.exit_code, result.output
    with Store(tmp_path / "back.duckdb") as back:
        loaded = CliRunner().invoke(app, ["ingest", str(out), "--db", str(back.path)])
        assert 0 == loaded.exit_code, loaded.output
        got = back.con.execute("SELECT time_period, value FROM observations_current "
                               "ORDER BY 1").fetchall()
    want = bundled_store.con.execute(
        "SELECT time_period, value FROM observations_current WHERE ref_area = '398' AND "
        "series_code = 'SH_STA_STNT' AND time_period >= 2010 ORDER BY 1").fetchall()
    assert want == got and len(got) > 0


def test_cli_export_unknown_format(bundled_store, tmp_path):
    from typer.testing import CliRunner

    from sdgtrack.cli import app

    result = CliRunner().invoke(app, ["export", "--db", str(bundled_store.path), "--format",
                                      "pdf", "--out", str(tmp_path / "x")])
    assert 2 == result.exit_code
    assert "Unknown export format 'pdf'" in result.output
