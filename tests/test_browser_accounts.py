"""The account screens in a real browser (issue 8): a provider signs in with the keyboard,
uploads a file through the form, reads the report and confirms; an administrator's pages and
a public page with stakeholder evidence; axe-core finds no serious accessibility problem."""

from __future__ import annotations

import pytest
from test_browser import CHROMIUM, FLAGS, SHOTS, _axe, _missing
from visible import slips

from sdgtrack import auth, pipeline
from sdgtrack.store import Store
from sdgtrack.submission import evidence

from accounts import G3, PASSWORD, add_accounts, data_file, rows
from conftest import app_server

pytestmark = [
    pytest.mark.browser,
    pytest.mark.filterwarnings("ignore::ResourceWarning"),
    pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning"),
]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    from argon2 import PasswordHasher

    folder = tmp_path_factory.mktemp("browser-accounts")
    saved = auth.passwords._hasher
    auth.passwords._hasher = lambda: PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
    store = Store(folder / "s.duckdb")
    pipeline.ingest_path(G3, store, dataset="unsd")
    users = add_accounts(store)
    item = evidence.submit(store, users["csos"], evidence.Contribution(
        "3.2.1", "NPL", "People's scorecard: child health", "Scores from 12 districts",
        "62% satisfied", 2023, "https://example.org/scorecard"))
    evidence.moderate(store, users["admin"], item["evidence_id"], "approved")
    with app_server(store) as url:
        yield url, folder
    store.close()
    auth.passwords._hasher = saved


@pytest.fixture(scope="module")
def browser():
    if not __import__("pathlib").Path(CHROMIUM).exists():
        _missing("Chromium (Debian package chromium)")
    sync_api = pytest.importorskip("playwright.sync_api")
    SHOTS.mkdir(parents=True, exist_ok=True)
    with sync_api.sync_playwright() as p:
        launched = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield launched
        launched.close()


def _sign_in(browser, base: str, username: str):
    tab = browser.new_page(viewport={"width": 1280, "height": 900},
                           bypass_csp=True)  # axe-core is injected inline
    tab.set_default_timeout(60_000)
    tab.goto(f"{base}/submit")
    assert "Sign in" == tab.locator("h1").inner_text()
    assert [] == slips(tab.content(), set())
    assert [] == _axe(tab)
    tab.get_by_label("User name").fill(username)  # labels name the fields
    tab.get_by_label("Password").fill(PASSWORD)
    with tab.expect_navigation():
        tab.keyboard.press("Enter")  # the keyboard is enough
    assert tab.url.endswith("/submit")
    return tab


def test_a_provider_uploads_reads_the_report_and_confirms(server, browser):
    base, folder = server
    tab = _sign_in(browser, base, "kz-nso")
    assert [] == _axe(tab)
    kz = rows("398")
    bad = data_file(folder, "kz.csv", [kz[0].replace(",11.8,", ",n/a,"), *kz[1:]])
    tab.get_by_label("Data file", exact=True).set_input_files(str(bad))
    with tab.expect_navigation():
        tab.get_by_role("button", name="Upload and check").click()
    assert "Nothing was loaded" in tab.locator("main").inner_text()
    assert "non_numeric_value" in tab.locator("table").last.inner_text()
    tab.screenshot(path=str(SHOTS / "submit-report-errors.png"), full_page=True)
    assert [] == slips(tab.content(), set())  # no None, nan or empty slot (issue 18)
    assert [] == _axe(tab)
    tab.goto(f"{base}/submit")
    good = data_file(folder, "kz.csv", [kz[0].replace(",11.8,", ",9.9,"), *kz[1:]])
    tab.get_by_label("Data file", exact=True).set_input_files(str(good))
    with tab.expect_navigation():
        tab.get_by_role("button", name="Upload and check").click()
    with tab.expect_navigation():
        tab.get_by_role("button", name="Confirm and load").click()
    assert "Loaded as load" in tab.locator("main").inner_text()
    assert [] == _axe(tab)
    with tab.expect_navigation():
        tab.get_by_role("link", name="SH_DYN_MORT").click()
    assert "9.9" in tab.locator("table.pivot").inner_text()  # the new value on the page
    tab.close()


@pytest.mark.parametrize("path", ["/admin", "/admin/users", "/admin/loads",
                                  "/admin/history?series=SH_DYN_MORT&area=398",
                                  "/admin/evidence?status=approved"])
def test_administration_pages_are_accessible(server, browser, path):
    base, _ = server
    tab = _sign_in(browser, base, "admin")
    tab.goto(base + path)
    assert 1 == tab.locator("h1").count()
    name = path.strip("/").split("?")[0].replace("/", "-")
    tab.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)
    assert [] == slips(tab.content(), set())  # no None, nan or empty slot (issue 18)
    assert [] == _axe(tab)
    tab.close()


def test_public_page_marks_evidence_non_official(server, browser):
    base, _ = server
    tab = browser.new_page(bypass_csp=True)  # axe-core is injected inline
    tab.goto(f"{base}/en/area/524.html")
    section = tab.locator("section.nonofficial")
    assert "Stakeholder evidence (non-official)" in section.locator("h2").inner_text()
    assert "Non-official:" in section.inner_text()
    tab.screenshot(path=str(SHOTS / "area-524-evidence.png"), full_page=True)
    assert [] == _axe(tab)
    tab.close()
