"""``sdgtrack lnob``: who is furthest behind. Thin: parse, call ``sdgtrack.api`` or
``sdgtrack.lnob``, render."""

from __future__ import annotations

import enum
from pathlib import Path
from typing import Annotated, Any

import typer

from sdgtrack.api import GapSummary  # light: the API imports on first call
from sdgtrack.cli.common import (
    DbOption,
    FormatOption,
    OutOption,
    TableFormat,
    err,
    group,
    note_if_empty,
    open_store,
    out,
)
from sdgtrack.errors import UsageError

app = group("Leave no one behind: gaps between groups, and survey microdata.")

#: Columns that fit a terminal, for --format table (csv and json carry every column).
VIEW = ("ref_area", "kind", "goal", "series_code", "label", "time_period",
        "value_group", "value_reference", "ratio", "furthest_behind", "areas",
        "median_ratio", "group_behind", "reference_behind", "at_parity", "first_year",
        "last_year", "change_per_year", "status", "narrowing", "widening", "stable",
        "reversed")


class SurveyFormat(enum.StrEnum):
    JSON = "json"
    TABLE = "table"


@app.command()
def gaps(
    area: Annotated[list[str] | None, typer.Option(
        help="Country (M49 or ISO3); repeat for several.")] = None,
    group_: Annotated[str | None, typer.Option(
        "--group", help="All members of a group: escap ...")] = None,
    series: Annotated[list[str] | None, typer.Option(help="Series code; repeatable.")] = None,
    dimension: Annotated[list[str] | None, typer.Option(
        help="sex, urbanisation, income_wealth_quantile, disability_status, "
             "migratory_status or age; repeatable.")] = None,
    summary: Annotated[GapSummary, typer.Option(
        help="none (latest gap per series and area), country, dimension, goal or "
             "trends.")] = GapSummary.NONE,
    fmt: FormatOption = TableFormat.TABLE,
    out_file: OutOption = None,
    db: DbOption = None,
) -> None:
    """Gaps between population groups (female/male, rural/urban, poorest/richest...) in
    the published disaggregations: who is furthest behind and whether the gap is closing."""
    from sdgtrack import api
    from sdgtrack.cli.render import write_frame

    with open_store(db, read_only=True) as store:
        note_if_empty(store)
        result = api.lnob_gaps(store, areas=area, group=group_, series=series,
                               dimensions=dimension)
    frame = result.summary(summary)
    if fmt is TableFormat.TABLE:
        from sdgtrack.lnob.view import readable

        frame = readable(frame[[c for c in VIEW if c in frame.columns]])  # names, by gap
    write_frame(frame, fmt, out_file)
    if out_file:
        out.print(f"{len(frame)} rows written to {out_file}")


@app.command()
def survey(
    path: Annotated[Path, typer.Argument(help="Microdata: CSV, Parquet, Stata (.dta) or SPSS "
                                              "(.sav).")],
    outcome: Annotated[str, typer.Option(
        help="A 0/1 column, or a column and a rule: 'zscore < -2'.")],
    circumstances: Annotated[str, typer.Option(
        help="Comma-separated columns: 'quintile,rural,ed,male'.")],
    weight: Annotated[str | None, typer.Option(help="Survey weight column.")] = None,
    barrier: Annotated[bool, typer.Option(
        "--barrier", help="The outcome is a deprivation (stunting...): D-index and HOI are "
                          "computed on its complement.")] = False,
    min_share: Annotated[float, typer.Option(help="Tree: smallest group, share of the "
                                                  "weighted population.")] = 0.05,
    min_n: Annotated[int, typer.Option(help="Tree: smallest group, records.")] = 50,
    max_depth: Annotated[int, typer.Option(help="Tree: deepest split.")] = 4,
    cp: Annotated[float, typer.Option(help="Tree: least variance reduction of a split, as a "
                                           "share of the root's.")] = 0.01,
    fmt: Annotated[SurveyFormat, typer.Option("--format")] = SurveyFormat.JSON,
    out_file: OutOption = None,
    chart: Annotated[Path | None, typer.Option(
        help="Also draw the tree here, as SVG.")] = None,
    save: Annotated[str | None, typer.Option(
        help="Keep the analysis in the store under this title ('Stunting, DHS 2013'), for "
             "the pages of --area (and of --indicator).")] = None,
    area: Annotated[str | None, typer.Option(
        help="With --save: the country surveyed (M49 or ISO3).")] = None,
    survey_name: Annotated[str, typer.Option(
        "--survey", help="With --save: the survey ('Nigeria DHS').")] = "",
    year: Annotated[int | None, typer.Option(help="With --save: the survey year.")] = None,
    indicator: Annotated[str | None, typer.Option(
        help="With --save: the SDG indicator the outcome measures (2.2.1).")] = None,
    db: Annotated[Path | None, typer.Option("--db", help="Store file (with --save).")] = None,
) -> None:
    """Weighted access rate, D-index, Human Opportunity Index, furthest-behind and
    furthest-ahead groups (weighted CART) and the Shapley decomposition of D; --chart draws
    the tree, --save keeps the analysis for the country's pages (not the microdata)."""
    import json

    from sdgtrack.lnob.survey import SurveySpec, analyse_survey, read_survey
    from sdgtrack.lnob.tree import TreeParameters

    if save is not None and area is None:
        raise UsageError("--save needs --area: the country the survey covers (NGA, 566).")
    spec = SurveySpec.from_text(outcome, circumstances, weight, barrier)
    params = TreeParameters(min_share=min_share, min_n=min_n, max_depth=max_depth, cp=cp)
    result = analyse_survey(read_survey(path, spec), spec, params)
    if chart is not None:
        _draw_tree(result, chart, save or spec.label)
    if save is not None:
        _save(result, path, db, save, str(area), survey_name, year, indicator)
    if fmt is SurveyFormat.TABLE and out_file is None:
        _print_survey(result)
        return
    text = json.dumps(result, ensure_ascii=False, indent=1, allow_nan=False)
    if out_file is None:
        typer.echo(text)
    else:
        out_file.write_text(text, encoding="utf-8")


