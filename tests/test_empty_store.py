"""Issue 21, finding 3, with real processes: rolling back the only load leaves an empty store
that is served as one (every public page 200, saying so; /admin works), and neither a
restart of ``sdgtrack serve`` nor a read command loads anything back."""

from __future__ import annotations

import http.client
import json
import subprocess
import sys
from pathlib import Path

from sdgtrack import auth, pipeline
from sdgtrack.store import Store

import accounts
from accounts import G3, add_accounts
from conftest import serve_process, stop_process

fast_hashing = accounts.fast_hashing
ROOT = Path(__file__).parent.parent
PUBLIC = ["/en/index.html", "/en/index.json", "/zh/index.html", "/en/goal/3.html",
          "/en/indicator/3.2.1.html", "/en/area/398.html", "/en/group/escap_sea.html",
          "/en/availability.html", "/en/availability/3.html", "/en/methodology.html",
          "/en/search.html?q=mortality", "/api/v1/observations", "/api/v1/observations.csv",
          "/api/v1/goals", "/api/v1/series", "/api/v1/areas", "/api/v1/availability",
          "/api/v1/assessment/escap", "/api/v1/assessment/398"]
EMPTY = "The store is empty"


def _serve(db: Path, tmp_path: Path) -> tuple[subprocess.Popen, int]:
    return serve_process(db, {
        "PYTHONPATH": str(ROOT / "src"), "PATH": "/usr/bin:/bin",
        "SDGTRACK_UPLOAD_DIR": str(tmp_path / "uploads"), "SDGTRACK_CHART_CACHE": "off"})


_stop = stop_process


def _call(port: int, method: str, url: str, token: str | None = None
          ) -> tuple[int, str]:
    con = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    con.request(method, url, headers={"Authorization": f"Bearer {token}"} if token else {})
    response = con.getresponse()
    out = response.status, response.read().decode("utf-8")
    con.close()
    return out


def _loads(db: Path) -> tuple[int, int]:
    with Store(db, read_only=True) as store:
        (total,) = store.con.execute("SELECT count(*) FROM loads").fetchone()
        return int(total), store.current_load_count()


def test_rolling_back_the_only_load_serves_an_empty_store(tmp_path, fast_hashing):
    db = tmp_path / "s.duckdb"
    with Store(db) as store:
        load = pipeline.ingest_path(G3, store, dataset="unsd").load_id
        users = add_accounts(store)
        _, admin = auth.issue_token(store, users["admin"], "rollback test")
    proc, port = _serve(db, tmp_path)
    try:
        assert 200 == _call(port, "GET", "/en/index.html")[0]  # a page kept before
        status, body = _call(port, "POST", f"/api/v1/loads/{load}/rollback", admin)
        assert 200 == status, body
        for url in PUBLIC:
            status, body = _call(port, "GET", url)
            assert 200 == status, (url, body[:300])
            if url.endswith(".html"):
                assert EMPTY in body or "存储库为空" in body, url
        assert json.loads(_call(port, "GET", "/en/index.json")[1])["store_empty"] is True
        assert [] == json.loads(_call(port, "GET", "/api/v1/observations")[1])["data"]
        assert 200 == _call(port, "GET", "/admin.json", admin)[0]
    finally:
        _stop(proc)
    assert (1, 0) == _loads(db)  # one load, rolled back
    proc, port = _serve(db, tmp_path)  # a restart loads nothing back
    try:
        status, body = _call(port, "GET", "/en/index.html")
        assert 200 == status and EMPTY in body
    finally:
        _stop(proc)
    assert (1, 0) == _loads(db)
    for command in (["assess", "--group", "escap"], ["datasets"]):
        done = subprocess.run([sys.executable, "-m", "sdgtrack", *command, "--db", str(db)],
                              capture_output=True, text=True, timeout=300,
                              env={"PYTHONPATH": str(ROOT / "src"), "PATH": "/usr/bin:/bin"})
        assert "Traceback" not in done.stderr, done.stderr
        assert (1, 0) == _loads(db), command  # a read command never loads
        if command[0] == "assess":
            assert "holds no data" in " ".join(done.stderr.split())
