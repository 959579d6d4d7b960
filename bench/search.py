"""Benchmark the hub's search (issue 17).

1. Index build for the bundled data with the forum's records, each language, as a ratio to
   one DuckDB pass over the observations in the same run (count, distinct series and areas,
   a sum over every value). Target: <= 2 s.
2. Query latency in the process, over the issue's real queries: p50 and p99.
3. ``sdgtrack serve`` on loopback, ``/api/v1/search`` driven by wrk (Debian package), 50
   connections. Target: p99 <= 20 ms, no errors. Skipped, and said so, without wrk.

    python bench/search.py [--db STORE] [--seconds 10]

Without --db, the bundled extract is loaded into a temporary store first. Prints one JSON
object; nothing here is a test.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

from timing import best  # bench/timing.py
from web import _port, wrk  # bench/web.py

QUERIES = [("zh", "尼泊尔"), ("zh", "贫困"), ("en", "3.2.1"), ("en", "SH_DYN_MORT"),
           ("ru", "бедность"), ("zh", "气候"), ("en", "povrety"), ("en", "maternal mortality")]


def build_times(db: Path) -> dict:
    from sdgtrack.publish import search
    from sdgtrack.publish.search.text import _jieba
    from sdgtrack.publish.site.data import SiteData
    from sdgtrack.store import Store

    with Store(db, read_only=True) as store:
        con = store.con
        scan = best(lambda: con.execute(
            "SELECT count(*), count(DISTINCT series_code), count(DISTINCT ref_area), "
            "sum(value) FROM observations").fetchall(), 3)
        started = time.perf_counter()
        _jieba()  # the dictionary, once a process
        dictionary = time.perf_counter() - started
        out: dict = {"duckdb_pass_s": round(scan, 3), "jieba_dictionary_s": round(dictionary, 3)}
        for lang in ("en", "zh", "ru"):
            def one(lang: str = lang) -> None:
                site = SiteData(store, frozen=True)
                site.series(), site.areas(), site.evidence()  # what any page reads first
                search.site_index(site, lang)
            out[f"build_{lang}_s"] = round(best(one, 3), 3)
        total = sum(out[f"build_{lang}_s"] for lang in ("en", "zh", "ru"))
        out["build_all_s"] = round(total, 3)
        out["build_all_over_duckdb_pass"] = round(total / scan, 1)
        site = SiteData(store, frozen=True)
        times = []
        for _ in range(50):
            for lang, q in QUERIES:
                start = time.perf_counter()
                search.search(site, lang, q)
                times.append(time.perf_counter() - start)
        times.sort()
        out["query_p50_ms"] = round(1000 * times[len(times) // 2], 2)
        out["query_p99_ms"] = round(1000 * times[int(len(times) * 0.99)], 2)
        out["docs"] = len(search.site_index(site, "en").docs)
    return out


def served(db: Path, seconds: int) -> dict:
    if shutil.which("wrk") is None:
        return {"skipped": "wrk is not installed (Debian package wrk)"}
    port = _port()
    proc = subprocess.Popen([sys.executable, "-m", "sdgtrack", "serve", "--db", str(db),
                             "--port", str(port), "--read-only"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        url = f"http://127.0.0.1:{port}/api/v1/search?" + urllib.parse.urlencode(
            {"q": "气候", "lang": "zh"})
        for _ in range(300):
            try:
                urllib.request.urlopen(url, timeout=30).read()  # the index, built once
                break
            except OSError:
                time.sleep(0.2)
        return {"api_search_zh": wrk(url, seconds)}
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", type=Path)
    parser.add_argument("--seconds", type=int, default=10)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db = args.db
        if db is None:
            import sdgtrack

            db = Path(tmp) / "bundled.duckdb"
            sdgtrack.open_store(db, load_bundled=True).close()
        result = {"build": build_times(db), "served": served(db, args.seconds),
                  "targets": {"build_all_s": 2.0, "served_p99_ms": 20}}
    print(json.dumps(result, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
