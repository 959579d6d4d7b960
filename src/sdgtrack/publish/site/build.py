"""The static site: every page in every language, HTML and JSON twin, series CSVs, the
stylesheet; relative links only, so it works from any web server or a file share. Every
page's links are checked as it is written, against the files the build writes.

With ``processes > 1`` the pages are shared out between processes: workers forked once what
the series pages show has been read from the store, while this process computes the
assessment and makes the other pages. Where workers cannot be forked (``can_fork``), they
are spawned, each with its own read-only connection to the store file: the caller must then
hold no read-write one."""

from __future__ import annotations

import gc
import json
import logging
import multiprocessing
import posixpath
import re
import shutil
import sys
import time
import traceback
import warnings
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from sdgtrack.publish.site import router
from sdgtrack.publish.site.data import SiteData
from sdgtrack.publish.site.render import compile_templates, render

log = logging.getLogger("sdgtrack.publish.site.build")

STATIC = Path(__file__).parent / "static"
LINK = re.compile(r'(?:href|src)="([^"#?]+)[^"]*"')


@dataclass
class BuildReport:
    #: "forked", "spawned" or "none" (one process)
    workers: str = "none"
    pages: int = 0
    files: int = 0
    seconds: float = 0.0
    broken: list[tuple[str, str]] = field(default_factory=list)


def _write(path: Path, data: bytes | str) -> None:
    try:
        _put(path, data)
    except FileNotFoundError:  # its folder first (not asked for each of thousands of files)
        path.parent.mkdir(parents=True, exist_ok=True)
        _put(path, data)


def _put(path: Path, data: bytes | str) -> None:
    if isinstance(data, str):
        path.write_text(data, encoding="utf-8")
    else:
        path.write_bytes(data)


#: Series pages in a chunk of work (more when there would be over MAX_CHUNKS chunks).
CHUNK = 24
MAX_CHUNKS = 500


def _jobs(pages: list[str], languages: tuple[str, ...]) -> list[tuple[str, str]]:
    """(language, page): a page in every language, then the next (the languages share the
    parts of a page that do not depend on the language)."""
    return [(lang, page) for page in pages for lang in languages]


def _files(pages: list[str], languages: tuple[str, ...]) -> set[str]:
    """Every page file a build writes (the HTML, its JSON twin, a series' CSV)."""
    return {f"{lang}/{page}.{ext}" for page in pages for lang in languages
            for ext in ("html", "json", *(("csv",) if page.startswith("series/") else ()))}


def _pages(site: SiteData, out: Path, jobs: list[tuple[str, str]],
           languages: tuple[str, ...], files: set[str]) -> tuple[int, list[tuple[str, str]]]:
    """Write the HTML, the JSON twin and (for a series) the CSV of each (language, page);
    check each page's links against ``files``, what the whole build writes."""
    written, broken = 0, []
    for lang, page in jobs:
        address = router.Address(lang, page, "html")
        built = router.build(site, address)
        html = render(site, built, languages=languages)
        _write(out / f"{lang}/{page}.html", html)
        broken += _broken(f"{lang}/{page}.html", html, files)
        _write(out / f"{lang}/{page}.json",
               json.dumps(built, default=str, ensure_ascii=False, allow_nan=False))
        written += 2
        if page.startswith("series/"):
            _write(out / f"{lang}/{page}.csv", router.series_csv(site, address))
            written += 1
    return written, broken


def scorecards_csv(site: SiteData) -> bytes:
    """The approved people's scorecards, one row per scorecard and goal, as the server's
    /api/v1/evidence/scorecards.csv."""
    from sdgtrack.publish.site.pages_scorecards import csv_bytes

    return csv_bytes(site)


def search_index_js(site: SiteData, lang: str) -> str:
    """The search index of ``lang`` as a script (``publish.search.static_index``)."""
    from sdgtrack.publish.search import static_index

    return static_index(site, lang)


Share = tuple[int, list[tuple[str, str]]]  # files written, broken links


def _worker(db: str, out: str, jobs: list[tuple[str, str]], languages: tuple[str, ...],
            files: set[str]) -> Share:
    """A spawned worker (where processes cannot fork): its own read-only store."""
    from sdgtrack.store import Store

    with Store(db, read_only=True) as store:
        site = SiteData(store, frozen=True)
        site.whole = True
        return _pages(site, Path(out), jobs, languages, files)


