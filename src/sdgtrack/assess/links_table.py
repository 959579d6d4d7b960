"""A link table of the user's (target, target, score), as the SEI SDG Synergies matrix (the
Nilsson scale, -3 to +3) or the IGES SDG Interlinkages tool (+1 / -1) give links between
targets, shown against what the data say. No openly licensed table is bundled: neither tool
publishes one for reuse [V, ``../shared/METHODS.md`` §9.3].

The data side of a link: every pair of series between the two targets (the target each
series is assessed under in the specification), and the class most of them have.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from sdgtrack.assess.links_goals import dominant
from sdgtrack.errors import DataError, Issue, IssueCode

COLUMNS = ("target_a", "target_b", "score")


def read_link_table(path: Path, targets: set[str]) -> pd.DataFrame:
    """The table, checked: its three columns, a number in every score, known targets; every
    problem reported at once (a DataError lists them)."""
    try:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    except (OSError, pd.errors.ParserError, UnicodeDecodeError) as exc:
        raise DataError(f"{path}: cannot read the link table ({exc}).") from exc
    missing = [c for c in COLUMNS if c not in frame.columns]
    if missing:
        raise DataError(f"{path}: the link table lacks column(s) {', '.join(missing)}; it "
                        "needs target_a,target_b,score (e.g. 6.1,3.3,2).", [
                            Issue(path.name, 1, c, IssueCode.MISSING_COLUMN, None,
                                  f"No {c!r} column.", "Name the columns target_a,target_b,"
                                  "score.") for c in missing])
    issues = []
    score = pd.to_numeric(frame.score.str.strip(), errors="coerce")
    for i, r in frame.iterrows():
        row = int(str(i)) + 2
        if np.isnan(score[i]):
            issues.append(Issue(path.name, row, "score", IssueCode.INVALID_NUMBER, r.score,
                                f"{r.score!r} is not a number.",
                                "Write the link's score as a number: -3 to 3 (SEI) or -1, 1 "
                                "(IGES)."))
        for col in ("target_a", "target_b"):
            if r[col].strip() not in targets:
                issues.append(Issue(path.name, row, col, IssueCode.UNKNOWN_INDICATOR, r[col],
                                    f"{r[col]!r} is not an SDG target.",
                                    "Write a target as goal.target, e.g. 6.1 or 17.a."))
    if issues:
        raise DataError(f"The link table {path} has {len(issues)} problem(s); first: "
                        f"{issues[0]}", issues)
    return pd.DataFrame({"target_a": frame.target_a.str.strip(),
                         "target_b": frame.target_b.str.strip(), "score": score})


def compare_links(table: pd.DataFrame, pairs: pd.DataFrame, subs: pd.DataFrame
                  ) -> pd.DataFrame:
    """Each link of ``table`` with the data's pairs between its two targets (``pairs`` from
    ``links.indicator_pairs``; ``subs`` gives each sub-indicator's ``target``): the counts,
    the class most pairs have and whether the data agree with the link's sign.

    >>> subs = pd.DataFrame({"sub_id": [0, 1, 2], "target": ["6.1", "3.3", "3.3"]})
    >>> pairs = pd.DataFrame({"sub_a": [0, 0], "sub_b": [1, 2],
    ...                       "class": ["synergy", "synergy"]})
    >>> table = pd.DataFrame({"target_a": ["3.3", "6.1"], "target_b": ["6.1", "7.1"],
    ...                       "score": [2.0, -1.0]})
    >>> compare_links(table, pairs, subs)[["synergy", "data_say", "agreement"]].values.tolist()
    [[2, 'synergy', 'agrees'], [0, 'insufficient_data', 'not enough data']]
    """
    target = subs.set_index("sub_id").target
    p = pairs.assign(t1=target.reindex(pairs.sub_a).to_numpy(),
                     t2=target.reindex(pairs.sub_b).to_numpy())
    lo, hi = np.minimum(p.t1.astype(str), p.t2.astype(str)), np.maximum(
        p.t1.astype(str), p.t2.astype(str))
    counts = pd.crosstab([lo.rename("lo"), hi.rename("hi")], p["class"]) if len(p) else (
        pd.DataFrame(columns=["lo", "hi"]).set_index(["lo", "hi"]))
    classes = ["synergy", "trade_off", "not_classified", "insufficient_data"]
    counts = counts.reindex(columns=classes, fill_value=0)
    key = pd.MultiIndex.from_arrays([np.minimum(table.target_a, table.target_b),
                                     np.maximum(table.target_a, table.target_b)])
    got = counts.reindex(key, fill_value=0).reset_index(drop=True).astype(int)
    out = pd.concat([table.reset_index(drop=True), got], axis=1)
    out["data_say"] = dominant(out)
    sign = np.sign(out.score)
    out["agreement"] = np.select(
        [out.data_say == "insufficient_data", sign == 0,
         ((sign > 0) & (out.data_say == "synergy")) | ((sign < 0) & (out.data_say == "trade_off")),
         ((sign > 0) & (out.data_say == "trade_off")) | ((sign < 0) & (out.data_say == "synergy"))],
        ["not enough data", "the table gives no link", "agrees", "disagrees"],
        "no significant co-movement").astype(object)
    return out
