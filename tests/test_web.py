"""Every route of the web app in-process, HTML and JSON twin, errors in one shape, the API."""

import io
import re

import pyarrow.parquet as pq
import pytest
from fastapi.testclient import TestClient

from sdgtrack import ingest
from sdgtrack.publish.site.i18n import LOCALES, _catalog, messages_used
from sdgtrack.web.app import create_app

PAGES = ["index", "goal/3", "indicator/3.2.1", "series/SH_DYN_MORT", "area/398", "area/1",
         "group/escap_sea", "group/ldc", "availability", "availability/3", "methodology",
         "search"]
MISSING = ["goal/99", "indicator/9.9.9", "series/NO_SUCH_SERIES", "area/999", "group/nope",
           "nonsense"]


@pytest.fixture(scope="module")
def client(bundled_store):
    return TestClient(create_app(bundled_store))


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("page", PAGES)
def test_every_page_and_its_json_twin(client, lang, page):
    html = client.get(f"/{lang}/{page}.html")
    assert 200 == html.status_code, html.text[:300]
    assert f'<html lang="{lang}">' in html.text
    data = client.get(f"/{lang}/{page}.json")
    assert 200 == data.status_code
    body = data.json()
    assert (page, lang) == (body["path"], body["lang"])
    assert body["title"] in html.text.replace("&#39;", "'").replace("&amp;", "&")


@pytest.mark.parametrize("page", MISSING)
def test_missing_pages_are_404_in_both_forms(client, page):
    html = client.get(f"/en/{page}.html")
    assert 404 == html.status_code
    assert "<h1>Page not found</h1>" in html.text
    data = client.get(f"/en/{page}.json")
    assert 404 == data.status_code
    assert {"ok", "status", "error", "errors"} == set(data.json())


@pytest.mark.parametrize("url, status", [
    ("/api/v1/observations?page_size=0", 400),
    ("/api/v1/observations?year_from=abc", 400),
    ("/api/v1/observations.xml", 400),
    ("/api/v1/assessment/ATLANTIS", 404),
    ("/api/v1/nothing", 404),
    ("/xx/index.json", 404),
    ("/en/goal/99.json", 404),
])
def test_one_error_shape(client, url, status):
    r = client.get(url)
    assert status == r.status_code
    body = r.json()
    assert {"ok": False, "status": status} == {k: body[k] for k in ("ok", "status")}
    assert isinstance(body["error"], str) and body["errors"]


def test_home_shows_the_regional_snapshot_and_dashboard(client):
    page = client.get("/en/index.json").json()
    html = client.get("/en/index.html").text
    assert 17 == len(page["region"]["snapshot"])
    # goals behind the expected progress: all 17 in tests/expected/escap_snapshot.csv (14
    # behind schedule, 3 regressed) on the 2023 vintage
    assert 17 == page["behind"]
    assert "Goal snapshot" in html and "Target dashboard" in html and "<svg" in html
    assert "17 of the 17 goals are behind the progress expected by 2023" in html
    zh = client.get("/zh/index.html").text
    assert "17个目标中有 17 个落后于 2023 年应达到的进展" in zh
    # the data section says which vintage is in use and what it revised
    assert "(vintage 2023-12)" in html and "Revised since the previous vintage" in html


def test_series_page_filters_by_area_and_sex(client):
    page = client.get("/en/series/SH_DYN_MORT.json?area=398&area=524&sex=F").json()
    rows = page["rows"]
    assert {"398", "524"} == {r["ref_area"] for r in rows}
    assert {"F"} == {r["sex"] for r in rows}
    kaz_2015 = [r for r in rows if r["ref_area"] == "398" and r["time_period"] == 2015]
    assert ["10.2"] == [r["value_raw"] for r in kaz_2015]  # as in the 2023 UN extract
    assert {"sex"} <= set(page["dimensions"])


def test_observations_api_pages_like_the_un_api(client):
    # Kazakhstan's under-five mortality, 2023 vintage: 22 years (2000-2021) x 3 (both sexes,
    # F, M) = 66 rows: pages of 25, 25 and 16
    first = client.get("/api/v1/observations?series=SH_DYN_MORT&area=KAZ&page_size=25").json()
    assert (66, 3, 25) == (first["totalElements"], first["totalPages"], len(first["data"]))
    last = client.get("/api/v1/observations?series=SH_DYN_MORT&area=KAZ&page_size=25&page=3")
    assert 16 == len(last.json()["data"])
    row = first["data"][0]
    assert {"series", "geoAreaCode", "geoAreaName", "timePeriodStart", "value", "attributes",
            "dimensions"} <= set(row)
    women = client.get("/api/v1/observations?series=SH_DYN_MORT&area=398&sex=F").json()
    assert 22 == women["totalElements"]


