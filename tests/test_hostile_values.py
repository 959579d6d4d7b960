"""Issue 21, findings 1 and 4: one bad cell or one repeated row cannot poison the store or
take a process down. Duplicate detection is linear in rows (a real ``sdgtrack validate``
process, its peak memory measured), and a number a float cannot hold is refused."""

from __future__ import annotations

import csv
import subprocess
import sys
from pathlib import Path

from fastapi.testclient import TestClient

from sdgtrack import pipeline
from sdgtrack.errors import IssueCode
from sdgtrack.validate import checks
from sdgtrack.web.app import create_app

from accounts import data_file, header, rows

ROOT = Path(__file__).parent.parent
MiB = 1024 * 1024
#: Peak memory of ``sdgtrack validate`` on 10,000 copies of one row. The interpreter with
#: pyarrow, DuckDB and Ibis imported takes ~200 MiB; before the fix the window string_agg
#: took 5,000 copies to 2.4 GiB (10,000 past 6 GiB); after, 10,000 take ~260 MiB.
PEAK_BOUND = 512 * MiB


def _kz_row() -> str:
    return rows("398")[0]  # SH_DYN_MORT, Kazakhstan, 2015, 11.8, both sexes


#: Runs the CLI, then prints the process's own high-water mark (VmHWM). Not wait4's
#: ru_maxrss: that also counts the parent's pages at fork, which in a long test session
#: is gigabytes.
_CHILD = """
import atexit, sys
def hwm():
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM:"):
            sys.stderr.write("VmHWM " + line.split()[1] + "\\n")
atexit.register(hwm)
sys.argv = ["sdgtrack", *sys.argv[1:]]
from sdgtrack.cli import main
main()
"""


def peak_of(args: list[str]) -> tuple[int, int, str]:
    """Run the CLI in a child process: (its own peak resident memory in bytes, its exit
    code, its output)."""
    child = subprocess.run([sys.executable, "-c", _CHILD, *args], capture_output=True,
                           text=True, env={"PYTHONPATH": str(ROOT / "src"),
                                           "PATH": "/usr/bin:/bin",
                                           "SDGTRACK_CHART_CACHE": "off"})
    kib = [int(x.split()[1]) for x in child.stderr.splitlines() if x.startswith("VmHWM ")]
    assert kib, child.stderr
    return kib[-1] * 1024, child.returncode, child.stdout + child.stderr


def test_ten_thousand_copies_of_a_row_validate_in_bounded_memory(tmp_path):
    path = tmp_path / "copies.csv"
    path.write_text(header() + _kz_row() * 10_000, encoding="utf-8")
    peak, code, out = peak_of(["validate", str(path)])
    print(f"\nsdgtrack validate, 10,000 copies: peak RSS {peak / MiB:.0f} MiB")
    assert 0 == code, out  # copies of one row are warnings, not errors
    assert "9,999" in out  # every copy after the first is a duplicate_row
    assert peak < PEAK_BOUND


def test_conflicting_copies_name_a_few_rows_and_count_the_rest(store, tmp_path):
    line = _kz_row()
    other = line.replace(",11.8,", ",11.9,")
    path = data_file(tmp_path, "clash.csv", [line] * 6 + [other] * 4)  # lines 2-11
    result = pipeline.ingest_path(path, store)
    assert "rejected" == result.status
    dup = [i for i in result.issues if i.code is IssueCode.DUPLICATE_KEY]
    assert 10 == len(dup)  # every row of a conflicting key is an error
    # 10 rows, 5 named (lines 2-6), "and 5 more"
    shown = ", ".join(f"clash.csv row {n}" for n in range(2, 2 + checks.ROWS_NAMED))
    assert f"values in {shown} and 5 more." in dup[0].message


def test_a_number_beyond_float_range_is_refused_not_stored_as_infinity(store, tmp_path):
    kz = rows("398")
    bad = kz[0].replace(",11.8,", ",1e400,")
    path = data_file(tmp_path, "huge.csv", [bad, *kz[1:]])
    before = store.fingerprint()
    result = pipeline.ingest_path(path, store)
    assert "rejected" == result.status
    (issue,) = [i for i in result.issues if i.code is IssueCode.NON_NUMERIC_VALUE]
    assert (2, "Value", "1e400") == (issue.row, issue.column, issue.value)
    assert "too large" in issue.message
    assert before == store.fingerprint()
    kept = pipeline.ingest_path(path, store, skip_invalid=True)
    assert ("loaded", len(kz) - 1, 1) == (kept.status, kept.rows_loaded, kept.rows_rejected)
    (count,) = store.con.execute(
        "SELECT count(*) FROM observations WHERE isinf(value)").fetchone()
    assert 0 == count
    api = TestClient(create_app(store)).get(
        "/api/v1/observations", params={"series": "SH_DYN_MORT", "area": "398"})
    assert 200 == api.status_code  # was 500: "Out of range float values are not JSON"


def test_huge_bounds_are_invalid_numbers(store, tmp_path):
    lines = [header().rstrip("\n") + ",UpperBound\n", _kz_row().rstrip("\n") + ",-1e999\n"]
    path = tmp_path / "bound.csv"
    path.write_text("".join(lines), encoding="utf-8")
    result = pipeline.ingest_path(path, store)
    assert IssueCode.INVALID_NUMBER in {i.code for i in result.issues}
    assert [r for r in csv.reader(lines)][1][-1] == "-1e999"
