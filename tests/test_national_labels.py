"""A national repository's own words for its codes, kept with its load and shown in the
page's language (issue 18): Open SDG translations (Kazakhstan) and the names of a national
DSD (Kyrgyzstan), read from the real specimens."""

from sdgtrack import pipeline
from sdgtrack.publish.site.data import SiteData
from sdgtrack.publish.site.names import area_name
from sdgtrack.store import Store

from conftest import SPECIMENS


def _labels(store):
    return {(d, c, lang): text for d, c, lang, text in store.con.execute(
        "SELECT dimension, code, lang, label FROM codes_declared").fetchall()}


def test_kazakhstan_translations_label_its_codes_in_english_and_russian(tmp_path):
    with Store(tmp_path / "kz.duckdb") as store:
        pipeline.ingest_path(SPECIMENS / "open-sdg-kazakhstan", store, skip_invalid=True)
        labels = _labels(store)
        d = SiteData(store)
        # translations/en/UNIT_MEASURE.yml "PT: Percent", translations/ru/... "PT: процент"
        assert ("Percent", "процент") == (labels["unit_measure", "PT", "en"],
                                          labels["unit_measure", "PT", "ru"])
        # a language the repository has no file for reads its English; a global code keeps
        # the SDG code list's label (CL_SEX: "Both sexes", not the repository's "Boys and Girls")
        assert ("Percent", "Both sexes", "Оба пола") == (
            d.code_label("unit_measure", "PT", "zh"), d.code_label("sex", "_T", "en"),
            d.code_label("sex", "_T", "ru"))
        assert ("Akmola", "Акмолинская") == (area_name(d, "KZAKM", "en"),
                                             area_name(d, "KZAKM", "ru"))
        assert ("sex", "SEX", "en") not in labels  # "SEX: Sex" names the concept


def test_kyrgyzstan_dsd_names_its_codes_in_russian(tmp_path):
    with Store(tmp_path / "kg.duckdb") as store:
        pipeline.ingest_path(SPECIMENS / "open-sdg-kyrgyzstan", store, skip_invalid=True)
        d = SiteData(store)
        # SDG_DSD.KG_1.8.xml: code KG05 of CL_AREA, "Batken" (en), "Баткенская область" (ru)
        assert ("Batken", "Баткенская область") == (area_name(d, "KG05", "en"),
                                                    area_name(d, "KG05", "ru"))