class _NoStore:
    """A forked worker must not use the store connection it inherited (DuckDB's is not safe
    across a fork): what it shows was read before (``SiteData.warm``)."""

    def __getattr__(self, name: str) -> None:
        raise RuntimeError(f"a site build worker read the store ({name}); SiteData.warm "
                           "should have read this before the workers started")


@dataclass
class _Work:
    """Chunks of series pages, taken from ``queue`` (chunk numbers, then one None for each
    process) by whichever process is free."""

    site: SiteData
    out: Path
    languages: tuple[str, ...]
    files: set[str]
    chunks: list[list[str]]
    queue: Any

    def take(self) -> Share:
        written, broken = 0, list[tuple[str, str]]()
        while (k := self.queue.get()) is not None:
            n, b = _pages(self.site, self.out, _jobs(self.chunks[k], self.languages),
                          self.languages, self.files)
            written, broken = written + n, broken + b
        return written, broken


def _forked(work: _Work, answer: Any) -> None:
    """A forked worker: series pages until the queue says stop, then the count and the
    broken links (or the error) through ``answer``."""
    work.site.store = _NoStore()  # type: ignore[assignment]
    try:
        answer.send(work.take())
    except BaseException as exc:  # noqa: BLE001 - reported to the builder, which raises it
        answer.send(RuntimeError(f"a site build worker failed: {exc!r}\n"
                                 + traceback.format_exc()))


def _answer(proc: Any, reader: Any) -> Share:
    while not reader.poll(0.2):
        if not proc.is_alive() and not reader.poll():
            log.error("site build worker stopped", extra={"fields": {
                "pid": proc.pid, "exit_code": proc.exitcode}})
            raise RuntimeError(f"a site build worker stopped (exit code {proc.exitcode})")
    got = reader.recv()
    proc.join()
    if isinstance(got, BaseException):  # its message holds the worker's traceback
        log.error("site build worker failed", extra={"fields": {
            "pid": proc.pid, "traceback": str(got)}})
        raise got
    return got  # type: ignore[no-any-return]


