"""Every load records who, when, which file and the values it replaced; a rollback brings the
exact previous values back (issue 8)."""

import pytest

from sdgtrack import pipeline
from sdgtrack.errors import Conflict, NoSuchRecord
from sdgtrack.store import audit

from accounts import data_file, rows

pytestmark = pytest.mark.both_backends


def _current(store):
    """The whole current table, in a fixed order: every column of every row."""
    return store.con.execute("SELECT * EXCLUDE (load_id) FROM observations_current "
                             "ORDER BY ALL").fetchall()


@pytest.fixture
def two_vintages(store, tmp_path):
    """Kazakhstan's 15 rows, then a revision: row 1 (2015, both sexes) 11.8 -> 11.7, row 2
    (2015, female) removed, Nepal's 15 rows added."""
    kz = rows("398")
    v1 = data_file(tmp_path, "u5mr_v1.csv", kz)
    v2 = data_file(tmp_path, "u5mr_v2.csv",
                   [kz[0].replace(",11.8,", ",11.7,"), *kz[2:], *rows("524")])
    with store.provenance("kz-nso", "u5mr.csv"):
        first = pipeline.ingest_path(v1, store, dataset="u5mr")
    before = _current(store)
    with store.provenance("admin", "u5mr-revised.csv"):
        second = pipeline.ingest_path(v2, store, dataset="u5mr")
    return first, second, before


def test_a_load_records_who_which_file_and_the_counts(store, two_vintages):
    first, second, _ = two_vintages
    loads = {ld["load_id"]: ld for ld in store.loads()}
    one, two = loads[first.load_id], loads[second.load_id]
    assert ("kz-nso", "u5mr.csv", "superseded") == (one["submitted_by"], one["file_name"],
                                                    one["status"])
    assert ("admin", "u5mr-revised.csv", "current") == (two["submitted_by"], two["file_name"],
                                                        two["status"])
    assert 64 == len(two["checksum"]) and two["size_bytes"] > 0
    assert (15, 1, 1) == (two["rows_added"], two["rows_changed"], two["rows_removed"])


def test_the_previous_values_are_kept(store, two_vintages):
    _, second, _ = two_vintages
    changes = audit.changes(store, [second.load_id], "SH_DYN_MORT", "398")
    got = sorted((c["change"], c["time_period"], c["sex"], c["value_before"], c["value_after"])
                 for c in changes)
    assert [("changed", 2015, "_T", "11.8", "11.7"),
            ("removed", 2015, "F", "10.3", None)] == got


def test_history_of_a_series_and_area(store, two_vintages):
    first, second, _ = two_vintages
    kaz = audit.history(store, "SH_DYN_MORT", "398")
    assert [second.load_id, first.load_id] == [h["load_id"] for h in kaz]
    assert (14, 0, 1, 1) == (kaz[0]["rows"], kaz[0]["added"], kaz[0]["changed"],
                             kaz[0]["removed"])
    assert (15, 15, 0, 0) == (kaz[1]["rows"], kaz[1]["added"], kaz[1]["changed"],
                              kaz[1]["removed"])
    nepal = audit.history(store, "SH_DYN_MORT", "524")
    assert [(second.load_id, 15, 15)] == [(h["load_id"], h["rows"], h["added"]) for h in nepal]
    assert [] == audit.history(store, "SH_DYN_MORT", "4")


def test_a_rollback_restores_the_exact_previous_values(store, two_vintages):
    first, second, before = two_vintages
    assert before != _current(store)
    outcome = store.rollback(second.load_id, actor="admin")
    assert (second.load_id, first.load_id) == (outcome.load_id, outcome.restored_load_id)
    assert before == _current(store)  # every column of every row, as before the revision
    statuses = {ld["load_id"]: (ld["status"], ld["rolled_back_by"]) for ld in store.loads()}
    assert {first.load_id: ("current", None), second.load_id: ("rolled_back", "admin")
            } == statuses
    event = audit.events(store)[0]
    assert ("admin", "rollback", f"load:{second.load_id}") == (
        event["actor"], event["action"], event["target"])


def test_only_the_current_load_can_be_rolled_back(store, two_vintages):
    first, second, _ = two_vintages
    with pytest.raises(Conflict, match="roll back the current load first"):
        store.rollback(first.load_id, actor="admin")
    with pytest.raises(NoSuchRecord):
        store.rollback(99, actor="admin")
    store.rollback(second.load_id, actor="admin")
    store.rollback(first.load_id, actor="admin")  # the first load replaced nothing
    assert [] == _current(store)
    with pytest.raises(Conflict):
        store.rollback(second.load_id, actor="admin")


def test_the_same_file_after_a_rollback_loads_again(store, two_vintages, tmp_path):
    _, second, _ = two_vintages
    store.rollback(second.load_id, actor="admin")
    again = pipeline.ingest_path(tmp_path / "u5mr_v2.csv", store, dataset="u5mr")
    assert ("loaded", 15, 1, 1) == (again.status, again.rows_added, again.rows_changed,
                                    again.rows_removed)


def test_a_store_from_before_accounts_upgrades_when_opened_for_writing(tmp_path):
    import shutil

    import duckdb

    from sdgtrack.auth import has_accounts
    from sdgtrack.publish.site.version import store_version
    from sdgtrack.store import Store

    path = tmp_path / "old.duckdb"
    with Store(path) as store:
        pipeline.ingest_path(data_file(tmp_path, "kz.csv", rows("398")), store)
    con = duckdb.connect(str(path))  # take it back to schema 1
    for table in ("users", "api_tokens", "sessions", "submissions", "evidence",
                  "load_changes", "audit_events"):
        con.execute(f"DROP TABLE {table}")
    for column in ("submitted_by", "file_name", "submission_id", "rolled_back_at",
                   "rolled_back_by", "vintage", "source", "diff"):
        con.execute(f"ALTER TABLE loads DROP COLUMN {column}")
    con.execute("DROP VIEW observations_current")  # the view of schemas 1 and 2
    con.execute("ALTER TABLE observations DROP COLUMN in_use")
    con.execute("""CREATE VIEW observations_current AS SELECT o.* FROM observations o
                   SEMI JOIN current_loads l USING (load_id)""")
    con.execute("UPDATE meta SET value = '1' WHERE key = 'schema'")
    con.close()
    shutil.rmtree(path.with_name(path.name + ".snapshots"))  # an old sdgtrack made none
    with Store(path, read_only=True) as store:  # read-only: still served, no accounts
        assert not has_accounts(store)
        assert store_version(store).endswith(":e0")
        assert ([], 0) == (store.conflicts(), store.conflict_count())  # nothing to list yet
    with Store(path) as store:
        assert [("3",)] == store.con.execute(
            "SELECT value FROM meta WHERE key = 'schema'").fetchall()
        # the rows of the current load are in use: one value per observation
        assert [(15,)] == store.con.execute(
            "SELECT count(*) FROM observations_current").fetchall()
        assert [(1, None, 15)] == [(ld["load_id"], ld["submitted_by"], ld["rows_loaded"])
                                   for ld in store.loads()]
        assert not has_accounts(store)
