"""The soak of issue 20: wrk (Debian package) holds 50 connections against ``sdgtrack serve
--workers 2`` over a PostgreSQL store for 10 minutes, cycling through the pages and API
answers readers ask for most, while each worker's resident memory is sampled every
``--every`` seconds. The goals: no errors, and memory flat (the last sample within 10 % of
the first, taken after a minute's warm-up).

    python bench/soak.py [--minutes 10] [--connections 50] [--url postgresql://...]

Without ``--url`` it starts a throwaway cluster (``tests/pg.py``) and loads the bundled data
as ``sdgtrack review`` does. Prints one JSON object; nothing here is a test.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from contextlib import nullcontext
from pathlib import Path

from timing import SDGTRACK, warm  # bench/timing.py
from web import _ms, _port  # bench/web.py

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
import pg  # noqa: E402 - tests/pg.py, the throwaway cluster

#: what readers ask for most: the home page, a country, a goal, a series, the API
PATHS = ["/en/index.html", "/en/area/398.html", "/en/goal/3.html", "/en/area/524.html",
         "/api/v1/observations?series=SH_DYN_MORT&area=398&page_size=100",
         "/api/v1/observations?series=SI_POV_DAY1&page_size=100", "/zh/area/356.html",
         "/en/area/398.json", "/ru/goal/6.html"]

SCRIPT = """
paths = {%s}
i = 0
request = function()
  i = i + 1
  return wrk.format("GET", paths[(i %% #paths) + 1])
end
"""


def workers(parent: int) -> list[int]:
    """The worker processes of a ``serve --workers N`` (multiprocessing's spawned children;
    its resource tracker is a child too, and is not one)."""
    kids = Path(f"/proc/{parent}/task/{parent}/children").read_text().split()
    return [int(k) for k in kids
            if b"spawn_main" in Path(f"/proc/{k}/cmdline").read_bytes()]


def rss_mib(pid: int) -> float:
    status = Path(f"/proc/{pid}/status").read_text()
    return round(int(re.search(r"VmRSS:\s+(\d+) kB", status)[1]) / 1024, 1)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--minutes", type=float, default=10)
    parser.add_argument("--connections", type=int, default=50)
    parser.add_argument("--every", type=float, default=15)
    parser.add_argument("--url", help="a PostgreSQL store's URL, loaded already")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="sdgtrack-soak-"))
    with (nullcontext(None) if args.url else pg.throwaway()) as cluster:
        db = args.url
        if cluster is not None:
            cluster.psql("CREATE DATABASE soak")
            db = cluster.url("soak")
            subprocess.run([*SDGTRACK, "review", "--no-serve", "--db", db], check=True,
                           stdout=subprocess.DEVNULL)
        port = _port()
        log = (work / "serve.log").open("wb")
        proc = subprocess.Popen([*SDGTRACK, "serve", "--db", db, "--port", str(port),
                                 "--workers", "2"], stdout=subprocess.DEVNULL, stderr=log)
        base = f"http://127.0.0.1:{port}"
        try:
            for _ in range(600):
                try:
                    urllib.request.urlopen(base + PATHS[1], timeout=60).read()
                    break
                except OSError:
                    time.sleep(0.2)
            pids = workers(proc.pid)
            warm(base, PATHS, work / "serve.log", len(pids))
            samples: list[dict[str, float]] = []
            done = threading.Event()

            def sample() -> None:
                while not done.wait(args.every):
                    samples.append({str(p): rss_mib(p) for p in pids})

            sampler = threading.Thread(target=sample)
            sampler.start()
            script = work / "paths.lua"
            script.write_text(SCRIPT % ", ".join(f'"{p}"' for p in PATHS))
            seconds = int(args.minutes * 60)
            out = subprocess.run(["wrk", "-t2", f"-c{args.connections}", f"-d{seconds}s",
                                  "--timeout", "10s", "--latency", "-s", str(script), base],
                                 capture_output=True, text=True, check=True).stdout
            done.set()
            sampler.join()
            still = workers(proc.pid)
        finally:
            proc.terminate()
            proc.wait(timeout=60)
            log.close()
    served = [json.loads(line) for line in (work / "serve.log").read_text().splitlines()
              if line.startswith("{")]
    lat = dict(re.findall(r"^\s+(50|99)%\s+(\S+)\s*$", out, re.M))
    base_rss = samples[min(len(samples) - 1, int(60 / args.every))]  # a minute in
    print(json.dumps({
        "minutes": args.minutes, "connections": args.connections, "paths": len(PATHS),
        "requests": int(re.search(r"(\d+) requests in", out)[1]),
        "requests_per_s": float(re.search(r"Requests/sec:\s+([\d.]+)", out)[1]),
        "p50_ms": _ms(lat["50"]), "p99_ms": _ms(lat["99"]),
        "non_2xx": int(m[1]) if (m := re.search(r"Non-2xx or 3xx responses: (\d+)", out))
        else 0,
        "socket_errors": m[1] if (m := re.search(r"Socket errors: (.*)", out)) else None,
        "server_status_5xx": sum(1 for r in served if r.get("status", 0) >= 500),
        "server_errors_logged": sum(1 for r in served if r.get("level") == "error"),
        "workers_same_at_end": sorted(pids) == sorted(still),
        "rss_mib": {pid: {"after_1_min": base_rss[pid], "last": samples[-1][pid],
                          "max": max(s[pid] for s in samples),
                          "growth_pct": round(100 * (samples[-1][pid] / base_rss[pid] - 1), 1)}
                    for pid in samples[-1]},
    }, indent=1))


if __name__ == "__main__":
    main()
