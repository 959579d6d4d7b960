"""Shared by the access-control tests: accounts of every role and small real data files
(rows of the UN extract specimen, tests/specimens/unsd)."""

from __future__ import annotations

import csv
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from argon2 import PasswordHasher
from fastapi.testclient import TestClient

from sdgtrack import auth, pipeline
from sdgtrack.auth import Role
from sdgtrack.store import Store
from sdgtrack.submission import evidence, uploads
from sdgtrack.web.app import create_app
from sdgtrack.web.guard import SESSION_COOKIE

from conftest import SPECIMENS

G3 = SPECIMENS / "unsd" / "sdg_goal03_escap_specimen.csv"
PASSWORD = "correct horse battery"
#: name -> (role, areas, organisation)
ACCOUNTS = {
    "admin": (Role.ADMIN, [], "ESCAP Statistics Division"),
    "kz-nso": (Role.PROVIDER, ["KAZ"], "Bureau of National Statistics, Kazakhstan"),
    "np-cbs": (Role.PROVIDER, ["NPL"], "National Statistics Office, Nepal"),
    "csos": (Role.CONTRIBUTOR, [], "Asia Pacific CSO forum"),
    "csos2": (Role.CONTRIBUTOR, [], "A university"),
}


@pytest.fixture
def fast_hashing(monkeypatch):
    """argon2id with the least work (the defaults take ~0.3 s a hash here): the tests check
    who may do what, not the cost of guessing; test_accounts checks the real parameters."""
    cheap = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
    monkeypatch.setattr("sdgtrack.auth.passwords._hasher", lambda: cheap)


def add_accounts(store) -> dict[str, auth.User]:
    return {name: auth.add_user(store, name, role, PASSWORD, areas, org)
            for name, (role, areas, org) in ACCOUNTS.items()}


def rows(area: str | None = None) -> list[str]:
    """Data lines of the specimen (header excluded), of one area (M49) or all."""
    lines = G3.read_text(encoding="utf-8").splitlines(keepends=True)[1:]
    return [line for line in lines if area is None or next(csv.reader([line]))[5] == area]


def header() -> str:
    return G3.read_text(encoding="utf-8").splitlines(keepends=True)[0]


def data_file(folder: Path, name: str, lines: list[str]) -> Path:
    path = folder / name
    path.write_text(header() + "".join(lines), encoding="utf-8")
    return path


@dataclass
class World:
    store: Store
    app: Any
    folder: Path
    users: dict[str, auth.User]
    tokens: dict[str, str] = field(default_factory=dict)
    sessions: dict[str, auth.Session] = field(default_factory=dict)
    ids: dict[str, int] = field(default_factory=dict)

    def client(self, role: str, https: bool = False) -> TestClient:
        client = TestClient(self.app, base_url="https://testserver" if https
                            else "http://testserver", follow_redirects=False)
        if role in self.sessions:
            client.cookies.set(SESSION_COOKIE, self.sessions[role].secret)
        return client

    def csrf(self, role: str) -> str:
        return self.sessions[role].csrf if role in self.sessions else ""

    def bearer(self, role: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.tokens[role]}"} if role in self.tokens else {}


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    """A store with the UN figures for Kazakhstan and Nepal (load 1), an account of every
    role with an API token and a session, a submission of kz-nso ready to be confirmed and a
    pending contribution of csos; built once, copied for each test."""
    folder = tmp_path_factory.mktemp("template")
    users, tokens, sessions, ids = populate(folder / "s.duckdb", folder)
    yield folder, users, tokens, sessions, ids
    shutil.rmtree(folder, ignore_errors=True)


def populate(where, folder: Path):  # noqa: ANN001 - a file, or a PostgreSQL URL
    """Build the accounts world in the store at ``where`` (its upload kept in ``folder``)."""
    saved = auth.passwords._hasher
    auth.passwords._hasher = lambda: PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
    try:
        with Store(where) as store:
            with store.provenance("admin", G3.name):
                pipeline.ingest_path(G3, store, dataset="unsd")
            users = add_accounts(store)
            tokens = {n: auth.issue_token(store, u, "tests")[1] for n, u in users.items()}
            sessions = {n: auth.start_session(store, u, hours=1) for n, u in users.items()}
            kz = data_file(folder, "kz.csv", rows("398"))
            with kz.open("rb") as f:
                checked = uploads.check(store, users["kz-nso"], f, "kz.csv", limit=10**6)
            ids = {"submission": uploads.record(store, users["kz-nso"], checked).submission_id,
                   "load": 1,
                   "token": auth.tokens_of(store, users["np-cbs"])[0]["token_id"]}
            ids["evidence"] = evidence.submit(store, users["csos"], evidence.Contribution(
                "3.2.1", "NPL", "People's scorecard: child health", "Scores from 12 districts",
                "62% satisfied", 2023))["evidence_id"]
    finally:
        auth.passwords._hasher = saved
    return users, tokens, sessions, ids


@pytest.fixture(scope="session")
def pg_template(cluster, tmp_path_factory):
    """``template``'s world in a PostgreSQL database, copied (``CREATE DATABASE ...
    TEMPLATE``) for each test."""
    folder = tmp_path_factory.mktemp("pgtemplate")
    name = cluster.create()  # each module that binds the fixture has one of its own
    return (name, folder, *populate(cluster.url(name), folder))


@pytest.fixture
def world(request, tmp_path, fast_hashing, monkeypatch):
    """The accounts world, a copy for this test: on DuckDB, or on PostgreSQL in a module
    marked ``both_backends`` (conftest.py)."""
    monkeypatch.setenv("SDGTRACK_UPLOAD_DIR", str(tmp_path / "uploads"))
    if getattr(request, "param", "duckdb") == "postgres":
        name, folder, users, tokens, sessions, ids = request.getfixturevalue("pg_template")
        store = Store(request.getfixturevalue("cluster").new_database(template=name))
    else:
        folder, users, tokens, sessions, ids = request.getfixturevalue("template")
        shutil.copy(folder / "s.duckdb", tmp_path / "s.duckdb")
        store = Store(tmp_path / "s.duckdb")
    w = World(store, create_app(store), tmp_path, users, dict(tokens), dict(sessions),
              dict(ids))
    yield w
    store.close()
