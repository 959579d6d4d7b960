"""Issue 20: a big upload is validated a part at a time (``submission/parts.py``) and finds
exactly what validating it whole finds: the same issues on the same rows of the file, the
same counts, the same areas, across the parts' borders too."""

from __future__ import annotations

import pytest

from sdgtrack.store import Store
from sdgtrack.submission import parts, uploads

import accounts
from accounts import add_accounts, header

fast_hashing = accounts.fast_hashing
LINE = ("3,3.2,3.2.1,SH_DYN_MORT,Under-five mortality rate,{area},Kazakhstan,{year},{value},"
        "E,PER_1000_LIVE_BIRTHS,<5Y,,,,{sex},,\n")


def _lines(n: int) -> list[str]:
    out = [LINE.format(area="398", year=1990 + k % 30, value=f"{10 + k % 7}.5",
                       sex=f"S{k // 30}") for k in range(n)]
    out[5] = LINE.format(area="398", year=1990, value="12.5", sex="S0")  # row 7 = row 2, 10.5
    out[2500] = out[40]  # a repeat of row 42, in another part (same value: a warning)
    if n < 5000:
        return out
    out[3001] = out[3001].replace(",15.5,", ",n/a,")  # not a number
    out[4000] = LINE.format(area="524", year=2000, value="1.0", sex="X")  # Nepal: not theirs
    out[4500] = out[4500].replace("PER_1000_LIVE_BIRTHS", "PERCENT")  # another unit
    return out


@pytest.fixture
def world(tmp_path, fast_hashing, monkeypatch):
    monkeypatch.setenv("SDGTRACK_UPLOAD_DIR", str(tmp_path / "uploads"))
    with Store(tmp_path / "s.duckdb") as store:
        yield store, add_accounts(store)["kz-nso"]


def _check(store, user, path, *, split: bool, monkeypatch) -> uploads.Checked:
    monkeypatch.setattr(parts, "PART_BYTES", 64 * 1024 if split else 10**12)
    with path.open("rb") as f:
        return uploads.check(store, user, f, path.name)


def test_parts_find_what_the_whole_file_finds(world, tmp_path, monkeypatch):
    store, kz = world
    path = tmp_path / "kz.csv"
    path.write_text(header() + "".join(_lines(5000)), encoding="utf-8")
    assert path.stat().st_size > 8 * 64 * 1024  # eight parts and more
    whole = _check(store, kz, path, split=False, monkeypatch=monkeypatch)
    cut = _check(store, kz, path, split=True, monkeypatch=monkeypatch)
    expected = {"area_outside_scope": 1, "duplicate_key": 2, "duplicate_row": 1,
                "non_numeric_value": 1, "unit_conflict": 1}
    assert expected == whole.found.counts  # worked out by hand from _lines
    assert expected == cut.found.counts  # the same, part by part
    shown = [sorted((i.row or 0, i.column, i.code.value, i.value) for i in c.found.issues)
             for c in (whole, cut)]
    assert shown[0] == shown[1]
    assert (3003, "Value", "non_numeric_value", "n/a") in shown[1]  # row 3001 + 2
    assert (4002, "ref_area", "area_outside_scope", "524") in shown[1]
    assert {7, 2} == {i.row for i in cut.found.issues if i.code.value == "duplicate_key"}
    assert ["398", "524"] == whole.found.areas == cut.found.areas
    assert whole.rejected and cut.rejected


def test_a_quoted_line_break_is_never_a_border(world, tmp_path, monkeypatch):
    """Footnotes with line breaks inside quotes, on every tenth row: no part ends inside
    one, so no row is malformed."""
    store, kz = world
    lines = _lines(3000)
    lines = [line.replace(",,\n", ',,"a footnote\non two lines, and ""quoted"""\n')
             if k % 10 == 0 else line for k, line in enumerate(lines)]
    lines[5] = lines[6]  # no conflict this time
    lines[2500] = lines[2501]
    path = tmp_path / "notes.csv"
    path.write_text(header().replace(",[Type Of Occupation]\n", ",FootNote\n") +
                    "".join(lines), encoding="utf-8")
    cut = _check(store, kz, path, split=True, monkeypatch=monkeypatch)
    assert "malformed_row" not in cut.found.counts
    assert 2 == cut.found.counts.get("duplicate_row")  # lines[5] and lines[2500]


def test_a_quote_left_open_stops_the_cutting(world, tmp_path, monkeypatch):
    store, kz = world
    monkeypatch.setattr(parts, "RECORD_MAX", 256 * 1024)
    lines = _lines(5000)
    lines[100] = lines[100].replace("Under-five", '"Under-five')  # never closed
    path = tmp_path / "open.csv"
    path.write_text(header() + "".join(lines), encoding="utf-8")
    cut = _check(store, kz, path, split=True, monkeypatch=monkeypatch)
    assert cut.rejected
    problem = [i for i in cut.found.issues if i.code.value == "malformed_row"]
    assert problem and "quote is left open" in problem[-1].message
