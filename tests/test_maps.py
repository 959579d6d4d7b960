"""Maps (issue 14, part 5): Kyrgyzstan's oblast boundaries (a thinned real extract of its
``oblasts.geojson``) matched to the data's areas, drawn on the series and indicator pages and
in the country profile; the group pages' maps by country from the bundled Natural Earth set.
"""

import json
import re
import shutil
import subprocess

import pytest

from sdgtrack import framework, pipeline
from sdgtrack.errors import IssueCode
from sdgtrack.framework import world
from sdgtrack.ingest.boundaries import MAX_BYTES, match, read_boundaries
from sdgtrack.publish import maps
from sdgtrack.publish.site import router
from sdgtrack.publish.site.data import SiteData
from sdgtrack.publish.site.pages import series_page
from sdgtrack.publish.site.render import render
from sdgtrack.store import Store

from .conftest import SPECIMENS
from .test_visual import contrast

KG = SPECIMENS / "open-sdg-kyrgyzstan"
OBLASTS = {"KG02", "KG03", "KG04", "KG05", "KG06", "KG07", "KG08", "KG11", "KG21"}


@pytest.fixture(scope="module")
def kg_site(tmp_path_factory):
    s = Store(tmp_path_factory.mktemp("maps") / "kg.duckdb")
    result = pipeline.ingest_path(KG, s, skip_invalid=True)
    assert "loaded" == result.status
    yield SiteData(s)
    s.close()


def _page(d, path, lang="en", query=None):
    page = router.build(d, router.Address(lang, path, "html"), query)
    return page, render(d, page)


def _geoshapes(svg: str) -> list[str]:
    """The paths of a map's areas (vl-convert draws each feature as one path, described as
    a geoshape; the legend's swatches are symbols)."""
    return re.findall(r'<path[^>]*aria-roledescription="geoshape"[^>]*>', svg)


def _map_svgs(html: str) -> list[str]:
    return re.findall(r'<figure class="chart map".*?(<svg.*?</svg>)', html, re.DOTALL)


def test_features_find_their_areas_by_code_then_by_name(kg_site):
    features = {b["ref_area"]: b["name"] for b in
                framework_boundaries(kg_site)["417"]}
    # ID_1 holds the data's codes (KG05 Batken ...); Ysyk-Köl has ID_1 9, and is KG02 by
    # VARNAME_1 "Issyk-Kul", the DSD's English name of KG02
    assert OBLASTS == set(features)
    assert "Ysyk-Köl" == features["KG02"]  # "Ysyk-KÃ¶l" in the file, mis-decoded UTF-8
    assert "Batken" == features["KG05"]


def framework_boundaries(d):
    from sdgtrack.store import boundaries

    return boundaries.current(d.store.con)


def test_a_feature_matching_nothing_is_kept_without_an_area():
    features = [{"properties": {"ID": "KG05", "NAME": "Batken"}},
                {"properties": {"ID": "X1", "NAME": "Nowhere"}},
                {"properties": {"ID": "9", "NAME": "Иссык-Кульская обл."}}]
    names = {"KG05": {"Batken"}, "KG02": {"Иссык-Кульская область", "Issyk-Kul"}}
    assert ["KG05", None, "KG02"] == match(features, names)


@pytest.mark.parametrize("text, why", [
    ("{not json", "it is not JSON"),
    ('{"type": "Feature", "geometry": null}', "not a GeoJSON FeatureCollection"),
    ('{"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {}, '
     '"geometry": {"type": "Point", "coordinates": [74, 42]}}]}', "feature 1 has no Polygon"),
    ('{"type": "FeatureCollection", "features": [{"type": "Feature", "geometry": '
     '{"type": "Polygon", "coordinates": [[[740, 42], [75, 42], [75, 43], [740, 42]]]}}]}',
     "feature 1 has no Polygon"),
    ('{"type": "FeatureCollection", "features": []}', "it has 0 features"),
    ("[" * 100_000 + "]" * 100_000, "it is not JSON"),
])
def test_a_bad_boundary_file_is_a_warning_naming_it_and_the_data_still_load(
        text, why, tmp_path, store):
    repo = tmp_path / "kg"
    shutil.copytree(KG, repo)
    (repo / "oblasts.geojson").write_text(text, encoding="utf-8")
    result = pipeline.ingest_path(repo, store, skip_invalid=True)
    assert "loaded" == result.status
    (issue,) = [i for i in result.issues if i.code is IssueCode.BAD_BOUNDARY_FILE]
    assert issue.file.endswith("oblasts.geojson") and why in issue.message
    assert "oblasts.geojson" in issue.message and issue.hint
    assert {} == framework_boundaries(SiteData(store))


