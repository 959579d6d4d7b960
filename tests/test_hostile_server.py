"""Issue 21 with a real ``sdgtrack serve``: a provider's hostile uploads (10,000 copies of a
row, a gzip bomb, an xlsx bomb) are each refused with the one error shape, and the server's
peak resident memory (VmHWM) grows by less than ``GROWTH_BOUND`` over its peak before."""

from __future__ import annotations

import http.client
import json
import uuid

import hostile
import pytest
from test_submission_process import MiB, _status, server  # noqa: F401 - the fixture

import accounts

#: Before the fixes: the 5,000-copy CSV took the server from 373 MiB to 2.4 GiB, the gzip
#: bomb to 8.1 GiB (a 500), the xlsx bomb to 5.6 GiB (a 500 after 170 s).
GROWTH_BOUND = 256 * MiB
fast_hashing = accounts.fast_hashing


def _upload(port: int, token: str, path) -> tuple[int, dict]:
    boundary = uuid.uuid4().hex
    body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; "
            f"filename=\"{path.name}\"\r\nContent-Type: application/octet-stream\r\n\r\n"
            ).encode() + path.read_bytes() + f"\r\n--{boundary}--\r\n".encode()
    con = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
    con.request("POST", "/api/v1/submissions", body=body, headers={
        "Authorization": f"Bearer {token}",
        "Content-Type": f"multipart/form-data; boundary={boundary}"})
    response = con.getresponse()
    status, data = response.status, json.loads(response.read())
    con.close()
    return status, data


@pytest.mark.parametrize("make, status, code", [
    (hostile.copies, 201, None),  # copies of one row: one observation, warnings only
    (hostile.gzip_bomb, 422, "too_large"),
    (hostile.xlsx_bomb, 422, "too_large"),
])
def test_a_hostile_upload_is_refused_in_bounded_memory(server, tmp_path,  # noqa: F811
                                                       make, status, code):
    proc, port, token = server
    path = make(tmp_path)
    before = _status(proc.pid)
    got, body = _upload(port, token, path)
    after = _status(proc.pid)
    growth = after["VmHWM"] - before["VmHWM"]
    print(f"\n{path.name} ({path.stat().st_size / MiB:.1f} MiB): {got}; server VmHWM "
          f"{before['VmHWM'] / MiB:.0f} -> {after['VmHWM'] / MiB:.0f} MiB "
          f"(+{growth / MiB:.1f} MiB, bound {GROWTH_BOUND / MiB:.0f} MiB)")
    assert status == got, body
    if code is None:
        assert {"duplicate_row": 9_999} == body["counts"]  # 10,000 copies: 1 row stored
    else:
        assert code in {i["code"] for i in body["errors"]}
        assert "SDGTRACK_" in body["errors"][0]["message"]
    assert growth < GROWTH_BOUND
    assert proc.poll() is None  # still serving
