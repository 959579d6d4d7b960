"""``sdgtrack covid``: how far COVID-19 set each series back against its pre-2020 trend.
A thin call into ``sdgtrack.api.covid_setback``."""

from __future__ import annotations

import enum
import json
from typing import Annotated

import typer

from sdgtrack.api import CovidSummary, TrendWeights
from sdgtrack.cli.common import (
    AreaOption,
    DbOption,
    FormatOption,
    OutOption,
    TableFormat,
    open_store,
)


class Compare(enum.StrEnum):
    LATEST = "latest"
    WORST = "worst"


def covid(
    group: Annotated[str | None, typer.Option(
        help="Group code: escap, escap_sea ... Neither --group nor --area: the region, its "
             "five subregions and every member country.")] = None,
    area: AreaOption = None,
    series: Annotated[str | None, typer.Option(help="Only this series code.")] = None,
    weights: Annotated[TrendWeights, typer.Option(
        help="The 2015-2019 trend: ESCAP's time weights (linear) or plain OLS (equal).")
                       ] = TrendWeights.LINEAR,
    level: Annotated[float, typer.Option(help="Prediction interval coverage.")] = 0.95,
    compare: Annotated[Compare, typer.Option(
        help="The post-2019 year that decides: the latest observed, or the worst.")
                       ] = Compare.LATEST,
    summary: Annotated[CovidSummary, typer.Option(
        help="Rows: every series (none), or the share of series in each class per unit or "
             "per unit and goal.")] = CovidSummary.UNIT,
    fmt: FormatOption = TableFormat.TABLE,
    out_file: OutOption = None,
    db: DbOption = None,
) -> None:
    """The COVID-19 setback: each series' 2015-2019 trend projected through 2020-2023 with a
    prediction interval, against what was observed (setback, ahead, within trend, no
    post-2019 data), sized in the indicator's unit and in years of progress lost."""
    from sdgtrack import api
    from sdgtrack.cli.common import note_if_empty, usage
    from sdgtrack.cli.render import emit, write_frame

    if group is not None and area is not None:
        usage("Give --group or --area, not both.")
    with open_store(db, read_only=True) as store:
        note_if_empty(store)
        result = api.covid_setback(store, group=group, area=area, series=series,
                                   weights=weights, level=level, compare=str(compare))
    if fmt is TableFormat.JSON and summary is CovidSummary.UNIT:
        emit(json.dumps(result.to_dict(), indent=1, ensure_ascii=False), out_file)
        return
    frame = result.summary(summary)
    if fmt is TableFormat.TABLE:
        shown = (["unit", "goal", "series_code", "selection", "year", "observed", "projected",
                  "lower", "upper", "shortfall", "years_lost", "class"]
                 if summary is CovidSummary.NONE else
                 [c for c in frame.columns if not c.startswith("n_") and c != "unit_name"])
        frame = frame[shown]
    write_frame(frame, str(fmt), out_file)


def register(app: typer.Typer) -> None:
    app.command()(covid)