def test_a_boundary_file_over_the_size_limit_is_not_read(tmp_path, monkeypatch):
    from sdgtrack.ingest import boundaries

    monkeypatch.setattr(boundaries, "MAX_BYTES", 1000)
    rows, issues = read_boundaries(KG / "oblasts.geojson", {"KG05": {"Batken"}}, "417")
    assert [] == rows
    assert "over the limit of 1,000" in issues[0].message  # 10,103 bytes, over 1,000
    assert MAX_BYTES == 32 * 1024 * 1024


def test_series_map_has_one_path_per_oblast_and_the_stores_values(kg_site):
    page, html = _page(kg_site, series_page("SI_POV_DAY1"))
    (m,) = page["maps"]
    assert ("417", 2024) == (m["country"], m["year"])
    (svg,) = _map_svgs(html)
    assert 9 == len(_geoshapes(svg))  # one path per feature of oblasts.geojson
    stored = dict(kg_site.store.con.execute(
        "SELECT ref_area, value FROM observations_current WHERE series_code = 'SI_POV_DAY1' "
        "AND time_period = 2024 AND ref_area LIKE 'KG%' AND sex = '_T' AND age = '_T' "
        "AND urbanisation = '_T'").fetchall())
    assert stored == {r["ref_area"]: r["value"] for r in m["rows"]}
    # the real zeros of 2024 are a class of their own, not "no data"; Naryn 0.320352
    assert 0.0 == stored["KG05"] and {"No data"}.isdisjoint(r["class"] for r in m["rows"])
    assert "url(#nodata-" not in "".join(_geoshapes(svg))


def test_an_oblast_without_a_value_is_hatched_and_listed_as_no_data(kg_site):
    page, html = _page(kg_site, series_page("KGZ_4_1_2:L2"))
    (m,) = page["maps"]
    assert 2023 == m["year"]
    # 2023: every oblast but Naryn (KG04) has a value
    (naryn,) = [r for r in m["rows"] if r["value"] is None]
    assert ("KG04", "No data", None) == (naryn["ref_area"], naryn["class"], naryn["year"])
    (svg,) = _map_svgs(html)
    paths = _geoshapes(svg)
    assert 1 == sum("url(#nodata-" in p for p in paths)  # hatched, not a colour
    assert "No data" in svg  # the legend's class
    assert "<td class=\"num\">no data</td>" in html  # the table beside it


def test_russian_pages_and_the_indicator_page_have_the_map(kg_site):
    page, html = _page(kg_site, series_page("SI_POV_DAY1"), "ru")
    assert "Карта по территориям" in html and "Нет данных" in html
    assert 9 == len(_geoshapes(_map_svgs(html)[0]))
    page, html = _page(kg_site, "indicator/1.1.1")
    assert ["SI_POV_DAY1"] == [m["series"] for m in page["maps"]]
    assert 1 == len(_map_svgs(html))


def test_the_country_page_maps_the_series_with_the_most_areas(kg_site):
    page, html = _page(kg_site, "area/417")
    # SI_POV_DAY1 and KGZ_4_1_2:L1 have all 9 oblasts; of those, SI_POV_DAY1's latest year
    # (2024) is the later (KGZ_4_1_2:L1: 2023)
    assert "SI_POV_DAY1" == page["maps"][0]["series"] and len(page["maps"]) <= 2
    assert len(page["maps"]) == len(_map_svgs(html))


def test_map_labels_and_edges_are_readable():
    """Values written on the map against their area's shade: 4.5:1 (WCAG 1.4.3); the
    areas' edges and the hatch against white and the lightest shade: 3:1 (1.4.11)."""
    def rgb(h):
        return tuple(int(h[i:i + 2], 16) for i in (1, 3, 5))

    for shade in maps.SHADES:
        label = "#ffffff" if shade in maps.DARK else "#111111"
        assert contrast(rgb(label), rgb(shade)) >= 4.5, shade
    for background in ("#ffffff", maps.SHADES[0]):
        assert contrast(rgb("#444444"), rgb(background)) >= 3.0  # the edges
        assert contrast(rgb("#767676"), rgb(background)) >= 3.0  # the hatch's lines


def test_country_boundaries_are_the_m49_countries():
    shapes = world.countries()
    # world-atlas ids are ISO 3166-1 numeric = M49: "004" is Afghanistan, "036" Australia
    # (with the Ashmore and Cartier Islands, which share its code)
    assert "Afghanistan" == shapes["4"]["name"] and "Australia" == shapes["36"]["name"]
    escap = framework.group_members("escap")
    assert ["798"] == [m for m in escap if m not in shapes]  # Tuvalu, too small at 1:50m