def test_bulk_downloads(client, tmp_path):
    csv = client.get("/api/v1/observations.csv?series=SH_DYN_MORT&area=NPL")
    assert 66 + 1 == len(csv.text.strip().splitlines())  # header + 22 years x 3 sexes
    parquet = client.get("/api/v1/observations.parquet?series=SH_DYN_MORT&area=NPL")
    assert 66 == pq.read_table(io.BytesIO(parquet.content)).num_rows
    sdmx = client.get("/api/v1/observations.sdmx.csv?series=SH_DYN_MORT&area=NPL")
    path = tmp_path / "npl.csv"
    path.write_bytes(sdmx.content)
    result = ingest.read(path)  # our own SDMX-CSV reader reads it back
    typed = ingest.normalise(result.observations)
    assert ("sdmx-csv", 66, []) == (ingest.find_reader(path).name, typed.num_rows,
                                     result.issues)
    assert {"F", "M", "_T"} == set(typed["sex"].to_pylist())


def test_assessment_and_framework_api(client):
    kaz = client.get("/api/v1/assessment/KAZ").json()
    assert ("398", 17, 169) == (kaz["unit"]["code"], len(kaz["snapshot"]),
                                len(kaz["dashboard"]))
    assert 17 == len(client.get("/api/v1/goals").json())
    assert 169 == len(client.get("/api/v1/targets").json())
    spec = client.get("/openapi.json").json()
    assert "/api/v1/observations" in spec["paths"]


def test_every_ui_string_is_translated():
    for lang in ("zh", "ru"):
        assert (LOCALES / f"{lang}.po").exists()
        missing = sorted(messages_used() - set(_catalog(lang)))
        assert [] == missing, lang


def test_language_switch_links_to_the_same_page(client):
    html = client.get("/en/goal/3.html").text
    assert 'href="../../zh/goal/3.html"' in html and 'href="../../ru/goal/3.html"' in html
    assert "目标 3" in client.get("/zh/goal/3.html").text


def test_country_page_says_who_is_furthest_behind(client):
    page = client.get("/en/area/356.json").json()
    neet = next(r for r in page["lnob"]["largest"] if r["series_code"] == "SL_TLF_NEET")
    # India 2020 (2023 vintage): young women 45.67 %, young men 17.65 % not in education,
    # employment or training; NEET should fall, so women are behind; the gap narrowed since
    # 2000
    assert (45.67, 17.65, "Female", "Narrowing", 2000) == (
        neet["value_group"], neet["value_reference"], neet["behind"], neet["status"],
        neet["since"])
    html = client.get("/zh/area/356.html").text
    assert "谁最落后？" in html and "女性 / 男性" in html
    chart = page["lnob"]["chart"]
    assert chart["data"]["values"]  # the largest gap over the years
    # titled in words: the series' description and the comparison, never the code
    # (it read "SH_SAN_DEFECT: rural / urban")
    title = chart["title"]["text"]
    described = {client.get(f"/en/series/{r['series_code']}.json").json()["description"]
                 for r in page["lnob"]["largest"]}
    assert any(title.startswith(f"{d}: ") for d in described), title
    assert not re.search(r"\b[A-Z]{2}_[A-Z0-9_]+\b", title), title


def test_series_and_group_pages_show_gaps(client):
    series = client.get("/en/series/SL_TLF_NEET.json?area=356&area=50").json()
    areas = {r["ref_area"] for r in series["lnob"]["rows"]}
    assert {"356", "50"} <= areas
    group = client.get("/en/group/escap.json").json()
    neet = next(r for r in group["lnob_group"]["rows"] if r["series_code"] == "SL_TLF_NEET")
    # 2023 vintage: 47 members with both sexes; young women behind in 40, men in 5
    assert (47, 40, 5, 2) == (neet["areas"], neet["group_behind"], neet["reference_behind"],
                              neet["at_parity"])


