"""Issue 13: one current value per observation. A new vintage of a dataset supersedes it and
says what changed; another source of the same observations is kept beside it, the
precedence of reporting types deciding which value is in use; an overlap that is neither is
refused, and nothing is written. Real data: the bundled October 2020 and December 2023
vintages of the UN SDG database extract (goal 3 files for the small cases)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from sdgtrack import bundled, pipeline
from sdgtrack.errors import IssueCode
from sdgtrack.model import KEY_NAMES
from sdgtrack.store import Store
from sdgtrack.store.current import MATCH_NAMES

from conftest import kill_mid_way

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.both_backends  # the tests taking store_at run on both
GOAL3 = {"2020": bundled.unsd_escap_2020() / "data" / "sdg_goal03_escap_2000_2020.csv.gz",
         "2023": bundled.unsd_escap() / "data" / "sdg_goal03_escap_2000_2023.csv.gz"}


def _copy(tmp_path: Path, vintage: str) -> Path:
    folder = tmp_path / f"un-goal3-{vintage}"
    folder.mkdir()
    shutil.copy(GOAL3[vintage], folder)
    return folder


def _national(tmp_path: Path, value: str = "39") -> Path:
    """Nepal's under-five mortality, 2016, as its 2016 Demographic and Health Survey
    published it (39 deaths per 1,000 live births, NDHS 2016 key indicators), in the UN
    layout, as a national source would send it."""
    path = tmp_path / "nepal-national.csv"
    path.write_text("SeriesCode,GeoAreaCode,TimePeriod,Value,Units,[Age],[Sex]\n"
                    f"SH_DYN_MORT,524,2016,{value},PER_1000_LIVE_BIRTHS,<5Y,BOTHSEX\n")
    return path


def _in_use(store: Store, area: str = "524", year: int = 2016) -> list[tuple]:
    return store.con.execute(
        "SELECT value_raw, reporting_type, dataset FROM observations_current WHERE "
        "series_code = 'SH_DYN_MORT' AND ref_area = ? AND time_period = ? AND sex = '_T' "
        "AND age = 'Y0T4'", [area, year]).fetchall()


def test_the_2023_vintage_supersedes_the_2020_one(bundled_store):
    """`review`'s store: 2020 then 2023 as its new vintage. The current view holds the 2023
    extract's 476,035 rows, with no observation twice, and the diff is recorded."""
    con = bundled_store.con
    keys = ", ".join(MATCH_NAMES)
    n, distinct = con.execute(
        f"SELECT count(*), count(DISTINCT ({keys})) FROM observations_current").fetchall()[0]
    assert (476_035, 476_035) == (n, distinct)
    loads = bundled_store.loads()
    assert [("2020-10", "superseded"), ("2023-12", "current")] == [
        (ld["vintage"], ld["status"]) for ld in loads]
    diff = bundled_store.bundled_result.diff
    o = diff["observations"]
    # every key of the 2023 load is revised, unchanged or added; every key of the 2020 load
    # (its renamed series read under their new codes) is revised, unchanged or removed
    assert 476_035 == o["revised"] + o["unchanged"] + o["added"]
    assert 249_552 == o["revised"] + o["unchanged"] + o["removed"]
    assert {"revised": 131_531, "unchanged": 64_999, "added": 279_505,
            "removed": 53_022} == o
    s = diff["series"]
    # 471 series in 2020 = 405 kept + 28 renamed + 38 discontinued;
    # 644 series in 2023 = 405 kept + 28 renamed + 211 added
    assert (28, 211, 38, 405) == (len(s["renamed"]), len(s["added"]),
                                  len(s["discontinued"]), s["kept"])
    assert {"old": "SH_STA_STUNT", "new": "SH_STA_STNT"} in s["renamed"]
    assert 9_884 == diff["observations_carried_over_by_rename"]


