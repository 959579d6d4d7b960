"""Issue 21, finding 5: the server's memory after 200 anonymous API queries of 10,000 rows
each (every one a different page, so every answer is kept), on a store holding the bundled
extract. Prints the server's resident memory before and after.

python bench/answers_memory.py STORE.duckdb   (a store loaded by `sdgtrack review --no-serve`)
"""

from __future__ import annotations

import http.client
import socket
import subprocess
import sys
import time
from pathlib import Path

MiB = 1024 * 1024


def rss(pid: int) -> tuple[int, int]:
    fields = dict(line.split(":", 1) for line in
                  Path(f"/proc/{pid}/status").read_text().splitlines() if ":" in line)
    return (int(fields["VmRSS"].split()[0]) * 1024, int(fields["VmHWM"].split()[0]) * 1024)


def main(db: str) -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen([sys.executable, "-m", "sdgtrack", "serve", "--db", db,
                             "--port", str(port), "--read-only"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(600):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.1)
        con = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
        con.request("GET", "/api/v1/observations?page_size=1")
        con.getresponse().read()
        before = rss(proc.pid)
        started = time.monotonic()
        for k in range(200):  # 25 pages of 10,000 rows x 8 start years: 200 distinct
            con.request("GET", f"/api/v1/observations?page_size=10000&page={k % 25 + 1}"
                               f"&year_from={2000 + k // 25}")
            con.getresponse().read()
        after = rss(proc.pid)
        print(f"200 queries of 10,000 rows in {time.monotonic() - started:.0f} s: server RSS "
              f"{before[0] / MiB:.0f} -> {after[0] / MiB:.0f} MiB "
              f"(+{(after[0] - before[0]) / MiB:.0f} MiB), peak {after[1] / MiB:.0f} MiB")
        for fmt in ("csv", "csv"):
            started = time.monotonic()
            con.request("GET", f"/api/v1/observations.{fmt}")
            size = len(con.getresponse().read())
            print(f"GET /api/v1/observations.{fmt}: {size / MiB:.0f} MiB in "
                  f"{time.monotonic() - started:.1f} s")
    finally:
        proc.terminate()
        proc.wait()


if __name__ == "__main__":
    main(sys.argv[1])
