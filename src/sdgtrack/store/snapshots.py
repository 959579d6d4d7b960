"""One writer at a time, and readers that never wait: the embedded store's concurrency.

DuckDB lets one process open a database file for writing, and no other process open it at
all while it does (not even to read). So the store file itself is the writer's alone, and
readers read a **snapshot**:

- A writer takes the store's write lock (``STORE.lock``, an OS file lock, so it is released
  whatever way the process ends). A second writer waits its turn, saying whose turn it is
  (the lock file names the holder's command, process and start time), up to
  ``SDGTRACK_LOCK_WAIT`` seconds. A server that keeps accounts holds the lock while it runs:
  a command that would wait for it is told so at once, with how to write through the server.
- After each write that changes what readers see (a load, a rollback, evidence approved ...),
  the writer checkpoints the file and copies it, whole and consistent, into
  ``STORE.snapshots/`` under a new name, then points ``STORE.snapshots/current`` at it (a
  rename, so a reader sees the old pointer or the new, never half of one).
- A reader (every read-only command, and ``sdgtrack serve --read-only``) opens the current
  snapshot read-only; DuckDB lets any number of processes do that at once. A reader never
  sees a mixture: a snapshot is one committed state. A server checks the pointer and moves
  to a newer snapshot without a restart (``Store.refresh``).
- The two newest snapshots are kept besides the current one; an older one is removed once no
  newer reader could want it (a process that still has it open keeps reading it: on POSIX
  the file lives on until closed).
"""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from sdgtrack.errors import HeldByServer, StoreError

#: Snapshots kept besides the current one.
KEEP = 2
_held: dict[str, tuple[int, int]] = {}  # store path -> (lock fd, how many holds here)
_guard = threading.Lock()


def lock_path(store: Path) -> Path:
    return store.with_name(store.name + ".lock")


def snapshot_dir(store: Path) -> Path:
    return store.with_name(store.name + ".snapshots")


@dataclass(frozen=True)
class Pointer:
    file: Path
    signature: str


def current(store: Path) -> Pointer | None:
    """The current snapshot of ``store``, or None when none was published yet."""
    folder = snapshot_dir(store)
    try:
        got = json.loads((folder / "current").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    file = folder / str(got.get("file", ""))
    return Pointer(file, str(got.get("signature", ""))) if file.is_file() else None


def _holder(store: Path) -> str:
    """Who holds the write lock, in words, from the lock file's note."""
    try:
        note = json.loads(lock_path(store).read_text(encoding="utf-8") or "{}")
    except (OSError, ValueError):
        note = {}
    if not note:
        return "another sdgtrack process"
    return f"`{note.get('command', 'sdgtrack')}` (process {note.get('pid')}, since " \
           f"{note.get('since')} UTC)"


def _server(store: Path) -> str | None:
    """The address of the server holding the lock, if a server holds it ("" when unknown)."""
    try:
        note = json.loads(lock_path(store).read_text(encoding="utf-8") or "{}")
    except (OSError, ValueError):
        return None
    held = note.get("server")
    return None if held is None or held is False else str(held or "")


def acquire(store: Path, *, wait: float, server: str | None = None,
            say: Callable[[str], None] | None = None) -> None:
    """Take the write lock of ``store`` (re-entrant within a process), waiting up to ``wait``
    seconds for another writer; a server holding it (``server``: its address) is not waited
    for."""
    key = str(store.resolve())
    with _guard:
        if key in _held:
            fd, n = _held[key]
            _held[key] = (fd, n + 1)
            return
        path = lock_path(store)
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        deadline, told = time.monotonic() + wait, False
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                who, url = _holder(store), _server(store)
                if url is not None:
                    os.close(fd)
                    raise HeldByServer(
                        f"The store {store} is held by {who}, a server that keeps accounts and "
                        f"writes to the store itself{f' at {url}' if url else ''}. Load data "
                        "through it: set SDGTRACK_TOKEN to an API token (an administrator "
                        "issues one on /admin/users) and `sdgtrack ingest FILE` uploads the "
                        "file to it, or use its /submit page or POST /api/v1/submissions; or "
                        "stop it. Read commands work while it runs.", url or None) from None
                if time.monotonic() >= deadline:
                    os.close(fd)
                    raise StoreError(
                        f"The store {store} is still being written by {who} after {wait:.0f} "
                        "s. Wait for it to finish (SDGTRACK_LOCK_WAIT sets how long to wait), "
                        "or give another --db.") from None
                if not told and say is not None:
                    say(f"Waiting for {who} to finish writing to {store} …")
                    told = True
                time.sleep(0.2)
        note = {"pid": os.getpid(), "command": _command(), "server": server,
                "since": time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime())}
        os.ftruncate(fd, 0)
        os.pwrite(fd, json.dumps(note).encode(), 0)
        _held[key] = (fd, 1)


def release(store: Path) -> None:
    key = str(store.resolve())
    with _guard:
        if key not in _held:
            return
        fd, n = _held[key]
        if n > 1:
            _held[key] = (fd, n - 1)
            return
        del _held[key]
        os.ftruncate(fd, 0)
        fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)


def _command() -> str:
    """The holder's command in words: ``sdgtrack ingest``, ``sdgtrack serve``, ``python -c``."""
    first = sys.argv[0] if sys.argv else ""
    name = Path(first).name
    if first in ("-c", "-m", ""):
        return f"python {first}".strip()
    args = " ".join(sys.argv[1:2])
    return f"{'sdgtrack' if name in ('sdgtrack', '__main__.py') else name} {args}".strip()


def publish(con: object, store: Path, signature: str) -> Path:
    """Checkpoint ``store`` (its writer's connection ``con``, holding the write lock) and
    make a copy of it the current snapshot; returns the snapshot's path."""
    con.execute("CHECKPOINT")  # type: ignore[attr-defined]
    folder = snapshot_dir(store)
    folder.mkdir(exist_ok=True)
    name = f"{time.time_ns()}-{os.getpid()}.duckdb"
    partial = folder / f".{name}.partial"
    shutil.copyfile(store, partial)
    os.replace(partial, folder / name)
    pointer = folder / ".current.partial"
    pointer.write_text(json.dumps({"file": name, "signature": signature}), encoding="utf-8")
    os.replace(pointer, folder / "current")
    _prune(folder, keep=name)
    return folder / name


def _prune(folder: Path, keep: str) -> None:
    olds = sorted((p for p in folder.glob("*.duckdb") if p.name != keep),
                  key=lambda p: p.name, reverse=True)
    for old in olds[KEEP:]:
        for path in (old, old.with_name(old.name + ".wal")):
            try:
                path.unlink()
            except FileNotFoundError:
                pass