def test_the_diff_counts_revisions_as_a_plain_query_counts_them(bundled_store):
    """The revised count, recomputed over the stored rows of both loads with one query of
    its own: same key (renamed series under the new code), numerically different value (or,
    for text such as 'N', different text)."""
    diff = bundled_store.bundled_result.diff
    con = bundled_store.con
    con.execute("CREATE OR REPLACE TEMP TABLE rn (old VARCHAR, new VARCHAR)")
    con.executemany("INSERT INTO rn VALUES (?, ?)",
                    [[r["old"], r["new"]] for r in diff["series"]["renamed"]])
    keys = [k for k in KEY_NAMES if k != "series_code"]
    on = " AND ".join(f"a.{k} = b.{k}" for k in keys)
    revised, same = con.execute(f"""
        WITH a AS (SELECT coalesce(rn.new, o.series_code) AS code, o.* FROM observations o
                   LEFT JOIN rn ON rn.old = o.series_code WHERE load_id = 1),
             b AS (SELECT * FROM observations WHERE load_id = 2)
        SELECT count(*) FILTER (WHERE a.value IS DISTINCT FROM b.value
                                   OR (a.value IS NULL AND a.value_raw <> b.value_raw)),
               count(*) FILTER (WHERE NOT (a.value IS DISTINCT FROM b.value
                                   OR (a.value IS NULL AND a.value_raw <> b.value_raw)))
        FROM a JOIN b ON a.code = b.series_code AND {on}""").fetchall()[0]
    assert (revised, same) == (diff["observations"]["revised"],
                               diff["observations"]["unchanged"])
    # Nepal's under-five mortality, 2015, both sexes: 36.2 in 2020, revised to 35.5 in 2023
    nepal = con.execute("""SELECT load_id, value_raw FROM observations WHERE
        series_code = 'SH_DYN_MORT' AND ref_area = '524' AND time_period = 2015
        AND sex = '_T' ORDER BY load_id""").fetchall()
    assert [(1, "36.2"), (2, "35.5")] == nepal


def test_a_vintage_is_recognised_without_being_named(store_at, tmp_path):
    """Goal 3 of 2023 loaded under its own folder name into a store holding goal 3 of 2020:
    same reader, same source, most of the old observations: taken as the new vintage."""
    with Store(store_at) as store:
        first = pipeline.ingest_path(_copy(tmp_path, "2020"), store)
        second = pipeline.ingest_path(_copy(tmp_path, "2023"), store)
        assert ("loaded", "un-goal3-2020") == (second.status, second.vintage_of)
        assert [IssueCode.NEW_VINTAGE] == [i.code for i in second.issues
                                           if i.code is IssueCode.NEW_VINTAGE]
        assert ["superseded", "current"] == [ld["status"] for ld in store.loads()]
        assert {"un-goal3-2020"} == {ld["dataset"] for ld in store.loads()}
        # the current view is the 2023 file alone: 2023 Nepal U5MR 2016 reads 33.7
        assert [("33.7", "G", "un-goal3-2020")] == _in_use(store)
        again = pipeline.ingest_path(tmp_path / "un-goal3-2023", store)
        assert ("unchanged", first.dataset) == (again.status, again.dataset)


def test_a_national_value_beside_the_global_one_is_in_use_by_precedence(store_at, tmp_path):
    """N before G by default: Nepal's own 39 is shown, the UN's 33.7 kept and listed as a
    conflict; rolling the national load back brings 33.7 back into use."""
    with Store(store_at) as store:
        pipeline.ingest_path(_copy(tmp_path, "2023"), store)
        options = pipeline.ReadOptions(reporting_type="N")
        national = pipeline.ingest_path(_national(tmp_path), store, options)
        assert "loaded" == national.status
        assert [IssueCode.OTHER_SOURCE] == [i.code for i in national.issues]
        assert [("39", "N", "nepal-national")] == _in_use(store)
        [c] = store.conflicts("SH_DYN_MORT", "524")
        assert ("39", "nepal-national", "N", "33.7", "un-goal3-2023", "G", True) == (
            c["value_in_use"], c["dataset_in_use"], c["reporting_type_in_use"],
            c["other_value"], c["other_dataset"], c["other_reporting_type"], c["differs"])
        assert 1 == store.conflict_count()
        store.rollback(national.load_id, "test")
        assert [("33.7", "G", "un-goal3-2023")] == _in_use(store)
        assert 0 == store.conflict_count()


def test_a_national_vintage_without_a_value_gives_the_global_one_back(store_at, tmp_path):
    """National vintage 1 has Nepal 2016 (39, in use over the UN's 33.7); vintage 2 has only
    2017: the UN's 2016 value is in use again, and 2017 is the national one."""
    with Store(store_at) as store:
        pipeline.ingest_path(_copy(tmp_path, "2023"), store)
        national = pipeline.ReadOptions(reporting_type="N")
        pipeline.ingest_path(_national(tmp_path), store, national, dataset="nepal")
        later = tmp_path / "nepal-2.csv"
        later.write_text(_national(tmp_path).read_text().replace(",2016,39,", ",2017,37,"))
        second = pipeline.ingest_path(later, store, national, dataset="nepal")
        assert "loaded" == second.status
        assert [("33.7", "G", "un-goal3-2023")] == _in_use(store, year=2016)
        assert "N" == _in_use(store, year=2017)[0][1]
        assert 1 == store.conflict_count()  # 2017: the UN's value, kept beside it


