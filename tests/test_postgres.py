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

from fastapi.testclient import TestClient

from sdgtrack import assess_progress, auth, pipeline
from sdgtrack.auth import Role
from sdgtrack.errors import DataError
from sdgtrack.store import Store
from sdgtrack.web.app import create_app

import accounts
from accounts import G3, PASSWORD, header, rows
from conftest import SPECIMENS, kill_mid_way, serve_process, server_log, stop_process

fast_hashing = accounts.fast_hashing
G2 = SPECIMENS / "unsd" / "sdg_goal02_escap_specimen.csv"


def _observations(store: Store) -> list[tuple]:
    return store.con.execute(
        "SELECT series_code, ref_area, time_period, value_raw, value FROM observations_current "
        "ORDER BY ALL").fetchall()


def test_a_load_reads_back_as_on_duckdb_and_a_refused_one_changes_nothing(
        cluster, tmp_path):
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


def test_the_same_assessment_on_both_backends(cluster, tmp_path):
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


#: the pages and API answers of the two specimens, HTML and JSON, in two languages
PAGES = ["/en/index.json", "/en/area/524.html", "/en/area/524.json", "/zh/area/398.html",
         "/en/goal/3.json", "/en/series/SH_DYN_MORT.html", "/en/series/SH_DYN_MORT.json",
         "/ru/goal/2.html", "/en/availability.json", "/en/methodology.json",
         "/api/v1/observations?series=SH_DYN_MORT&page_size=100",
         "/api/v1/observations.csv?area=524", "/api/v1/series", "/api/v1/assessment/NPL",
         "/api/v1/availability"]


def _same_on_both(text: str) -> str:
    """What is not the data: the store's version and the time of its load (they differ
    between any two stores, whatever their backend), and the last bits of a float (a
    regression's sums depend on the order the rows come in, which neither backend fixes):
    numbers are compared to 9 significant digits."""
    import re

    text = re.sub(r"-?\d+\.\d{10,}", lambda m: f"{float(m[0]):.9g}", text)
    text = re.sub(r"\d{4}-\d\d-\d\d[ T]\d\d:\d\d:\d\d(\.\d+)?", "TIME", text)
    text = re.sub(r"\d+:[0-9a-f]{8,}", "VERSION", text)
    return re.sub(r'"(store|generated_at|built_at)": "[^"]*"', r'"\1": "X"', text)


def test_the_same_pages_and_api_answers_on_both_backends(cluster, tmp_path):
    """The web layer reads a PostgreSQL store through the same code: every page and API
    answer over the specimens is the same as over a DuckDB file, byte for byte but for the
    store's version."""
    answers = []
    for where in (cluster.new_database(), tmp_path / "s.duckdb"):
        with Store(where) as store:
            pipeline.ingest_path(SPECIMENS / "unsd", store, dataset="unsd")
        with Store(where, read_only=True) as store:
            client = TestClient(create_app(store))
            got = {}
            for page in PAGES:
                answer = client.get(page)
                assert 200 == answer.status_code, (where, page, answer.text[:300])
                got[page] = _same_on_both(answer.text)
            answers.append(got)
    for page in PAGES:
        assert answers[0][page] == answers[1][page], page
    assert "Nepal" in answers[0]["/en/area/524.html"]


def test_a_killed_load_leaves_the_store_as_it_was(cluster):
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
    return _answer(port)[0]


def _answer(port: int) -> tuple[int, str]:
    """The observations the server counts, and the id of the request (its log line says
    which worker answered)."""
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v1/observations?page_size=1",
                                timeout=30) as answer:
        return (int(json.loads(answer.read())["totalElements"]),
                answer.headers["x-request-id"])


def _sign_in(port: int, password: str) -> tuple[int, str]:
    """A person signing in as admin through the form: its status, and the request id."""
    import re
    import urllib.error
    import urllib.parse

    with urllib.request.urlopen(f"http://127.0.0.1:{port}/signin", timeout=30) as page:
        cookie = page.headers["set-cookie"].split(";")[0]
        token = re.search(r'name="csrf" value="([^"]+)"', page.read().decode())[1]
    body = urllib.parse.urlencode({"username": "admin", "password": password,
                                   "csrf": token}).encode()
    request = urllib.request.Request(f"http://127.0.0.1:{port}/signin", data=body,
                                     headers={"Cookie": cookie})
    try:
        with urllib.request.urlopen(request, timeout=30) as answer:
            return answer.status, answer.headers["x-request-id"]
    except urllib.error.HTTPError as exc:
        return exc.code, exc.headers["x-request-id"]


def _workers(proc: subprocess.Popen) -> dict[str, int]:
    """Request id -> the pid of the worker that answered, from the server's JSON lines."""
    lines = (json.loads(line) for line in server_log(proc).splitlines()
             if line.startswith("{"))
    return {line["request_id"]: line["pid"] for line in lines if "request_id" in line}


def test_two_workers_a_second_server_and_an_ingest_at_once(cluster, tmp_path,
                                                            fast_hashing):
    """``serve --workers 2`` and a second ``serve`` over one database while a CLI ingest
    loads: every answer is the old version or the new, and each worker moves to the new
    one by itself (it polls the store's version)."""
    url = cluster.new_database()
    with Store(url) as store:
        pipeline.ingest_path(G3, store, dataset="unsd")
        auth.add_user(store, "admin", Role.ADMIN, PASSWORD, [], "ESCAP")  # servers writable
    env = {**os.environ, "SDGTRACK_UPLOAD_DIR": str(tmp_path / "uploads")}
    servers = [serve_process(url, env, "--workers", "2"), serve_process(url, env)]
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
        (two, two_port), (one, one_port) = servers
        for _ in range(60):  # a worker looks its version up once a second
            if _count(one_port) == 52:
                break
            threading.Event().wait(0.2)
        assert 52 == _count(one_port), server_log(one)
        latest: dict[int, int] = {}  # worker pid -> the count it answered last
        for _ in range(300):
            answers = [_answer(two_port) for _ in range(4)]
            pids = _workers(two)
            latest |= {pids[rid]: count for count, rid in answers if rid in pids}
            if len(latest) == 2 and set(latest.values()) == {52}:
                break
            threading.Event().wait(0.1)
        assert 2 == len(latest) and {52} == set(latest.values()), (latest, server_log(two))
        # the sign-in limit is in the database: 5 wrong passwords, whichever workers answer
        # them, lock the account on both (the right password is then refused too)
        assert [401] * 5 == [_sign_in(two_port, "guess number")[0] for _ in range(5)]
        refused: dict[str, int] = {}  # request id -> status, until both workers refused
        for _ in range(40):
            status, rid = _sign_in(two_port, PASSWORD)
            refused[rid] = status
            if len({_workers(two).get(r) for r in refused} - {None}) == 2:
                break
        assert {429} == set(refused.values())
        assert 2 == len({_workers(two).get(r) for r in refused} - {None})
        assert 429 == _sign_in(one_port, PASSWORD)[0]  # and on the other server
    finally:
        for proc, _ in servers:
            stop_process(proc)


def test_twenty_providers_upload_at_once(cluster, tmp_path, fast_hashing):
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
