"""``sdgtrack export`` (and the document commands): thin, over ``sdgtrack.publish``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from sdgtrack import settings
from sdgtrack.cli_render import err, fail, note_if_empty, out
from sdgtrack.errors import SdgtrackError
from sdgtrack.store import Store


def _years(text: str | None) -> tuple[int | None, int | None] | None:
    if not text:
        return None
    first, _, last = text.partition("-")
    try:
        return (int(first) if first else None, int(last) if last else None)
    except ValueError:
        err.print(f"--years {text!r}: write 2015-2020, 2015- or -2020.")
        raise typer.Exit(2) from None


def export(
    fmt: Annotated[str, typer.Option("--format", help="csv (UN SDG API layout), sdmx-csv, "
                                                      "parquet, xlsx or open-sdg.")],
    out_path: Annotated[Path, typer.Option("--out", help="File to write (a new folder for "
                                                         "open-sdg).")],
    series: Annotated[list[str] | None, typer.Option(help="Series code; repeatable.")] = None,
    area: Annotated[list[str] | None, typer.Option(
        help="Area: M49, ISO3 or a sub-national code; repeatable. For open-sdg, the "
             "country of the repository.")] = None,
    years: Annotated[str | None, typer.Option(help="2015-2020, 2015- or -2020.")] = None,
    sdmx_version: Annotated[str, typer.Option(help="SDMX-CSV version: 1.0 or 2.0.")] = "1.0",
    db: Annotated[Path | None, typer.Option("--db", help="Store file.")] = None,
) -> None:
    """Write the store's current observations in an open format that sdgtrack (and others)
    read back: CSV in the UN layout, SDMX-CSV, Parquet, the Excel template, or an Open SDG
    data repository."""
    from sdgtrack.publish.export import current_observations, store_catalogue
    from sdgtrack.publish.export import export as write

    span = _years(years)
    try:
        with Store(db if db is not None else settings.default_db_path()) as store:
            note_if_empty(store)
            obs = current_observations(store, series=series, areas=area, years=span)
            country = area[0] if fmt == "open-sdg" and area and len(area) == 1 else None
            result = write(obs, fmt, out_path, catalogue=store_catalogue(store),
                           area=country, sdmx_version=sdmx_version)
    except SdgtrackError as exc:
        fail(exc)
    d = result.as_dict()
    out.print(f"wrote {d['rows_written']:,} rows ({d['files']} file(s)) to {d['path']}")
    for note in d.get("notes") or []:
        err.print(f"note: {note}")


report_app = typer.Typer(help="Documents for reviews: country profile, VNR statistical annex, "
                              "regional progress report.", no_args_is_help=True)
OutOption = Annotated[Path, typer.Option("--out", help="File to write.")]
FormatOption = Annotated[str | None, typer.Option(
    "--format", help="pdf, html or xlsx as the document allows (default: the file's "
                     "suffix).")]
LangOption = Annotated[str, typer.Option(help="en or zh.")]
DbOption = Annotated[Path | None, typer.Option("--db", help="Store file.")]


def _document(db: Path | None, write: object, *args: object, **kwargs: object) -> None:
    """Open the store (loading the bundled extract when empty), write, report the file."""
    from sdgtrack.publish.site.data import SiteData

    try:
        with Store(db if db is not None else settings.default_db_path()) as store:
            note_if_empty(store)
            path = write(SiteData(store, frozen=True), *args, **kwargs)  # type: ignore[operator]
    except SdgtrackError as exc:
        fail(exc)
    out.print(f"wrote {path} ({path.stat().st_size:,} bytes)")


@report_app.command("country")
def report_country(area: Annotated[str, typer.Argument(help="M49 or ISO3 code.")],
                   out_file: OutOption, fmt: FormatOption = None, lang: LangOption = "en",
                   db: DbOption = None) -> None:
    """Country profile: snapshot and dashboard beside the subregion and the region, key
    indicators per goal with trend charts, data availability and gaps, furthest behind."""
    from sdgtrack.publish.report import write_country_profile

    _document(db, write_country_profile, area, out_file, fmt=fmt, lang=lang)


@report_app.command("vnr")
def report_vnr(area: Annotated[str, typer.Argument(help="M49 or ISO3 code.")],
               since: Annotated[int, typer.Option(help="Year of the previous review.")],
               out_file: OutOption, fmt: FormatOption = None, lang: LangOption = "en",
               db: DbOption = None) -> None:
    """VNR statistical annex: every global indicator with the latest value, the value at the
    previous review, the change and the progress class (xlsx: one sheet per goal; pdf)."""
    from sdgtrack.publish.report import write_vnr_annex

    _document(db, write_vnr_annex, area, since, out_file, fmt=fmt, lang=lang)


@report_app.command("region")
def report_region(group: Annotated[str, typer.Argument(help="escap, escap_sea, ldc ...")],
                  out_file: OutOption, fmt: FormatOption = None, lang: LangOption = "en",
                  db: DbOption = None) -> None:
    """Regional progress report: snapshot, dashboard, each goal's highlights and data
    availability, for the region or any subregion or group."""
    from sdgtrack.publish.report import write_regional_report

    _document(db, write_regional_report, out_file, group=group, fmt=fmt, lang=lang)
