"""How the commands print: tables for people, JSON or CSV for scripts. Part of the CLI."""

from __future__ import annotations

import json
from typing import Any, NoReturn

import typer
from rich.console import Console
from rich.table import Table

out = Console()
# soft wrap: a message stays one line, so a log or a grep finds it whole
err = Console(stderr=True, soft_wrap=True)


def note_if_empty(store: Any) -> None:
    """Say so when no load is current. Read commands never load data (a rolled-back only
    load must stay rolled back); ``sdgtrack review`` loads the bundled extract."""
    if store.current_load_count() == 0:
        err.print("The store holds no data (no load is current): the results are empty. Load "
                  "the bundled UN SDG extract with `sdgtrack review`, or your own files with "
                  "`sdgtrack ingest PATH`.")


def fail(exc: Exception) -> NoReturn:
    """Print a refusal (an ``SdgtrackError``) and end the command with its exit code."""
    err.print(f"[red]error:[/red] {exc}", markup=True, highlight=False)
    raise typer.Exit(getattr(exc, "exit_code", 1)) from None


def issue_counts(issues: list) -> Table:
    table = Table("code", "severity", "count", title="Issues by code")
    by_code: dict[tuple[str, str], int] = {}
    for i in issues:
        key = (i.code.value, i.severity.value)
        by_code[key] = by_code.get(key, 0) + 1
    for (code, sev), n in sorted(by_code.items()):
        table.add_row(code, sev, f"{n:,}")
    return table


def show_examples(problems: list, limit: int = 10) -> None:
    """The first few problems, errors before warnings. ``problems`` are issues, or groups
    of them (``validate.grouped``: a problem met on many rows once, with its count and
    first rows; ``--report`` lists every row)."""
    def issue(p: Any) -> Any:
        return getattr(p, "first", p)

    problems = sorted(problems, key=lambda p: issue(p).severity.value != "error")
    for p in problems[:limit]:
        colour = "red" if issue(p).severity.value == "error" else "yellow"
        err.print(f"[{colour}]{issue(p).severity.value}[/{colour}] ", end="", highlight=False)
        err.print(str(p), highlight=False, markup=False)
    if len(problems) > limit:
        err.print(f"... and {len(problems) - limit:,} more problems "
                  "(write every row with --report FILE)")


def render_summary(d: dict[str, Any], issues: list, as_json: bool,
                   problems: list | None = None) -> None:
    """The load summary; ``problems`` (issues grouped, ``validate.grouped``) are shown as
    examples, else ``issues`` one by one."""
    if as_json:
        print(json.dumps(d, indent=1))
        return
    for ds in d["datasets"]:
        colour = {"loaded": "green", "unchanged": "cyan", "rejected": "red"}[ds["status"]]
        out.print(f"[{colour}]{ds['status']}[/{colour}] {ds['dataset']} ({ds['path']}): "
                  f"{ds['rows_loaded']:,} rows loaded, {ds['rows_rejected']:,} rejected"
                  + (f"; +{ds['rows_added']:,} ~{ds['rows_changed']:,} -{ds['rows_removed']:,}"
                     if ds["status"] == "loaded" and not ds.get("diff") else "")
                  + (f"; input unchanged since load {ds['load_id']}, which holds "
                     f"{ds['rows_current']:,} rows" if ds["status"] == "unchanged" else ""),
                  highlight=False)
        for step in ds.get("next_steps") or []:
            out.print(f"  {step}", highlight=False, markup=False)
        if ds.get("diff"):
            render_vintage_diff(ds["diff"], ds["changes"])
    years = d["years"]
    out.print(f"rows read {d['rows_read']:,}, loaded {d['rows_loaded']:,}, rejected "
              f"{d['rows_rejected']:,}; {d['series']} series, {d['areas']} areas"
              + (f", years {years[0]}-{years[1]}" if years else ""), highlight=False)
    if d["rejected_by_reason"]:
        out.print("rejected by reason: " + ", ".join(
            f"{k} {v:,}" for k, v in d["rejected_by_reason"].items()))
    if issues:
        out.print(issue_counts(issues))
        show_examples(issues if problems is None else problems)


