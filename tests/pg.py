"""A real PostgreSQL server for the tests: a throwaway cluster (``initdb``) on a Unix socket,
started once per test process and removed after. ``scripts/test.sh`` installs Debian's
``postgresql`` where it is missing; without it these tests fail, they never skip. The
benches start one the same way (``throwaway``)."""

from __future__ import annotations

import glob
import itertools
import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest


@dataclass
class Cluster:
    socket: str
    port: int
    _names: Iterator[int]

    def url(self, database: str) -> str:
        return f"postgresql://postgres@/{database}?host={self.socket}&port={self.port}"

    def psql(self, sql: str, database: str = "postgres") -> str:
        return subprocess.run(
            ["psql", "-h", self.socket, "-p", str(self.port), "-U", "postgres", "-d", database,
             "-XAtqc", sql], check=True, capture_output=True, text=True).stdout.strip()

    def new_database(self, template: str | None = None) -> str:
        """A fresh, empty database (or a copy of ``template``); its URL."""
        return self.url(self.create(template))

    def create(self, template: str | None = None) -> str:
        """A fresh, empty database (or a copy of ``template``); its name."""
        name = f"t{next(self._names)}"
        self.psql(f"CREATE DATABASE {name}" + (f" TEMPLATE {template}" if template else ""))
        return name


def _bin(name: str) -> str:
    found = shutil.which(name) or next(iter(sorted(
        glob.glob(f"/usr/lib/postgresql/*/bin/{name}"), reverse=True)), None)
    if not found:
        raise RuntimeError(f"PostgreSQL's {name} is not installed: the PostgreSQL tests need "
                           "Debian's postgresql package (bash scripts/test.sh installs it).")
    return found


@pytest.fixture(scope="session")
def cluster() -> Iterator[Cluster]:
    with throwaway() as started:
        yield started


@contextmanager
def throwaway(*, fsync: bool = False) -> Iterator[Cluster]:
    """A new cluster, stopped and removed on leaving. The tests run it without fsync (their
    data are thrown away); a bench that times writes asks for it."""
    folder = tempfile.mkdtemp(prefix="sdgpg-")
    data = os.path.join(folder, "data")
    as_postgres: list[str] = []
    if os.geteuid() == 0:  # PostgreSQL will not run as root
        as_postgres = ["runuser", "-u", "postgres", "--"]
        shutil.chown(folder, "postgres")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = int(s.getsockname()[1])
    subprocess.run([*as_postgres, _bin("initdb"), "-D", data, "-A", "trust", "-U", "postgres",
                    "--no-sync", "-E", "UTF8"], check=True, capture_output=True)
    subprocess.run([*as_postgres, _bin("pg_ctl"), "-D", data, "-w", "-l",
                    os.path.join(folder, "log"), "-o",
                    f"-p {port} -k {folder} -c listen_addresses='' "
                    f"-c fsync={'on' if fsync else 'off'} -c max_connections=200", "start"],
                   check=True, capture_output=True)
    try:
        yield Cluster(folder, port, itertools.count(1))
    finally:
        subprocess.run([*as_postgres, _bin("pg_ctl"), "-D", data, "-m", "immediate", "stop"],
                       capture_output=True)
        shutil.rmtree(folder, ignore_errors=True)


def log(cluster: Cluster) -> str:
    return Path(cluster.socket, "log").read_text(errors="replace")
