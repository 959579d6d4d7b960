"""The static site: every page renders, in English and Chinese, and no internal link is
broken (checked over the files written)."""

import json
from pathlib import Path

from visible import shown_codes, slips

from sdgtrack.publish.site.build import build_site, check_links
from sdgtrack.publish.site.data import SiteData
from sdgtrack.publish.site.router import every_page


def test_static_site_builds_with_no_broken_links(slice_store, tmp_path):
    """Every page of a slice of the real data (goals 5 and 7 of the December 2023 extract,
    64 areas), in English and Chinese, by two worker processes; the whole extract's site is
    built by bench/web.py."""
    import shutil

    from sdgtrack.store import Store

    # the worker processes open a copy of the store read-only (this session holds it open)
    slice_store.con.execute("CHECKPOINT")
    copy = tmp_path / "copy.duckdb"
    shutil.copy(slice_store.path, copy)
    store = Store(copy, read_only=True)
    site = SiteData(store)
    tmp_path = tmp_path / "site"
    report = build_site(site, tmp_path, ("en", "zh"), processes=2)
    pages = list(every_page(site))
    codes = shown_codes(store)
    store.close()
    assert 2 * len(pages) == report.pages
    assert [] == report.broken
    def region(goal):
        page = json.loads((tmp_path / "zh" / "goal" / f"{goal}.json").read_text("utf-8"))
        return page["region"]["current_status_index"]

    assessed = [g for g in range(1, 18) if region(g) is not None]
    # only the slice's goals have an index, and goal 12: renewable capacity per capita
    # (EG_EGY_RNEW) is indicator 7.b.1 and 12.a.1 at once, in goal 7's file
    assert [5, 7, 12] == assessed
    assert (tmp_path / "en" / "series" / "EG_ACS_ELEC.csv").read_text().startswith(
        "series_code,")
    # every page of the site reads in words: no bare code, None or nan outside a code column
    found = _slips_of_every_page(tmp_path, codes)
    assert [] == found[:20]
    electricity = (tmp_path / "en" / "series" / "EG_ACS_ELEC.html").read_text("utf-8")
    title = electricity.split("<title>")[1].split("</title>")[0]
    # the title is words (the series' description), not EG_ACS_ELEC
    assert title.startswith("Proportion of population with access to electricity")
    assert "EG_ACS_ELEC" not in title
    assert (tmp_path / "zh" / "index.html").exists()  # what a web server answers for /zh/
    # the check itself finds a broken link when there is one
    (tmp_path / "en" / "broken.html").write_text('<a href="goal/99.html">x</a>')
    assert [("en/broken.html", "goal/99.html")] == check_links(tmp_path)


def _slips_of_every_page(site: Path, codes: set[str]) -> list[tuple[str, str]]:
    """(page, slip) for every HTML page under ``site``, read in two processes."""
    from concurrent.futures import ProcessPoolExecutor

    files = sorted(str(p) for p in site.rglob("*.html"))
    with ProcessPoolExecutor(2) as pool:
        found = pool.map(_slips_of, files, [codes] * len(files), chunksize=50)
    return [(f, s) for f, slips_of_page in zip(files, found, strict=True)
            for s in slips_of_page]


def _slips_of(path: str, codes: set[str]) -> list[str]:
    return slips(Path(path).read_text(encoding="utf-8"), codes)


def test_a_national_platform_site(tmp_path):
    """Kazakhstan's Open SDG files alone: sub-national areas with their own names, national
    series codes with ':' in them; every page renders and every link resolves. The pages read
    in words in English and Russian: the repository's own codes (the unit ``PT``) with the
    labels of its translations/<lang>/ files, as the global ones have the SDG code lists'."""
    from sdgtrack import pipeline
    from sdgtrack.store import Store

    from conftest import SPECIMENS

    with Store(tmp_path / "kz.duckdb") as store:
        loaded = pipeline.ingest_path(SPECIMENS / "open-sdg-kazakhstan", store,
                                      skip_invalid=True)
        assert "loaded" == loaded.status
        site = SiteData(store)
        report = build_site(site, tmp_path / "site", ("en", "ru"))
        assert [] == report.broken
        codes = shown_codes(store)
    # national units, not in CL_UNIT_MEASURE: PT (percent), M_USD (million US dollars)
    assert {"PT", "M_USD"} <= codes
    akmola = json.loads((tmp_path / "site/en/area/KZAKM.json").read_text(encoding="utf-8"))
    assert "Akmola" == akmola["title"]  # from translations/en/REF_AREA.yml
    akmola = json.loads((tmp_path / "site/ru/area/KZAKM.json").read_text(encoding="utf-8"))
    assert "Акмолинская" == akmola["title"]  # translations/ru/REF_AREA.yml
    page = tmp_path / "site/en/series/KAZ_2_2_1~3a_L_KZ_DD_MSD.html"
    assert "KAZ_2_2_1:_L_KZ_DD_MSD" in page.read_text(encoding="utf-8")
    # indicator 2.2.1's series is in PT: "Percent" (translations/en), "процент" (ru)
    units = [json.loads((tmp_path / f"site/{lang}/series/KAZ_2_2_1~3a_L_KZ_DD_MSD.json"
                         ).read_text(encoding="utf-8"))["unit_label"] for lang in ("en", "ru")]
    assert ["Percent", "процент"] == units
    # every page of the site, in both languages, reads in words
    assert [] == _slips_of_every_page(tmp_path / "site", codes)[:20]


