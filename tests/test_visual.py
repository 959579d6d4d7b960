"""A visual check of every kind of page and document (issue 18): each is rendered in
Chromium (pages, the annex workbook drawn as a table), its text checked for completeness
(no value the template could not find, no placeholder, no ``None`` or ``nan``, no bare
code), and its image kept under artifacts/visual/ for a person to look at. The PDFs are
checked the same way in test_report.py (``test_document_reads_complete``), on the
documents that module makes. The dashboard's symbols are checked for WCAG 2.2 non-text
contrast (1.4.11)."""

from __future__ import annotations

import io
import re
import shutil

import pytest
from test_browser import CHROMIUM, FLAGS, ROOT, _missing
from test_browser import server as server  # noqa: F401 - the module's fixture, reused
from visible import marking_holes, shown_codes, slips, text_slips

pytestmark = [
    pytest.mark.browser,
    pytest.mark.filterwarnings("ignore::ResourceWarning"),
    pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning"),
    pytest.mark.filterwarnings("ignore::UserWarning:fontTools.*"),
]

VISUAL = ROOT / "artifacts" / "visual"
#: The tallest part of a page kept as an image (the availability matrix is ~20,000 px).
MAX_HEIGHT = 8000
PAGES = {  # name: address (one of each kind, the series page with two groups)
    "home-en": "/en/index.html",
    "home-zh": "/zh/",
    "goal-7-en": "/en/goal/7.html",
    "indicator-8.6.1-en": "/en/indicator/8.6.1.html",
    "series-neet-nepal-f-m-en": "/en/series/SL_TLF_NEET.html?area=524&sex=F&sex=M",
    "series-neet-two-areas-zh": "/zh/series/SL_TLF_NEET.html?area=524&area=356&sex=F&sex=M",
    "country-524-en": "/en/area/524.html",
    "country-524-zh": "/zh/area/524.html",
    "group-escap_sswa-en": "/en/group/escap_sswa.html",
    "availability-en": "/en/availability.html",
    "availability-3-en": "/en/availability/3.html",
    "methodology-en": "/en/methodology.html",
    "search-en": "/en/search.html?q=mortality",
    "signin": "/signin",
}


@pytest.fixture(scope="module")
def codes(bundled_store):
    return shown_codes(bundled_store)


@pytest.fixture(scope="module")
def tab(server):  # noqa: F811
    if not shutil.which(CHROMIUM) and not __import__("pathlib").Path(CHROMIUM).exists():
        _missing("Chromium (Debian package chromium)")
    sync_api = pytest.importorskip("playwright.sync_api")
    from sdgtrack.publish.site.render import environment

    VISUAL.mkdir(parents=True, exist_ok=True)
    with marking_holes(environment()), sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.set_default_timeout(120_000)
        yield page
        browser.close()


def _shoot(tab, name: str) -> None:
    height = tab.evaluate("document.documentElement.scrollHeight")
    path = str(VISUAL / f"{name}.png")
    if height <= MAX_HEIGHT:
        tab.screenshot(path=path, full_page=True)
    else:
        tab.screenshot(path=path, full_page=True,
                       clip={"x": 0, "y": 0, "width": 1280, "height": MAX_HEIGHT})


@pytest.mark.parametrize("name", list(PAGES))
def test_page_reads_complete(server, tab, codes, name):  # noqa: F811
    response = tab.goto(server + PAGES[name])
    assert 200 == response.status, PAGES[name]
    _shoot(tab, name)
    assert [] == slips(tab.content(), codes)[:10]


def test_series_page_draws_one_line_per_group(server, tab):  # noqa: F811
    """Nepal's NEET rate, women and men: two lines named in words (the chart's legend), not
    one line through both; the values are those of the store (2017: 45.82 and 21.16)."""
    tab.goto(server + PAGES["series-neet-nepal-f-m-en"])
    legend = tab.locator("figure.chart svg .role-legend-label text").all_text_contents()
    assert ["Nepal, Female", "Nepal, Male"] == sorted(legend)
    lines = tab.locator("figure.chart svg .mark-line path").count()
    assert 2 == lines
    table = tab.locator("table.pivot").inner_text()
    assert "Female" in table and "45.82" in table and "21.16" in table


