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
