"""Commands that work while the site is up (issue 20, part 1), with real processes: a
read-only server, a server that keeps accounts, a second writer. The mechanism is in
``store/snapshots.py``: one writer at a time, readers on the latest snapshot."""

from __future__ import annotations

import http.client
import json
import subprocess
import sys
import time
from pathlib import Path

from conftest import HERE, serve_process, stop_process

ROOT = HERE.parent
SPECIMEN = HERE / "specimens" / "unsd"
GOAL_2 = SPECIMEN / "sdg_goal02_escap_specimen.csv"
GOAL_3 = SPECIMEN / "sdg_goal03_escap_specimen.csv"


def _env(tmp_path: Path) -> dict[str, str]:
    return {"PYTHONPATH": str(ROOT / "src"), "PATH": "/usr/bin:/bin",
            "SDGTRACK_UPLOAD_DIR": str(tmp_path / "uploads"), "SDGTRACK_CHART_CACHE": "off",
            "SDGTRACK_LOCK_WAIT": "60"}


def _run(env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "sdgtrack", *args], env=env,
                          capture_output=True, text=True, timeout=300)


def _rows(port: int) -> int:
    """How many observations the server serves now."""
    con = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    con.request("GET", "/api/v1/observations?page_size=1")
    body = json.loads(con.getresponse().read())
    con.close()
    return int(body["totalElements"])


def _readers(tmp_path: Path) -> list[list[str]]:
    """The commands of the check (issue 20) that only read: each must work beside a server
    in either mode, never with a lock error."""
    return [["datasets"], ["series"], ["assess", "--group", "escap"],
            ["lnob", "gaps", "--area", "NPL"],
            ["export", "--format", "csv", "--out", str(tmp_path / "x.csv")],
            ["report", "country", "KAZ", "--out", str(tmp_path / "KAZ.html")]]


def _read_beside_a_server(env: dict[str, str], db: Path, tmp_path: Path) -> None:
    for args in _readers(tmp_path):
        done = _run(env, *args, "--db", str(db))
        assert 0 == done.returncode, (args, done.stderr)
        assert "lock" not in done.stderr.lower()
    assert "Kazakhstan" in (tmp_path / "KAZ.html").read_text(encoding="utf-8")


def _count(path: Path) -> int:
    """Data rows of a UN CSV specimen (one observation each)."""
    return len(path.read_text(encoding="utf-8").splitlines()) - 1


def test_read_commands_and_a_load_work_while_a_read_only_server_runs(tmp_path):
    env, db = _env(tmp_path), tmp_path / "s.duckdb"
    assert 0 == _run(env, "ingest", str(GOAL_2), "--db", str(db)).returncode
    proc, port = serve_process(db, env, "--read-only")
    # several servers on one store, one of them with two worker processes
    second, port2 = serve_process(db, env, "--read-only", "--workers", "2")
    try:
        before = _rows(port)
        assert _count(GOAL_2) == before == _rows(port2)
        # readers beside the server: each reads the store's latest snapshot
        _read_beside_a_server(env, db, tmp_path)
        # a load of a new dataset while the server runs, and the server sees it without a
        # restart; every answer meanwhile is the old version or the new, nothing between
        load = subprocess.Popen([sys.executable, "-m", "sdgtrack", "ingest", str(GOAL_3), "--db",
                                 str(db)], env=env, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True)
        after = before + _count(GOAL_3)
        seen = set()
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            got = _rows(port)
            seen.add(got)
            if got == after and load.poll() is not None:
                break
            time.sleep(0.2)
        _out, err = load.communicate(timeout=120)
        assert 0 == load.returncode, err
        assert seen <= {before, after} and after in seen
        # a signed-in request on the moved server reads the accounts of the new snapshot
        con = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        con.request("GET", "/submit.json", headers={"Cookie": "sdgtrack_session=unknown"})
        status = con.getresponse().status
        con.close()
        assert 401 == status  # no such session (and no server error)
        deadline = time.monotonic() + 30
        while _rows(port2) != after and time.monotonic() < deadline:
            time.sleep(0.2)
        assert after == _rows(port2)  # the other server moved too
    finally:
        stop_process(proc)
        stop_process(second)


