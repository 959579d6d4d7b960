"""The "Synergies and trade-offs" section of the country profile and the regional report:
the page's section (``publish.site.pages_links``) with its network and heat map drawn for
print, and the goal pairs most in synergy and in trade-off."""

from __future__ import annotations

from typing import Any

from sdgtrack.publish.charts import to_svg
from sdgtrack.publish.report.trends import data_uri
from sdgtrack.publish.site.data import SiteData

#: Goal pairs listed under each of "most synergies" and "most trade-offs".
TOP_PAIRS = 5
#: Goal pairs listed under each of "rose most" and "fell most" (Kroll, across countries).
MOVED_PAIRS = 5


def _top(goals: list[dict[str, Any]], cls: str) -> list[dict[str, Any]]:
    have = [g for g in goals if g[cls] > 0 and g["goal_a"] != g["goal_b"]]
    # most pairs (or countries) first: a share of 1 out of 2 says less than 40 out of 55
    return sorted(have, key=lambda g: (-g[cls], -g[f"share_{cls}"], g["goal_a"],
                                       g["goal_b"]))[:TOP_PAIRS]


def links_section(d: SiteData, unit: str, lang: str) -> dict[str, Any] | None:
    """None when the unit has no interlinkages (not the region, a subregion or a member)."""
    from sdgtrack.publish.site.pages_links import unit_section

    section = unit_section(d, unit, lang)
    if section is None:
        return None

    def drawn(name: str) -> str:
        return str(d.cached(("report-links", unit, lang, name),
                            lambda: data_uri(to_svg(section[name]))))

    return {"note": section["note"], "counted": section["counted"],
            "totals": section["totals"], "parameters": section["method"]["parameters"],
            "network": drawn("network"), "heatmap": drawn("heatmap"),
            "pooled": section.get("pooled"), "goal_summary": section["goal_summary"],
            "synergies": _top(section["goals"], "synergy"),
            "trade_offs": _top(section["goals"], "trade_off")}


def kroll_section(d: SiteData, group: str) -> dict[str, Any] | None:
    """Across the group's countries, year by year (Kroll et al. 2019): the goal pairs whose
    rho rose and fell most from the first year to the last, and the latest year's classes.
    One assessment a year, so kept per store version; None without two years or a group."""
    from sdgtrack.assess import group_unit, load_spec
    from sdgtrack.assess.links_run import compute_kroll
    from sdgtrack.assess.run import records

    def make() -> Any:
        with d.lock:
            return compute_kroll(d.store.table("observations_current"), load_spec(),
                                 [group_unit(group)])

    by_year, trends = d.cached(("kroll", group), make)
    moved = trends.dropna(subset=["change"])
    moved = moved[moved.first_year < moved.last_year]
    if moved.empty:
        return None
    latest = by_year[by_year.year == by_year.year.max()]
    cols = ["goal_a", "goal_b", "first_year", "rho_first", "last_year", "rho_last", "change"]
    from sdgtrack.assess.links import LinkParameters

    p = LinkParameters()
    return {"first_year": int(moved.first_year.min()), "last_year": int(latest.year.max()),
            "threshold": p.kroll_threshold, "min_countries": p.min_countries,
            "countries": int(latest.countries.max()),
            "latest": {c: int((latest["class"] == c).sum())
                       for c in ("synergy", "trade_off", "not_classified", "insufficient_data")},
            "rose": records(moved.nlargest(MOVED_PAIRS, "change")[cols]),
            "fell": records(moved.nsmallest(MOVED_PAIRS, "change")[cols])}
