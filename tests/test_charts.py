"""Charts that say what they mean (issue 18), checked on the SVG vl-convert draws: the
snapshot's axis reads as an index, and its value labels stand clear of the dashed line."""

from __future__ import annotations

import re

from sdgtrack.publish.charts import snapshot_spec, to_svg

REPORT = {  # two goals by hand: one with progress, one that regressed
    "unit": {"code": "x", "name": "Somewhere"},
    "method": {"parameters": {"baseline_year": 2015}, "current_year": 2023},
    "snapshot": [
        {"goal": 1, "title": "No poverty", "current_status_index": 0.58,
         "expected_progress": 0.533},  # (2023 - 2015) / (2030 - 2015)
        {"goal": 2, "title": "Zero hunger", "current_status_index": -0.0012,
         "expected_progress": 0.533},
    ],
}


def _texts(svg: str) -> list[tuple[float, str]]:
    """(x, text) of every text mark that vl-convert placed with a translate()."""
    return [(float(x), t) for x, t in re.findall(
        r'<text[^>]*transform="translate\(([-\d.]+),[-\d.]+\)"[^>]*>([^<]*)</text>', svg)]


def test_snapshot_axis_is_an_index_not_a_percentage():
    svg = to_svg(snapshot_spec(REPORT))
    labels = {t for _x, t in _texts(svg)}
    assert {"−1.0", "0.0", "0.5", "1.0"} <= labels or {"-1.0", "0.0", "0.5", "1.0"} <= labels
    assert not any(t.endswith("%") for t in labels)  # the bar labels are indices (0.58)


def test_snapshot_values_stand_clear_of_the_dashed_line():
    """The values are written right of the axis' end (x = 1), the dashed line is at the
    expected progress 0.533: every value label lies right of the line."""
    spec = snapshot_spec(REPORT)
    svg = to_svg(spec)
    width = spec["width"]
    values = [(x, t) for x, t in _texts(svg) if re.fullmatch(r"-?\d\.\d\d", t)]
    assert {"0.58", "0.00"} == {t for _x, t in values}  # -0.0012 reads 0.00, not -0.00
    # the plot spans [-1, 1] over ``width`` px from the left of the plot area; the labels
    # start 6 px past its right end, the line at 0.533 is at 0.767 of the width
    line = (0.533 + 1) / 2 * width
    assert all(x > line + 0.2 * width for x, _t in values)
