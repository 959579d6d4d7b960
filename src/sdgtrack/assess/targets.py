"""National targets: a country's own 2030 target for an indicator or a series, used by the
assessment in place of the specification's (regional or SDG) target for that country, as
the ESCAP National SDG Tracker lets a country do.

The file is a CSV (UTF-8), one target a row:

=============  ==========================================================================
column         meaning
=============  ==========================================================================
area           the country (ISO3 ``KGZ`` or M49 ``417``); empty: every country assessed
indicator      an SDG indicator (``3.2.1``): the target holds for each of its series ...
series         ... or one series (``SH_DYN_MORT``, a national ``KGZ_3_2_1``); give one
target_value   the 2030 target, a number in the series' unit
direction      ``increase``, ``decrease`` or ``parity``; needed only for a series whose
               direction the specification does not know
source         where the target is set (a plan, a law, its page): shown with the target
=============  ==========================================================================

A series row wins over an indicator row for the same country. Every problem is reported at
once, by file, row and column (``load_targets`` raises a ``DataError`` listing them).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from sdgtrack import framework
from sdgtrack.assess.national import indicator_of
from sdgtrack.assess.spec import DIRECTIONS
from sdgtrack.errors import DataError, Issue, IssueCode, UsageError

COLUMNS = ("area", "indicator", "series", "target_value", "direction", "source")
REQUIRED = ("target_value", "source")
#: The columns ``load_targets`` returns.
TARGETS = ("ref_area", "indicator", "series_code", "target_value", "direction", "source",
           "file", "row")


def _read(path: Path) -> pd.DataFrame:
    try:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    except (OSError, pd.errors.ParserError, UnicodeDecodeError) as exc:
        raise DataError(f"{path}: cannot read the national targets ({exc}).") from exc
    frame.columns = [str(c).strip().lower() for c in frame.columns]
    missing = [c for c in REQUIRED if c not in frame.columns]
    if missing or not {"indicator", "series"} & set(frame.columns):
        need = missing or ["indicator or series"]
        raise DataError(f"{path}: the national targets lack column(s) {', '.join(need)}.", [
            Issue(path.name, 1, c, IssueCode.MISSING_COLUMN, None,
                  f"The national targets file has no {c!r} column.",
                  f"Use the columns {', '.join(COLUMNS)} (area and direction may be empty).")
            for c in need])
    for column in COLUMNS:
        if column not in frame.columns:
            frame[column] = ""
    return frame.apply(lambda s: s.str.strip())


def _area(code: str) -> str | None:
    if not code:
        return ""
    try:
        return framework.resolve_area(code)
    except UsageError:
        return None


def load_targets(path: Path) -> pd.DataFrame:
    """The targets of ``path`` as a table (``TARGETS``); ``area`` resolved to M49 (empty:
    any country), ``indicator`` filled from a national series code where it says it.

    >>> import tempfile
    >>> f = Path(tempfile.mkdtemp()) / "t.csv"
    >>> _ = f.write_text("area,indicator,series,target_value,source\\n"
    ...                  "KGZ,3.2.1,,20,Programme 2026\\n,,KAZ_4_1_2,95,Plan\\n")
    >>> load_targets(f)[["ref_area", "indicator", "series_code", "target_value"]].values.tolist()
    [['417', '3.2.1', '', 20.0], ['', '4.1.2', 'KAZ_4_1_2', 95.0]]
    """
    frame = _read(path)
    known = set(framework.table("indicators").to_pandas().indicator)
    issues, rows = [], []
    for k, r in enumerate(frame.to_dict("records"), start=2):
        def bad(column: str, code: IssueCode, message: str, hint: str, _r: dict[str, str] = r,
                _k: int = k) -> None:
            issues.append(Issue(path.name, _k, column, code, _r.get(column) or None,
                                message, hint))

        area = _area(r["area"])
        if area is None:
            bad("area", IssueCode.UNKNOWN_AREA, f"{r['area']!r} is not a country code.",
                "Give the country's ISO3 (KGZ) or M49 (417) code, or leave it empty.")
        if bool(r["indicator"]) == bool(r["series"]):
            bad("series" if r["series"] else "indicator", IssueCode.MISSING_REQUIRED_VALUE,
                "A target is for an indicator or for a series: give exactly one.",
                "Fill the indicator column (3.2.1) or the series column, not both.")
        elif r["indicator"] and r["indicator"] not in known:
            bad("indicator", IssueCode.UNKNOWN_INDICATOR,
                f"{r['indicator']!r} is not an SDG indicator.", "Write it as 3.2.1.")
        value = float(pd.to_numeric(r["target_value"], errors="coerce"))
        if pd.isna(value):
            bad("target_value", IssueCode.INVALID_NUMBER,
                f"{r['target_value']!r} is not a number.",
                "Write the 2030 target as a plain number in the series' unit (e.g. 20).")
        if r["direction"] and r["direction"] not in DIRECTIONS:
            bad("direction", IssueCode.UNMAPPED_CODE, f"{r['direction']!r} is not a direction.",
                f"Use one of {', '.join(DIRECTIONS)}, or leave it empty.")
        if not r["source"]:
            bad("source", IssueCode.MISSING_REQUIRED_VALUE, "The target has no source.",
                "Name the plan or law that sets it, so the pages can cite it.")
        rows.append({"ref_area": area or "", "indicator": r["indicator"] or (
                         indicator_of(r["series"]) or ""),
                     "series_code": r["series"], "target_value": value,
                     "direction": r["direction"], "source": r["source"],
                     "file": path.name, "row": k})
    if issues:
        raise DataError(f"The national targets have {len(issues)} problem(s); first: "
                        f"{issues[0]}", issues)
    return pd.DataFrame(rows, columns=list(TARGETS))


def for_units(targets: pd.DataFrame, subs: pd.DataFrame, countries: set[str]
              ) -> pd.DataFrame:
    """``(unit, sub_id, national_target, target_source)`` for each row of ``subs`` (unit,
    sub_id, series_code, indicator) of a country unit that a target names; a series row
    before an indicator row, a country's own row before an any-country row.

    >>> t = pd.DataFrame({"ref_area": ["", "417"], "indicator": ["3.2.1", "3.2.1"],
    ...                   "series_code": ["", "SH_DYN_MORT"], "target_value": [9.0, 8.0],
    ...                   "source": ["Plan", "Law"]})
    >>> s = pd.DataFrame({"unit": ["417", "417", "escap"], "sub_id": [0, 1, 0],
    ...                   "series_code": ["SH_DYN_MORT", "SH_DYN_IMRT", "SH_DYN_MORT"],
    ...                   "indicator": ["3.2.1"] * 3})
    >>> for_units(t, s, {"417"}).values.tolist()
    [['417', 0, 8.0, 'Law'], ['417', 1, 9.0, 'Plan']]
    """
    cols = ["unit", "sub_id", "national_target", "target_source"]
    mine = subs[subs.unit.isin(countries)][["unit", "sub_id", "series_code", "indicator"]]
    if targets.empty or mine.empty:
        return pd.DataFrame(columns=cols)
    t = targets.assign(is_own=targets.ref_area != "", is_series=targets.series_code != "")
    by_series = mine.merge(t[t.is_series], on="series_code", suffixes=("", "_t"))
    by_indicator = mine.merge(t[~t.is_series].drop(columns="series_code"), on="indicator")
    both = pd.concat([by_series, by_indicator], ignore_index=True)
    both = both[(both.ref_area == "") | (both.ref_area == both.unit)]
    both = both.sort_values(["is_series", "is_own"], ascending=False).drop_duplicates(
        ["unit", "sub_id"]).sort_values(["unit", "sub_id"])
    out = both.rename(columns={"target_value": "national_target", "source": "target_source"})
    return out[cols].reset_index(drop=True)
