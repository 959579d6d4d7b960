"""Issue 21, finding 11: the OpenAPI document describes the API. schemathesis, every check
on, against a real ``sdgtrack serve`` (a store with the goal 3 specimen and an account of
every role; the administrator's token): no server error, no conformance failure, at least
2,000 cases. It failed 329 times on status codes, 21 on content types, and accepted 18
schema-violating requests."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from test_empty_store import _serve, _stop

from sdgtrack import auth, pipeline
from sdgtrack.store import Store

import accounts
from accounts import G3, add_accounts

fast_hashing = accounts.fast_hashing
HERE = Path(__file__).parent
SCHEMATHESIS = Path(sys.executable).with_name("schemathesis")


def test_schemathesis_finds_nothing(tmp_path, fast_hashing):
    db = tmp_path / "s.duckdb"
    with Store(db) as store:
        pipeline.ingest_path(G3, store, dataset="unsd")
        users = add_accounts(store)
        _, token = auth.issue_token(store, users["admin"], "schemathesis")
    proc, port = _serve(db, tmp_path)
    report = tmp_path / "report.json"
    try:
        done = subprocess.run(
            [str(SCHEMATHESIS), "--config-file", str(HERE / "schemathesis" /
                                                     "schemathesis.toml"),
             "run", f"http://127.0.0.1:{port}/openapi.json", "--checks", "all",
             "--max-examples", "70", "--continue-on-failure", "--seed", "21",
             "--generation-deterministic", "-H", f"Authorization: Bearer {token}",
             "--report", "ndjson", "--report-ndjson-path", str(report)],
            capture_output=True, text=True, timeout=900, cwd=tmp_path)
    finally:
        _stop(proc)
    summary = done.stdout[done.stdout.rfind("SUMMARY"):]
    print(summary)
    assert 0 == done.returncode, done.stdout[-6000:]  # no failure of any check
    assert "unique failure" not in summary and "Server error" not in done.stdout
    cases = int(summary.split("Test cases:")[1].split("generated")[0].strip().replace(",", ""))
    assert 2_000 <= cases
    events = [json.loads(line) for line in report.read_text().splitlines()]
    assert events  # the run's own record, for a failure's details