@pytest.mark.slow
def test_group_map_shows_the_members_with_data(slice_store):
    d = SiteData(slice_store)
    page, html = _page(d, "group/escap_nca", query={"goal": ["7"], "series": ["EG_ACS_ELEC"]})
    m = page["maps"]
    members = framework.group_members("escap_nca")
    snap = d.results.assessment().snapshot
    assessed = set(snap[(snap.goal == 7) & snap.unit.isin(members)
                        & snap.current_status_index.notna()].unit)
    assert assessed  # the slice holds goal 7: some of the nine are assessed
    assert assessed == {r["ref_area"] for r in m["snapshot"]["rows"] if r["value"] is not None}
    with_data = {a for a in d.series_columns("EG_ACS_ELEC")["ref_area"] if a in members}
    assert with_data
    assert with_data == {r["ref_area"] for r in m["series"]["rows"] if r["value"] is not None}
    snapshot_svg, series_svg = _map_svgs(html)
    assert len(members) == len(_geoshapes(snapshot_svg)) == len(_geoshapes(series_svg))
    assert json.dumps(page)  # the JSON twin holds the maps


def test_country_profile_has_the_map(kg_site, tmp_path):
    if not shutil.which("pdftoppm"):
        pytest.skip("poppler-utils is not installed (scripts/test.sh installs it)")
    from sdgtrack.publish.report.country import country_profile

    pdf = tmp_path / "kgz.pdf"
    pdf.write_bytes(country_profile(kg_site, "KGZ"))
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout
    pages = text.split("\f")
    found = [k + 1 for k, p in enumerate(pages) if "Map by area" in p and "Batken" in p]
    assert found  # the section, and an oblast in its table
    at = found[0]
    subprocess.run(["pdftoppm", "-f", str(at), "-l", str(at), "-r", "40", "-png", str(pdf),
                    str(tmp_path / "map")], check=True)
    (png,) = tmp_path.glob("map*.png")
    from PIL import Image

    image = Image.open(png).convert("RGB")
    colours = {image.getpixel((x, y)) for x in range(image.width) for y in range(image.height)}
    # the map's lightest and darkest shades are drawn: five classes over nine oblasts
    assert {(0xEF, 0xF3, 0xFF), (0x08, 0x30, 0x6B)} <= colours


def test_kazakhstans_boundaries_match_by_their_russian_names_and_draw_as_areas():
    """Kazakhstan's ``regions.geojson`` (thinned extract, properties whole) keys its
    features by ``kzCode`` (KZ03 ...), a scheme the data do not use (``REF_AREA`` KZAKM ...),
    and names them in Russian; its rings turn either way (RFC 7946 asks for
    counter-clockwise outer rings, which Vega would draw as the rest of the globe)."""
    from sdgtrack.framework.geometry import _winding, polygons

    # names as the repository's translations give them (translations/ru and kk/REF_AREA.yml)
    names = {"KZAKM": {"Akmola", "Акмолинская"}, "KZVOS": {"Восточно-Казахстанская"},
             "KZALA": {"Almaty city", "г_Алматы", "Алматы қаласы"},
             "KZZHA": {"Zhambyl", "Жымбылская", "Жамбыл"}, "KZNS": {"Astana city", "г_Астана"}}
    rows, issues = read_boundaries(SPECIMENS / "boundaries" / "kazakhstan-regions.geojson",
                                   names, "398")
    by_name = {r["name"]: r["ref_area"] for r in rows}
    assert 17 == len(rows)
    assert ("KZAKM", "KZVOS", "KZALA") == (
        by_name["Акмолинская"], by_name["Восточно-Казахстанская"], by_name["г.Алматы"])
    # "Жамбылская" is spelt "Жымбылская" in the repository's Russian names, but begins with
    # "Жамбыл", its Kazakh one; "г.Нур-Султан" is Astana's name of 2019-2022: nothing says so
    assert "KZZHA" == by_name["Жамбылская"] and by_name["г.Нур-Султан"] is None
    (issue,) = issues
    # 12 oblasts have no names in this test, and Nur-Sultan matches none
    assert IssueCode.BAD_BOUNDARY_FILE is issue.code and "13 of the 17 areas" in issue.message
    assert "г.Нур-Султан" in issue.value.split(", ")
    for r in rows:  # every outer ring clockwise, as Vega draws an area
        assert {-1} == {_winding(p[0]) for p in polygons(json.loads(r["geometry"]))}
