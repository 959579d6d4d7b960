"""Publishing commands: ``export``, ``report country|vnr|region``, ``build-site``,
``serve``. Thin, over ``sdgtrack.api`` and ``sdgtrack.publish``."""

from __future__ import annotations

import enum
from pathlib import Path
from typing import Annotated

import typer

from sdgtrack.cli.common import (
    DbOption,
    Lang,
    db_path,
    err,
    group,
    note_if_empty,
    open_store,
    out,
    store_exists,
    usage,
)


def _years(text: str | None) -> tuple[int | None, int | None] | None:
    if not text:
        return None
    first, _, last = text.partition("-")
    try:
        return (int(first) if first else None, int(last) if last else None)
    except ValueError:
        usage(f"--years {text!r}: write 2015-2020, 2015- or -2020.")


def export(
    fmt: Annotated[str, typer.Option("--format", help="csv (UN SDG API layout), sdmx-csv, "
                                                      "sdmx-ml, parquet, xlsx or open-sdg.")],
    out_path: Annotated[Path, typer.Option("--out", help="File to write (a new folder for "
                                                         "open-sdg).")],
    series: Annotated[list[str] | None, typer.Option(help="Series code; repeatable.")] = None,
    area: Annotated[list[str] | None, typer.Option(
        help="Area: M49, ISO3 or a sub-national code; repeatable. For open-sdg, the "
             "country of the repository.")] = None,
    years: Annotated[str | None, typer.Option(help="2015-2020, 2015- or -2020.")] = None,
    sdmx_version: Annotated[str, typer.Option(help="SDMX-CSV version: 1.0 or 2.0.")] = "1.0",
    db: DbOption = None,
) -> None:
    """Write the store's current observations in an open format that sdgtrack (and others)
    read back: CSV in the UN layout, SDMX-CSV, Parquet, the Excel template, or an Open SDG
    data repository."""
    from sdgtrack.publish.export import current_observations, store_catalogue
    from sdgtrack.publish.export import export as write

    span = _years(years)
    with open_store(db, read_only=True) as store:
        note_if_empty(store)
        obs = current_observations(store, series=series, areas=area, years=span)
        country = area[0] if fmt == "open-sdg" and area and len(area) == 1 else None
        result = write(obs, fmt, out_path, catalogue=store_catalogue(store),
                       area=country, sdmx_version=sdmx_version)
    d = result.as_dict()
    out.print(f"wrote {d['rows_written']:,} rows ({d['files']} file(s)) to {d['path']}")
    for note in d.get("notes") or []:
        err.print(f"note: {note}")


class DocFormat(enum.StrEnum):
    PDF = "pdf"
    HTML = "html"
    XLSX = "xlsx"


report_app = group("Documents for reviews: country profile, VNR statistical annex, regional "
                   "progress report.")
DocOut = Annotated[Path, typer.Option("--out", help="File to write.")]
FormatOption = Annotated[DocFormat | None, typer.Option(
    "--format", help="As the document allows (default: the file's suffix).")]
LangOption = Annotated[Lang, typer.Option(help="The document's language.")]


def _wrote(path: Path) -> None:
    out.print(f"wrote {path} ({path.stat().st_size:,} bytes)")


@report_app.command("country")
def report_country(
    area: Annotated[str | None, typer.Argument(help="M49 or ISO3 code.")] = None,
    out_file: Annotated[Path | None, typer.Option(
        "--out", help="File to write; with --group, the folder (NPL.pdf, BGD.pdf ...).")
    ] = None,
    group: Annotated[str | None, typer.Option(
        help="Every member's profile at once (escap, escap_sea ...), over one read of the "
             "store.")] = None,
    fmt: FormatOption = None, lang: LangOption = Lang.EN,
    processes: Annotated[int, typer.Option(
        help="With --group: processes writing the profiles.")] = 2,
    db: DbOption = None,
) -> None:
    """Country profile: snapshot and dashboard beside the subregion and the region, key
    indicators per goal with trend charts, data availability and gaps, furthest behind.
    With --group, the profile of every member of the group, one file each."""
    from sdgtrack import api

    if (area is None) == (group is None):
        usage("Give an AREA (sdgtrack report country NPL --out npl.pdf) or --group "
              "(sdgtrack report country --group escap --out profiles/), not both.")
    if out_file is None:
        usage("Give --out: the file to write (with --group, the folder).")
    if group is None:
        with open_store(db, read_only=True) as store:
            note_if_empty(store)
            _wrote(api.country_profile(store, str(area), out_file, lang=lang, fmt=fmt))
        return
    # read-only: forked workers share this process's reads and never write
    with open_store(db, read_only=True) as store:
        note_if_empty(store)
        done = api.country_profiles(store, group, out_file, lang=lang,
                                    fmt=(fmt or DocFormat.PDF).value, processes=processes)
    size = sum(p.stat().st_size for p in done.written)
    workers = (f"{processes} forked processes" if done.workers == "forked"
               else "one process")
    out.print(f"wrote {len(done.written)} profiles to {out_file} ({size:,} bytes; {workers})")
    for m49, why in done.skipped:
        err.print(f"note: no profile for {m49}: {why}")


