"""Issue 8 with real processes: a load killed mid-way (SIGKILL) leaves the store as it was,
and a 1 GB upload to a real ``sdgtrack serve`` is cut off at the limit while the server's
memory stays within a stated bound."""

from __future__ import annotations

import json
import os
import select
import socket
import time
from pathlib import Path

import pytest

from sdgtrack import auth, pipeline
from sdgtrack.store import Store
from sdgtrack.submission import uploads

import accounts
from accounts import G3, add_accounts, data_file, rows
from conftest import kill_mid_way, serve_process, stop_process

fast_hashing = accounts.fast_hashing
ROOT = Path(__file__).parent.parent
MiB = 1024 * 1024


def _env(tmp_path: Path, **extra: str) -> dict[str, str]:
    return {**os.environ, "SDGTRACK_UPLOAD_DIR": str(tmp_path / "uploads"),
            "PYTHONPATH": str(ROOT / "src"), **extra}


def test_a_load_killed_mid_way_leaves_the_store_as_it_was(tmp_path, fast_hashing,
                                                          monkeypatch):
    """A provider's confirmed load runs in a child process, which is SIGKILLed once the new
    rows are inserted but before the transaction commits; the reopened store is unchanged
    and the submission can still be confirmed."""
    monkeypatch.setenv("SDGTRACK_UPLOAD_DIR", str(tmp_path / "uploads"))
    db = tmp_path / "s.duckdb"
    kz = rows("398")
    with Store(db) as store:
        users = add_accounts(store)
        first = data_file(tmp_path, "kz.csv", kz)
        with first.open("rb") as f:
            sub = uploads.receive(store, users["kz-nso"], f, "kz.csv")
        uploads.confirm(store, users["kz-nso"], sub.submission_id)  # the values to keep
        revised = data_file(tmp_path, "kz2.csv", [kz[0].replace(",11.8,", ",11.7,"), *kz[1:]])
        with revised.open("rb") as f:
            pending = uploads.receive(store, users["kz-nso"], f, "kz.csv").submission_id
        before = store.fingerprint()
    kill_mid_way(f"""
        import sys, time
        from sdgtrack import auth
        from sdgtrack.store import Store
        from sdgtrack.submission import uploads

        def stop_here(self, *args):  # the rows are in, the transaction is open
            print("mid-load", flush=True)
            time.sleep(60)

        Store._record_changes = stop_here
        with Store({str(db)!r}) as store:
            uploads.confirm(store, auth.get_user(store, "kz-nso"), {pending})
        """, _env(tmp_path))
    with Store(db) as store:
        assert before == store.fingerprint()  # every table, every row
        again = uploads.confirm(store, auth.get_user(store, "kz-nso"), pending)
        assert ("loaded", 15, 0, 1, 0) == (
            again.status, again.result["rows_loaded"], again.result["rows_added"],
            again.result["rows_changed"], again.result["rows_removed"])


# -- a 1 GB upload against a real server ------------------------------------------------------

#: The server may grow by at most this much while it refuses a 1 GB upload (it reads at most
#: the 100 MiB limit, to a file on disk, in chunks of at most 1 MiB).
RSS_GROWTH_BOUND = 64 * MiB


def _status(pid: int) -> dict[str, int]:
    fields = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, value = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            fields[key] = int(value.split()[0]) * 1024
    return fields


@pytest.fixture
def server(tmp_path, fast_hashing):
    db = tmp_path / "s.duckdb"
    with Store(db) as store:
        pipeline.ingest_path(G3, store, dataset="unsd")
        users = add_accounts(store)
        _, token = auth.issue_token(store, users["kz-nso"], "upload test")
    proc, port = serve_process(db, _env(tmp_path))
    try:
        yield proc, port, token
    finally:
        stop_process(proc)


def _request(port: int, head: bytes) -> socket.socket:
    sock = socket.create_connection(("127.0.0.1", port), timeout=30)
    sock.sendall(head)
    return sock


def _response(sock: socket.socket) -> tuple[int, dict[str, str], bytes]:
    data = b""
    while True:
        try:
            part = sock.recv(65536)
        except (ConnectionResetError, TimeoutError):
            break
        if not part:
            break
        data += part
        if b"\r\n\r\n" in data:
            head, _, body = data.partition(b"\r\n\r\n")
            length = [int(h.split(b":")[1]) for h in head.split(b"\r\n")
                      if h.lower().startswith(b"content-length:")]
            if length and len(body) >= length[0]:
                break
    head, _, body = data.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    headers = {k.lower(): v.strip() for k, _, v in (h.partition(":") for h in lines[1:])}
    return int(lines[0].split()[1]), headers, body


def _head(port: int, token: str, extra: str) -> bytes:
    return (f"POST /api/v1/submissions HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
            f"Authorization: Bearer {token}\r\n"
            "Content-Type: multipart/form-data; boundary=sdgtrackboundary\r\n"
            f"{extra}\r\n").encode()


