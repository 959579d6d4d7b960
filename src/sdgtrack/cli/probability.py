"""``sdgtrack probability``: how likely each target is to be reached by 2030, and the
back-test of that model. Thin calls into ``sdgtrack.api``."""

from __future__ import annotations

import json
from typing import Annotated

import typer

from sdgtrack.api import ProbabilityLevel
from sdgtrack.cli.common import (
    AreaOption,
    DbOption,
    FormatOption,
    OutOption,
    TableFormat,
    open_store,
)


def probability(
    group: Annotated[str | None, typer.Option(
        help="Group code: escap, escap_sea ... Neither --group nor --area: the region, its "
             "five subregions and every member country.")] = None,
    area: AreaOption = None,
    level: Annotated[ProbabilityLevel, typer.Option(
        help="Rows: targets, indicators or sub-indicators (series).")
                     ] = ProbabilityLevel.TARGET,
    draws: Annotated[int, typer.Option(help="Bootstrap draws.")] = 1000,
    seed: Annotated[int, typer.Option(help="Seed of the draws.")] = 2030,
    backtest: Annotated[bool, typer.Option(
        "--backtest", help="Instead: fit on data to 2015, predict 2016-2022, and report how "
                           "often the 80 % intervals cover what the countries observed.")
                        ] = False,
    fmt: FormatOption = TableFormat.TABLE,
    out_file: OutOption = None,
    db: DbOption = None,
) -> None:
    """The probability of reaching each 2030 target: a seeded bootstrap of the ESCAP trend,
    aggregated by the method's own rules, beside the ESCAP class."""
    from sdgtrack import api
    from sdgtrack.cli.common import note_if_empty, out, usage
    from sdgtrack.cli.render import emit, write_frame

    if group is not None and area is not None:
        usage("Give --group or --area, not both.")
    with open_store(db, read_only=True) as store:
        note_if_empty(store)
        if backtest:
            bt = api.probability_backtest(store)
        else:
            result = api.target_probability(store, group=group, area=area, draws=draws,
                                            seed=seed)
    if backtest:
        if fmt is TableFormat.JSON:
            emit(json.dumps(bt.to_dict(), indent=1), out_file)
            return
        write_frame(bt.by_goal, str(fmt), out_file)
        if fmt is TableFormat.TABLE:
            o, c = bt.overall, bt.calibration
            out.print(f"{o['values']:,} values; 80 % intervals cover {o['coverage']:.1%} "
                      f"(raw bootstrap {o['coverage_raw']:.1%}); calibration in use "
                      f"{c['spread']} + {c['spread_per_year']} per year ahead, these data "
                      f"give {c['calibrated_spread']:.3f} + "
                      f"{c['calibrated_spread_per_year']:.3f}", highlight=False)
        return
    if fmt is TableFormat.JSON:
        emit(json.dumps(result.to_dict(), indent=1, ensure_ascii=False), out_file)
        return
    frame = result.table(level)
    if fmt is TableFormat.TABLE and level is ProbabilityLevel.TARGET:
        frame = frame.assign(shown=[
            f"{k.replace('_', ' ')} (probability of reaching the target: {p:.0%})"
            for k, p in zip(frame["class"], frame.probability)])[
            ["unit", "goal", "target", "anticipated_progress_index", "shown"]]
    write_frame(frame, str(fmt), out_file)


def register(app: typer.Typer) -> None:
    app.command()(probability)
