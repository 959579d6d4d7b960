"""Shared by the access-control tests: accounts of every role and small real data files
(rows of the UN extract specimen, tests/specimens/unsd)."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from argon2 import PasswordHasher

from sdgtrack import auth
from sdgtrack.auth import Role

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