def test_an_answer_is_kept_for_the_store_version(client, monkeypatch):
    """The second GET of a page or an observation query is answered from the bytes kept
    the first time (same headers), without routing it again; nothing is kept from errors."""
    from sdgtrack.publish.site import router
    from sdgtrack.web import api

    urls = ["/en/goal/5.html", "/zh/goal/5.json",
            "/api/v1/observations?series=SH_DYN_MORT&area=524&page_size=7"]
    first = [client.get(u) for u in urls]
    assert [200, 200, 200] == [r.status_code for r in first]
    assert 404 == client.get("/en/goal/77.html").status_code

    def gone(*args, **kwargs):
        raise AssertionError("routed again")

    monkeypatch.setattr(router, "parse", gone)
    monkeypatch.setattr(api, "records", gone)
    again = [client.get(u) for u in urls]
    assert [r.content for r in first] == [r.content for r in again]
    assert [r.headers["content-type"] for r in first] == [
        r.headers["content-type"] for r in again]
    assert 7 == len(again[2].json()["data"])
    with pytest.raises(AssertionError, match="routed again"):  # an error was not kept
        client.get("/en/goal/77.html")
    # another query is another answer
    with pytest.raises(AssertionError, match="routed again"):
        client.get("/en/goal/5.html?x=1")


def test_a_page_s_bytes_are_kept_once(client):
    """One page cache: a page answered is kept once, by its address, in the site's cache
    (it was once kept twice, by the page route and by the answers in front of it)."""
    site = client.app.state.site
    body = client.get("/en/goal/5.html").content
    now = site.versions.current()
    kept = [v for store in (site.cache._kept, site.cache._recent, site.cache._last)
            for k, v in store.items() if k[0] == now]
    pieces = [p for v in kept for p in (v if isinstance(v, tuple) else (v,))
              if isinstance(p, bytes)]
    assert 1 == pieces.count(body)


def test_the_event_loop_never_waits_for_the_store_version(client, monkeypatch):
    """The event loop answers with the version known while it is fresh; when a lookup is
    due, or after a write of our own, the version is looked up (in a thread) first."""
    from sdgtrack.publish.site import version

    versions = client.app.state.site.versions
    known = versions.current()
    assert known == versions.known()
    versions.refresh()  # what a submission does
    assert versions.known() is None
    assert known == versions.current()
    assert known == versions.known()
    monkeypatch.setattr(version, "VERSION_TTL", -1.0)  # every lookup is due
    assert versions.known() is None
    looked = []
    monkeypatch.setattr(version, "store_version", lambda store: looked.append(1) or known)
    assert 200 == client.get("/en/goal/5.html").status_code
    assert looked  # looked up before answering


def test_the_api_sdmx_csv_is_the_export_byte_for_byte(client, bundled_store, tmp_path):
    """One SDMX-CSV writer: the API's download and `sdgtrack export --format sdmx-csv` of
    the same observations give the same bytes (the API once wrote other columns)."""
    from sdgtrack.publish.export import current_observations, export

    answer = client.get("/api/v1/observations.sdmx.csv?series=SH_DYN_MORT&area=524")
    assert 200 == answer.status_code
    out = tmp_path / "npl.csv"
    export(current_observations(bundled_store, series="SH_DYN_MORT", areas="524"),
           "sdmx-csv", out)
    assert out.read_bytes() == answer.content
    lines = answer.text.splitlines()
    assert lines[0].startswith("DATAFLOW,FREQ,REPORTING_TYPE,SERIES,REF_AREA,SEX,AGE")
    # Nepal's under-five mortality in the 2023 vintage: 2000-2021, one line a year and sex
    years = {line.split(",")[lines[0].split(",").index("TIME_PERIOD")] for line in lines[1:]}
    assert {str(y) for y in range(2000, 2022)} == years


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_language_folder_serves_its_home_page(client, lang):
    """``/en/`` and ``/zh/`` answer the home page, as a web server answers a folder with its
    index.html (they were 404 while /en/index.html worked); ``/en`` leads to ``/en/``."""
    home = client.get(f"/{lang}/index.html")
    folder = client.get(f"/{lang}/")
    assert (200, home.text) == (folder.status_code, folder.text)
    assert client.get(f"/{lang}/.json").json()["page"] == "home"
    bare = client.get(f"/{lang}", follow_redirects=False)
    assert (307, f"/{lang}/") == (bare.status_code, bare.headers["location"])
    assert 404 == client.get("/xx/").status_code


