"""Data commands: ``ingest``, ``validate``, ``datasets``, ``conflicts``, ``series``,
``areas``, ``template``. Each parses, calls the core, renders."""

from __future__ import annotations

import enum
import json
from pathlib import Path
from typing import Annotated

import typer

from sdgtrack.cli.common import (
    DbOption,
    JsonOption,
    err,
    open_or_server,
    open_store,
    out,
    store_exists,
)


class ReportingType(enum.StrEnum):
    G = "G"
    N = "N"
    R = "R"


ReportOption = Annotated[Path | None, typer.Option(
    help="Write every issue to this file (CSV, or JSON by extension).")]
AreasOption = Annotated[Path | None, typer.Option(
    help="CSV (ref_area, name, parent) of extra areas the data may use.")]


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
    areas: AreasOption = None,
    report: ReportOption = None,
    reporting_type: Annotated[ReportingType | None, typer.Option(
        "--reporting-type", case_sensitive=False,
        help="Global, national or regional: the source's kind, when the files do not say. "
             "Decides, with the setting SDGTRACK_PRECEDENCE, which value is in use when two "
             "sources give one observation.")] = None,
    vintage: Annotated[str | None, typer.Option(
        help="The edition of the data, e.g. 2023-12 (shown with the dataset's loads).")] = None,
) -> None:
    """Load files into the store: read, validate, store atomically, summarise. A load of a
    dataset already stored is its new vintage: it supersedes the old one (kept as history),
    and the summary says what changed."""
    import getpass

    from rich.progress import Progress

    from sdgtrack import pipeline, validate
    from sdgtrack.cli.render import render_summary
    from sdgtrack.ingest import ReadOptions

    store = open_or_server(db)
    if isinstance(store, tuple):
        _through_server(*store, paths, dataset, as_json)
        return
    with store, Progress(console=err, transient=True, disable=as_json) as progress:
        task = progress.add_task("reading", total=None)

        def tick(name: str, done: int, total: int) -> None:
            progress.update(task, description=f"reading {name}", completed=done, total=total)

        options = ReadOptions(area=area, mapping=mapping, areas=areas, progress=tick,
                              reporting_type=reporting_type and reporting_type.value)
        with store.provenance(f"cli:{getpass.getuser()}"):  # who, in the audit trail
            summary = pipeline.ingest_paths(paths, store, options, dataset=dataset,
                                            skip_invalid=skip_invalid, vintage=vintage)
    if report:
        validate.write_report(summary.issues, report)
    render_summary(summary.as_dict(), summary.issues, as_json,
                   validate.grouped(summary.issues), report)
    raise typer.Exit(0 if summary.ok else 1)


def _through_server(url: str, token: str, paths: list[Path], dataset: str | None,
                    as_json: bool) -> None:
    """A server with accounts holds the store: the files go to it (``cli/remote.py``)."""
    from sdgtrack.cli.remote import submit

    err.print(f"The store is held by the server at {url}: sending the file(s) to it with "
              "SDGTRACK_TOKEN.", highlight=False)
    loaded = submit(url, token, paths, dataset)
    if as_json:
        print(json.dumps(loaded, default=str, indent=1))
        return
    for sub in loaded:
        result = sub.get("result") or {}
        out.print(f"{sub['file_name']}: submission {sub['submission_id']}, {sub['status']} as "
                  f"load {sub.get('load_id')} of {sub['dataset']!r} "
                  f"({result.get('rows_loaded', '?')} rows)", highlight=False)


def validate_(
    paths: Annotated[list[Path], typer.Argument(help="Files or folders to check.")],
    report: ReportOption = None,
    db: DbOption = None,
    area: Annotated[str | None, typer.Option(help="Country of an Open SDG repository.")] = None,
    mapping: Annotated[Path | None, typer.Option(help="Open SDG mapping file.")] = None,
    areas: AreasOption = None,
) -> None:
    """Check files without loading them; exit 1 when there are errors."""
    from sdgtrack import pipeline, validate
    from sdgtrack.cli.render import issue_counts, show_examples
    from sdgtrack.ingest import ReadOptions

    options = ReadOptions(area=area, mapping=mapping, areas=areas)
    issues = []
    store = open_store(db, read_only=True) if store_exists(db) else None
    try:
        for path in paths:
            issues += pipeline.check_path(path, options, store)[2]
    finally:
        if store is not None:
            store.close()
    if report:
        validate.write_report(issues, report)
    if issues:
        out.print(issue_counts(issues))
        show_examples(validate.grouped(issues), report=report)
    errors = validate.has_errors(issues)
    out.print(("[red]errors found[/red]" if errors else "[green]no errors[/green]")
              + f" in {len(paths)} path(s)")
    raise typer.Exit(1 if errors else 0)