def render_vintage_diff(diff: dict[str, Any], changes: str, revisions: int = 5) -> None:
    """What a new vintage changed, for a person: counts, then the largest revisions."""
    out.print(f"  new vintage (supersedes load {diff['superseded_load']}): {changes}",
              highlight=False)
    renamed = diff["series"]["renamed"]
    if renamed:
        out.print("  series renamed: " + ", ".join(f"{r['old']} -> {r['new']}"
                                                  for r in renamed[:10])
                  + (f" and {len(renamed) - 10} more" if len(renamed) > 10 else ""),
                  highlight=False)
    top = diff["largest_revisions"][:revisions]
    if top:
        table = Table("series", "area", "year", "before", "after", "change",
                      title="largest revisions (totals)")
        for r in top:
            table.add_row(r["series_code"], r["ref_area"], str(r["time_period"]),
                          str(r["before"]), str(r["after"]),
                          f"{r['relative_change']:+.0%}" if r["relative_change"] < 10
                          else f"x{r['relative_change'] + 1:,.0f}")
        out.print(table)


CLASS_SYMBOLS = {"maintain": "● maintain", "accelerate": "▲ accelerate",
                 "reverse": "▼ reverse", "insufficient_data": "· insufficient data"}


def render_assessment(report: dict, result: Any, unit: str, fmt: str, table: str) -> str:
    if fmt == "json":
        return json.dumps(report, indent=1, ensure_ascii=False, default=str)
    if fmt == "csv":
        frames = {"snapshot": result.snapshot, "dashboard": result.dashboard,
                  "indicators": result.subindicators}
        if table not in frames:
            raise typer.BadParameter("--table is snapshot, dashboard or indicators")
        frame = frames[table]
        return frame[frame.unit == unit].to_csv(index=False)
    u = report["unit"]
    method = report["method"]
    base = method["parameters"]["baseline_year"]
    snap = Table("goal", "title", "current status", "expected", "status", "indicators",
                 title=f"{u['name']}: goal snapshot (baseline {base}, current "
                 f"{method['current_year']})")
    for g in report["snapshot"]:
        csi = g["current_status_index"]
        snap.add_row(str(g["goal"]), g["title"], "—" if csi is None else f"{csi:.2f}",
                     f"{g['expected_progress']:.2f}", g["status"].replace("_", " "),
                     str(g["indicators_used"]))
    out.print(snap)
    dash = Table("target", "anticipated progress", "class", "indicators",
                 title=f"{u['name']}: target dashboard (assessed targets)")
    for t in report["dashboard"]:
        if t["class"] != "insufficient_data":
            dash.add_row(t["target"], f"{t['anticipated_progress_index']:.2f}",
                         CLASS_SYMBOLS[t["class"]], str(t["indicators_used"]))
    out.print(dash)
    counts = report["summary"]["targets_by_class"]
    out.print(", ".join(f"{CLASS_SYMBOLS[k]}: {v}" for k, v in sorted(counts.items())))
    out.print(f"{method['name']} ({method['version']}); --format json gives every number "
              "and the values behind it.")
    return ""


def write_frame(frame: Any, fmt: str, path: Any = None, limit: int = 200) -> None:
    """A pandas table as a rich table (first ``limit`` rows), CSV or JSON records, to
    stdout or ``path``."""
    if fmt == "table" and path is None:
        table = Table(*[str(c) for c in frame.columns], show_lines=False)
        for row in frame.head(limit).itertuples(index=False):
            table.add_row(*[_cell(v) for v in row])
        out.print(table)
        if len(frame) > limit:
            err.print(f"... {len(frame) - limit} more rows: use --format csv --out FILE.")
        return
    text = (frame.to_json(orient="records", force_ascii=False, indent=1) if fmt == "json"
            else frame.to_csv(index=False))
    if path is None:
        typer.echo(text)
    else:
        path.write_text(text, encoding="utf-8")


def _cell(value: Any) -> str:
    if isinstance(value, float):
        return "" if value != value else f"{value:.4g}"
    return "" if value is None else str(value)
