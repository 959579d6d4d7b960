"""The pages in a real browser: Debian's headless Chromium driven by Playwright against
``sdgtrack serve``'s app on loopback. Screenshots go to artifacts/screenshots/."""

import os
import shutil
from pathlib import Path

import pytest

from conftest import app_server

pytestmark = [
    pytest.mark.browser,
    # Playwright's own event loop and sockets; not ours to fix
    pytest.mark.filterwarnings("ignore::ResourceWarning"),
    pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning"),
]

ROOT = Path(__file__).parent.parent
SHOTS = ROOT / "artifacts" / "screenshots"
AXE = ROOT / ".cache" / "node" / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def _missing(what: str) -> None:
    if os.environ.get("CI"):
        pytest.fail(f"CI must have {what}: scripts/test.sh installs it")
    pytest.skip(f"{what} is not installed here (scripts/test.sh installs it)")


@pytest.fixture(scope="module")
def server(bundled_store):
    with app_server(bundled_store) as url:
        yield url


@pytest.fixture(scope="module")
def page(server):
    if not Path(CHROMIUM).exists():
        _missing("Chromium (Debian package chromium)")
    sync_api = pytest.importorskip("playwright.sync_api")
    SHOTS.mkdir(parents=True, exist_ok=True)
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        tab = browser.new_page(viewport={"width": 1280, "height": 900},
                                bypass_csp=True)  # axe-core is injected inline
        tab.set_default_timeout(60_000)
        yield tab
        browser.close()


def _axe(tab) -> list[dict]:
    if not AXE.exists():
        _missing("axe-core (npm package, in .cache/node)")
    tab.add_script_tag(path=str(AXE))
    result = tab.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [v for v in result["violations"] if v["impact"] in ("serious", "critical")]


def test_home_shows_snapshot_and_dashboard(server, page):
    page.goto(f"{server}/")
    assert page.url.endswith("/en/index.html")
    assert page.locator("h1").inner_text() == "Asia and the Pacific: progress on the SDGs"
    assert page.locator("figure.chart svg").count() >= 1
    assert page.locator("table.data caption", has_text="Goal snapshot").count() == 1
    cells = page.locator(".dashboard li.cell")
    assert cells.count() == 169  # one cell per target
    page.screenshot(path=str(SHOTS / "home-en.png"), full_page=True)
    assert [] == _axe(page)


def test_country_page(server, page):
    page.goto(f"{server}/en/area/398.html")
    assert page.locator("h1").inner_text() == "Kazakhstan"
    assert page.locator("caption", has_text="The numbers behind each class").count() == 1
    page.screenshot(path=str(SHOTS / "area-398-en.png"), full_page=True)
    assert [] == _axe(page)


def test_indicator_filter_by_sex(server, page):
    page.goto(f"{server}/en/series/SH_DYN_MORT.html")
    page.locator("input[name=sex][value=_T]").uncheck()
    page.locator("input[name=sex][value=F]").check()
    page.locator("form.filters button[type=submit]").click()
    page.wait_for_load_state()
    assert "sex=F" in page.url
    # the table to read across: area, sex, then one column per year
    sexes = page.locator("table.pivot tbody tr td:nth-child(2)").all_inner_texts()
    assert sexes and {"Female"} == set(sexes)  # the label, not the code F
    world = page.locator("table.pivot tbody tr", has_text="World").first.inner_text()
    assert "74.3" in world  # World, women, 2000: 74.3 in the 2023 UN extract
    page.screenshot(path=str(SHOTS / "series-filter-en.png"), full_page=True)
    assert [] == _axe(page)


def test_language_switch_keeps_the_page(server, page):
    page.goto(f"{server}/en/goal/3.html")
    page.get_by_role("link", name="中文").click()
    page.wait_for_load_state()
    assert page.url.endswith("/zh/goal/3.html")
    assert page.locator("html").get_attribute("lang") == "zh"
    assert "目标 3" in page.locator("h1").inner_text()
    page.screenshot(path=str(SHOTS / "goal-3-zh.png"), full_page=True)
    assert [] == _axe(page)