def _kz_specimen_store(path):
    from sdgtrack import pipeline
    from sdgtrack.store import Store

    from conftest import SPECIMENS

    with Store(path) as store:
        pipeline.ingest_path(SPECIMENS / "open-sdg-kazakhstan", store, skip_invalid=True)


def test_forked_and_spawned_workers_write_the_same_site(tmp_path):
    """Two processes: forked workers (a new process on Linux) and spawned ones (where
    workers cannot be forked, as in this test process, which has started vl-convert)
    write the same files, and the same pages as one process."""
    import subprocess
    import sys

    from sdgtrack.publish.charts import to_svg
    from sdgtrack.publish.site.build import can_fork
    from sdgtrack.store import Store

    _kz_specimen_store(tmp_path / "kz.duckdb")
    to_svg({"mark": "point"})  # vl-convert started: its threads would be missing after fork
    assert not can_fork()

    def files(name):
        return {p.relative_to(tmp_path / name).as_posix(): p.read_bytes()
                for p in (tmp_path / name).rglob("*") if p.is_file()}

    def build(name, processes):
        with Store(tmp_path / "kz.duckdb", read_only=True) as store:
            site = SiteData(store)
            report = build_site(site, tmp_path / name, ("en", "zh"), processes)
            pages = list(every_page(site))
        assert [] == report.broken
        written = files(name)
        # every page in both languages, HTML and JSON, and a CSV for each series
        assert {f"{lang}/{page}.{ext}" for page in pages for lang in ("en", "zh")
                for ext in ("html", "json")} <= written.keys()
        assert report.files == len(written)
        assert report.workers == ("spawned" if processes > 1 else "none")
        return written

    done = subprocess.run([sys.executable, "-m", "sdgtrack", "build-site", str(tmp_path / "forked"),
                           "--db", str(tmp_path / "kz.duckdb"), "--processes", "2"],
                          capture_output=True, text=True, check=True)
    assert ", 2 forked workers; open" in " ".join(done.stdout.split())
    forked = files("forked")
    spawned = build("spawned", 2)
    alone = build("alone", 1)
    assert forked.keys() == spawned.keys() == alone.keys()
    for name in ("en/series/KAZ_2_2_1~3a_L_KZ_DD_MSD.html", "zh/area/KZAKM.html",
                 "en/series/KAZ_2_2_1~3a_L_KZ_DD_MSD.csv", "zh/index.html"):
        assert forked[name] == spawned[name] == alone[name], name


def test_a_build_checks_each_page_against_what_it_writes(tmp_path, monkeypatch):
    """A page linking to a file the build does not write is reported, with the link as
    the page has it."""
    from sdgtrack.publish.site import build
    from sdgtrack.store import Store

    _kz_specimen_store(tmp_path / "kz.duckdb")
    real = build._files
    monkeypatch.setattr(build, "_files", lambda pages, languages: real(pages, languages)
                        - {"en/methodology.html"})
    with Store(tmp_path / "kz.duckdb", read_only=True) as store:
        report = build_site(SiteData(store), tmp_path / "site", ("en",))
    assert ("en/index.html", "methodology.html") in report.broken
    assert ("en/goal/3.html", "../methodology.html") in report.broken
    assert {link for _, link in report.broken} == {"methodology.html", "../methodology.html"}


def test_a_forked_worker_may_not_read_the_store():
    """A forked worker's inherited DuckDB connection is not safe to use: any use fails
    with a message, not a hang."""
    import pytest

    from sdgtrack.publish.site.build import _NoStore

    with pytest.raises(RuntimeError, match=r"worker read the store \(con\)"):
        _NoStore().con.execute("SELECT 1")
