"""Atomic, idempotent, versioned loads and the query surface, on DuckDB and PostgreSQL."""

import pytest

from sdgtrack import pipeline
from sdgtrack.store import Store, queries

from conftest import SPECIMENS

G3 = SPECIMENS / "unsd" / "sdg_goal03_escap_specimen.csv"
pytestmark = pytest.mark.both_backends


def test_loading_the_same_file_twice_changes_nothing(store):
    first = pipeline.ingest_path(G3, store)
    before = store.fingerprint()
    again = pipeline.ingest_path(G3, store)
    assert ("loaded", 30) == (first.status, first.rows_loaded)
    assert ("unchanged", first.load_id) == (again.status, again.load_id)
    assert before == store.fingerprint()


def test_a_new_vintage_replaces_the_current_rows_and_keeps_history(store, tmp_path):
    lines = G3.read_text().splitlines(keepends=True)
    v1 = tmp_path / "v1" / "u5mr.csv"
    v2 = tmp_path / "v2" / "u5mr.csv"
    v1.parent.mkdir()
    v2.parent.mkdir()
    v1.write_text("".join(lines[:11]))  # header + 10 rows
    # vintage 2: first row revised (11.8 -> 11.7), rows 3..10 kept, 5 new rows
    v2.write_text(lines[0] + lines[1].replace(",11.8,", ",11.7,") + "".join(lines[3:16]))
    a = pipeline.ingest_path(v1, store, dataset="u5mr")
    b = pipeline.ingest_path(v2, store, dataset="u5mr")
    assert (10, 0, 0) == (a.rows_added, a.rows_changed, a.rows_removed)
    # row 2 of v1 was dropped; rows 11..15 are new; row 1 changed value
    assert (5, 1, 1) == (b.rows_added, b.rows_changed, b.rows_removed)
    current = store.table("observations_current").count().execute()
    everything = store.table("observations").count().execute()
    assert (14, 24) == (current, everything)  # 14 current rows; 10 + 14 kept in history
    statuses = [(ld["load_id"], ld["status"]) for ld in store.loads()]
    assert [(1, "superseded"), (2, "current")] == statuses


def test_an_interrupted_load_leaves_the_store_as_it_was(store, monkeypatch):
    pipeline.ingest_path(SPECIMENS / "unsd" / "sdg_goal02_escap_specimen.csv", store)
    before = store.fingerprint()

    def crash(*args):
        raise KeyboardInterrupt  # as if the user pressed Ctrl-C half-way through the write

    monkeypatch.setattr(Store, "_diff", crash)
    with pytest.raises(KeyboardInterrupt):
        pipeline.ingest_path(G3, store)
    assert before == store.fingerprint()


def test_store_reopens_with_its_data(store_at):
    with Store(store_at) as s:
        pipeline.ingest_path(G3, s)
    with Store(store_at, read_only=True) as s:
        assert 30 == s.table("observations_current").count().execute()


def test_query_surface(store):
    pipeline.ingest_path(G3, store)
    obs = store.table("observations_current")
    head = queries.headline(obs)
    # headline of SH_DYN_MORT: sex _T (both sexes), age Y0T4 (its only age)
    assert 10 == head.count().execute()  # 2 areas x 5 years
    assert {"_T"} == set(head.sex.execute())
    nepal = queries.observations(obs, series="SH_DYN_MORT", areas="524", years=(2018, 2019),
                                 dimensions={"sex": "F"}).execute()
    assert 2 == len(nepal)
    last = queries.latest(queries.headline(obs)).execute()
    assert {2019} == set(last.time_period)
    avail = queries.availability(head).execute().set_index("ref_area")
    assert 5 == avail.loc["398", "points"]  # 2015..2019
    assert (2015, 2019) == (avail.loc["524", "first_year"], avail.loc["524", "latest_year"])


def test_a_store_in_use_gives_a_clear_error(tmp_path):
    import subprocess
    import sys

    from sdgtrack.errors import StoreError

    path = tmp_path / "busy.duckdb"
    Store(path).close()
    holder = subprocess.Popen([sys.executable, "-c", (
        "import duckdb, sys, time; c = duckdb.connect(sys.argv[1]); print('ready', flush=True);"
        " time.sleep(30)"), str(path)], stdout=subprocess.PIPE, text=True)
    try:
        assert "ready" == holder.stdout.readline().strip()
        with pytest.raises(StoreError) as err:
            Store(path)
        assert "Another sdgtrack process has it open" in str(err.value)
        assert "--db" in str(err.value)
    finally:
        holder.kill()
        holder.wait()
        holder.stdout.close()


def test_a_file_of_the_same_name_from_elsewhere_is_flagged(store, tmp_path):
    from sdgtrack.errors import IssueCode

    lines = G3.read_text().splitlines(keepends=True)
    a, b = tmp_path / "a" / "u5mr.csv", tmp_path / "b" / "u5mr.csv"
    for path, rows in ((a, lines[:6]), (b, lines[:1] + lines[6:11])):
        path.parent.mkdir()
        path.write_text("".join(rows))
    pipeline.ingest_path(a, store)
    second = pipeline.ingest_path(b, store)
    assert "loaded" == second.status
    (warning,) = [i for i in second.issues if i.code is IssueCode.DATASET_REPLACED]
    assert str(a) in warning.message and "--dataset" in warning.hint
    kept = pipeline.ingest_path(a, store, dataset="u5mr-a")
    assert [] == [i for i in kept.issues if i.code is IssueCode.DATASET_REPLACED]