def _forking(site: SiteData, out: Path, languages: tuple[str, ...], files: set[str],
             every: list[str], processes: int, also: Callable[[], None]) -> list[Share]:
    """Series pages need no assessment: ``processes - 1`` workers forked now make them while
    this process computes the assessment, makes the other pages and does ``also``, then
    helps with the series pages left."""
    series = [p for p in every if p.startswith("series/")]
    others = [p for p in every if not p.startswith("series/")]
    context = multiprocessing.get_context("fork")
    # at most MAX_CHUNKS numbers in the queue: they are all put before anyone reads, and a
    # pipe holds only so much
    size = max(CHUNK, -(-len(series) // MAX_CHUNKS))
    work = _Work(site, out, languages, files,
                 [series[k:k + size] for k in range(0, len(series), size)],
                 context.SimpleQueue())
    for k in range(len(work.chunks)):
        work.queue.put(k)
    for _ in range(processes):
        work.queue.put(None)
    compile_templates("series.html", "base.html", "macros.html")
    with forked_workers(_forked, work, processes - 1) as workers:
        site.warm()  # the assessment and the rest
        parts = [_pages(site, out, _jobs(others, languages), languages, files)]
        also()
        parts.append(work.take())
        return parts + [_answer(proc, reader) for proc, reader in workers]


@contextmanager
def forked_workers(target: Any, work: Any, count: int) -> Iterator[list[tuple[Any, Any]]]:
    """``count`` forked processes, each running ``target(work, pipe)``, with the pipe their
    answer comes back on; stopped on the way out. The collector is frozen meanwhile: it
    would touch, so copy, every object the workers inherit."""
    context = multiprocessing.get_context("fork")
    workers: list[tuple[Any, Any]] = []
    gc.freeze()
    try:
        with warnings.catch_warnings():
            # Python 3.12+ warns of fork in a process with threads (DuckDB's): the workers
            # never use them (_NoStore)
            warnings.simplefilter("ignore", DeprecationWarning)
            for _ in range(count):
                reader, writer = context.Pipe(duplex=False)
                proc = context.Process(target=target, args=(work, writer), daemon=True)
                proc.start()
                writer.close()
                workers.append((proc, reader))
        yield workers
    finally:
        gc.unfreeze()
        for proc, _ in workers:
            if proc.is_alive():
                proc.terminate()
                proc.join()


def can_fork() -> bool:
    """Whether workers can be forked: where processes fork at all, and before this process
    has started vl-convert, whose threads a forked worker would not have (a chart rendered
    there would wait for ever). DuckDB's threads are missing there too, which is why a
    worker must not touch the store (``_NoStore``)."""
    return ("fork" in multiprocessing.get_all_start_methods()
            and "vl_convert" not in sys.modules)


def build_site(site: SiteData, out: Path, languages: tuple[str, ...] = ("en", "zh"),
               processes: int = 1) -> BuildReport:
    """Every page of ``site`` in ``languages`` under ``out``, each page's links checked.

    The build is one snapshot of the store: ``site`` is frozen, and what the pages show is
    read from the store once (``SiteData.warm``)."""
    start = time.perf_counter()
    site.frozen = site.whole = True
    fork = processes > 1 and can_fork()
    site.warm(assessment=not fork)
    out.mkdir(parents=True, exist_ok=True)
    shutil.copytree(STATIC, out / "static", dirs_exist_ok=True)
    _write(out / "index.html", f'<!doctype html><meta charset="utf-8"><meta http-equiv="refresh"'
           f' content="0; url={languages[0]}/index.html"><title>sdgtrack</title>'
           f'<a href="{languages[0]}/index.html">sdgtrack</a>')
    _write(out / "static" / "scorecards.csv", scorecards_csv(site))
    searches = [f"static/search-{lang}.js" for lang in languages]

    def write_searches() -> None:  # while forked workers make series pages
        for lang, name in zip(languages, searches, strict=True):
            _write(out / name, search_index_js(site, lang))

    every = list(router.every_page(site))
    static = {p.relative_to(out).as_posix() for p in (out / "static").rglob("*") if p.is_file()
              } | set(searches)
    files = _files(every, languages) | static | {"index.html"}
    if processes <= 1:
        write_searches()
        parts = [_pages(site, out, _jobs(every, languages), languages, files)]
    elif fork:
        parts = _forking(site, out, languages, files, every, processes, write_searches)
    else:  # spawn: each worker opens the store file read-only (the caller holds no writer)
        context = multiprocessing.get_context("spawn")
        with ProcessPoolExecutor(processes, mp_context=context) as pool:
            spawned = [pool.submit(_worker, str(site.store.file), str(out),
                                   _jobs(every[k::processes], languages), languages, files)
                       for k in range(processes)]
            write_searches()
            parts = [f.result() for f in spawned]
    report = BuildReport(workers="forked" if fork else "spawned" if processes > 1 else "none",
                         pages=len(every) * len(languages),
                         files=sum(n for n, _ in parts) + len(static) + 1,
                         seconds=time.perf_counter() - start,
                         broken=sorted(b for _, broken in parts for b in broken))
    log.info("site built", extra={"fields": {
        "out": str(out), "pages": report.pages, "files": report.files,
        "seconds": round(report.seconds, 1), "workers": report.workers,
        "processes": processes, "broken_links": len(report.broken)}})
    return report


def check_links(root: Path) -> list[tuple[str, str]]:
    """(page, link) for every relative link in the built HTML under ``root`` that points at
    no file. (A build checks its pages as it writes them, against what it writes.)"""
    files = {p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()}
    return [link for page in sorted(root.rglob("*.html"))
            for link in _broken(page.relative_to(root).as_posix(),
                                page.read_text(encoding="utf-8"), files)]


def _broken(name: str, html: str, files: set[str]) -> list[tuple[str, str]]:
    """(name, link) for each relative link of the page ``name`` that is not in ``files``."""
    folder = posixpath.dirname(name)
    return [(name, target) for target in sorted(set(LINK.findall(html)))
            # other sites, or the server's API (not part of a static site), are not checked
            if not (re.match(r"^[a-z]+:", target) or target.startswith("/"))
            and posixpath.normpath(posixpath.join(folder, unquote(target))) not in files]
