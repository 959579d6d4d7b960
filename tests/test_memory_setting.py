"""Issue 21: the memory DuckDB may use is a setting, by default a quarter of the machine's,
given to every store connection (and to validation's own connections)."""

from __future__ import annotations

import os

from sdgtrack import settings
from sdgtrack.store import Store

MiB = 1024 * 1024


def _limit(store: Store) -> str:
    return str(store.con.execute("SELECT current_setting('memory_limit')").fetchone()[0])


def _mib(shown: str) -> float:
    value, unit = shown.split()
    return float(value) * {"GiB": 1024, "MiB": 1}[unit]


def test_default_is_a_quarter_of_the_machine(tmp_path, monkeypatch):
    monkeypatch.delenv("SDGTRACK_MEMORY_LIMIT", raising=False)
    total = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    expected = max(total // 4, 256 * MiB) // MiB  # a quarter, in MiB
    assert f"{expected}MiB" == settings.memory_limit()
    with Store(tmp_path / "s.duckdb") as store:
        got = _mib(_limit(store))  # DuckDB shows it rounded: '5.8 GiB'
    assert abs(got - expected) < 0.05 * expected


def test_the_setting_reaches_the_store(tmp_path, monkeypatch):
    monkeypatch.setenv("SDGTRACK_MEMORY_LIMIT", "300MiB")
    with Store(tmp_path / "s.duckdb") as store:
        assert 300 == round(_mib(_limit(store)))
