"""Issue 20: the sign-in, submission and an administration screen in Chinese and Russian in
headless Chromium: each is drawn in its language, wider text overflows nothing (no part of
the page is wider than the window, no button's text is cut), axe-core finds no serious
problem, and a screenshot of each goes to artifacts/screenshots/accounts-<screen>-<lang>.png
to be looked at."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from test_browser import CHROMIUM, FLAGS, SHOTS, _axe, _missing
from visible import slips

from sdgtrack.web.guard import SESSION_COOKIE

import accounts
from conftest import app_server

pytestmark = [pytest.mark.browser,
              pytest.mark.filterwarnings("ignore::ResourceWarning"),
              pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")]
fast_hashing, template, world = accounts.fast_hashing, accounts.template, accounts.world
#: screen -> (who, address, a heading in zh, in ru)
SCREENS = {
    "signin": (None, "/signin", "登录", "Вход"),
    "submit": ("kz-nso", "/submit", "提交数据", "Представить данные"),
    "contribute": ("csos", "/submit", "提交数据", "Представить данные"),
    "admin-users": ("admin", "/admin/users", "账户", "Учётные записи"),
}
#: Elements whose text is wider than their box (a button label cut off, a heading spilling).
CUT = """() => [...document.querySelectorAll('button, h1, h2, th, label, nav a')]
  .filter(e => e.scrollWidth > e.clientWidth + 1 && getComputedStyle(e).overflow !== 'visible')
  .map(e => e.textContent.trim())"""


@pytest.fixture
def served(world):
    with app_server(world.app) as url:
        yield world, url


def test_account_screens_fit_in_chinese_and_russian(served):
    world, base = served
    if not shutil.which(CHROMIUM) and not Path(CHROMIUM).exists():
        _missing("Chromium (Debian package chromium)")
    sync_api = pytest.importorskip("playwright.sync_api")
    SHOTS.mkdir(parents=True, exist_ok=True)
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        for name, (who, address, *headings) in SCREENS.items():
            for lang, heading in zip(("zh", "ru"), headings):
                context = browser.new_context(viewport={"width": 1280, "height": 900},
                                              bypass_csp=True)  # to add axe-core
                if who:
                    context.add_cookies([{"name": SESSION_COOKIE, "url": base,
                                          "value": world.sessions[who].secret}])
                tab = context.new_page()
                tab.goto(f"{base}{address}?lang={lang}")
                assert heading == tab.inner_text("h1")
                assert lang == tab.get_attribute("html", "lang")
                wide = tab.evaluate("document.documentElement.scrollWidth")
                assert wide <= 1280, f"{name} {lang}: the page is {wide} px wide"
                assert [] == tab.evaluate(CUT), f"{name} {lang}"
                assert [] == slips(tab.content(), set())  # no None, nan or empty slot
                assert [] == _axe(tab)  # lang attributes, labels, contrast
                tab.screenshot(path=str(SHOTS / f"accounts-{name}-{lang}.png"),
                               full_page=True)
                context.close()
        browser.close()
