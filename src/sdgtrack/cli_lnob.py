"""``sdgtrack lnob``: who is furthest behind. Thin: parse, call ``sdgtrack.lnob``, render."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import pandas as pd
import typer

from sdgtrack import framework, settings
from sdgtrack.cli_render import err, fail, note_if_empty, out, write_frame
from sdgtrack.errors import SdgtrackError, UsageError
from sdgtrack.lnob.view import readable
from sdgtrack.store import Store

app = typer.Typer(help="Leave no one behind: gaps between groups, and survey microdata.",
                  no_args_is_help=True)

SUMMARIES = ("none", "country", "dimension", "goal", "trends")
#: Columns that fit a terminal, for --format table (csv and json carry every column).
VIEW = ("ref_area", "kind", "goal", "series_code", "label", "time_period", "value_group",
        "value_reference", "ratio", "furthest_behind", "areas", "median_ratio",
        "group_behind", "reference_behind", "at_parity", "first_year", "last_year",
        "change_per_year", "status", "narrowing", "widening", "stable", "reversed")


def directions() -> dict[str, str]:
    """Desired direction per series: the ESCAP specification, then the LNOB table."""
    from sdgtrack.assess import load_spec
    from sdgtrack.lnob.gaps import default_directions

    spec = load_spec()
    return {**default_directions(), **dict(zip(spec.series_code, spec.direction, strict=True))}


def gap_tables(store: Store, areas: list[str] | None, series: list[str] | None,
               dimensions: list[str] | None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(gaps by year, gap trends) for the chosen areas, series and dimensions."""
    from sdgtrack.lnob import gaps as g

    obs = store.table("observations_current")
    if areas:
        obs = obs.filter(obs.ref_area.isin(areas))
    if series:
        obs = obs.filter(obs.series_code.isin(series))
    chosen = tuple(c for c in g.COMPARISONS if not dimensions or c.dimension in dimensions)
    if not chosen:
        raise UsageError(f"Unknown dimension(s) {', '.join(dimensions or [])}; the "
                         f"comparisons are over {', '.join(c.dimension for c in g.COMPARISONS)}.")
    table = g.gaps(g.paired_values(obs, chosen), directions())
    return table, g.gap_trends(table)


def _areas(area: list[str] | None, group: str | None) -> list[str] | None:
    codes = [framework.resolve_area(a) for a in area or []]
    if group:
        codes += framework.group_members(group)
    return codes or None


def _summary(kind: str, table: pd.DataFrame, trends: pd.DataFrame) -> pd.DataFrame:
    from sdgtrack.lnob import gaps as g

    if kind == "country":
        return g.country_summary(table, trends)
    if kind == "dimension":
        return g.dimension_summary(table, trends)
    if kind == "goal":
        links = framework.table("series_indicators").to_pandas()
        links["goal"] = links.indicator.str.split(".").str[0].astype(int)
        return g.goal_summary(table, trends, links[["series_code", "goal"]])
    if kind == "trends":
        return trends
    return g.latest_gaps(table)


@app.command()
def gaps(
    area: Annotated[list[str] | None, typer.Option(
        help="Country (M49 or ISO3); repeat for several.")] = None,
    group: Annotated[str | None, typer.Option(help="All members of a group: escap ...")] = None,
    series: Annotated[list[str] | None, typer.Option(help="Series code; repeatable.")] = None,
    dimension: Annotated[list[str] | None, typer.Option(
        help="sex, urbanisation, income_wealth_quantile, disability_status, "
             "migratory_status or age; repeatable.")] = None,
    summary: Annotated[str, typer.Option(
        help="none (latest gap per series and area), country, dimension, goal or "
             "trends.")] = "none",
    fmt: Annotated[str, typer.Option("--format", help="table, csv or json.")] = "table",
    out_file: Annotated[Path | None, typer.Option("--out", help="Write here, not stdout.")] = None,
    db: Annotated[Path | None, typer.Option("--db", help="Store file.")] = None,
) -> None:
    """Gaps between population groups (female/male, rural/urban, poorest/richest...) in
    the published disaggregations: who is furthest behind and whether the gap is closing."""
    if summary not in SUMMARIES or fmt not in ("table", "csv", "json"):
        err.print(f"--summary is one of {', '.join(SUMMARIES)}; --format table, csv or json.")
        raise typer.Exit(2)
    try:
        with Store(db if db is not None else settings.default_db_path()) as store:
            note_if_empty(store)
            table, trends = gap_tables(store, _areas(area, group), series, dimension)
    except SdgtrackError as exc:
        fail(exc)
    frame = _summary(summary, table, trends)
    if fmt == "table":
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
    fmt: Annotated[str, typer.Option("--format", help="json or table.")] = "json",
    out_file: Annotated[Path | None, typer.Option("--out", help="Write here, not stdout.")] = None,
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

    if fmt not in ("json", "table"):
        err.print("--format is json or table.")
        raise typer.Exit(2)
    try:
        if save is not None and area is None:
            raise UsageError("--save needs --area: the country the survey covers (NGA, 566).")
        spec = SurveySpec.from_text(outcome, circumstances, weight, barrier)
        params = TreeParameters(min_share=min_share, min_n=min_n, max_depth=max_depth, cp=cp)
        result = analyse_survey(read_survey(path, spec), spec, params)
        if chart is not None:
            _draw_tree(result, chart, save or spec.label)
        if save is not None:
            _save(result, path, db, save, str(area), survey_name, year, indicator)
    except SdgtrackError as exc:
        fail(exc)
    if fmt == "table" and out_file is None:
        _print_survey(result)
        return
    text = json.dumps(result, ensure_ascii=False, indent=1, allow_nan=False)
    if out_file is None:
        typer.echo(text)
    else:
        out_file.write_text(text, encoding="utf-8")


def _print_survey(r: dict) -> None:
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


def _draw_tree(result: dict, path: Path, title: str) -> None:
    from sdgtrack.publish.tree_chart import analysis_svg

    path.write_text(analysis_svg(result, title), encoding="utf-8")
    err.print(f"tree drawn in {path}")


def _save(result: dict, path: Path, db: Path | None, title: str, area: str, survey: str,
          year: int | None, indicator: str | None) -> None:
    import hashlib

    from sdgtrack.store.surveys import save_survey_analysis

    with path.open("rb") as f:
        digest = hashlib.file_digest(f, "sha256")
    m49 = framework.resolve_area(area)
    with Store(db if db is not None else settings.default_db_path()) as store:
        new_id = save_survey_analysis(store, m49, title, result, survey=survey,
                                      time_period=year, indicator=indicator,
                                      file_name=path.name, checksum=digest.hexdigest())
    err.print(f"saved as survey analysis {new_id} of area {m49}; its page shows it")


@app.command()
def surveys(
    remove: Annotated[int | None, typer.Option(help="Remove this saved analysis.")] = None,
    db: Annotated[Path | None, typer.Option("--db", help="Store file.")] = None,
) -> None:
    """The survey analyses kept in the store (sdgtrack lnob survey --save)."""
    from sdgtrack.store.surveys import remove_survey_analysis, survey_analyses

    try:
        with Store(db if db is not None else settings.default_db_path(),
                   read_only=remove is None) as store:
            if remove is not None:
                remove_survey_analysis(store, remove)
                out.print(f"removed survey analysis {remove}")
                return
            rows = survey_analyses(store)
    except SdgtrackError as exc:
        fail(exc)
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
