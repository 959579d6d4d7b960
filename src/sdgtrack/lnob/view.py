"""Gap tables as a person reads them in a terminal: each area's name beside its M49 code,
and the rows in the order that answers "who is furthest behind": the largest gap first."""

from __future__ import annotations

import pandas as pd

from sdgtrack import framework


def readable(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with ``area_name`` after ``ref_area``, sorted by the size of the gap
    (|1 - ratio|, largest first) where there is a ratio, else by area name. M49 codes sorted
    as text put 36 after 360; names and gaps are what a reader looks for.

    >>> f = pd.DataFrame({"ref_area": ["36", "360", "104"], "ratio": [0.9, 2.0, 1.2]})
    >>> readable(f).values.tolist()
    [['360', 'Indonesia', 2.0], ['104', 'Myanmar', 1.2], ['36', 'Australia', 0.9]]
    """
    if "ref_area" not in frame.columns:
        return frame
    names = framework.area_names()
    out = frame.copy()
    out.insert(out.columns.get_loc("ref_area") + 1, "area_name",
               out.ref_area.map(lambda a: names.get(a, a)))
    if "ratio" in out.columns:
        size = (1 - out.ratio).abs()
        return out.assign(_size=size).sort_values(
            ["_size", "area_name"], ascending=[False, True], na_position="last",
            kind="stable").drop(columns="_size").reset_index(drop=True)
    return out.sort_values("area_name", kind="stable").reset_index(drop=True)
