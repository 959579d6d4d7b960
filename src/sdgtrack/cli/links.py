"""``sdgtrack links``: synergies and trade-offs between indicators and goals. Thin: parse,
call ``sdgtrack.api.links``, render."""

from __future__ import annotations

import enum
from pathlib import Path
from typing import Annotated, Any

import typer

from sdgtrack.api import LinkMethod  # light: the API imports on first call
from sdgtrack.cli.common import (
    AreaOption,
    DbOption,
    FormatOption,
    OutOption,
    TableFormat,
    err,
    note_if_empty,
    open_store,
    usage,
)


class LinksTable(enum.StrEnum):
    GOALS = "goals"
    PAIRS = "pairs"
    SUMMARY = "summary"
    COMPARED = "compared"


#: Columns that fit a terminal, for --format table (csv and json carry every column), with
#: short headings.
VIEW = {
    "goals": {"goal_a": "goal", "goal_b": "with", "synergy": "syn", "trade_off": "t-off",
              "not_classified": "n/c", "insufficient_data": "no data", "dominant": "mostly",
              "rho_first": "rho first", "rho_last": "rho last", "change": "change"},
    "pairs": {"year": "year", "goal_a": "goal", "goal_b": "goal", "series_a": "series",
              "series_b": "series", "countries": "n", "years": "n", "first_year": "from",
              "last_year": "to", "rho": "rho", "class": "class"},
    "compared": {"target_a": "target", "target_b": "target", "score": "score",
                 "synergy": "syn", "trade_off": "t-off", "not_classified": "n/c",
                 "insufficient_data": "no data", "data_say": "data say",
                 "agreement": "agreement"},
    "summary": {"goal": "goal", "synergy": "syn", "trade_off": "t-off",
                "not_classified": "n/c", "insufficient_data": "no data",
                "share_synergy": "% syn", "share_trade_off": "% t-off",
                "top_synergy": "most syn with", "top_trade_off": "most t-off with"},
}


def _readable(frame: Any, table: str) -> Any:
    view = {k: v for k, v in VIEW[table].items() if k in frame.columns}
    out = frame.copy()
    for side in ("a", "b"):  # a series and its breakdown in one cell
        if f"selection_{side}" in out:
            sel = out[f"selection_{side}"].fillna("")
            out[f"series_{side}"] = out[f"series_{side}"] + sel.where(
                sel == "", " (" + sel + ")")
    out = out[list(view)]
    for c in ("dominant", "class", "data_say"):
        if c in out:
            out[c] = out[c].str.replace("_", " ").replace({"insufficient data": "no data"})
    out.columns = list(view.values())
    return out


def links(
    area: AreaOption = None,
    group: Annotated[str | None, typer.Option(
        help="Group code: escap, escap_sea ... (a group counts its countries).")] = None,
    method: Annotated[LinkMethod, typer.Option(
        help="pradhan: series pairs over the years, per country; kroll: goal scores across "
             "the group's countries, per year.")] = LinkMethod.PRADHAN,
    goal: Annotated[int | None, typer.Option(help="Only the pairs with this goal.")] = None,
    table: Annotated[LinksTable, typer.Option(
        help="goals (goal x goal), pairs (every pair behind them) or summary (per goal); "
             "--format json gives all three.")] = LinksTable.GOALS,
    min_years: Annotated[int, typer.Option(
        help="Fewest common years of a pair (pradhan), fewer is 'not enough data'.")] = 8,
    threshold: Annotated[float, typer.Option(
        help="|rho| above this (and significant) is a synergy or a trade-off.")] = 0.6,
    alpha: Annotated[float, typer.Option(help="Significance level of the t test.")] = 0.05,
    compare: Annotated[Path | None, typer.Option(
        help="A link table of your own, CSV target_a,target_b,score (SEI -3..3, IGES -1/1): "
             "each link beside what the data say (--table compared).")] = None,
    fmt: FormatOption = TableFormat.TABLE,
    out_file: OutOption = None,
    db: DbOption = None,
) -> None:
    """Interlinkages: which series move together (synergies) and which pull against each
    other (trade-offs), summed up goal by goal. A synergy is co-movement, not a cause."""
    import json

    from sdgtrack import api
    from sdgtrack.cli.render import emit, write_frame

    with open_store(db, read_only=True) as store:
        note_if_empty(store)
        result = api.links(store, area=area, group=group, method=method, goal=goal,
                           min_years=min_years, threshold=threshold, alpha=alpha,
                           compare=compare)
    if fmt is TableFormat.JSON:
        emit(json.dumps(result.to_dict(), indent=1, ensure_ascii=False, allow_nan=False),
             out_file)
        return
    if table is LinksTable.COMPARED and result.compared is None:
        usage("--table compared needs --compare FILE (a CSV target_a,target_b,score).")
    frame = {"goals": result.goals, "pairs": result.pairs, "summary": result.summary,
             "compared": result.compared}[table]
    if fmt is TableFormat.TABLE:
        frame = _readable(frame, table)
        err.print(f"{result.unit.name}, {method.value}: {result.about['note']}",
                  highlight=False)
    write_frame(frame, fmt, out_file)


def register(app: typer.Typer) -> None:
    app.command()(links)
