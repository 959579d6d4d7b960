"""Assessment commands: ``assess`` (ESCAP), ``sdr`` (SDSN), ``review`` (the main job). Thin
calls into ``sdgtrack.api``."""

from __future__ import annotations

import enum
from pathlib import Path
from typing import Annotated

import typer

from sdgtrack.api import Aggregate, Projection  # light: the API imports on first call
from sdgtrack.cli.common import (
    AreaOption,
    DbOption,
    FormatOption,
    MembersOption,
    OutOption,
    TableFormat,
    err,
    open_store,
    out,
    usage,
)
from sdgtrack.cli.publish import serve


class AssessTable(enum.StrEnum):
    SNAPSHOT = "snapshot"
    DASHBOARD = "dashboard"
    INDICATORS = "indicators"


class FinancialYear(enum.StrEnum):
    START = "start"
    END = "end"


class WithinYear(enum.StrEnum):
    MEAN = "mean"
    LATEST = "latest"


class YearRange(enum.StrEnum):
    END = "end"
    MID = "mid"


class SdrFormat(enum.StrEnum):
    CSV = "csv"
    JSON = "json"


def assess(
    group: Annotated[str | None, typer.Option(help="Group code: escap, escap_sea, ldc ...")] = None,
    area: AreaOption = None,
    members: MembersOption = None,
    baseline: Annotated[int, typer.Option(help="Baseline year: 2015, or 2000 (<= 2022 "
                                          "editions).")] = 2015,
    baseline_window: Annotated[int | None, typer.Option(
        help="Years after the baseline in which a series' first value is its baseline "
             "[default: 5 for a 2000 baseline, 3 for 2015].")] = None,
    best_performer_year: Annotated[int, typer.Option(
        help="Year in which the best performers that set a target are ranked, whatever "
             "the baseline.")] = 2015,
    projection: Annotated[Projection, typer.Option(
        help="How a series is extrapolated to 2030.")] = Projection.REGRESSION,
    aggregate: Annotated[Aggregate, typer.Option(
        help="Group value: mean (ESCAP) or median.")] = Aggregate.MEAN,
    spec: Annotated[Path | None, typer.Option(
        help="Your own target specification (overrides rows of the shipped one).")] = None,
    targets: Annotated[Path | None, typer.Option(
        help="National targets (CSV: area, indicator or series, target_value, direction, "
             "source): each replaces the specification's target for its country.")] = None,
    financial_year: Annotated[FinancialYear, typer.Option(
        help="A financial or school year (2000/01) counts for its start or end "
             "year.")] = FinancialYear.START,
    within_year: Annotated[WithinYear, typer.Option(
        help="Quarters and months give their year's mean or latest value.")] = WithinYear.MEAN,
    year_range: Annotated[YearRange, typer.Option(
        "--range", help="A range of years (2014-2016) counts for its end or middle "
                        "year.")] = YearRange.END,
    fmt: FormatOption = TableFormat.TABLE,
    table: Annotated[AssessTable, typer.Option(
        help="With --format csv: which table.")] = AssessTable.SNAPSHOT,
    out_file: OutOption = None,
    charts: Annotated[Path | None, typer.Option(
        help="Folder to write the snapshot and dashboard charts (SVG) to.")] = None,
    db: DbOption = None,
) -> None:
    """ESCAP progress assessment: goal snapshot (Current Status Index) and target dashboard
    (Anticipated Progress Index) for a group, a country or your own group."""
    from sdgtrack import api
    from sdgtrack.cli.common import note_if_empty
    from sdgtrack.cli.render import render_assessment

    if sum(x is not None for x in (group, area, members)) != 1:
        usage("Give exactly one of --group, --area, --members.")
    with open_store(db, read_only=True) as store:
        note_if_empty(store)
        result = api.assess_progress(store, group=group, area=area,
                            members=members.split(",") if members else None,
                            baseline=baseline, baseline_window=baseline_window,
                            best_performer_year=best_performer_year, projection=projection,
                            aggregate=aggregate, spec=spec, targets=targets,
                            annual_rule={"financial_year": str(financial_year),
                                         "within_year": str(within_year),
                                         "range": str(year_range)})
    report = result.to_dict()
    if charts:
        from sdgtrack.publish.charts import write_assessment_charts

        write_assessment_charts(report, charts)
    render_assessment(report, result.assessment, fmt, table, out_file)


