"""The maps in a real browser (issue 14, part 5): axe-core finds no serious or critical
violation on a page with a map, in English and Russian, and the map's values written on it
stand out from their area's shade (WCAG 2.2 1.4.3, 4.5:1). Screenshots go to
artifacts/screenshots/."""

import re
from pathlib import Path

import pytest

from sdgtrack import pipeline
from sdgtrack.store import Store

from .conftest import SPECIMENS, app_server
from .test_browser import AXE, CHROMIUM, FLAGS, SHOTS, _axe, _missing
from .test_visual import contrast

pytestmark = [
    pytest.mark.browser,
    pytest.mark.filterwarnings("ignore::ResourceWarning"),
    pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning"),
]


@pytest.fixture(scope="module")
def kg_server(tmp_path_factory):
    store = Store(tmp_path_factory.mktemp("maps-browser") / "kg.duckdb")
    assert "loaded" == pipeline.ingest_path(SPECIMENS / "open-sdg-kyrgyzstan", store,
                                            skip_invalid=True).status
    with app_server(store) as url:
        yield url
    store.close()


@pytest.fixture(scope="module")
def tab():
    if not Path(CHROMIUM).exists():
        _missing("Chromium (Debian package chromium)")
    if not AXE.exists():
        _missing("axe-core (npm package, in .cache/node)")
    sync_api = pytest.importorskip("playwright.sync_api")
    SHOTS.mkdir(parents=True, exist_ok=True)
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        page = browser.new_page(viewport={"width": 1280, "height": 900}, bypass_csp=True)
        page.set_default_timeout(60_000)
        yield page
        browser.close()


def _rgb(css: str) -> tuple[int, int, int]:
    if css.startswith("#"):
        return tuple(int(css[i:i + 2], 16) for i in (1, 3, 5))  # type: ignore[return-value]
    r, g, b = (int(x) for x in re.findall(r"\d+", css)[:3])
    return r, g, b


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_a_series_page_with_its_map_passes_axe(kg_server, tab, lang):
    tab.goto(f"{kg_server}/{lang}/series/SI_POV_DAY1.html")
    section = tab.locator("section[aria-labelledby=maps]")
    assert 9 == section.locator('path[aria-roledescription="geoshape"]').count()
    assert 9 == section.locator("table tbody tr").count()  # the table beside the map
    section.screenshot(path=str(SHOTS / f"map-kg-{lang}.png"))
    assert [] == _axe(tab)


def test_values_on_the_map_stand_out_from_their_area(kg_server, tab):
    """Each value written on the map against the fill of the area under it (the area whose
    box holds the label's centre and whose shape the browser says contains it)."""
    tab.goto(f"{kg_server}/en/series/KGZ_4_1_2~3aL1.html")
    pairs = tab.evaluate("""() => {
      const svg = document.querySelector('section[aria-labelledby=maps] svg');
      const shapes = [...svg.querySelectorAll('path[aria-roledescription="geoshape"]')];
      return [...svg.querySelectorAll('.mark-text.role-mark text')].map(t => {
        const b = t.getBoundingClientRect(), x = b.x + b.width / 2, y = b.y + b.height / 2;
        const under = document.elementsFromPoint(x, y).find(e => shapes.includes(e));
        return [t.getAttribute('fill'), under ? under.getAttribute('fill') : null];
      });
    }""")
    assert len(pairs) >= 5  # the large oblasts are labelled
    for text, fill in pairs:
        if fill and fill.startswith("#"):
            assert contrast(_rgb(text), _rgb(fill)) >= 4.5, (text, fill)


def test_the_group_maps_pass_axe(bundled_store, tab):
    with app_server(bundled_store) as url:
        tab.goto(f"{url}/en/group/escap_nca.html?goal=3&series=SH_DYN_MORT")
        section = tab.locator("section[aria-labelledby=maps]")
        assert 2 == section.locator("figure.map svg").count()
        section.screenshot(path=str(SHOTS / "map-group-escap_nca-en.png"))
        assert [] == _axe(tab)