def test_a_1_gb_upload_is_cut_off_at_the_limit_in_bounded_memory(server):
    """Streams 1 GiB (generated, chunked transfer encoding, so the server must count) to
    ``sdgtrack serve``. The server answers 413 in the one error shape once it has read the
    100 MiB limit, and hangs up; its peak resident memory (VmHWM) grows by less than
    RSS_GROWTH_BOUND = 64 MiB over its peak before the upload."""
    proc, port, token = server
    sock = _request(port, _head(port, token, "Transfer-Encoding: chunked\r\n"))
    before = _status(proc.pid)
    preamble = (b"--sdgtrackboundary\r\nContent-Disposition: form-data; name=\"file\"; "
                b"filename=\"huge.csv\"\r\nContent-Type: text/csv\r\n\r\n")
    line = b"3,3.2,3.2.1,SH_DYN_MORT,x,398,Kazakhstan,2015,11.8,E,PER_1000_LIVE_BIRTHS\n"
    block = line * (MiB // len(line))
    sent, started = 0, time.monotonic()
    chunks = [preamble] + [block] * (1024 * MiB // len(block))
    for chunk in chunks:
        if select.select([sock], [], [], 0)[0]:
            break  # the server has answered
        try:
            sock.sendall(b"%x\r\n" % len(chunk) + chunk + b"\r\n")
        except (BrokenPipeError, ConnectionResetError):
            break
        sent += len(chunk)
    status, headers, body = _response(sock)
    sock.close()
    after = _status(proc.pid)
    seconds = time.monotonic() - started
    growth = after["VmHWM"] - before["VmHWM"]
    print(f"\nsent {sent / MiB:.0f} MiB in {seconds:.1f} s; server VmHWM "
          f"{before['VmHWM'] / MiB:.0f} -> {after['VmHWM'] / MiB:.0f} MiB "
          f"(+{growth / MiB:.1f} MiB, bound {RSS_GROWTH_BOUND / MiB:.0f} MiB)")
    assert 413 == status
    error = json.loads(body)
    assert {"ok": False, "status": 413} == {k: error[k] for k in ("ok", "status")}
    assert "104,857,600 bytes" in error["error"] and "split" in error["error"]
    assert "close" == headers.get("connection")
    assert 100 * MiB <= sent < 200 * MiB  # read up to the limit, then cut off: not 1 GiB
    assert growth < RSS_GROWTH_BOUND
    assert proc.poll() is None  # still serving


def test_a_declared_size_over_the_limit_is_refused_before_the_body(server):
    proc, port, token = server
    sock = _request(port, _head(port, token, f"Content-Length: {1024 * MiB}\r\n"))
    status, headers, body = _response(sock)  # not a byte of the body was sent
    sock.close()
    assert 413 == status and "close" == headers.get("connection")
    assert 413 == json.loads(body)["status"]


def test_cookies_are_secure_behind_a_local_https_proxy(server):
    """uvicorn (as ``sdgtrack serve`` runs it) takes the scheme from X-Forwarded-Proto sent
    by a proxy on the same machine, so the cookies get ``Secure`` behind HTTPS."""
    import http.client

    proc, port, _ = server
    cookies = {}
    for proto in ("http", "https"):
        con = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        con.request("GET", "/signin", headers={"X-Forwarded-Proto": proto})
        response = con.getresponse()
        assert 200 == response.status
        cookies[proto] = response.getheader("set-cookie").lower()
        con.close()
    assert "secure" not in cookies["http"] and "secure" in cookies["https"]
    assert all("httponly" in c and "samesite=lax" in c for c in cookies.values())


def test_the_server_logs_a_json_line_per_request_with_its_id(server):
    """`sdgtrack serve` writes one JSON line per request (id, method, path, status, ms) to
    standard error, and answers the id as X-Request-Id; an id a proxy sent is kept."""
    import http.client

    from conftest import server_log

    proc, port, _ = server
    ids = []
    for path, given in (("/en/index.json", None), ("/en/goal/99.html", "edge-7f3a")):
        con = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        con.request("GET", path, headers={"X-Request-Id": given} if given else {})
        response = con.getresponse()
        response.read()
        ids.append((response.status, response.getheader("x-request-id")))
        con.close()
    assert 200 == ids[0][0] and 12 == len(ids[0][1])  # 6 random bytes, in hex
    assert (404, "edge-7f3a") == ids[1]
    # The line is written once the response has gone out, so it may trail the answer a little.
    deadline = time.monotonic() + 20
    while True:
        lines = [json.loads(line) for line in server_log(proc).splitlines()
                 if line.startswith("{")]
        by_id = {line.get("request_id"): line for line in lines if line["message"] == "request"}
        if {ids[0][1], "edge-7f3a"} <= by_id.keys() or time.monotonic() > deadline:
            break
        time.sleep(0.1)
    first, second = by_id[ids[0][1]], by_id["edge-7f3a"]
    assert ("GET", "/en/index.json", 200) == (first["method"], first["path"], first["status"])
    assert (404, "info") == (second["status"], second["level"])
    assert first["ms"] > 0