def test_keyboard_reaches_the_content(server, page):
    page.goto(f"{server}/en/index.html")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent")
    assert "Skip to content" == focused.strip()
    page.keyboard.press("Enter")
    assert page.url.endswith("#main")


def test_static_site_search_works_from_disk(page, tmp_path):
    """A saved copy of the site (file://, no server) still searches: static/search.js over
    static/search-<lang>.js."""
    from sdgtrack import pipeline
    from sdgtrack.publish.site.build import build_site
    from sdgtrack.publish.site.data import SiteData
    from sdgtrack.store import Store

    from conftest import SPECIMENS

    with Store(tmp_path / "kz.duckdb") as store:
        pipeline.ingest_path(SPECIMENS / "open-sdg-kazakhstan", store, skip_invalid=True)
        build_site(SiteData(store), tmp_path / "site", ("en", "zh"))
    page.goto((tmp_path / "site" / "en" / "search.html").as_uri() + "?q=akmola")
    page.wait_for_selector("#search-results li")
    first = page.locator("#search-results li a").first
    assert "KZAKM" == first.locator("code").inner_text()
    assert "Akmola" == first.locator("mark").inner_text()  # the word found, marked
    assert "1 result for “akmola”." == page.locator("#search-status").inner_text()  # singular
    first.click()
    assert page.url.endswith("/en/area/KZAKM.html")
    page.goto((tmp_path / "site" / "zh" / "search.html").as_uri() + "?q=" + "贫困")
    page.wait_for_selector("#search-results li")
    assert page.locator("#search-results li").count() > 0
    # the browser's query is the server's: goal 1 first, in the goals' group
    assert "目标" in page.locator("#search-results h2").first.inner_text()
    assert "1" == page.locator("#search-results li a code").first.inner_text()
    page.screenshot(path=str(SHOTS / "static-search.png"))
    # a Chinese country name (traditional characters too) finds the country, in Chinese
    for q in ("哈萨克斯坦", "哈薩克斯坦"):
        page.goto((tmp_path / "site" / "zh" / "search.html").as_uri() + "?q=" + q)
        page.wait_for_selector("#search-results li")
        assert "398" == page.locator("#search-results li a code").first.inner_text(), q
    page.screenshot(path=str(SHOTS / "static-search-zh-country.png"))
    # the forum's records, bundled: 气候 finds the goal 13 roundtable's priority actions
    page.goto((tmp_path / "site" / "zh" / "search.html").as_uri() + "?q=" + "气候")
    page.wait_for_selector("#search-results li")
    records = page.locator("#search-results section.hits", has_text="论坛记录")
    link = records.locator("li a").first
    assert "/zh/goal/13.html#forum-apfsd8-annex-5" in link.get_attribute("href") or \
        link.get_attribute("href").startswith("goal/13.html#forum-apfsd8-annex-5")
    link.click()
    assert page.locator("section.forum").count() == 1
    page.screenshot(path=str(SHOTS / "static-goal-13-forum-zh.png"))


def test_pages_work_under_their_content_security_policy(server, page):
    """Served pages with the CSP enforced (the other tests bypass it to inject axe-core): the
    stylesheet loads, the (server-side) search answers, and nothing is blocked. A second tab
    of the module's browser, in a context of its own that keeps the CSP (one Playwright per
    process: a second one inside the first's event loop fails)."""
    context = page.context.browser.new_context()
    tab = context.new_page()
    blocked = []
    tab.on("console", lambda m: blocked.append(m.text)
           if "Content Security Policy" in m.text else None)
    try:
        tab.goto(f"{server}/en/search.html?q=kazakhstan")
        assert tab.locator("ul.results li").count() > 0
        tab.goto(f"{server}/en/index.html")  # the snapshot chart: inline SVG
        assert tab.locator("svg").count() > 0
        colour = tab.evaluate("getComputedStyle(document.body).fontFamily")
    finally:
        context.close()
    assert [] == blocked
    assert colour  # the stylesheet applied
