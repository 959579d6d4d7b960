"""The "Three methods, one series" section of a country's page: ESCAP, the UNSD Progress
Chart and the SDSN arrow on the same series (``assess.compare``), how often they agree, and
for each series where they do not, which component decides it. Computed once per store
version; the VNR annex has the same rows as a sheet."""

from __future__ import annotations

from typing import Any

import pandas as pd

from sdgtrack.assess.compare import side_by_side
from sdgtrack.assess.run import records
from sdgtrack.publish.site.data import SiteData
from sdgtrack.publish.site.i18n import gettext

#: The verdicts on the common scale, as a reader reads them.
VERDICTS = {"on_track": "on track", "acceleration_needed": "acceleration needed",
            "regressing": "regressing", "insufficient_data": "insufficient data"}
#: What decides a disagreement (the words before the colon of ``assess.compare``'s reason).
COMPONENTS = {"the trend": "the trend (regression over every year, or the two end points)",
              "the growth form": "the growth form (linear or compound)",
              "the cut-points": "the cut-points (where each rule draws its classes)",
              "several components together": "several components together"}
#: How the section reads its verdicts (the page's note and the annex sheet's).
NOTE = ("Each verdict is put on one scale: on track, acceleration needed, regressing. Where "
        "two disagree, the first method's trend, growth form and cut-points are swapped for "
        "the second's one at a time; the first swap that brings them together is named.")
PAIRS = (("escap_vs_unsd", "ESCAP and the UNSD Progress Chart"),
         ("escap_vs_sdsn", "ESCAP and the SDSN arrow"),
         ("unsd_vs_sdsn", "the UNSD Progress Chart and the SDSN arrow"))


def side_by_side_of(d: SiteData, unit: str) -> pd.DataFrame:
    """``side_by_side`` for one assessed unit, once per store version."""
    def make() -> pd.DataFrame:
        a = d.results.assessment()
        subs = a.subindicators[a.subindicators.unit == unit]
        return side_by_side(subs, a.parameters)

    return d.cached(("methods", unit), make)  # type: ignore[no-any-return]


def rows(d: SiteData, unit: str, lang: str) -> list[dict[str, Any]]:
    """One row per series: the three verdicts in words and, where ESCAP and another rule
    disagree, the component that decides it."""
    _ = gettext(lang)
    t = side_by_side_of(d, unit)
    out = []
    for r in records(t):
        why = r["escap_vs_unsd"] or r["escap_vs_sdsn"] or r["unsd_vs_sdsn"]
        out.append({"indicator": r["indicator"], "series_code": r["series_code"],
                    "selection": r["selection"],
                    "escap": _(VERDICTS[r["escap"]]), "unsd": _(VERDICTS[r["unsd"]]),
                    "sdsn": _(VERDICTS[r["sdsn"]]),
                    "ratios": {k: r[f"{k}_ratio"] for k in ("escap", "unsd", "sdsn")},
                    "agree": r["agree"],
                    "decided_by": _(COMPONENTS[why.split(":")[0]]) if why else None})
    return out


def unit_section(d: SiteData, unit: str, lang: str) -> dict[str, Any] | None:
    """The section's numbers, or None when nothing of the unit is assessed."""
    _ = gettext(lang)
    t = side_by_side_of(d, unit)
    if t.empty:
        return None
    pairs = []
    for column, label in PAIRS:
        why = t[column].dropna().str.split(":").str[0].value_counts()
        pairs.append({"pair": _(label), "disagree": int(why.sum()),
                      "by": [{"component": _(COMPONENTS[k]), "series": int(n)}
                             for k, n in why.items()]})
    every = rows(d, unit, lang)
    return {"compared": len(t), "agree": int(t.agree.sum()), "pairs": pairs,
            "disagreements": [r for r in every if not r["agree"]]}