def test_a_second_writer_waits_its_turn_and_says_for_whom(tmp_path):
    env, db = _env(tmp_path), tmp_path / "s.duckdb"
    assert 0 == _run(env, "ingest", str(GOAL_2), "--db", str(db)).returncode
    holder = subprocess.Popen(
        [sys.executable, "-c", "import sys, time\nfrom sdgtrack.store import Store\n"
         f"s = Store({str(db)!r})\nprint('holding', flush=True)\ntime.sleep(4)\ns.close()"],
        env=env, stdout=subprocess.PIPE, text=True)
    try:
        assert "holding" == holder.stdout.readline().strip()
        started = time.monotonic()
        done = _run(env, "ingest", str(GOAL_3), "--db", str(db))
        waited = time.monotonic() - started
    finally:
        holder.wait(timeout=30)
        holder.stdout.close()
    assert 0 == done.returncode, done.stderr
    assert "Waiting for `python -c" in done.stderr and "to finish writing" in done.stderr
    assert waited > 2  # it waited for the holder's 4 s, less the time it took to start
    assert "Traceback" not in done.stderr


def test_a_server_with_accounts_holds_the_store_and_says_so(tmp_path):
    env, db = _env(tmp_path), tmp_path / "s.duckdb"
    assert 0 == _run(env, "ingest", str(GOAL_2), "--db", str(db)).returncode
    added = subprocess.run([sys.executable, "-m", "sdgtrack", "users", "add", "ada", "--role",
                            "admin", "--password-stdin", "--db", str(db)], env=env,
                           input="correct horse battery\n", capture_output=True, text=True)
    assert 0 == added.returncode, added.stderr
    issued = _run(env, "users", "token", "ada", "--label", "cli", "--db", str(db))
    token = next(w for w in issued.stdout.split() if w.startswith("sdgt_"))
    many = _run(env, "serve", "--workers", "2", "--db", str(db))  # DuckDB has one writer
    assert 2 == many.returncode and "move the store to PostgreSQL" in many.stderr
    proc, port = serve_process(db, env)
    try:
        # a reader works: it reads the snapshot the server published at its start
        shown = _run(env, "datasets", "--json", "--db", str(db))
        assert 0 == shown.returncode and "sdg_goal02_escap_specimen" in shown.stdout
        _read_beside_a_server(env, db, tmp_path)  # and so does every other reader
        # a writer is told at once who holds the store and how to load through it
        refused = _run(env, "ingest", str(GOAL_3), "--db", str(db))
        assert 1 == refused.returncode
        assert "held by `sdgtrack serve" in refused.stderr and "/api/v1/submissions" in \
            refused.stderr
        assert "Traceback" not in refused.stderr and "Conflicting lock" not in refused.stderr
        assert f"at http://127.0.0.1:{port}/" in refused.stderr and "SDGTRACK_TOKEN" in \
            refused.stderr
        # with a token, the same command sends the file through the server, which loads it
        sent = _run({**env, "SDGTRACK_TOKEN": token}, "ingest", str(GOAL_3), "--db", str(db))
        assert 0 == sent.returncode, sent.stderr
        assert "held by the server" in sent.stderr and "loaded as load" in sent.stdout
        assert _count(GOAL_2) + _count(GOAL_3) == _rows(port)
        # and a rollback of that load goes through it too: goal 2's rows alone again
        load = int(sent.stdout.split("loaded as load ")[1].split()[0])
        undone = _run({**env, "SDGTRACK_TOKEN": token}, "rollback", str(load), "--db", str(db))
        assert 0 == undone.returncode, undone.stderr
        assert "rolling back through it" in undone.stderr
        said = " ".join(undone.stdout.split())  # as wrapped for an 80-column terminal
        assert f"rolled back load {load} of " in said
        assert "the dataset has no current load" in said  # it was goal 3's first load
        assert _count(GOAL_2) == _rows(port)
    finally:
        stop_process(proc)
    # the server stopped, and gave the lock back: a command that writes gets the store
    listed = _run(env, "users", "list", "--db", str(db))
    assert 0 == listed.returncode and "ada" in listed.stdout, listed.stderr