def sdr(
    out_file: Annotated[Path, typer.Option("--out", help="One row per country.")],
    database: Annotated[Path | None, typer.Option(
        help="An SDR database release: the folder of CSV sheets or the .xlsx workbook.")] = None,
    table: Annotated[Path | None, typer.Option(
        help="Without --database: score the store with this SDR-style parameter table "
             "(default: the shipped example for the UN extract).")] = None,
    group: Annotated[str, typer.Option(
        help="Without --database: the countries to score (their subgroups are the "
             "regions).")] = "escap",
    max_missing: Annotated[float, typer.Option(
        help="No index or rank past this share of indicators missing.")] = 0.22,
    fmt: Annotated[SdrFormat, typer.Option("--format")] = SdrFormat.CSV,
    indicators: Annotated[Path | None, typer.Option(
        help="Also write one row per country x indicator here.")] = None,
    db: DbOption = None,
) -> None:
    """SDSN SDG Index, goal scores, dashboards and trends: from an SDR database release, or
    from the store with a parameter table of your own."""
    from sdgtrack import api
    from sdgtrack.cli.common import note_if_empty

    if database is not None:
        result = api.sdr_scores(database=database, max_missing=max_missing)
    else:
        with open_store(db, read_only=True) as store:
            note_if_empty(store)
            result = api.sdr_scores(store, table=table, group=group, max_missing=max_missing)
    for frame, path in ((result.countries, out_file), (result.indicators, indicators)):
        if path is None:
            continue
        if fmt is SdrFormat.JSON:
            path.write_text(frame.to_json(orient="records", force_ascii=False, indent=1),
                            encoding="utf-8")
        else:
            frame.to_csv(path, index=False)
    countries = result.countries
    ranked = int(countries.index_rank.notna().sum())
    out.print(f"{ranked} of {len(countries)} countries ranked; wrote {out_file}")


def review(
    db: DbOption = None,
    serve_: Annotated[bool, typer.Option("--serve/--no-serve",
                                         help="Serve the pages and open them in a browser.")
                      ] = True,
    port: Annotated[int, typer.Option(help="Port of the web server.")] = 8000,
) -> None:
    """The main job: load the bundled UN SDG extract for Asia and the Pacific (once), print
    the regional review (which goals are on schedule, which targets will be met by 2030),
    then open it in a browser."""
    from sdgtrack import api, bundled, pipeline
    from sdgtrack.cli.render import render_assessment, render_summary

    with open_store(db) as store:
        if store.current_load_count() == 0:  # the only command that loads by itself
            err.print("The store is empty: loading the bundled UN SDG extract into it.")
        loaded = pipeline.load_bundled(store, lambda folder, vintage: out.print(
            f"loading the bundled UN SDG database extract, {vintage} vintage ({folder})"))
        if loaded:  # the issues of the vintage in use (the older one's old codes are known)
            summary = pipeline.IngestSummary(loaded)
            render_summary(summary.as_dict(), loaded[-1].issues, False)
        else:
            current = store.current_load(bundled.UNSD_DATASET)
            out.print(_review_data_line(current), highlight=False)
        result = api.assess_progress(store, group="escap")
    report = result.to_dict()
    render_assessment(report, result.assessment, TableFormat.TABLE, AssessTable.SNAPSHOT)
    behind = [g["goal"] for g in report["snapshot"] if g["status"] != "on_schedule"]
    out.print(f"On current trends, {len(behind)} of 17 goals are behind the progress expected "
              f"by {report['method']['current_year']} (goals {', '.join(map(str, behind))}).")
    if serve_:
        serve(db=db, host="127.0.0.1", port=port, open_browser=True)


def _review_data_line(current: dict[str, object] | None) -> str:
    from sdgtrack import bundled

    if current is None:
        return "the store holds no UN SDG database extract; reviewing the data it holds"
    return (f"the store holds the {current['vintage'] or 'user'} vintage of "
            f"{bundled.UNSD_DATASET} (load {current['load_id']}, "
            f"{current['rows_loaded']:,} rows); nothing to load")


class MethodsTable(enum.StrEnum):
    SERIES = "series"
    SUMMARY = "summary"


def methods(
    group: Annotated[str | None, typer.Option(help="Group code: escap, escap_sea, ldc ...")] = None,
    area: AreaOption = None,
    members: MembersOption = None,
    baseline: Annotated[int, typer.Option(help="Baseline year.")] = 2015,
    disagree: Annotated[bool, typer.Option(
        help="Only the series where the rules disagree.")] = False,
    table: Annotated[MethodsTable, typer.Option(
        help="series: one row per series; summary: what decides each pair's "
             "disagreements.")] = MethodsTable.SERIES,
    fmt: FormatOption = TableFormat.TABLE,
    out_file: OutOption = None,
    db: DbOption = None,
) -> None:
    """ESCAP's anticipated progress, the UN Statistics Division's Progress Chart and the
    SDSN trend arrow, side by side on the same series, baseline and target; where two
    disagree, the component that decides it (trend, growth form or cut-points)."""
    from sdgtrack import api
    from sdgtrack.cli.common import note_if_empty
    from sdgtrack.cli.render import write_frame

    if sum(x is not None for x in (group, area, members)) != 1:
        usage("Give exactly one of --group, --area, --members.")
    with open_store(db, read_only=True) as store:
        note_if_empty(store)
        result = api.compare_methods(store, group=group, area=area, baseline=baseline,
                                     members=members.split(",") if members else None)
    if table == MethodsTable.SUMMARY:
        frame = result.summary()
    else:
        frame = result.disagreements if disagree else result.table
        if fmt == TableFormat.TABLE:  # the columns a reader compares, not every number
            frame = frame[["indicator", "series_code", "escap", "unsd", "sdsn",
                           "escap_vs_unsd", "escap_vs_sdsn"]]
    write_frame(frame, str(fmt), out_file)


def register(app: typer.Typer) -> None:
    app.command()(assess)
    app.command()(sdr)
    app.command()(methods)
    app.command()(review)
