"""Issue 20, part 2: the store on a real PostgreSQL server (``tests/pg.py`` starts one).
The same loads, reads, assessments, pages, accounts and audit as on a DuckDB file; loads are
PostgreSQL transactions; several servers and commands at once; the auth matrix on both."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import pytest
from fastapi.testclient import TestClient
from pg import cluster  # noqa: F401, F811 - the fixture
from test_auth_matrix import ROUTES, check_route

from sdgtrack import assess_progress, auth, pipeline
from sdgtrack.auth import Role
from sdgtrack.errors import DataError
from sdgtrack.store import Store
from sdgtrack.web.app import create_app

import accounts
from accounts import G3, PASSWORD, World, header, populate, rows
from conftest import SPECIMENS, kill_mid_way, serve_process, server_log, stop_process

fast_hashing = accounts.fast_hashing
G2 = SPECIMENS / "unsd" / "sdg_goal02_escap_specimen.csv"


def _observations(store: Store) -> list[tuple]:
    return store.con.execute(
        "SELECT series_code, ref_area, time_period, value_raw, value FROM observations_current "
        "ORDER BY ALL").fetchall()


def test_a_load_reads_back_as_on_duckdb_and_a_refused_one_changes_nothing(
        cluster, tmp_path):  # noqa: F811
    with Store(cluster.new_database()) as pg, Store(tmp_path / "s.duckdb") as duck:
        for store in (pg, duck):
            outcome = pipeline.ingest_path(SPECIMENS / "unsd", store, dataset="unsd")
            assert 52 == outcome.rows_loaded  # the two specimens: goal 2's 22 rows, goal 3's 30
        assert _observations(duck) == _observations(pg)
        assert 52 == len(_observations(pg))
        before = pg.fingerprint()
        try:
            refused = pipeline.ingest_path(SPECIMENS / "bad" / "bad_year.csv", pg,
                                           dataset="bad").status
        except DataError:
            refused = "rejected"
        assert "rejected" == refused
        assert before == pg.fingerprint()
        # a second vintage, then its rollback: every previous value returns
        lines = rows()
        changed = lines[0].replace(",11.8,", ",12.5,")
        assert changed != lines[0]
        second = tmp_path / "v2.csv"
        second.write_text(header() + changed + "".join(lines[1:]), encoding="utf-8")
        original = _observations(pg)
        loaded = pipeline.ingest_path(second, pg, dataset="unsd")
        # the new vintage has goal 3's 30 rows, one value changed; goal 2's 22 are gone
        assert (30, 1, 22) == (loaded.rows_loaded, loaded.rows_changed, loaded.rows_removed)
        assert "unchanged" == pipeline.ingest_path(second, pg, dataset="unsd").status
        pg.rollback(loaded.load_id, actor="tests")
        assert original == _observations(pg)
        assert ["rollback"] == [r[0] for r in pg.con.execute(
            "SELECT action FROM audit_events WHERE action = 'rollback'").fetchall()]


def test_the_same_assessment_on_both_backends(cluster, tmp_path):  # noqa: F811
    results = []
    for where in (cluster.new_database(), tmp_path / "s.duckdb"):
        with Store(where) as store:
            pipeline.ingest_path(SPECIMENS / "unsd", store, dataset="unsd")
        with Store(where, read_only=True) as store:
            result = assess_progress(store, area="NPL")
            results.append(result.snapshot)
    assert results[0].to_json(orient="records") == results[1].to_json(orient="records")
    goal3 = results[0].set_index("goal").loc[3]
    assert goal3["indicators_used"] >= 1 and goal3["status"] != "insufficient_data"


def test_a_killed_load_leaves_the_store_as_it_was(cluster):  # noqa: F811
    url = cluster.new_database()
    with Store(url) as store:
        pipeline.ingest_path(G3, store, dataset="unsd")
        before = store.fingerprint()
    kill_mid_way(f"""
        import sys, time
        from sdgtrack import pipeline
        from sdgtrack.store import Store, store as module
        declare = module.Store._declare
        def slow(self, *args):
            declare(self, *args)
            print("mid-load", flush=True)
            time.sleep(60)
        module.Store._declare = slow
        with Store({url!r}) as store:
            pipeline.ingest_path(__import__("pathlib").Path({str(G2)!r}),
                                 store, dataset="more")
        """, {**os.environ})
    with Store(url) as store:  # the killed writer's lock went with its connection
        assert before == store.fingerprint()
        assert 1 == store.current_load_count()


def _count(port: int) -> int:
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v1/observations?page_size=1",
                                timeout=30) as answer:
        return int(json.loads(answer.read())["totalElements"])


def test_two_servers_and_an_ingest_at_once(cluster, tmp_path, fast_hashing):  # noqa: F811
    url = cluster.new_database()
    with Store(url) as store:
        pipeline.ingest_path(G3, store, dataset="unsd")
        auth.add_user(store, "admin", Role.ADMIN, PASSWORD, [], "ESCAP")  # servers writable
    env = {**os.environ, "SDGTRACK_UPLOAD_DIR": str(tmp_path / "uploads")}
    servers = [serve_process(url, env) for _ in range(2)]
    try:
        assert [30, 30] == [_count(port) for _, port in servers]
        seen: set[int] = set()
        stop = threading.Event()

        def poll() -> None:
            while not stop.is_set():
                seen.update(_count(port) for _, port in servers)

        poller = threading.Thread(target=poll)
        poller.start()
        done = subprocess.run([sys.executable, "-m", "sdgtrack", "ingest",
                               str(G2), "--dataset", "more", "--db", url],
                              env=env, capture_output=True, text=True, timeout=300)
        stop.set()
        poller.join()
        assert 0 == done.returncode, done.stderr
        # goal 2's 22 rows join goal 3's 30: never a part of them
        assert seen <= {30, 52}, seen
        for proc, port in servers:
            for _ in range(30):  # each server's version is looked up once a second
                if _count(port) == 52:
                    break
                threading.Event().wait(0.2)
            assert 52 == _count(port), server_log(proc)
    finally:
        for proc, _ in servers:
            stop_process(proc)


def test_twenty_providers_upload_at_once(cluster, tmp_path, fast_hashing):  # noqa: F811
    """Each of 20 provider accounts uploads Kazakhstan's three rows of one year (by sex), as
    a year of its own (1950 + i), through one of two servers: 18 load, and of the three
    with one year (17, 18, 19) two are refused with the overlap named; no 5xx."""
    url = cluster.new_database()
    tokens = []
    with Store(url) as store:
        pipeline.ingest_path(G3, store, dataset="unsd")
        for i in range(20):
            user = auth.add_user(store, f"p{i}", Role.PROVIDER, PASSWORD, ["KAZ"], "NSO")
            tokens.append(auth.issue_token(store, user, "upload")[1])
    kz = rows("398")[:3]  # 2015: both sexes, female, male
    env = {**os.environ, "SDGTRACK_UPLOAD_DIR": str(tmp_path / "uploads")}
    servers = [serve_process(url, env) for _ in range(2)]

    def upload(i: int) -> tuple[int, int]:
        year = 1950 + min(i, 17)  # 18 and 19 repeat 17's year
        lines = [",".join(_with_year(line, year)) + "\n" for line in kz]
        path = tmp_path / f"kz{i}.csv"
        path.write_text(header() + "".join(lines), encoding="utf-8")
        from sdgtrack.cli import remote

        port = servers[i % 2][1]
        body, kind = remote._multipart(path, f"kz{i}")
        base = f"http://127.0.0.1:{port}/api/v1/submissions"
        status, got = remote._call(base, tokens[i], body, kind)
        if status != 201:
            return status, got
        return remote._call(f"{base}/{got['submission_id']}/confirm", tokens[i])

    try:
        with ThreadPoolExecutor(20) as pool:
            answers = list(pool.map(upload, range(20)))
        logs = [server_log(proc) for proc, _ in servers]
    finally:
        for proc, _ in servers:
            stop_process(proc)
    assert [200] * 20 == [s for s, _ in answers], (answers, logs)
    loaded = [got["load_id"] for _, got in answers if got["status"] == "loaded"]
    assert 18 == len(set(loaded)) == len(loaded), answers  # 18 distinct years, 18 loads
    # of 17, 18 and 19 (one year) the first to commit loads; the others are told whose it is
    refused = [got for _, got in answers if got["status"] != "loaded"]
    assert ["rejected", "rejected"] == [got["status"] for got in refused]
    assert all(got["issues"][0]["code"] == "dataset_overlap" and
               got["issues"][0]["value"] in ("p17/kz17", "p18/kz18", "p19/kz19")
               for got in refused), refused
    with Store(url, read_only=True) as store:
        years = {r[0] for r in store.con.execute(
            "SELECT DISTINCT time_period FROM observations_current WHERE ref_area = '398' "
            "AND time_period < 2000").fetchall()}
        assert set(range(1950, 1968)) == years
        assert 1 + len(loaded) == store.current_load_count()


def _with_year(line: str, year: int) -> list[str]:
    import csv

    cells = next(csv.reader([line]))
    cells[7] = str(year)  # TimePeriod
    return [f'"{c}"' if "," in c else c for c in cells]


@pytest.fixture(scope="module")
def pg_template(cluster, tmp_path_factory):  # noqa: F811
    folder = tmp_path_factory.mktemp("pgtemplate")
    cluster.psql("CREATE DATABASE tmpl")
    users, tokens, sessions, ids = populate(cluster.url("tmpl"), folder)
    return folder, users, tokens, sessions, ids


@pytest.fixture
def pg_world(cluster, pg_template, tmp_path, fast_hashing, monkeypatch):  # noqa: F811
    folder, users, tokens, sessions, ids = pg_template
    monkeypatch.setenv("SDGTRACK_UPLOAD_DIR", str(tmp_path / "uploads"))
    store = Store(cluster.new_database(template="tmpl"))
    yield World(store, create_app(store), tmp_path, users, dict(tokens), dict(sessions),
                dict(ids))
    store.close()


@pytest.mark.parametrize("route", ROUTES, ids=lambda r: f"{r.method} {r.path}")
def test_auth_matrix_on_postgres(pg_world, route):
    """``test_auth_matrix.py``'s matrix, every route, on a PostgreSQL store."""
    check_route(pg_world, route)


def test_the_api_serves_a_postgres_store(pg_world):
    client = TestClient(pg_world.app)
    data = client.get("/api/v1/observations?page_size=100").json()
    assert 30 == data["totalElements"]  # the goal 3 specimen