def _luminance(rgb: tuple[int, int, int]) -> float:
    """WCAG 2.2 relative luminance of an sRGB colour."""
    def channel(c: int) -> float:
        s = c / 255
        return s / 12.92 if s <= 0.04045 else ((s + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(c) for c in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: tuple[int, int, int], b: tuple[int, int, int]) -> float:
    """WCAG contrast ratio. White on black is 21; #767676 on white is 4.54.

    >>> round(contrast((255, 255, 255), (0, 0, 0)), 1), round(contrast((118,) * 3, (255,) * 3), 2)
    (21.0, 4.54)
    """
    hi, lo = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def _rgb(css: str) -> tuple[int, int, int]:
    r, g, b = (int(x) for x in re.findall(r"\d+", css)[:3])
    return r, g, b


def test_dashboard_symbols_stand_out_from_their_cell(server, tab):  # noqa: F811
    """Every class symbol (● ▲ ▼ ·) in the dashboard, against its own cell's background:
    WCAG 2.2 non-text contrast at least 3:1 (the symbol drawn in the cell's own colour
    scored 1:1 and showed the class by colour only)."""
    tab.goto(server + "/en/index.html")
    pairs = tab.evaluate("""() => [...document.querySelectorAll('.dashboard li.cell')].map(
        c => [c.className, getComputedStyle(c.querySelector('span[aria-hidden]')).color,
              getComputedStyle(c).backgroundColor])""")
    assert 169 == len(pairs)
    worst = {}
    for cls, fg, bg in pairs:
        worst[cls] = min(worst.get(cls, 99.0), contrast(_rgb(fg), _rgb(bg)))
    assert all(ratio >= 3.0 for ratio in worst.values()), worst


# -- documents -------------------------------------------------------------------------

@pytest.fixture(scope="module")
def site(bundled_store):
    from sdgtrack.publish.site.data import SiteData

    return SiteData(bundled_store)


def test_annex_workbook_reads_complete(site, codes, tab):
    """The VNR annex as a workbook: every sheet drawn as a table in Chromium (as a
    spreadsheet shows it), every cell's text checked."""
    import openpyxl
    from markupsafe import escape

    from sdgtrack.publish.report import vnr_annex

    book = openpyxl.load_workbook(io.BytesIO(vnr_annex(site, "NPL", 2015, "xlsx")),
                                  read_only=True)
    found = []
    for sheet in book.worksheets:
        rows = [["" if v is None else str(v) for v in row]
                for row in sheet.iter_rows(values_only=True)]
        found += [(sheet.title, s) for row in rows for s in text_slips(" | ".join(row), codes)]
        cells = "".join("<tr>" + "".join(f"<td>{escape(v)}</td>" for v in row) + "</tr>"
                        for row in rows[:200])
        tab.set_content(f"<style>td{{border:1px solid #ccc;font:12px sans-serif;"
                        f"padding:2px 4px}}</style><h1>{escape(sheet.title)}</h1>"
                        f"<table>{cells}</table>")
        _shoot(tab, f"vnr-NPL-xlsx-{sheet.title}")
    assert [] == found[:10]


def test_goal_page_tables_keep_their_own_height(server, tab):  # noqa: F811
    """Goal 7: the 5 subregions' table beside the countries' (58 rows) is as tall as its
    rows, not stretched to the long table's height."""
    tab.goto(server + "/en/goal/7.html")
    # the goal's own pair of tables: the first .two (the interlinkages have one too)
    short, long = tab.evaluate("""() => [...document.querySelector('.two')
        .querySelectorAll('table')].map(t => t.getBoundingClientRect().height)""")
    rows = tab.locator(".two").first.locator("table").first.locator("tbody tr").count()
    assert 5 == rows
    assert short < long / 4  # 5 rows against some 50
