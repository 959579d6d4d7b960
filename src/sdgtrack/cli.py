"""The ``sdgtrack`` command: thin. Each command parses, calls the core, renders, and exits
0 (ok), 1 (a data problem) or 2 (a usage problem)."""

from __future__ import annotations

import getpass
import json
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from sdgtrack import bundled, cli_lnob, cli_publish, cli_users, pipeline, settings, validate
from sdgtrack.cli_render import (
    err,
    fail,
    issue_counts,
    note_if_empty,
    out,
    render_assessment,
    render_summary,
    show_examples,
)
from sdgtrack.errors import SdgtrackError
from sdgtrack.ingest import ReadOptions
from sdgtrack.model import DIMENSION_NAMES
from sdgtrack.store import Store
from sdgtrack.store.current import diff_summary

app = typer.Typer(help="sdgtrack: follow-up and review of the 2030 Agenda.",
                  no_args_is_help=True, add_completion=False,
                  pretty_exceptions_enable=False)

DbOption = Annotated[Path | None, typer.Option(
    "--db", help="Store file. Default: $SDGTRACK_DB, then the per-user data directory.")]
JsonOption = Annotated[bool, typer.Option("--json", help="Print the result as JSON.")]
app.add_typer(cli_lnob.app, name="lnob")
app.add_typer(cli_users.app, name="users")
app.command()(cli_publish.export)
app.add_typer(cli_publish.report_app, name="report")
app.command()(cli_users.history)
app.command()(cli_users.rollback)


def _db(db: Path | None) -> Path:
    return db if db is not None else settings.default_db_path()


@app.command()
def ingest(
    paths: Annotated[list[Path], typer.Argument(help="Files or folders to load.")],
    db: DbOption = None,
    as_json: JsonOption = False,
    dataset: Annotated[str | None, typer.Option(help="Dataset name (one PATH only).")] = None,
    skip_invalid: Annotated[bool, typer.Option(
        "--skip-invalid", help="Load the valid rows of a file with errors; report the rest."
    )] = False,
    area: Annotated[str | None, typer.Option(
        help="Country of a national (Open SDG) repository, M49 or ISO3.")] = None,
    mapping: Annotated[Path | None, typer.Option(
        help="Column/code mapping file for an Open SDG repository.")] = None,
    areas: Annotated[Path | None, typer.Option(
        help="CSV (ref_area, name, parent) of extra areas the data may use.")] = None,
    report: Annotated[Path | None, typer.Option(
        help="Write every issue to this file (CSV, or JSON by extension).")] = None,
    reporting_type: Annotated[str | None, typer.Option(
        "--reporting-type", help="G (global), N (national) or R (regional): the source's "
        "kind, when the files do not say. Decides, with the setting SDGTRACK_PRECEDENCE, "
        "which value is in use when two sources give one observation.")] = None,
    vintage: Annotated[str | None, typer.Option(
        help="The edition of the data, e.g. 2023-12 (shown with the dataset's loads).")] = None,
) -> None:
    """Load files into the store: read, validate, store atomically, summarise. A load of a
    dataset already stored is its new vintage: it supersedes the old one (kept as history),
    and the summary says what changed."""
    from rich.progress import Progress

    try:
        with Store(_db(db)) as store, Progress(console=err, transient=True,
                                               disable=as_json) as progress:
            task = progress.add_task("reading", total=None)

            def tick(name: str, done: int, total: int) -> None:
                progress.update(task, description=f"reading {name}", completed=done, total=total)

            if reporting_type is not None and reporting_type.upper() not in ("G", "N", "R"):
                raise typer.BadParameter("--reporting-type is G, N or R")
            options = ReadOptions(area=area, mapping=mapping, areas=areas, progress=tick,
                                  reporting_type=reporting_type and reporting_type.upper())
            with store.provenance(f"cli:{getpass.getuser()}"):  # who, in the audit trail
                summary = pipeline.ingest_paths(paths, store, options, dataset, skip_invalid,
                                                vintage)
    except SdgtrackError as exc:
        fail(exc)
        return
    if report:
        validate.write_report(summary.issues, report)
    render_summary(summary.as_dict(), summary.issues, as_json, validate.grouped(summary.issues))
    raise typer.Exit(0 if summary.ok else 1)