def datasets(db: DbOption = None, as_json: JsonOption = False) -> None:
    """List the loads in the store (current and superseded)."""
    from rich.table import Table

    from sdgtrack.store.current import diff_summary

    with open_store(db, read_only=True) as store:
        loads = store.loads()
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
    from rich.table import Table

    from sdgtrack import framework
    from sdgtrack.model import DIMENSION_NAMES

    with open_store(db, read_only=True) as store:
        ref_area = framework.resolve_area(area) if area else None
        rows = store.conflicts(series_code, ref_area, limit or None)
        total, precedence = store.conflict_count(), store.precedence()
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


def series(
    db: DbOption = None,
    dataset: Annotated[str | None, typer.Option(help="Only this dataset.")] = None,
    as_json: JsonOption = False,
) -> None:
    """Series in the store: rows, areas, years, national headline or not, breakdowns used."""
    from rich.table import Table

    from sdgtrack.store import queries

    with open_store(db, read_only=True) as store:
        obs = store.table("observations_current")
        if dataset:
            obs = obs.filter(obs.dataset == dataset)
        profile = queries.series_profile(obs, store.table("areas_all")).order_by(
            "series_code").execute()
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


class AreaKind(enum.StrEnum):
    COUNTRY = "country"
    TERRITORY = "territory"
    REGION = "region"
    AGGREGATE = "aggregate"
    OTHER = "other"
    SUBNATIONAL = "subnational"


def areas_(
    db: DbOption = None,
    kind: Annotated[AreaKind | None, typer.Option(help="Only areas of this kind.")] = None,
    group: Annotated[str | None, typer.Option(
        help="Only the members of this group (escap, escap_sea, ldc ...).")] = None,
    as_json: JsonOption = False,
) -> None:
    """The areas the codes may name (M49, ISO3, name, kind) with the groups, and how many
    current observations the store holds for each; the codes other commands take."""
    from rich.table import Table

    from sdgtrack import framework

    names, kinds = framework.area_names(), framework.area_kinds()
    iso3 = {m: i for m in names if (i := framework.iso3_of(m)) != m}
    rows_by_area: dict[str, int] = {}
    if store_exists(db):
        with open_store(db, read_only=True) as store:
            obs = store.table("observations_current")
            counted = obs.group_by("ref_area").aggregate(n=obs.count()).to_pyarrow()
            rows_by_area = dict(zip(counted["ref_area"].to_pylist(), counted["n"].to_pylist(),
                                    strict=True))
            known = store.table("areas_all").filter(lambda t: t.kind == "subnational")
            for r in known.select("ref_area", "name").to_pyarrow().to_pylist():
                names.setdefault(r["ref_area"], r["name"])
    codes = list(names)
    if group:
        codes = framework.group_members(group)
    if kind:
        codes = [c for c in codes if kinds.get(c, "subnational") == kind.value]
    rows: list[dict[str, str | int]] = [
        {"m49": c, "iso3": iso3.get(c) or "", "name": names.get(c, c),
         "kind": kinds.get(c, "subnational"), "observations": rows_by_area.get(c, 0)}
        for c in codes]
    if as_json:
        print(json.dumps({"areas": rows, "groups": framework.group_codes()}, indent=1,
                         ensure_ascii=False))
        return
    table = Table("M49", "ISO3", "name", "kind", "observations")
    for r in rows:
        table.add_row(*(str(r[k]) for k in ("m49", "iso3", "name", "kind")),
                      f"{r['observations']:,}")
    out.print(table)
    out.print(f"{len(rows):,} areas; groups: {', '.join(framework.group_codes())}",
              highlight=False)


def template(
    out_path: Annotated[Path, typer.Argument(help="The .xlsx file to write.")],
) -> None:
    """Write the Excel data-entry template (one observation per row; load it with ingest)."""
    from sdgtrack.publish.template import write_template

    write_template(out_path)
    out.print(f"wrote {out_path}: fill the 'Data' sheet, then: sdgtrack ingest {out_path}")


def register(app: typer.Typer) -> None:
    app.command()(ingest)
    app.command("validate")(validate_)
    app.command()(datasets)
    app.command()(conflicts)
    app.command()(series)
    app.command("areas")(areas_)
    app.command()(template)