def _print_survey(r: dict[str, Any]) -> None:
    import pandas as pd

    from sdgtrack.cli.render import write_frame

    star = "*" if r["barrier"] else ""
    out.print(f"{r['outcome']}: weighted rate {r['rate']:.4f} (n = {r['n']}, "
              f"{r['dropped_rows']} rows dropped)")
    out.print(f"D-index{star} {r['d_index']:.4f} over the tree's groups, "
              f"{r['d_index_cells']:.4f} over all cells; HOI{star} {r['hoi']:.4f}")
    for key in ("furthest_behind", "furthest_ahead"):
        g = r[key]
        out.print(f"{key.replace('_', ' ')}: {g['condition']} - share {g['share']:.3f}, "
                  f"rate {g['rate']:.4f}")
    tree = pd.DataFrame(r["tree"])
    write_frame(tree[[c for c in ("node", "depth", "condition", "n", "share", "rate",
                                  "terminal") if c in tree]], "table")
    write_frame(pd.DataFrame(r["shapley"]), "table")


def _draw_tree(result: dict[str, Any], path: Path, title: str) -> None:
    from sdgtrack.publish.tree_chart import analysis_svg

    path.write_text(analysis_svg(result, title), encoding="utf-8")
    err.print(f"tree drawn in {path}")


def _save(result: dict[str, Any], path: Path, db: Path | None, title: str, area: str, survey: str,
          year: int | None, indicator: str | None) -> None:
    import hashlib

    from sdgtrack.store.surveys import save_survey_analysis

    with path.open("rb") as f:
        digest = hashlib.file_digest(f, "sha256")
    from sdgtrack import framework

    m49 = framework.resolve_area(area)
    with open_store(db) as store:
        new_id = save_survey_analysis(store, m49, title, result, survey=survey,
                                      time_period=year, indicator=indicator,
                                      file_name=path.name, checksum=digest.hexdigest())
    err.print(f"saved as survey analysis {new_id} of area {m49}; its page shows it")


@app.command()
def surveys(
    remove: Annotated[int | None, typer.Option(help="Remove this saved analysis.")] = None,
    db: DbOption = None,
) -> None:
    """The survey analyses kept in the store (sdgtrack lnob survey --save)."""
    from sdgtrack import framework
    from sdgtrack.store.surveys import remove_survey_analysis, survey_analyses

    with open_store(db, read_only=remove is None) as store:
        if remove is not None:
            remove_survey_analysis(store, remove)
            out.print(f"removed survey analysis {remove}")
            return
        rows = survey_analyses(store)
    if not rows:
        out.print("No survey analysis is saved; sdgtrack lnob survey ... --save TITLE "
                  "--area AREA keeps one.")
    for r in rows:  # one line each: titles are long, a table would cut them
        about = "; ".join(x for x in (
            ", ".join(str(x) for x in (r["survey"], r["time_period"]) if x),
            f"indicator {r['indicator']}" if r["indicator"] else "", r["file_name"]) if x)
        name = framework.area_names().get(r["ref_area"], r["ref_area"])
        out.print(f"{r['analysis_id']}  {name} ({r['ref_area']}): {r['title']} [{about}]",
                  highlight=False, markup=False)
