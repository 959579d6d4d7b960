"""The static site: every page in every language, HTML and JSON twin, series CSVs, the
stylesheet; relative links only, so it works from any web server or a file share. A link
check over the result finds broken internal links.

With ``processes > 1`` the pages are shared out between worker processes, each with its own
read-only connection to the store file (the caller must not hold a read-write one)."""

from __future__ import annotations

import json
import multiprocessing
import re
import shutil
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from sdgtrack.publish.site import router
from sdgtrack.publish.site.data import SiteData
from sdgtrack.publish.site.render import render

STATIC = Path(__file__).parent / "static"
LINK = re.compile(r'(?:href|src)="([^"#?]+)[^"]*"')


@dataclass
class BuildReport:
    pages: int = 0
    files: int = 0
    seconds: float = 0.0
    broken: list[tuple[str, str]] = field(default_factory=list)


def _write(path: Path, data: bytes | str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        path.write_text(data, encoding="utf-8")
    else:
        path.write_bytes(data)


def _pages(site: SiteData, out: Path, jobs: list[tuple[str, str]],
           languages: tuple[str, ...]) -> int:
    """Write the HTML, the JSON twin and (for a series) the CSV of each (language, page)."""
    written = 0
    for lang, page in jobs:
        address = router.Address(lang, page, "html")
        built = router.build(site, address)
        _write(out / f"{lang}/{page}.html", render(site, built, languages=languages))
        _write(out / f"{lang}/{page}.json",
               json.dumps(built, default=str, ensure_ascii=False, allow_nan=False))
        written += 2
        if page.startswith("series/"):
            _write(out / f"{lang}/{page}.csv", router.series_csv(site, address))
            written += 1
    return written


def search_index_js(site: SiteData, lang: str) -> str:
    """The search entries of ``lang`` as a script (not JSON: browsers refuse to fetch a file
    from a page opened from disk, but they run a script): [kind, code, text, link, words]."""
    from sdgtrack.publish.site.i18n import gettext
    from sdgtrack.publish.site.pages import search_entries

    _ = gettext(lang)
    rows = [[_(e["kind"]), e["code"], e["text"], e["link"] + ".html", e["words"]]
            for e in search_entries(site, lang)]
    return "window.SDGTRACK_SEARCH = " + json.dumps(rows, ensure_ascii=False) + ";\n"


def _worker(db: str, out: str, jobs: list[tuple[str, str]], languages: tuple[str, ...]) -> int:
    from sdgtrack.store import Store

    with Store(db, read_only=True) as store:
        return _pages(SiteData(store, frozen=True), Path(out), jobs, languages)


def build_site(site: SiteData, out: Path, languages: tuple[str, ...] = ("en", "zh"),
               processes: int = 1) -> BuildReport:
    start = time.perf_counter()
    report = BuildReport()
    out.mkdir(parents=True, exist_ok=True)
    shutil.copytree(STATIC, out / "static", dirs_exist_ok=True)
    _write(out / "index.html", f'<!doctype html><meta charset="utf-8"><meta http-equiv="refresh"'
           f' content="0; url={languages[0]}/index.html"><title>sdgtrack</title>'
           f'<a href="{languages[0]}/index.html">sdgtrack</a>')
    for lang in languages:
        _write(out / "static" / f"search-{lang}.js", search_index_js(site, lang))
    jobs = [(lang, p) for lang in languages for p in router.every_page(site)]
    if processes <= 1:
        written = _pages(site, out, jobs, languages)
    else:
        # spawn, not fork: a forked DuckDB connection is not safe to use
        context = multiprocessing.get_context("spawn")
        with ProcessPoolExecutor(processes, mp_context=context) as pool:
            parts = [pool.submit(_worker, str(site.store.path), str(out), jobs[k::processes],
                                 languages) for k in range(processes)]
            written = sum(p.result() for p in parts)
    report.pages = len(jobs)
    report.files = written + 2
    report.broken = check_links(out)
    report.seconds = time.perf_counter() - start
    return report


def check_links(root: Path) -> list[tuple[str, str]]:
    """(page, link) for every relative link in the built HTML that points at no file."""
    broken = []
    for page in root.rglob("*.html"):
        for target in LINK.findall(page.read_text(encoding="utf-8")):
            if re.match(r"^[a-z]+:", target) or target.startswith("/"):
                continue  # other sites, or the server's API (not part of a static site)
            if not (page.parent / target).resolve().is_file():
                broken.append((str(page.relative_to(root)), target))
    return broken
