"""Issue 20: validating an upload streams it. A real ``sdgtrack serve`` receives two valid
UN-CSV files, of 5 and 50 MiB (generated here), and its peak resident memory (VmHWM) grows
about as much for the big one as for the small one: the file is written to disk in chunks and
validated a part at a time (``submission/parts.py``), never read whole. About 20 s."""

from __future__ import annotations

from pathlib import Path

from test_hostile_server import _upload
from test_submission_process import MiB, _status, server  # noqa: F401 - the fixture

import accounts

fast_hashing = accounts.fast_hashing
HEADER = ("Goal,Target,Indicator,SeriesCode,SeriesDescription,GeoAreaCode,GeoAreaName,"
          "TimePeriod,Value,Nature,Units,[Age],[Sex],[Survey]\n")
#: Peak growth of the server (VmHWM over its peak before the first upload; 2 shared cores):
#: - before, the file read and validated whole: 5 MiB +92 MiB, 50 MiB +328 MiB;
#: - after, parts of 2 MiB: 5 MiB +108 MiB, 50 MiB +134 MiB (the rest is the allocator's
#:   arenas settling over the first parts, and DuckDB's 64 MiB for the checks across rows;
#:   in one process, 95 MiB of rows take +69 MiB where 50 MiB take +48).
SLACK = 48 * MiB


def _valid_csv(path: Path, size: int) -> Path:
    """Distinct rows of Kazakhstan's under-five mortality (one survey code per 24 years)
    until the file has ``size`` bytes."""
    with path.open("w", encoding="utf-8") as f:
        f.write(HEADER)
        written, survey = len(HEADER), 0
        while written < size:
            survey += 1
            block = "".join(
                f"3,3.2,3.2.1,SH_DYN_MORT,Under-five mortality rate,398,Kazakhstan,{year},"
                f"{10 + (survey * 7 + year) % 90 / 10:.1f},E,PER_1000_LIVE_BIRTHS,<5Y,BOTHSEX,"
                f"S{survey}\n" for year in range(2000, 2024))
            f.write(block)
            written += len(block)
    return path


def test_peak_memory_does_not_grow_with_the_size_of_a_valid_upload(server, tmp_path):  # noqa: F811
    proc, port, token = server
    small = _valid_csv(tmp_path / "small.csv", 5 * MiB)
    big = _valid_csv(tmp_path / "big.csv", 50 * MiB)
    start = _status(proc.pid)["VmHWM"]
    growth = {}
    for path in (small, big):
        status, body = _upload(port, token, path)
        assert 201 == status, body  # valid: ready to be confirmed
        assert {} == body["counts"]  # not one problem
        assert path.stat().st_size == body["size_bytes"]
        growth[path.name] = _status(proc.pid)["VmHWM"] - start
    print(f"\nserver VmHWM {start / MiB:.0f} MiB; growth: 5 MiB upload "
          f"+{growth['small.csv'] / MiB:.0f} MiB, 50 MiB upload +{growth['big.csv'] / MiB:.0f} "
          "MiB")
    assert growth["big.csv"] < 1.5 * growth["small.csv"] + SLACK
    assert proc.poll() is None  # still serving
