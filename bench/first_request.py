"""First-request times on a fresh `sdgtrack serve` over a store: how long a visitor waits
for the first page of each kind, and for the same page again (from the kept answer).

    python bench/first_request.py STORE [PATH ...]

Default paths: sign-in, home, goal 13, an observations query, a Chinese search. Prints one
JSON object of seconds; nothing here is a test.
"""

from __future__ import annotations

import http.client
import json
import socket
import subprocess
import sys
import time

PATHS = ("/signin.json", "/en/index.html", "/en/goal/13.html",
         "/api/v1/observations?series=SH_DYN_MORT&area=524",
         "/api/v1/search?q=%E5%B0%BC%E6%B3%8A%E5%B0%94&lang=zh")


def main() -> None:
    store, paths = sys.argv[1], sys.argv[2:] or PATHS
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    start = time.perf_counter()
    server = subprocess.Popen([sys.executable, "-m", "sdgtrack", "serve", "--db", store,
                               "--port", str(port)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.05)
        out = {"server_up_s": round(time.perf_counter() - start, 3)}
        for path in paths:
            for n in ("first", "again"):
                con = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
                t = time.perf_counter()
                con.request("GET", path)
                answer = con.getresponse()
                answer.read()
                out[f"{path} {n} ({answer.status})"] = round(time.perf_counter() - t, 3)
                con.close()
        print(json.dumps(out, indent=1, ensure_ascii=False))
    finally:
        server.terminate()
        server.wait()


if __name__ == "__main__":
    main()