@app.command("validate")
def validate_cmd(
    paths: Annotated[list[Path], typer.Argument(help="Files or folders to check.")],
    report: Annotated[Path | None, typer.Option(
        help="Write every issue to this file (CSV, or JSON by extension).")] = None,
    db: DbOption = None,
    area: Annotated[str | None, typer.Option(help="Country of an Open SDG repository.")] = None,
    mapping: Annotated[Path | None, typer.Option(help="Open SDG mapping file.")] = None,
    areas: Annotated[Path | None, typer.Option(
        help="CSV (ref_area, name, parent) of extra areas the data may use.")] = None,
) -> None:
    """Check files without loading them; exit 1 when there are errors."""
    options = ReadOptions(area=area, mapping=mapping, areas=areas)
    store_path = _db(db)
    issues = []
    try:
        store = Store(store_path, read_only=True) if store_path.exists() else None
        try:
            for path in paths:
                issues += pipeline.check_path(path, options, store)[2]
        finally:
            if store is not None:
                store.close()
    except SdgtrackError as exc:
        fail(exc)
    if report:
        validate.write_report(issues, report)
    if issues:
        out.print(issue_counts(issues))
        show_examples(validate.grouped(issues))
    errors = validate.has_errors(issues)
    out.print(("[red]errors found[/red]" if errors else "[green]no errors[/green]")
              + f" in {len(paths)} path(s)")
    raise typer.Exit(1 if errors else 0)


@app.command()
def datasets(db: DbOption = None, as_json: JsonOption = False) -> None:
    """List the loads in the store (current and superseded)."""
    try:
        with Store(_db(db), read_only=True) as store:
            loads = store.loads()
    except SdgtrackError as exc:
        fail(exc)
        return
    for ld in loads:
        ld["diff"] = json.loads(ld["diff"]) if ld.get("diff") else None
    if as_json:
        print(json.dumps(loads, default=str, indent=1))
        return
    table = Table("load", "dataset", "vintage", "status", "rows", "reader", "loaded at",
                  "what changed", "path")
    for ld in loads:
        table.add_row(str(ld["load_id"]), ld["dataset"], ld["vintage"] or "", ld["status"],
                      f"{ld['rows_loaded']:,}", ld["reader"], str(ld["loaded_at"])[:19],
                      diff_summary(ld["diff"]) if ld["diff"] else "first load", ld["path"])
    out.print(table)


@app.command()
def conflicts(
    db: DbOption = None,
    series_code: Annotated[str | None, typer.Option("--series", help="Only this series.")
                           ] = None,
    area: Annotated[str | None, typer.Option(help="Only this area (M49 or ISO3).")] = None,
    limit: Annotated[int, typer.Option(help="At most this many rows (0: all).")] = 50,
    as_json: JsonOption = False,
) -> None:
    """Observations that two sources give (e.g. national and global): the value in use, by
    the precedence of reporting types (setting SDGTRACK_PRECEDENCE), and the other one."""
    from sdgtrack import framework

    try:
        with Store(_db(db), read_only=True) as store:
            ref_area = framework.resolve_area(area) if area else None
            rows = store.conflicts(series_code, ref_area, limit or None)
            total, precedence = store.conflict_count(), store.precedence()
    except SdgtrackError as exc:
        fail(exc)
        return
    if as_json:
        print(json.dumps({"precedence": list(precedence), "total": total, "conflicts": rows},
                         default=str, indent=1))
        return
    table = Table("series", "area", "year", "breakdown", "in use", "from", "other", "from")
    for r in rows:
        dims = ", ".join(f"{k}={r[k]}" for k in DIMENSION_NAMES
                         if k in r and r[k] != "_T") or "total"
        table.add_row(r["series_code"], r["ref_area"], str(r["time_period"]), dims,
                      str(r["value_in_use"]),
                      f"{r['dataset_in_use']} ({r['reporting_type_in_use']})",
                      str(r["other_value"]), f"{r['other_dataset']} ({r['other_reporting_type']})")
    out.print(table)
    out.print(f"{total:,} observation(s) have a value from another source beside the one in "
              f"use; precedence {','.join(precedence)} (best first).", highlight=False)


@app.command()
def series(
    db: DbOption = None,
    dataset: Annotated[str | None, typer.Option(help="Only this dataset.")] = None,
    as_json: JsonOption = False,
) -> None:
    """Series in the store: rows, areas, years, national headline or not, breakdowns used."""
    from sdgtrack.store import queries

    try:
        with Store(_db(db), read_only=True) as store:
            obs = store.table("observations_current")
            if dataset:
                obs = obs.filter(obs.dataset == dataset)
            profile = queries.series_profile(obs, store.table("areas_all")).order_by(
                "series_code").execute()
    except SdgtrackError as exc:
        fail(exc)
        return
    by = [c for c in profile.columns if c.startswith("by_")]
    profile["breakdowns"] = profile[by].apply(
        lambda r: ",".join(c.removeprefix("by_") for c in by if r[c]), axis=1)
    profile = profile.drop(columns=by)
    if as_json:
        print(profile.to_json(orient="records", indent=1))
        return
    headline = int(profile.headline.sum())
    breakdown = int(((profile.breakdowns != "") | profile.subnational).sum())
    table = Table(*profile.columns, title=f"{len(profile)} series: {headline} with a national "
                  f"headline, {breakdown} with breakdowns or sub-national rows")
    for row in profile.itertuples(index=False):
        table.add_row(*(str(v) for v in row))
    out.print(table)


