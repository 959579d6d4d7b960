"""``sdgtrack ingest`` and ``rollback`` through the server that holds the store: while a
server with accounts runs on a DuckDB file, it is the store's only writer
(``store/snapshots.py``), so a load from the command line goes to it as an upload (``POST
/api/v1/submissions``, then ``.../confirm``) with the API token in ``SDGTRACK_TOKEN``, and a
rollback as ``POST /api/v1/loads/ID/rollback``. The file is checked by the server, row by
row, and loaded atomically there, in the audit trail under the token's account."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
import uuid
from pathlib import Path
from typing import Any

from sdgtrack.errors import DataError, UsageError


def _multipart(path: Path, dataset: str | None) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    parts = []
    if dataset:
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="dataset"\r\n\r\n'
                     f"{dataset}\r\n".encode())
    parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename='
                 f'"{path.name}"\r\nContent-Type: application/octet-stream\r\n\r\n'.encode())
    parts.append(path.read_bytes())
    parts.append(f"\r\n--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def _call(url: str, token: str, body: bytes = b"", kind: str | None = None
          ) -> tuple[int, dict[str, Any]]:
    headers = {"Authorization": f"Bearer {token}", "Accept": "application/json"}
    if kind:
        headers["Content-Type"] = kind
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=600) as answer:  # noqa: S310 - our server
            return answer.status, json.loads(answer.read() or b"{}")
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read() or b"{}")
    except (urllib.error.URLError, OSError) as exc:
        raise UsageError(f"Cannot reach the server at {url}: {exc}. Is it still running?"
                         ) from None


def submit(server: str, token: str, paths: list[Path], dataset: str | None
           ) -> list[dict[str, Any]]:
    """Upload and confirm each file at ``server``; the confirmed submissions, in order. A
    file the server refuses raises ``DataError`` with its message and problems."""
    files = [p for p in paths if p.is_file()]
    if len(files) != len(paths):
        raise UsageError("Through a server, give files, not folders: a repository is loaded "
                         "with the server stopped, or file by file.")
    done = []
    for path in files:
        body, kind = _multipart(path, dataset)
        status, got = _call(f"{server.rstrip('/')}/api/v1/submissions", token, body, kind)
        if status != 201:
            raise DataError(f"{path}: the server refused it ({status}): "
                            f"{got.get('error', got)}", [])
        status, loaded = _call(f"{server.rstrip('/')}/api/v1/submissions/"
                               f"{got['submission_id']}/confirm", token)
        if status != 200:
            raise DataError(f"{path}: the server did not load it ({status}): "
                            f"{loaded.get('error', loaded)}", [])
        done.append(loaded)
    return done


def rollback(server: str, token: str, load_id: int) -> dict[str, Any]:
    """Roll ``load_id`` back at ``server`` (the token must be an administrator's)."""
    status, done = _call(f"{server.rstrip('/')}/api/v1/loads/{load_id}/rollback", token)
    if status != 200:
        raise DataError(f"load {load_id}: the server did not roll it back ({status}): "
                        f"{done.get('error', done)}", [])
    return done
