"""The "Synergies and trade-offs" sections: on a country's or group's page the goal x goal
heat map and network with their table, and every series pair behind them in the JSON twin;
on a goal's page the goals it is most in synergy and in trade-off with, for the region and
each country. Computed once per store version (``SiteData.cached``)."""

from __future__ import annotations

from typing import Any

import pandas as pd

from sdgtrack.assess import load_spec, standard_units
from sdgtrack.assess.links import HONESTY, INSUFFICIENT, SYNERGY, TRADE_OFF
from sdgtrack.assess.links_goals import partners
from sdgtrack.assess.links_run import Links, compute_links
from sdgtrack.assess.run import records
from sdgtrack.publish.links_charts import heatmap_spec, network_spec
from sdgtrack.publish.site.data import SiteData
from sdgtrack.publish.site.i18n import gettext, title

REGION = "escap"
#: The fields of each pair in a page's JSON twin (one list per pair, in this order): ``a`` and
#: ``b`` are positions in the section's list of series (code, breakdown, goal), so that a
#: country's thousands of pairs do not repeat them.
PAIR_FIELDS = ["a", "b", "years", "first_year", "last_year", "rho", "p_value", "class"]
SHARE_FIELDS = ["synergy", "trade_off", "not_classified", "insufficient_data", "with_data",
                "share_synergy", "share_trade_off"]


def method() -> dict[str, Any]:
    """The method's name, version and parameters (the methodology page)."""
    from sdgtrack.assess.links import METHOD_NAME, METHOD_VERSION, LinkParameters

    return {"name": METHOD_NAME, "version": METHOD_VERSION,
            "parameters": LinkParameters().as_dict()}


def site_links(d: SiteData) -> Links:
    """Interlinkages of the region, its subregions and every member, once per version."""
    def make() -> Links:
        with d.lock:  # the store answers one thread at a time
            return compute_links(d.store.table("observations_current"), load_spec(),
                                 standard_units())

    return d.cached("links", make)  # type: ignore[no-any-return]


def _unit_tables(d: SiteData) -> dict[str, tuple[pd.DataFrame, pd.DataFrame]]:
    """Unit -> (its goal x goal rows, its pairs), split once per version."""
    def make() -> dict[str, tuple[pd.DataFrame, pd.DataFrame]]:
        links = site_links(d)
        pairs = dict(tuple(links.pairs.groupby("unit")))
        return {u: (g, pairs.get(u, links.pairs.iloc[:0]))
                for u, g in links.goals.groupby("unit")}

    return d.cached("links_by_unit", make)  # type: ignore[no-any-return]


def unit_section(d: SiteData, unit: str, lang: str) -> dict[str, Any] | None:
    """A country's or group's section; None when it has no goal pair at all."""
    goals, pairs = _unit_tables(d).get(unit, (None, None))
    if goals is None or pairs is None:
        return None
    _ = gettext(lang)
    rows = records(goals.drop(columns="unit"))
    counted = str(goals.counted.iloc[0])
    known = int(goals[[SYNERGY, TRADE_OFF, "not_classified"]].to_numpy().sum())
    totals = {c: int(goals[c].sum()) for c in (SYNERGY, TRADE_OFF, "not_classified",
                                               INSUFFICIENT)}
    section: dict[str, Any] = {
        "note": _(HONESTY), "counted": counted,
        "method": site_links(d).method(),
        "totals": {**totals, "with_data": int(known),
                   "share_synergy": totals[SYNERGY] / known if known else None,
                   "share_trade_off": totals[TRADE_OFF] / known if known else None},
        "goals": rows,
        "heatmap": heatmap_spec(rows, _("Synergies and trade-offs between goals"), _,
                                _("Goal by goal: the class most pairs of series have")
                                if counted == "pairs" else
                                _("Goal by goal: the class most countries have")),
        "network": network_spec(rows, _("Network of goals"), _),
    }
    section["goal_summary"] = _goal_summary(d, unit)
    if counted == "countries":  # the members' pairs pooled, for the headline share
        section["pooled"] = _pooled(d, unit)
    if counted == "pairs":  # a country: every pair behind the counts
        section["pairs"] = _compact(pairs)
    else:
        section["pairs_note"] = "each member's page lists its pairs"
    return section