def test_series_chart_has_one_line_per_area_and_sex(client, bundled_store):
    """Nepal's NEET rate for women and men: two lines, named in words, each with the
    store's values of its sex (one line through both zig-zagged from 45.82 to 21.16)."""
    page = client.get("/en/series/SL_TLF_NEET.json?area=524&sex=F&sex=M").json()
    lines: dict[str, dict[int, float]] = {}
    for v in page["chart"]["data"]["values"]:
        lines.setdefault(v["line"], {})[v["year"]] = v["value"]
    stored = {}
    for sex, year, value in bundled_store.con.execute(
            "SELECT sex, time_period, value FROM observations_current WHERE series_code = "
            "'SL_TLF_NEET' AND ref_area = '524' AND sex IN ('F', 'M') AND age = 'Y15T24' "
            "AND value IS NOT NULL").fetchall():
        stored.setdefault({"F": "Nepal, Female", "M": "Nepal, Male"}[sex], {})[year] = value
    assert stored == lines
    assert 45.82 == lines["Nepal, Female"][2017]
    # the default view's chart: the aggregates' lines named in the page's language (the
    # UN's Chinese names of the regions, framework/data/region_names.csv)
    default = [{v["line"] for v in client.get(f"/{lang}/series/SL_TLF_NEET.json").json()[
        "chart"]["data"]["values"]} for lang in ("en", "zh")]
    assert {"World", "Asia"} <= default[0] and {"世界", "亚洲"} <= default[1]
    assert ("PERCENT", "Per cent") == (page["unit"], page["unit_label"])  # code kept in JSON
    assert page["title"].startswith("Proportion of youth not in education")


def test_goal_page_draws_the_trends_of_the_series_assessed(client):
    """Goal 7's "Trends of the series assessed": one small chart per assessed series (the
    table's rows), each with the region's values over the years."""
    page = client.get("/en/goal/7.json").json()
    panels = {v["series"] for v in page["trends"]["data"]["values"]}
    assert len(page["assessed"]) == len(panels) >= 4
    html = client.get("/en/goal/7.html").text
    section = html.split('id="trends"')[1].split("</section>")[0]
    assert "<svg" in section
    # the panels are drawn the same in every language (one SVG): the title, in the page's
    # language, is HTML above them, and each panel's name is cut without measuring
    from sdgtrack.publish.charts import drawn

    zh = client.get("/zh/goal/7.json").json()["trends"]
    assert drawn(zh) == drawn(page["trends"])
    assert "亚洲及太平洋" in zh["usermeta"]["title"]
    assert zh["usermeta"]["title"] in client.get("/zh/goal/7.html").text
    # one panel per series, whole names (two that begin alike stay two), cut for display
    # by character count (190 px at 10 px, 0.48 em a character: 39), not by measuring
    assert {"labelExpr": "truncate(datum.value, 39)", "labelLimit": 0,
            "labelFontSize": 10} == page["trends"]["facet"]["header"]


def test_a_series_page_shows_each_value_s_observation_status(client, bundled_store):
    """The 2023 vintage flags values (ObservationStatus): the series page shows the flag of
    each value in words, and a legend of the flags it uses; the JSON keeps the codes."""
    page = client.get("/en/series/SI_POV_EMP1.json?area=524").json()
    stored = {s for (s,) in bundled_store.con.execute(
        "SELECT DISTINCT obs_status FROM observations_current WHERE series_code = "
        "'SI_POV_EMP1' AND ref_area = '524' AND obs_status IS NOT NULL").fetchall()}
    assert stored and stored == {s["code"] for s in page["statuses"]}
    assert {r["obs_status"] for r in page["rows"]} - {None} == stored
    html = client.get("/en/series/SI_POV_EMP1.html?area=524").text
    assert "<th scope=\"col\">Observation status</th>" in html
    legend = html.split("<h2>Observation status</h2>")[1].split("</dl>")[0]
    for s in page["statuses"]:
        assert f"<dd>{s['label']}</dd>" in legend and s["label"] != s["code"]
    zh = client.get("/zh/series/SI_POV_EMP1.html?area=524").text
    assert "观测值状态" in zh
