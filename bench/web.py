"""Benchmark the web platform.

1. ``sdgtrack serve`` on loopback driven by wrk (Debian package): the country page and the
   JSON observations endpoint, 50 connections for 30 s each. Target: p99 <= 50 ms, no errors.
2. ``sdgtrack build-site`` for the bundled data. Target: <= 60 s.
3. A national platform: the Kazakhstan Open SDG repository loaded alone (its own translations
   name its areas), built as a site, as a ratio to a bare DuckDB parse of its CSVs in the same
   run. Target: <= 5x.

Each build is timed twice over: cold, with an empty chart cache (every chart rendered by
vl-convert, ~30 ms each), and as a rebuild, the charts found in the cache (as after a data
update, which re-renders only the charts whose data changed). A rebuild is the best of three
runs, as the parse is, into a new folder each time.

    python bench/web.py [--seconds 30] [--kazakhstan ../shared/data/open-sdg-kazakhstan]

Prints one JSON object; nothing here is a test.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import duckdb
from timing import SDGTRACK, best, bundled_store, warm  # bench/timing.py


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _ms(text: str) -> float:
    value, unit = re.match(r"([\d.]+)(us|ms|s)", text).groups()
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


def wrk(url: str, seconds: int, connections: int = 50) -> dict:
    out = subprocess.run(["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", url],
                         capture_output=True, text=True, check=True).stdout
    lat = dict(re.findall(r"^\s+(50|75|90|99)%\s+(\S+)\s*$", out, re.M))
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    socket_errors = re.search(r"Socket errors: (.*)", out)
    return {"requests_per_s": float(re.search(r"Requests/sec:\s+([\d.]+)", out)[1]),
            "p50_ms": _ms(lat["50"]), "p99_ms": _ms(lat["99"]),
            "non_2xx": int(errors[1]) if errors else 0,
            "socket_errors": socket_errors[1] if socket_errors else None}


def serve_and_load(db: Path | str, seconds: int, *args: str, workers: int = 1) -> dict:
    """wrk on the country page and the JSON observations of ``serve`` (``args`` added to
    its command line, as ``--workers 2``), once every worker has answered each."""
    port = _port()
    log = tempfile.NamedTemporaryFile(suffix=".log")  # noqa: SIM115 - closed below
    proc = subprocess.Popen([*SDGTRACK, "serve", "--db", str(db), "--port", str(port), *args],
                            stdout=subprocess.DEVNULL, stderr=log)
    base = f"http://127.0.0.1:{port}"
    pages = {"country_page": "/en/area/398.html",
             "observations_json": "/api/v1/observations?series=SH_DYN_MORT&area=398"
                                  "&page_size=100"}
    try:
        for _ in range(300):
            try:
                urllib.request.urlopen(f"{base}/signin.json", timeout=60).read()
                break
            except OSError:
                time.sleep(0.2)
        warm(base, list(pages.values()), Path(log.name), workers)
        return {name: wrk(base + path, seconds) for name, path in pages.items()}
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()


def build_seconds(db: Path, out: Path, charts: Path) -> float:
    start = time.perf_counter()
    done = subprocess.run([*SDGTRACK, "build-site", str(out), "--db", str(db)],
                          stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                          env={**os.environ, "SDGTRACK_CHART_CACHE": str(charts)})
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        print(done.stderr[-2000:], file=sys.stderr)  # the figure is reported all the same
    shutil.rmtree(out, ignore_errors=True)
    return seconds


def builds(db: Path, work: Path, name: str) -> dict[str, float]:
    """Seconds for a cold build (empty chart cache), then the best of three rebuilds."""
    charts = work / f"{name}-charts"
    cold = build_seconds(db, work / f"{name}-site", charts)
    rebuild = min(build_seconds(db, work / f"{name}-site", charts) for _ in range(3))
    return {"cold_s": round(cold, 2), "rebuild_s": round(rebuild, 2)}


def national(repo: Path, work: Path) -> dict:
    db = work / "kz.duckdb"
    subprocess.run([*SDGTRACK, "ingest", str(repo), "--skip-invalid", "--db", str(db), "--json"],
                   check=True, stdout=subprocess.DEVNULL)
    files = sorted(str(p) for p in (repo / "data").glob("*.csv") if p.stat().st_size > 0)

    def parse() -> None:
        con = duckdb.connect()
        for f in files:
            con.execute("SELECT * FROM read_csv(?, all_varchar = true)", [f]).fetchall()

    t_parse = best(parse, 3)
    built = builds(db, work, "kz")
    return {"csv_files": len(files), "duckdb_parse_s": round(t_parse, 2), **built,
            "ratio_cold": round(built["cold_s"] / t_parse, 1),
            "ratio_rebuild": round(built["rebuild_s"] / t_parse, 1)}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=int, default=30)
    parser.add_argument("--kazakhstan", type=Path,
                        default=Path(__file__).resolve().parents[2] / "shared" / "data"
                        / "open-sdg-kazakhstan")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="sdgtrack-bench-"))
    try:
        db = bundled_store(work)
        result = {"serve": serve_and_load(db, args.seconds),
                  "build_site_bundled": builds(db, work, "bundled")}
        if args.kazakhstan.is_dir():
            result["national_kazakhstan"] = national(args.kazakhstan, work)
        print(json.dumps(result, indent=1))
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
