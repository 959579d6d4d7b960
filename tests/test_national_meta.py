"""National metadata (issue 14, part 4): Open SDG ``meta/*.yml``, ``indicator_settings/*.md``
and Excel metadata through ``metadata-mapping.csv``, read from the real specimens of
Kyrgyzstan's and Kazakhstan's repositories, stored with the load, shown on the indicator and
series pages in en/ru/zh, and never in the way of the data."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from sdgtrack import pipeline
from sdgtrack.errors import IssueCode
from sdgtrack.ingest import ReadOptions, opensdg_meta
from sdgtrack.publish.site import router
from sdgtrack.publish.site.data import SiteData
from sdgtrack.publish.site.render import render
from sdgtrack.store import Store

SPECIMENS = Path(__file__).parent / "specimens"
KG = SPECIMENS / "open-sdg-kyrgyzstan"
KZ = SPECIMENS / "open-sdg-kazakhstan"


def _values(table, indicator, lang):
    return {r["field"]: r["value"] for r in table.to_pylist()
            if r["indicator"] == indicator and r["lang"] == lang}


def test_kyrgyz_workbooks_are_read_through_the_mapping_in_russian_and_english():
    issues: list = []
    t = opensdg_meta.read(KG, issues)
    assert [] == issues  # the real files are all well formed
    ru, en = _values(t, "1.5.4", "ru"), _values(t, "1.5.4", "en")
    # meta/1-5-4.xlsx: 26 rows, of which 6 are section headings without a value -> 20
    assert 20 == len(ru) == len(en)
    assert "Министерство чрезвычайных ситуаций Кыргызской Республики" == ru["organization_name"]
    assert "Ministry of Emergency Situations of the Kyrgyz Republic" == en["organization_name"]
    assert en["references_documentation"].startswith(
        "Sendai Framework for Disaster Risk Reduction 2015-2030")
    # indicator_settings/1-5-4.md: as published (no language), the link with its text
    plain = _values(t, "1.5.4", "")
    assert "Кыргызская Республика" == plain["national_geographical_coverage"]
    assert plain["goal_meta_link"] == (
        "[United Nations Sustainable Development Goals Metadata (pdf 488kB)]"
        "(https://unstats.un.org/sdgs/metadata/files/Metadata-01-05-04.pdf)")
    assert "graph_type" not in plain  # the chart's settings are not metadata


def test_kazakh_translation_keys_are_looked_up_in_each_language():
    issues: list = []
    t = opensdg_meta.read(KZ, issues)
    assert [] == issues
    ru, en = _values(t, "3.2.1", "ru"), _values(t, "3.2.1", "en")
    # meta/3-2-1.yml: source_data_1: sources.3-2-1-source_data_1, in translations/ru/sources.yml
    assert ru["source_data_1"].startswith("Информационная система «Регистрационный пункт ЗАГС»")
    assert "Глобальный без именений" == ru["customisation"]  # meta.customisation-1, as published
    assert "Global without changes" == en["customisation"]
    # plain text is kept as published, once
    assert "United Nations Children's Fund (UNICEFF)" == _values(t, "3.2.1", "")[
        "un_custodian_agency"]
    # computation_definitions.3-2-1 has no text in any language: a placeholder, left out
    assert "computation_definitions" not in {**ru, **en}


@pytest.fixture
def kyrgyz_copy(tmp_path):
    root = tmp_path / "open-sdg-kyrgyzstan"
    shutil.copytree(KG, root)
    return root


def test_metadata_go_with_the_load_and_a_rollback_brings_the_old_ones_back(kyrgyz_copy,
                                                                          tmp_path):
    with Store(tmp_path / "s.duckdb") as store:
        first = pipeline.ingest_path(kyrgyz_copy, store, skip_invalid=True)
        assert "loaded" == first.status
        settings = kyrgyz_copy / "indicator_settings" / "1-5-4.md"
        settings.write_text(settings.read_text(encoding="utf-8").replace(
            "national_geographical_coverage: Кыргызская Республика",
            "national_geographical_coverage: Баткенская область"), encoding="utf-8")
        # only a metadata file changed: still a new load of the dataset (its checksum)
        second = pipeline.ingest_path(kyrgyz_copy, store, skip_invalid=True)
        assert "loaded" == second.status and second.load_id != first.load_id

        def coverage():
            page = router.build(SiteData(store), router.Address("ru", "indicator/1.5.4", "json"))
            [group] = page["national_metadata"]
            fields = {f["field"]: f for f in group["fields"]}
            return group["load_id"], fields["national_geographical_coverage"]["text"]

        assert (second.load_id, "Баткенская область") == coverage()
        store.rollback(second.load_id, actor=None)
        assert (first.load_id, "Кыргызская Республика") == coverage()


def test_pages_show_the_metadata_labelled_in_the_page_s_language(tmp_path):
    with Store(tmp_path / "s.duckdb") as store:
        assert "loaded" == pipeline.ingest_path(KG, store, skip_invalid=True).status
        site = SiteData(store)
        by_lang = {}
        for lang in ("en", "ru", "zh"):
            page = router.build(site, router.Address(lang, "indicator/1.5.4", "json"))
            [group] = page["national_metadata"]
            by_lang[lang] = {f["field"]: f for f in group["fields"]}
            assert "open-sdg-kyrgyzstan" == group["dataset"] and "417" == group["country"]
        assert ("Organization", "en") == (by_lang["en"]["organization_name"]["label"],
                                          by_lang["en"]["organization_name"]["lang"])
        assert "Организация" == by_lang["ru"]["organization_name"]["label"]
        assert "ru" == by_lang["ru"]["organization_name"]["lang"]
        # no Chinese metadata: the English text under a Chinese label
        assert ("机构", "en") == (by_lang["zh"]["organization_name"]["label"],
                                 by_lang["zh"]["organization_name"]["lang"])
        # the series page of the file's series (data/1.5.4.xml) shows the same metadata
        series = router.build(site, router.Address("en", "series/SG_GOV_LOGV", "json"))
        assert ["1.5.4"] == [g["indicator"] for g in series["national_metadata"]]
        html = render(site, router.build(site, router.Address("ru", "indicator/1.5.4", "html")))
        assert "Национальные метаданные" in html and "<dt>Организация</dt>" in html
        assert ('<a href="https://unstats.un.org/sdgs/metadata/files/Metadata-01-05-04.pdf">'
                in html)


HOSTILE = """---
national_geographical_coverage: <script>alert(1)</script> **Batken**
goal_meta_link: javascript:alert(2)
goal_meta_link_text: click
---
<img src=x onerror=alert(3)> [more](javascript:alert(4))
"""


def test_hostile_metadata_is_shown_as_text(kyrgyz_copy, tmp_path):
    (kyrgyz_copy / "indicator_settings" / "1-5-4.md").write_text(HOSTILE, encoding="utf-8")
    with Store(tmp_path / "s.duckdb") as store:
        assert "loaded" == pipeline.ingest_path(kyrgyz_copy, store, skip_invalid=True).status
        site = SiteData(store)
        html = render(site, router.build(site, router.Address("en", "indicator/1.5.4", "html")))
    assert "<script>alert(1)" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<strong>Batken</strong>" in html  # markdown itself is rendered
    assert "&lt;img src=x onerror=alert(3)&gt;" in html and "onerror=alert(3)>" not in html
    # the unsafe links stay text, never an href
    assert "[more](javascript:alert(4))" in html and 'href="javascript' not in html.lower()


def test_malformed_metadata_are_located_problems_and_the_data_still_load(kyrgyz_copy, tmp_path):
    (kyrgyz_copy / "indicator_settings" / "1-1-1.md").write_text(
        "---\ngraph_type: line\nmeasurement_units: [Процент\n---\n", encoding="utf-8")
    (kyrgyz_copy / "indicator_settings" / "4-1-2.md").write_text("no front matter\n",
                                                                  encoding="utf-8")
    (kyrgyz_copy / "meta" / "en" / "1-1-1.xlsx").write_bytes(b"not a workbook")
    with (kyrgyz_copy / "metadata-mapping.csv").open("a", encoding="utf-8") as f:
        f.write("Only a label\n")
    with Store(tmp_path / "s.duckdb") as store:
        result = pipeline.ingest_path(kyrgyz_copy, store, skip_invalid=True)
        clean = pipeline.ingest_path(KG, Store(tmp_path / "clean.duckdb"), skip_invalid=True)
    assert "loaded" == result.status and clean.rows_loaded == result.rows_loaded
    found = {(i.file, i.row): i for i in result.issues
             if i.code is IssueCode.MALFORMED_METADATA}
    # the unclosed [ of line 3 is found where the block ends: line 4 of the file
    bad_yaml = found[("indicator_settings/1-1-1.md", 4)]
    assert "not valid YAML" in bad_yaml.message and "quotes" in bad_yaml.hint
    assert "front matter" in found[("indicator_settings/4-1-2.md", 1)].message
    assert "cannot be opened" in found[("meta/en/1-1-1.xlsx", None)].message
    # metadata-mapping.csv has 40 rows; the added one is row 41
    assert "row label,metadata key" in found[("metadata-mapping.csv", 41)].message
    assert 4 == len(found)


def test_a_kazakh_load_shows_sources_in_russian(tmp_path):
    with Store(tmp_path / "s.duckdb") as store:
        result = pipeline.ingest_path(KZ, store, ReadOptions(area="KAZ"), skip_invalid=True)
        assert "loaded" == result.status
        page = router.build(SiteData(store), router.Address("ru", "series/KAZ_3_2_1", "json"))
    [group] = page["national_metadata"]
    fields = {f["field"]: f for f in group["fields"]}
    assert ("Источник данных", "ru") == (fields["source_data_1"]["label"],
                                         fields["source_data_1"]["lang"])
    assert "Казахстан" == group["country_name"]


@pytest.fixture(scope="module")
def national_site(tmp_path_factory):
    path = tmp_path_factory.mktemp("meta") / "s.duckdb"
    with Store(path) as store:
        assert "loaded" == pipeline.ingest_path(KG, store, skip_invalid=True).status
        assert "loaded" == pipeline.ingest_path(KZ, store, ReadOptions(area="KAZ"),
                                                skip_invalid=True).status
    store = Store(path, read_only=True)
    yield SiteData(store, frozen=True)
    store.close()


@pytest.mark.parametrize(("lang", "query"), [
    ("ru", "Министерство чрезвычайных ситуаций"),
    ("en", "ministry of emergency situations"),
])
def test_the_search_finds_a_kyrgyz_indicator_s_metadata_first(national_site, lang, query):
    from sdgtrack.publish import search as hub

    found = hub.search(national_site, lang, query)
    hit = found["results"][0]
    # meta/1-5-4.xlsx (ru) and meta/en/1-5-4.xlsx: "Организация: Министерство чрезвычайных
    # ситуаций Кыргызской Республики"; no goal, target or indicator holds all three words
    assert ("metadata", "1.5.4", "indicator/1.5.4") == (hit["kind"], hit["code"], hit["link"])
    assert hit["anchor"].startswith("national-meta-") and hit["anchor"].endswith("-1.5.4")
    assert any(m["hit"] for m in hit["snippet"])
    country = {"ru": "Кыргызстан", "en": "Kyrgyzstan"}[lang]
    assert hit["title"].endswith(country)


def test_a_store_from_before_metadata_gets_the_table_when_opened_for_writing(tmp_path):
    path = tmp_path / "old.duckdb"
    with Store(path) as store:
        assert "loaded" == pipeline.ingest_path(KG, store, skip_invalid=True).status
        store.con.execute("DROP TABLE metadata_declared")  # as a store written before
    with Store(path, read_only=True) as old:  # read-only: not upgraded, and no metadata
        page = router.build(SiteData(old), router.Address("en", "indicator/1.5.4", "json"))
        assert [] == page["national_metadata"]
    with Store(path) as store:  # opened for writing: the table is there, empty until a load
        assert 0 == store.con.execute("SELECT count(*) FROM metadata_declared").fetchone()[0]
