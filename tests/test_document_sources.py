"""Documents cite what they used (issue 18): a store holding the UN extract (its slice) and a second
country's own data (Kazakhstan's Open SDG specimen, national series that no assessment
uses); Nepal's profile and annex cite the UN load only, and their numbers have no holes."""

from __future__ import annotations

import re

import pytest

from sdgtrack.publish.report import country_profile, regional_report, vnr_annex
from sdgtrack.publish.report.country import profile_context
from sdgtrack.publish.site.data import SiteData

pytestmark = [pytest.mark.filterwarnings("ignore::UserWarning:fontTools.*")]

NEPAL = "524"


@pytest.fixture(scope="module")
def two_sources(tmp_path_factory):
    from sdgtrack import bundled, pipeline
    from sdgtrack.store import Store

    from .conftest import SPECIMENS, slice_folder

    folder = tmp_path_factory.mktemp("two")
    store = Store(folder / "s.duckdb")
    # the UN extract's slice (goals 5 and 7): what is cited depends on the loads, not on
    # how much of the extract there is
    un = pipeline.ingest_path(slice_folder(folder / "un"), store, dataset=bundled.UNSD_DATASET)
    kaz = pipeline.ingest_path(SPECIMENS / "open-sdg-kazakhstan", store, dataset="kaz",
                               skip_invalid=True)
    store.loads_of_test = (un.load_id, kaz.load_id)
    yield store
    store.close()


@pytest.fixture(scope="module")
def site(two_sources):
    """One SiteData for the module's documents: the tests only read, and each new one
    would assess every unit again."""
    return SiteData(two_sources)


def cited(html: str) -> set[int]:
    """Load numbers on the Sources page: ``[12]`` in its first column."""
    return {int(n) for n in re.findall(r"<td>\[(\d+)\]</td>", html)}


def test_the_second_load_holds_no_series_the_assessment_uses(two_sources):
    """The premise of the tests below, checked in SQL: Kazakhstan's own rows (its load)
    share no series code with the assessment specification."""
    from sdgtrack.assess import load_spec

    _un, kaz = two_sources.loads_of_test
    codes = {r[0] for r in two_sources.con.execute(
        "SELECT DISTINCT series_code FROM observations_current WHERE load_id = ?",
        [kaz]).fetchall()}
    assert codes  # the load is in use
    assert set() == codes & set(load_spec().series_code)


def test_nepal_profile_cites_only_the_load_it_used(two_sources, site):
    un, kaz = two_sources.loads_of_test
    html = country_profile(site, "NPL", "en", "html").decode()
    assert {un} == cited(html)  # not Kazakhstan's load
    footer = re.search(r'class="footer"[^>]*>(.*?)</', html, re.S)
    assert footer is None or "kaz" not in footer.group(1)


def test_nepal_annex_cites_only_the_load_it_used(two_sources, site):
    import io

    import openpyxl

    data = vnr_annex(site, "NPL", 2015, "xlsx")
    book = openpyxl.load_workbook(io.BytesIO(data), read_only=True)
    text = " ".join(str(c) for ws in book for row in ws.iter_rows(values_only=True)
                    for c in row if c is not None)
    assert "kaz" not in text.split()  # Kazakhstan's dataset is not among the sources
    assert "unsd-sdg-global-database-escap" in text


def test_profile_availability_sentence_has_its_numbers(two_sources, site):
    """'%(n)s of the %(total)s global indicators have data for Nepal, from %(series)s
    series' printed with every number (the context key no longer shadowed by a macro),
    each checked against the store."""
    d = site
    html = country_profile(d, "NPL", "en", "html").decode()
    total = two_sources.con.execute(
        "SELECT count(DISTINCT indicator) FROM fw_indicators").fetchone()[0]
    series = two_sources.con.execute(
        "SELECT count(DISTINCT series_code) FROM observations_current WHERE ref_area = ? "
        "AND value IS NOT NULL", [NEPAL]).fetchone()[0]
    m = re.search(r"(\d+) of the (\d+) global indicators have data for Nepal, from (\d+) "
                  r"series\.", html)
    assert m is not None, "the sentence lost its numbers"
    assert total == int(m[2])  # 248: the framework's indicators, each counted once
    assert series == int(m[3])  # one headline per series with a number for Nepal
    assert 0 < int(m[1]) <= total
    zh = country_profile(d, "NPL", "zh", "html").decode()
    # the country's official UN name in Chinese (framework/data/area_names.csv), not "Nepal"
    assert re.search(rf"全球指标框架的 {total} 个指标中，尼泊尔有 \d+ 个指标有数据", zh)


def test_profile_lists_the_series_it_used(two_sources, site):
    d = site
    context = profile_context(d, "NPL", "en")
    shown = set(context["prov"]["series"])
    mine = {r[0] for r in two_sources.con.execute(
        "SELECT DISTINCT series_code FROM observations_current WHERE ref_area = ? "
        "AND value IS NOT NULL", [NEPAL]).fetchall()}
    assert mine <= shown  # every series of Nepal's rows
    assert not any(c.startswith("KAZ") for c in shown)  # none of Kazakhstan's own


def test_regional_report_sources_are_its_members_loads(two_sources, site):
    un, kaz = two_sources.loads_of_test
    html = regional_report(site, "escap_sswa", "en", "html").decode()
    assert {un} == cited(html)  # Kazakhstan is not in South and South-West Asia
    m = re.search(r"(\d+) of the (\d+) global indicators have data for", html)
    assert m is not None and int(m[1]) > 0