@report_app.command("vnr")
def report_vnr(area: Annotated[str, typer.Argument(help="M49 or ISO3 code.")],
               since: Annotated[int, typer.Option(help="Year of the previous review.")],
               out_file: DocOut, fmt: FormatOption = None, lang: LangOption = Lang.EN,
               db: DbOption = None) -> None:
    """VNR statistical annex: every global indicator with the latest value, the value at the
    previous review, the change and the progress class (xlsx: one sheet per goal; pdf)."""
    from sdgtrack import api

    with open_store(db, read_only=True) as store:
        note_if_empty(store)
        _wrote(api.vnr_annex(store, area, out_file, since=since, lang=lang, fmt=fmt))


@report_app.command("region")
def report_region(group_: Annotated[str, typer.Argument(
                      metavar="GROUP", help="escap, escap_sea, ldc ...")],
                  out_file: DocOut, fmt: FormatOption = None, lang: LangOption = Lang.EN,
                  db: DbOption = None) -> None:
    """Regional progress report: snapshot, dashboard, each goal's highlights and data
    availability, for the region or any subregion or group."""
    from sdgtrack import api

    with open_store(db, read_only=True) as store:
        note_if_empty(store)
        _wrote(api.regional_report(store, out_file, group=group_, lang=lang, fmt=fmt))


def serve(
    db: DbOption = None,
    host: Annotated[str, typer.Option(help="Address to listen on (loopback by default).")
                    ] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port.")] = 8000,
    open_browser: Annotated[bool, typer.Option("--open/--no-open",
                                               help="Open the home page in a browser.")] = False,
    read_only: Annotated[bool, typer.Option("--read-only", help="Read-only even when the "
                                            "store has accounts (no sign-in).")] = False,
    workers: Annotated[int, typer.Option(min=1, help="Worker processes. More than one "
                                         "with accounts needs a PostgreSQL store.")] = 1,
) -> None:
    """Serve the pages and the HTTP API over the store; writable when it has accounts
    (`sdgtrack users add`), so they can sign in and submit."""
    import uvicorn

    from sdgtrack import logs
    from sdgtrack.auth import has_accounts
    from sdgtrack.store import Store
    from sdgtrack.store.backend import locate
    from sdgtrack.web import worker
    from sdgtrack.web.app import create_app

    if not store_exists(db):
        open_store(db).close()  # an empty store, served as one
    with open_store(db, read_only=True) as store:  # a reader: never waits for a load
        note_if_empty(store)
        writable = has_accounts(store) and not read_only
    location = locate(db_path(db))
    if workers > 1 and writable and not location.postgres:
        usage(
            f"--workers {workers}: a DuckDB store with accounts has one writer, the server "
            "(store/snapshots.py). Serve it with one worker, add --read-only to serve its "
            "pages from several, or move the store to PostgreSQL (--db postgresql://...).")
    url = f"http://{host}:{port}/"
    mode = "submissions open at /signin" if writable else "read-only"
    many = f" with {workers} workers" if workers > 1 else ""
    err.print(f"sdgtrack: serving {location} at {url}{many} ({mode}; Ctrl-C to stop)")
    if open_browser:
        import threading
        import webbrowser

        threading.Timer(1.5, lambda: webbrowser.open(url)).start()
    if workers > 1:  # each worker opens the store itself (web/worker.py)
        worker.handover(location.url or str(location.path), writable=writable, url=url)
        uvicorn.run(f"{worker.__name__}:app", factory=True, workers=workers, host=host,
                    port=port, log_level="warning", access_log=False)
        return
    # with accounts the server is the store's writer while it runs (store/snapshots.py)
    store = Store(db_path(db), server=url) if writable else open_store(db, read_only=True)
    logs.configure()  # one JSON line per request on standard error (web/logs.py writes it)
    uvicorn.run(create_app(store), host=host, port=port, log_level="warning",
                access_log=False)


def build_site(
    out_dir: Annotated[Path, typer.Argument(help="Folder to write the site to.")],
    db: DbOption = None,
    languages: Annotated[str, typer.Option(help="Comma-separated: en,zh,ru.")] = "en,zh",
    processes: Annotated[int, typer.Option(help="Worker processes (one per core).")] = 2,
) -> None:
    """Render every page (HTML and JSON) to a static site that works offline."""
    from sdgtrack import logs
    from sdgtrack.publish.site.build import build_site as build
    from sdgtrack.publish.site.data import SiteData

    langs = tuple(x.strip() for x in languages.split(",") if x.strip())
    wrong = [x for x in langs if x not in {lang.value for lang in Lang}]
    if wrong or not langs:
        usage(f"--languages {languages!r}: give some of {', '.join(lang.value for lang in Lang)}"
              ", comma-separated.")
    with open_store(db, read_only=True) as store:
        note_if_empty(store)
    logs.configure()  # JSON lines: the build's timing, a worker's failure with its traceback
    # worker processes open the store read-only; so does this one
    with open_store(db, read_only=True) as store:
        report = build(SiteData(store, frozen=True), out_dir, langs, processes=processes)
    workers = "" if report.workers == "none" else f", {processes} {report.workers} workers"
    out.print(f"wrote {report.pages:,} pages ({report.files:,} files) to {out_dir} in "
              f"{report.seconds:.1f} s{workers}; open {out_dir / 'index.html'}")
    if report.broken:
        for page, target in report.broken[:20]:
            err.print(f"broken link in {page}: {target}")
        raise typer.Exit(1)


def register(app: typer.Typer) -> None:
    app.command()(export)
    app.add_typer(report_app, name="report")
    app.command("build-site")(build_site)
    app.command()(serve)