@app.command()
def assess(
    group: Annotated[str | None, typer.Option(help="Group code: escap, escap_sea, ldc ...")] = None,
    area: Annotated[str | None, typer.Option(help="Country: M49 or ISO3 code.")] = None,
    members: Annotated[str | None, typer.Option(
        help="A group of your own: comma-separated M49 or ISO3 codes.")] = None,
    baseline: Annotated[int, typer.Option(help="Baseline year: 2015, or 2000 (<= 2022 "
                                          "editions).")] = 2015,
    projection: Annotated[str, typer.Option(help="regression or cagr.")] = "regression",
    aggregate: Annotated[str, typer.Option(help="Group value: mean (ESCAP) or median.")] = "mean",
    spec: Annotated[Path | None, typer.Option(
        help="Your own target specification (overrides rows of the shipped one).")] = None,
    fmt: Annotated[str, typer.Option("--format", help="table, csv or json.")] = "table",
    table: Annotated[str, typer.Option(
        help="With csv: snapshot, dashboard or indicators.")] = "snapshot",
    out_file: Annotated[Path | None, typer.Option("--out", help="Write here, not stdout.")] = None,
    charts: Annotated[Path | None, typer.Option(
        help="Folder to write the snapshot and dashboard charts (SVG) to.")] = None,
    db: DbOption = None,
) -> None:
    """ESCAP progress assessment: goal snapshot (Current Status Index) and target dashboard
    (Anticipated Progress Index) for a group, a country or your own group."""
    from sdgtrack.assess import EscapParameters, assess_units, unit_report

    chosen = [x for x in (group, area, members) if x]
    if len(chosen) != 1 or fmt not in ("table", "csv", "json"):
        err.print("Give exactly one of --group, --area, --members; --format is table, csv "
                  "or json.")
        raise typer.Exit(2)
    try:
        params = EscapParameters(baseline_year=baseline, projection=projection,
                                 aggregate=aggregate)
        with Store(_db(db)) as store:
            note_if_empty(store)
            result, unit = assess_units(store, group=group, area=area, members=members,
                                        params=params, spec=spec)
        report = unit_report(result, unit.code)
    except SdgtrackError as exc:
        fail(exc)
        return
    if charts:
        from sdgtrack.publish.charts import write_assessment_charts

        write_assessment_charts(report, charts)
    text = render_assessment(report, result, unit.code, fmt, table)
    if out_file:
        out_file.write_text(text, encoding="utf-8")
    elif text:
        print(text)


@app.command()
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
    fmt: Annotated[str, typer.Option("--format", help="csv or json.")] = "csv",
    indicators: Annotated[Path | None, typer.Option(
        help="Also write one row per country x indicator here.")] = None,
    db: DbOption = None,
) -> None:
    """SDSN SDG Index, goal scores, dashboards and trends: from an SDR database release, or
    from the store with a parameter table of your own."""
    from sdgtrack.assess.sdr import SdrParameters, compute_sdr

    if fmt not in ("csv", "json"):
        err.print("--format is csv or json.")
        raise typer.Exit(2)
    try:
        params = SdrParameters(max_missing_share=max_missing)
        countries, per_indicator = compute_sdr(_sdr_inputs(database, table, group, db), params)
    except SdgtrackError as exc:
        fail(exc)
        return
    for frame, path in ((countries, out_file), (per_indicator, indicators)):
        if path is None:
            continue
        if fmt == "json":
            path.write_text(frame.to_json(orient="records", force_ascii=False, indent=1),
                            encoding="utf-8")
        else:
            frame.to_csv(path, index=False)
    ranked = int(countries.index_rank.notna().sum())
    out.print(f"{ranked} of {len(countries)} countries ranked; wrote {out_file}")


def _sdr_inputs(database: Path | None, table: Path | None, group: str, db: Path | None
                ) -> object:
    if database is not None:
        from sdgtrack.ingest.sdr import read_sdr

        return read_sdr(database)
    from sdgtrack.assess import sdr_store

    with Store(_db(db)) as store:
        note_if_empty(store)
        return sdr_store.sdr_inputs(store.table("observations_current"),
                                    sdr_store.read_table(table), sdr_store.regions_of(group))


@app.command()
def template(
    out_path: Annotated[Path, typer.Argument(help="The .xlsx file to write.")],
) -> None:
    """Write the Excel data-entry template (one observation per row; load it with ingest)."""
    from sdgtrack.publish.template import write_template

    write_template(out_path)
    out.print(f"wrote {out_path}: fill the 'Data' sheet, then: sdgtrack ingest {out_path}")


