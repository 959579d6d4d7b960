"""The assessment specification: which series are assessed, which way is better, and the
2030 target of each (``data/escap_spec.csv``, documented in ``data/ESCAP_SPEC.md``). A user
can override or add rows with a file of the same columns (a national statistics office sets
national targets): rows match on (series_code, selection)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import pandas as pd

from sdgtrack import framework
from sdgtrack.errors import DataError, Issue, IssueCode
from sdgtrack.framework.successors import newest_present
from sdgtrack.model import DIMENSION_NAMES

COLUMNS = ("series_code", "selection", "indicator", "target", "goal", "direction",
           "target_rule", "target_value", "target_factor", "citation", "note")
#: Columns a user's file may leave out: ``also_indicators``, the other indicators a row's
#: series counts for, separated by ``;`` (disaster deaths: row under 11.5.1, also 1.5.1 and
#: 13.1.1). A series counts for its own row's indicator only, unless this says otherwise.
#: ``stand_in``: ``yes`` on a row that counts for its indicator only in a unit where no other
#: row of that indicator is assessed, labelled a stand-in there (CO2 from fuel combustion for
#: 13.2.2's greenhouse-gas totals).
OPTIONAL = ("also_indicators", "stand_in")
DIRECTIONS = ("increase", "decrease", "parity")
RULES = ("value", "relative", "best_performers", "exclude")
SPEC_VERSION = "3"


def default_spec_path() -> Path:
    return Path(str(resources.files("sdgtrack.assess") / "data" / "escap_spec.csv"))


def _read(path: Path) -> pd.DataFrame:
    try:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    except (OSError, pd.errors.ParserError, UnicodeDecodeError) as exc:
        raise DataError(f"{path}: cannot read the specification ({exc}).") from exc
    missing = [c for c in COLUMNS if c not in frame.columns]
    if missing:
        raise DataError(f"{path}: the specification lacks column(s) {', '.join(missing)}.", [
            Issue(path.name, 1, c, IssueCode.MISSING_COLUMN, None,
                  f"The specification has no {c!r} column.",
                  f"Use the columns of the shipped file: {', '.join(COLUMNS)}.")
            for c in missing])
    for column in OPTIONAL:
        if column not in frame.columns:
            frame[column] = ""
    frame["source"] = path.name
    frame["row"] = range(2, len(frame) + 2)
    return frame


@cache
def _indicator_codes() -> frozenset[str]:
    return frozenset(framework.table("indicators").to_pandas().indicator)


def _problems(frame: pd.DataFrame) -> list[Issue]:
    issues = []

    def bad(r: pd.Series, column: str, message: str, hint: str) -> None:
        issues.append(Issue(r.source, int(r.row), column, IssueCode.INVALID_NUMBER
                            if column.startswith("target_") else IssueCode.UNMAPPED_CODE,
                            str(r[column]), message, hint))

    for _, r in frame.iterrows():
        if r.target_rule not in RULES:
            bad(r, "target_rule", f"{r.target_rule!r} is not a target rule.",
                f"Use one of {', '.join(RULES)}.")
            continue
        if r.target_rule == "exclude":
            continue
        if r.direction not in DIRECTIONS:
            bad(r, "direction", f"{r.direction!r} is not a direction.",
                f"Use one of {', '.join(DIRECTIONS)}.")
        number = {"value": "target_value", "relative": "target_factor"}.get(r.target_rule)
        if number and pd.to_numeric(pd.Series([r[number]]), errors="coerce").isna().all():
            bad(r, number, f"The {r.target_rule!r} rule needs a number in {number}.",
                "Write the target as a plain number (e.g. 25, or 0.5 to halve).")
        _lists(r, bad)
    return issues


def _lists(r: pd.Series, bad: Any) -> None:
    """The ``;`` lists of a row: indicators in ``also_indicators``, pairs in ``selection``."""
    known = _indicator_codes()
    if r.stand_in not in ("", "yes"):
        bad(r, "stand_in", f"{r.stand_in!r} is not yes or empty.",
            "Write yes on a row that stands in for its indicator's own series, else nothing.")
    for code in filter(None, (c.strip() for c in r.also_indicators.split(";"))):
        if code not in known:
            bad(r, "also_indicators", f"{code!r} is not an SDG indicator.",
                "Give indicator codes such as 13.1.1, separated by ';'.")
    for part in filter(None, r.selection.split(";")):
        dim = part.split("=")[0].strip()
        if dim not in DIMENSION_NAMES or "=" not in part:
            bad(r, "selection", f"{part!r} is not dimension=code.",
                f"Use e.g. sex=F; the dimensions are {', '.join(DIMENSION_NAMES)}.")


def follow_successors(spec: pd.DataFrame, present: set[str],
                      successors: Mapping[str, Sequence[str]]) -> pd.DataFrame:
    """The specification for the series the data have: a row whose series code the data
    lack is moved to its successor in a newer edition of the SDG code lists (``successors``:
    old code -> new codes, renamed, replaced, split or merged), following the chain to the
    newest code the data have. A split gives one row per successor present. The row's
    direction and 2030 target carry over (they belong to the indicator), and
    ``spec_series_code`` keeps the code the specification names. Rows whose code and
    successors are all absent stay as they are (they assess nothing).

    >>> spec = pd.DataFrame({"series_code": ["SH_STA_STUNT", "SI_POV_DAY1", "SG_X"],
    ...                      "selection": ["", "", ""]})
    >>> succ = {"SH_STA_STUNT": ["SH_STA_STNT"], "SG_X": ["SG_X_P", "SG_X_R"]}
    >>> data = {"SH_STA_STNT", "SI_POV_DAY1", "SG_X_P", "SG_X_R"}
    >>> out = follow_successors(spec, data, succ)
    >>> list(zip(out.spec_series_code, out.series_code, out.sub_id))
    [('SG_X', 'SG_X_P', 0), ('SG_X', 'SG_X_R', 1), ('SH_STA_STUNT', 'SH_STA_STNT', 2), \
('SI_POV_DAY1', 'SI_POV_DAY1', 3)]

    A row that already names a successor is kept once: duplicate (series, selection) pairs
    are dropped, the row naming the code itself first.
    """
    picks = [(i, c) for i, code in spec.series_code.items()
             for c in newest_present(code, present, successors) or [code]]
    out = spec.loc[[i for i, _ in picks]].drop(columns="sub_id", errors="ignore")
    out = out.assign(spec_series_code=out.series_code.to_numpy(),
                     series_code=[c for _, c in picks])  # keeps every column's dtype
    own = out.series_code == out.spec_series_code
    out = (out.assign(_own=~own).sort_values(["series_code", "selection", "_own"])
           .drop_duplicates(["series_code", "selection"]).drop(columns="_own")
           .sort_values(["series_code", "selection", "spec_series_code"])
           .reset_index(drop=True))
    out["sub_id"] = range(len(out))
    return out


def load_spec(override: Path | None = None, base: Path | None = None) -> pd.DataFrame:
    """The shipped specification (or ``base``) with the user's rows applied on top; every
    problem is reported at once (a DataError lists them); excluded rows are dropped."""
    frame = _read(base or default_spec_path())
    if override is not None:
        user = _read(override)
        keys = ["series_code", "selection"]
        frame = pd.concat([frame.merge(user[keys], on=keys, how="left", indicator=True)
                           .query("_merge == 'left_only'").drop(columns="_merge"), user])
    issues = _problems(frame)
    if issues:
        raise DataError(f"The assessment specification has {len(issues)} problem(s); first: "
                        f"{issues[0]}", issues)
    frame = frame[frame.target_rule != "exclude"].copy()
    frame["target_value"] = pd.to_numeric(frame.target_value, errors="coerce")
    frame["target_factor"] = pd.to_numeric(frame.target_factor, errors="coerce")
    frame = frame.sort_values(["series_code", "selection"]).reset_index(drop=True)
    frame["sub_id"] = range(len(frame))
    for dim in DIMENSION_NAMES:
        frame[f"sel_{dim}"] = None
    for i, sel in frame.selection.items():
        for part in filter(None, sel.split(";")):
            dim, code = (x.strip() for x in part.split("=", 1))
            frame.at[i, f"sel_{dim}"] = code
    return frame
