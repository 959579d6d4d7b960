"""Reference periods as published, read with their frequency (SDMX ``TIME_PERIOD`` and
``FREQ``), the text kept.

An observation is stored under a year (``time_period``) and, when its period is not that
calendar year, the period itself (the ``period`` dimension, so that the four quarters of a
year are four observations, not a ``duplicate_key``):

=================================  ===========  =========  ============================
published                          ``period``   ``freq``   ``time_period`` (stored year)
=================================  ===========  =========  ============================
``2015``, ``2015.0``               ``_T``       ``A``      2015
``2000/01``, ``2000/2001``         ``2000-FY``  ``FY``     2000, the year it starts
``2000 Q1``, ``2000-Q1``, ``2000Q1``  ``2000-Q1``  ``Q``   2000
``2000-01``, ``2000M01``, ``Jan 2000``  ``2000-01``  ``M``  2000
``2014-2016``, ``2014 to 2016``    ``2014/2016``  ``R``    2016, the last year it covers
``2016/17 to 2018/19``             ``2016-FY/2018-FY``  ``R``  2019, the year it ends
=================================  ===========  =========  ============================

``FY`` (a financial or school year across two calendar years) and ``R`` (a range of years)
are sdgtrack's codes beside SDMX's ``A``, ``Q`` and ``M``. A method that needs one value a
year derives it by a rule it names (``assess.periods.annual``).
"""

from __future__ import annotations

import re
from typing import NamedTuple

import pyarrow as pa
import pyarrow.compute as pc

from sdgtrack.model import TOTAL

_MONTHS = {m: k for k, m in enumerate(
    ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), 1)}
_YEAR = re.compile(r"^(\d{4})(?:\.0+)?$")
_FY = re.compile(r"^(\d{4})\s*/\s*(\d{2}|\d{4})$")
_QUARTER = re.compile(r"^(\d{4})\s*-?\s*Q([1-4])$", re.IGNORECASE)
_MONTH = re.compile(r"^(\d{4})\s*(?:-|M)\s*(\d{1,2})$", re.IGNORECASE)
_NAMED_MONTH = re.compile(r"^(?:([A-Za-z]{3})[a-z]*\.?\s+(\d{4})|(\d{4})\s+([A-Za-z]{3})[a-z]*)$")
_RANGE = re.compile(r"^(\d{4})\s*(?:-|–|—|to)\s*(\d{4})$", re.IGNORECASE)
_FY_RANGE = re.compile(r"^(\d{4}\s*/\s*\d{2,4})\s*(?:-|–|—|to)\s*(\d{4}\s*/\s*\d{2,4})$",
                       re.IGNORECASE)


class Period(NamedTuple):
    year: int
    period: str
    freq: str


def _fy(text: str) -> int | None:
    """The starting year of a financial year (``2000/01`` -> 2000), or None."""
    m = _FY.match(text.strip())
    if m is None:
        return None
    start, end = int(m[1]), m[2]
    following = start + 1
    ok = int(end) == following % 100 if len(end) == 2 else int(end) == following
    return start if ok else None


def parse_period(text: str | None) -> Period | None:
    """The period of published text, or None when it is none of the forms above.

    >>> [parse_period(t) for t in ("2015", "2000/01", "2000 Q1", "2000-01", "2014 to 2016")]
    ... # doctest: +NORMALIZE_WHITESPACE
    [Period(year=2015, period='_T', freq='A'), Period(year=2000, period='2000-FY', freq='FY'),
     Period(year=2000, period='2000-Q1', freq='Q'), Period(year=2000, period='2000-01', freq='M'),
     Period(year=2016, period='2014/2016', freq='R')]
    >>> parse_period("2016/17 to 2018/19"), parse_period("1999/01"), parse_period("2015-13")
    (Period(year=2019, period='2016-FY/2018-FY', freq='R'), None, None)
    """
    if text is None:
        return None
    t = text.strip()
    if m := _YEAR.match(t):
        return Period(int(m[1]), TOTAL, "A")
    if (start := _fy(t)) is not None:
        return Period(start, f"{start}-FY", "FY")
    if m := _QUARTER.match(t):
        return Period(int(m[1]), f"{m[1]}-Q{m[2]}", "Q")
    if (m := _MONTH.match(t)) and 1 <= int(m[2]) <= 12:
        return Period(int(m[1]), f"{m[1]}-{int(m[2]):02d}", "M")
    if (m := _NAMED_MONTH.match(t)) and (month := _MONTHS.get((m[1] or m[4]).lower())):
        year = m[2] or m[3]
        return Period(int(year), f"{year}-{month:02d}", "M")
    if (m := _RANGE.match(t)) and int(m[1]) < int(m[2]):
        return Period(int(m[2]), f"{m[1]}/{m[2]}", "R")
    if m := _FY_RANGE.match(t):
        first, last = _fy(m[1]), _fy(m[2])
        if first is not None and last is not None and first < last:
            return Period(last + 1, f"{first}-FY/{last}-FY", "R")
    return None


def parse_periods(column: pa.ChunkedArray | pa.Array
                  ) -> tuple[pa.Array, pa.Array, pa.Array, pa.Array]:
    """(year, period, freq, text) for a column of published periods, once per distinct
    value; year null where the text is no period. ``text`` is the published text where it
    is not a plain year, else null."""
    if isinstance(column, pa.ChunkedArray):
        column = column.combine_chunks()
    encoded = pc.dictionary_encode(pc.utf8_trim_whitespace(column.cast(pa.string())))
    parsed = [parse_period(v) for v in encoded.dictionary.to_pylist()]
    texts = encoded.dictionary.to_pylist()

    def take(values: list, kind: pa.DataType) -> pa.Array:
        return pc.take(pa.array(values, kind), encoded.indices)

    return (take([p.year if p else None for p in parsed], pa.int32()),
            take([p.period if p else TOTAL for p in parsed], pa.string()),
            take([p.freq if p else None for p in parsed], pa.string()),
            take([t if p and p.freq != "A" else None for p, t in zip(parsed, texts)],
                 pa.string()))