@app.command()
def serve(
    db: DbOption = None,
    host: Annotated[str, typer.Option(help="Address to listen on (loopback by default).")
                    ] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port.")] = 8000,
    open_browser: Annotated[bool, typer.Option("--open/--no-open",
                                               help="Open the home page in a browser.")] = False,
    read_only: Annotated[bool, typer.Option("--read-only", help="Read-only even when the "
                                            "store has accounts (no sign-in).")] = False,
) -> None:
    """Serve the pages and the HTTP API over the store (loads the bundled data if empty);
    writable when it has accounts (`sdgtrack users add`), so they can sign in and submit."""
    import uvicorn

    from sdgtrack.auth import has_accounts
    from sdgtrack.web.app import create_app

    try:
        with Store(_db(db)) as store:
            note_if_empty(store)
            writable = has_accounts(store) and not read_only
        store = Store(_db(db), read_only=not writable)
    except SdgtrackError as exc:
        fail(exc)
        return
    url = f"http://{host}:{port}/"
    mode = "submissions open at /signin" if writable else "read-only"
    err.print(f"sdgtrack: serving {store.path} at {url} ({mode}; Ctrl-C to stop)")
    if open_browser:
        import threading
        import webbrowser

        threading.Timer(1.5, lambda: webbrowser.open(url)).start()
    uvicorn.run(create_app(store), host=host, port=port, log_level="warning")


@app.command("build-site")
def build_site(
    out_dir: Annotated[Path, typer.Argument(help="Folder to write the site to.")],
    db: DbOption = None,
    languages: Annotated[str, typer.Option(help="Comma-separated: en,zh,ru.")] = "en,zh",
    processes: Annotated[int, typer.Option(help="Worker processes (one per core).")] = 2,
) -> None:
    """Render every page (HTML and JSON) to a static site that works offline."""
    from sdgtrack.publish.site.build import build_site as build
    from sdgtrack.publish.site.data import SiteData

    try:
        with Store(_db(db)) as store:
            note_if_empty(store)
        # worker processes open the store read-only; so does this one
        with Store(_db(db), read_only=True) as store:
            report = build(SiteData(store, frozen=True), out_dir, tuple(languages.split(",")),
                           processes=processes)
    except SdgtrackError as exc:
        fail(exc)
        return
    workers = "" if report.workers == "none" else f", {processes} {report.workers} workers"
    out.print(f"wrote {report.pages:,} pages ({report.files:,} files) to {out_dir} in "
              f"{report.seconds:.1f} s{workers}; open {out_dir / 'index.html'}")
    if report.broken:
        for page, target in report.broken[:20]:
            err.print(f"broken link in {page}: {target}")
        raise typer.Exit(1)


@app.command()
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
    from sdgtrack.assess import assess_units, unit_report

    try:
        with Store(_db(db)) as store:
            if store.current_load_count() == 0:  # the only command that loads by itself
                err.print("The store is empty: loading the bundled UN SDG extract into it.")
            loaded = pipeline.load_bundled(store, lambda folder, vintage: out.print(
                f"loading the bundled UN SDG database extract, {vintage} vintage ({folder})"))
            if loaded:  # the issues of the vintage in use (the older one's old codes are known)
                summary = pipeline.IngestSummary(loaded)
                render_summary(summary.as_dict(), loaded[-1].issues, False)
            else:
                out.print(_review_data_line(store), highlight=False)
            result, unit = assess_units(store, group="escap")
        report = unit_report(result, unit.code)
    except SdgtrackError as exc:
        fail(exc)
        return
    render_assessment(report, result, unit.code, "table", "snapshot")
    behind = [g["goal"] for g in report["snapshot"] if g["status"] != "on_schedule"]
    out.print(f"On current trends, {len(behind)} of 17 goals are behind the progress expected "
              f"by {report['method']['current_year']} (goals {', '.join(map(str, behind))}).")
    if serve_:
        serve(db=db, host="127.0.0.1", port=port, open_browser=True)


def _review_data_line(store: Store) -> str:
    current = store.current_load(bundled.UNSD_DATASET)
    if current is None:
        return "the store holds no UN SDG database extract; reviewing the data it holds"
    return (f"the store holds the {current['vintage'] or 'user'} vintage of "
            f"{bundled.UNSD_DATASET} (load {current['load_id']}, "
            f"{current['rows_loaded']:,} rows); nothing to load")


def main() -> None:  # the console-script entry point
    try:
        app()
    except SdgtrackError as exc:  # pragma: no cover - commands catch their own
        err.print(f"error: {exc}")
        sys.exit(exc.exit_code)
