"""The static site: every page renders, in English and Chinese, and no internal link is
broken (checked over the files written)."""

import json

from sdgtrack.publish.site.build import build_site, check_links
from sdgtrack.publish.site.data import SiteData
from sdgtrack.publish.site.router import every_page


def test_static_site_builds_with_no_broken_links(bundled_store, tmp_path):
    import shutil

    from sdgtrack.store import Store

    # the worker processes open a copy of the store read-only (this session holds it open)
    bundled_store.con.execute("CHECKPOINT")
    copy = tmp_path / "copy.duckdb"
    shutil.copy(bundled_store.path, copy)
    store = Store(copy, read_only=True)
    site = SiteData(store)
    tmp_path = tmp_path / "site"
    report = build_site(site, tmp_path, ("en", "zh"), processes=2)
    pages = list(every_page(site))
    store.close()
    assert 2 * len(pages) == report.pages
    assert [] == report.broken
    home = json.loads((tmp_path / "zh" / "index.json").read_text(encoding="utf-8"))
    assert 15 == home["behind"]
    assert (tmp_path / "en" / "series" / "SH_DYN_MORT.csv").read_text().startswith(
        "series_code,")
    # the check itself finds a broken link when there is one
    (tmp_path / "en" / "broken.html").write_text('<a href="goal/99.html">x</a>')
    assert [("en/broken.html", "goal/99.html")] == check_links(tmp_path)


def test_a_national_platform_site(tmp_path):
    """Kazakhstan's Open SDG files alone: sub-national areas with their own names, national
    series codes with ':' in them; every page renders and every link resolves."""
    from sdgtrack import pipeline
    from sdgtrack.store import Store

    from conftest import SPECIMENS

    with Store(tmp_path / "kz.duckdb") as store:
        loaded = pipeline.ingest_path(SPECIMENS / "open-sdg-kazakhstan", store,
                                      skip_invalid=True)
        assert "loaded" == loaded.status
        site = SiteData(store)
        report = build_site(site, tmp_path / "site", ("en",))
        assert [] == report.broken
    akmola = json.loads((tmp_path / "site/en/area/KZAKM.json").read_text(encoding="utf-8"))
    assert "Akmola" == akmola["title"]  # from translations/en/REF_AREA.yml
    page = tmp_path / "site/en/series/KAZ_2_2_1~3a_L_KZ_DD_MSD.html"
    assert "KAZ_2_2_1:_L_KZ_DD_MSD" in page.read_text(encoding="utf-8")