def test_the_precedence_is_a_setting_applied_when_the_store_is_next_opened(
        store_at, tmp_path, monkeypatch):
    db = store_at
    with Store(db) as store:
        pipeline.ingest_path(_copy(tmp_path, "2023"), store)
        pipeline.ingest_path(_national(tmp_path), store,
                             pipeline.ReadOptions(reporting_type="N"))
        assert "39" == _in_use(store)[0][0]
    monkeypatch.setenv("SDGTRACK_PRECEDENCE", "G,N")
    with Store(db) as store:
        assert ("G", "N") == store.precedence()
        assert [("33.7", "G", "un-goal3-2023")] == _in_use(store)
        assert "39" == store.conflicts("SH_DYN_MORT")[0]["other_value"]


def test_an_overlap_that_is_neither_vintage_nor_source_is_refused(store_at, tmp_path):
    """A one-row global file that shares an observation with the UN extract: too small to
    be its vintage, the same reporting type: refused, naming both datasets, the count and
    the options; the store's fingerprint is unchanged."""
    with Store(store_at) as store:
        pipeline.ingest_path(_copy(tmp_path, "2023"), store)
        before = store.fingerprint()
        result = pipeline.ingest_path(_national(tmp_path), store)  # G, the reader's default
        assert "rejected" == result.status
        [issue] = [i for i in result.issues if i.code is IssueCode.DATASET_OVERLAP]
        assert "shares 1 observations" in issue.message
        assert "'un-goal3-2023'" in issue.message
        assert "--dataset un-goal3-2023" in issue.hint and "--reporting-type N" in issue.hint
        assert before == store.fingerprint()


def test_a_folder_mixing_two_vintages_is_refused_as_such(store_at, tmp_path):
    folder = tmp_path / "mixed"
    folder.mkdir()
    shutil.copy(GOAL3["2020"], folder)
    shutil.copy(GOAL3["2023"], folder)
    with Store(store_at) as store:
        before = store.fingerprint()
        result = pipeline.ingest_path(folder, store)
        assert "rejected" == result.status
        [issue] = [i for i in result.issues if i.code is IssueCode.MIXED_VINTAGES]
        assert "sdg_goal03_escap_2000_2020.csv.gz" in issue.message
        assert "sdg_goal03_escap_2000_2023.csv.gz" in issue.message
        assert "older first" in issue.hint
        assert before == store.fingerprint()


def test_a_superseding_load_killed_mid_way_leaves_the_store_as_it_was(store_at, tmp_path):
    """The 2023 goal 3 file superseding the 2020 one, SIGKILLed after its rows are in and
    the old ones marked out of use, before the commit: the store is exactly as it was."""
    db = store_at
    old, new = _copy(tmp_path, "2020"), _copy(tmp_path, "2023")
    with Store(db) as store:
        pipeline.ingest_path(old, store, dataset="goal3")
        before = store.fingerprint()
    kill_mid_way(f"""
        import time
        from pathlib import Path
        from sdgtrack import pipeline
        from sdgtrack.store import Store, current

        def stop_here(*args):  # the new rows are in, the old ones out of use, no commit
            print("mid-load", flush=True)
            time.sleep(60)

        current.vintage_diff = stop_here
        with Store({str(db)!r}) as store:
            pipeline.ingest_path(Path({str(new)!r}), store, dataset="goal3")
        """, {"PYTHONPATH": str(ROOT / "src"), "PATH": "/usr/bin:/bin"})
    with Store(db) as store:
        assert before == store.fingerprint()
        assert ["current"] == [ld["status"] for ld in store.loads()]


def test_conflicts_command_lists_both_values(store_at, tmp_path):
    from typer.testing import CliRunner

    from sdgtrack.cli import app

    db = store_at
    with Store(db) as store:
        pipeline.ingest_path(_copy(tmp_path, "2023"), store)
        pipeline.ingest_path(_national(tmp_path), store,
                             pipeline.ReadOptions(reporting_type="N"))
    result = CliRunner().invoke(app, ["conflicts", "--db", str(db), "--area", "NPL", "--json"])
    assert 0 == result.exit_code, result.output
    import json

    got = json.loads(result.output)
    assert (["N", "R", "G"], 1) == (got["precedence"], got["total"])
    assert ("39", "33.7") == (got["conflicts"][0]["value_in_use"],
                              got["conflicts"][0]["other_value"])


def test_series_page_says_another_source_exists(store_at, tmp_path):
    from sdgtrack.publish.site.data import SiteData
    from sdgtrack.publish.site.pages_data import series

    with Store(store_at) as store:
        pipeline.ingest_path(_copy(tmp_path, "2023"), store)
        pipeline.ingest_path(_national(tmp_path), store,
                             pipeline.ReadOptions(reporting_type="N"))
        page = series(SiteData(store), "en", "SH_DYN_MORT")
    assert {"count": 1, "in_use": ["nepal-national (N)"],
            "others": ["un-goal3-2023 (G)"]} == page["conflicts"]
