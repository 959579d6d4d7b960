"""How the commands print: tables for people, JSON or CSV for scripts."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import typer
from rich.console import Console
from rich.table import Table

from sdgtrack.cli.common import err, out


def issue_counts(issues: list) -> Table:
    table = Table("code", "severity", "count", title="Issues by code")
    by_code: dict[tuple[str, str], int] = {}
    for i in issues:
        key = (i.code.value, i.severity.value)
        by_code[key] = by_code.get(key, 0) + 1
    for (code, sev), n in sorted(by_code.items()):
        table.add_row(code, sev, f"{n:,}")
    return table


def count(n: int, noun: str, plural: str | None = None) -> str:
    """``1 row``, ``2 rows``, ``1,204 series``: a number with its noun, agreed.

    >>> count(1, "row"), count(12345, "row"), count(2, "series", "series")
    ('1 row', '12,345 rows', '2 series')
    """
    return f"{n:,} {noun if n == 1 else plural or noun + 's'}"


def show_examples(problems: list[Any], limit: int = 10, report: Path | None = None) -> None:
    """The first few problems, errors before warnings. ``problems`` are issues, or groups
    of them (``validate.grouped``: a problem met on many rows once, with its count and
    first rows); then where every row is (``report``) or how to get them all."""
    def issue(p: Any) -> Any:
        return getattr(p, "first", p)

    problems = sorted(problems, key=lambda p: issue(p).severity.value != "error")
    for p in problems[:limit]:
        colour = "red" if issue(p).severity.value == "error" else "yellow"
        err.print(f"[{colour}]{issue(p).severity.value}[/{colour}] ", end="", highlight=False)
        err.print(str(p), highlight=False, markup=False)
    if len(problems) > limit:
        where = (f"every row is in {report}" if report is not None
                 else "write every row with --report FILE")
        err.print(f"... and {len(problems) - limit:,} more problems ({where})",
                  highlight=False)


def render_summary(d: dict[str, Any], issues: list[Any], as_json: bool,
                   problems: list[Any] | None = None, report: Path | None = None) -> None:
    """The load summary; ``problems`` (issues grouped, ``validate.grouped``) are shown as
    examples, else ``issues`` one by one."""
    if as_json:
        print(json.dumps(d, indent=1))
        return
    for ds in d["datasets"]:
        colour = {"loaded": "green", "unchanged": "cyan", "rejected": "red"}[ds["status"]]
        out.print(f"[{colour}]{ds['status']}[/{colour}] {ds['dataset']} ({ds['path']}): "
                  f"{count(ds['rows_loaded'], 'row')} loaded, {ds['rows_rejected']:,} rejected"
                  + (f"; +{ds['rows_added']:,} ~{ds['rows_changed']:,} -{ds['rows_removed']:,}"
                     if ds["status"] == "loaded" and not ds.get("diff") else "")
                  + (f"; input unchanged since load {ds['load_id']}, which holds "
                     f"{count(ds['rows_current'], 'row')}"
                     if ds["status"] == "unchanged" else ""),
                  highlight=False)
        for step in ds.get("next_steps") or []:
            out.print(f"  {step}", highlight=False, markup=False)
        if ds.get("diff"):
            render_vintage_diff(ds["diff"], ds["changes"])
    years = d["years"]
    out.print(f"rows read {d['rows_read']:,}, loaded {d['rows_loaded']:,}, rejected "
              f"{d['rows_rejected']:,}; {count(d['series'], 'series', 'series')}, "
              f"{count(d['areas'], 'area')}"
              + (f", years {years[0]}-{years[1]}" if years else ""), highlight=False)
    if d["rejected_by_reason"]:
        out.print("rejected by reason: " + ", ".join(
            f"{k} {v:,}" for k, v in d["rejected_by_reason"].items()))
    if issues:
        out.print(issue_counts(issues))
        show_examples(issues if problems is None else problems, report=report)


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


def render_assessment(report: dict[str, Any], result: Any, fmt: str, table: str,
                      out_file: Path | None = None) -> None:
    """The assessment as JSON, CSV (one table) or, for people, the snapshot and dashboard
    tables; to ``out_file`` when given (the tables as plain text), else to stdout."""
    unit = report["unit"]["code"]
    if fmt == "json":
        emit(json.dumps(report, indent=1, ensure_ascii=False, default=str), out_file)
    elif fmt == "csv":
        frames = {"snapshot": result.snapshot, "dashboard": result.dashboard,
                  "indicators": result.subindicators}
        frame = frames[table]
        emit(frame[frame.unit == unit].to_csv(index=False), out_file)
    elif out_file is None:
        for part in assessment_tables(report):
            out.print(part, highlight=False)
    else:
        console = Console(file=io.StringIO(), width=120, color_system=None, highlight=False)
        for part in assessment_tables(report):
            console.print(part)
        emit(console.file.getvalue(), out_file)  # type: ignore[attr-defined]


def emit(text: str, out_file: Path | None) -> None:
    """Text to ``out_file``, or to stdout (one trailing newline either way)."""
    text = text if text.endswith("\n") else text + "\n"
    if out_file is None:
        typer.echo(text, nl=False)
    else:
        out_file.write_text(text, encoding="utf-8")
        err.print(f"wrote {out_file} ({out_file.stat().st_size:,} bytes)", highlight=False)


def assessment_tables(report: dict[str, Any]) -> list[Any]:
    """The goal snapshot, the target dashboard (assessed targets) and the class counts."""
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
    dash = Table("target", "anticipated progress", "class", "indicators",
                 title=f"{u['name']}: target dashboard (assessed targets)")
    for t in report["dashboard"]:
        if t["class"] != "insufficient_data":
            dash.add_row(t["target"], f"{t['anticipated_progress_index']:.2f}",
                         CLASS_SYMBOLS[t["class"]], str(t["indicators_used"]))
    counts = report["summary"]["targets_by_class"]
    notes = []
    if report.get("data", {}).get("annual_values_derived"):
        notes.append(f"{report['data']['annual_values_derived']:,} yearly values derived from "
                     f"other periods: {method['annual_rule']}.")
    national = sum(i.get("target_origin") == "national" for i in report["indicators"])
    if national:
        notes.append(f"{national} series measured against a national target.")
    return [snap, dash, *why_not_assessed(report), *notes,
            ", ".join(f"{CLASS_SYMBOLS[k]}: {v}" for k, v in sorted(counts.items())),
            f"{method['name']} ({method['version']}); --format json gives every number "
            "and the values behind it."]


def why_not_assessed(report: dict[str, Any]) -> list[Any]:
    """Each goal with insufficient data, and why its series were not assessed (the
    reasons, most frequent first, with their counts)."""
    left = [g["goal"] for g in report["snapshot"] if g["status"] == "insufficient_data"]
    if not left:
        return []
    reasons: dict[int, dict[str, int]] = {g: {} for g in left}
    for i in report["indicators"]:
        codes = [i["indicator"], *str(i.get("also_indicators") or "").split(";")]
        for goal in {int(c.split(".")[0]) for c in codes if c.strip()} & set(reasons):
            if not i["assessed"]:
                kind = str(i["reason"]).split(":")[0]  # "no target in its unit PT: ..."
                reasons[goal][kind] = reasons[goal].get(kind, 0) + 1
    table = Table("goal", "why not assessed (series)", title="Goals not assessed")
    for goal, why in reasons.items():
        said = "; ".join(f"{r} ({n})" for r, n in sorted(why.items(), key=lambda x: -x[1]))
        table.add_row(str(goal), said or "no series of this goal in the specification")
    return [table]


def write_frame(frame: Any, fmt: str, path: Any = None, limit: int = 200) -> None:
    """A pandas table as a rich table (first ``limit`` rows), CSV or JSON records, to
    stdout or ``path``."""
    if fmt == "table" and path is None:
        table = Table(*[str(c) for c in frame.columns], show_lines=False)
        for row in frame.head(limit).itertuples(index=False):
            table.add_row(*[_cell(v) for v in row])
        # a console of the terminal as it is now (COLUMNS read at the call, not at import)
        Console().print(table)
        if len(frame) > limit:
            err.print(f"... {len(frame) - limit} more rows: use --format csv --out FILE.")
        return
    if fmt == "json":  # the one JSON cleaner (model.values): a missing value is null
        from sdgtrack.assess.run import records

        text = json.dumps(records(frame), ensure_ascii=False, indent=1, default=str,
                          allow_nan=False)
    else:
        text = frame.to_csv(index=False)
    if path is None:
        typer.echo(text)
    else:
        path.write_text(text, encoding="utf-8")


def _cell(value: Any) -> str:
    if isinstance(value, float):
        return "" if value != value else f"{value:.4g}"
    return "" if value is None else str(value)