def _compact(pairs: pd.DataFrame) -> dict[str, Any]:
    """A country's pairs for its JSON twin: its series once, each pair by their positions."""
    sides = [pairs[[f"series_{x}", f"selection_{x}", f"goal_{x}"]].set_axis(
        ["series_code", "selection", "goal"], axis=1) for x in ("a", "b")]
    series = pd.concat(sides).drop_duplicates().sort_values(["goal", "series_code",
                                                              "selection"], ignore_index=True)
    at = {(r.series_code, r.selection): k for k, r in enumerate(series.itertuples())}
    shown = pairs.assign(
        a=[at[k] for k in zip(pairs.series_a, pairs.selection_a, strict=True)],
        b=[at[k] for k in zip(pairs.series_b, pairs.selection_b, strict=True)],
    )[PAIR_FIELDS].round({"rho": 4, "p_value": 4})  # as the pages print them
    few = shown["class"] == INSUFFICIENT
    return {"series": records(series), "fields": PAIR_FIELDS,
            "rows": [list(r.values()) for r in records(shown[~few])],
            # pairs with too few common years: the two series and the years they share
            "not_enough_data": shown.loc[few, ["a", "b", "years"]].to_numpy().tolist()}


def _totals(classes: pd.Series) -> dict[str, Any]:
    counts = {c: int((classes == c).sum()) for c in (SYNERGY, TRADE_OFF, "not_classified",
                                                      INSUFFICIENT)}
    known = counts[SYNERGY] + counts[TRADE_OFF] + counts["not_classified"]
    return {**counts, "with_data": known,
            "share_synergy": counts[SYNERGY] / known if known else None,
            "share_trade_off": counts[TRADE_OFF] / known if known else None}


def _pooled(d: SiteData, unit: str) -> dict[str, Any]:
    """Every pair of series of the group's members, counted together."""
    links = site_links(d)
    members = next(u.members for u in links.units if u.code == unit)
    return _totals(links.pairs[links.pairs.unit.isin(members)]["class"])


def _goal_summary(d: SiteData, unit: str) -> dict[str, list[dict[str, Any]]]:
    """The goals with the highest share of synergies and of trade-offs with all others."""
    s = site_links(d).summary
    mine = records(s[s.unit == unit].drop(columns="unit"))
    return {c: sorted([r for r in mine if r[c] > 0],
                      key=lambda r: (-r[f"share_{c}"], r["goal"]))[:3]
            for c in (SYNERGY, TRADE_OFF)}


def _partner_rows(d: SiteData, unit: str, goal: int) -> list[dict[str, Any]]:
    goals = _unit_tables(d).get(unit, (None, None))[0]
    if goals is None:
        return []
    return [{"partner": r["partner"], **{k: r[k] for k in SHARE_FIELDS}}
            for r in records(partners(goals, unit, goal))]


def _top(rows: list[dict[str, Any]], cls: str, n: int = 3) -> list[dict[str, Any]]:
    """The partners with the highest share of ``cls`` (those with any), most first."""
    have = [r for r in rows if r[cls] > 0]
    return sorted(have, key=lambda r: (-r[f"share_{cls}"], r["partner"]))[:n]


def goal_section(d: SiteData, goal: int, lang: str) -> dict[str, Any] | None:
    """The goal's partners for the region (its countries counted) and, per country, the
    goal it is most in synergy and most in trade-off with."""
    _ = gettext(lang)
    region = _partner_rows(d, REGION, goal)
    if not region:
        return None

    def make() -> list[dict[str, Any]]:
        links = site_links(d)
        names = {u.code: u.name for u in links.units}
        out = []
        for u in links.units:
            if u.kind != "country":
                continue
            rows = _partner_rows(d, u.code, goal)
            syn, off = _top(rows, SYNERGY, 1), _top(rows, TRADE_OFF, 1)
            if not rows or not sum(r["with_data"] for r in rows):
                continue
            out.append({"unit": u.code, "name": names[u.code],
                        "with_data": sum(r["with_data"] for r in rows),
                        "synergy": syn[0] if syn else None,
                        "trade_off": off[0] if off else None})
        return sorted(out, key=lambda r: r["name"])

    names = {int(r["goal"]): title(r, lang, "short") for r in records(d.goals)}

    def named(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
        return [{**r, "title": names.get(r["partner"], "")} for r in rows]

    return {"note": _(HONESTY), "region": named(region),
            "most_synergy": named(_top(region, SYNERGY)),
            "most_trade_off": named(_top(region, TRADE_OFF)),
            "countries": d.cached(("links_goal_countries", goal), make)}
