"""build-site never stops on a repository that loaded (issue 14): an Open SDG starter-style
repository whose areas are names (a Region column, no GeoCode) and a country that is not an
ESCAP member. Every page renders, every link resolves, and the pages say what is and is not
assessed in words that are true."""

import json

import pytest

from sdgtrack import pipeline
from sdgtrack.publish.site.build import build_site
from sdgtrack.publish.site.data import SiteData
from sdgtrack.store import Store

FILES = {
    # areas by name only; the UK's own series of 3.2.1 and 1.2.1
    "indicator_3-2-1.csv": ["Year,Region,Value", "2015,,4.0", "2016,,3.9", "2017,,3.8",
                            "2015,East Midlands,4.4", "2017,East Midlands,4.1"],
    "indicator_1-2-1.csv": ["Year,Value", "2015,22.0", "2016,21.0", "2017,20.5"],
}


def test_a_site_whose_areas_are_names_builds(tmp_path):
    root = tmp_path / "repo"
    (root / "data").mkdir(parents=True)
    for name, lines in FILES.items():
        (root / "data" / name).write_text("\n".join(lines) + "\n", encoding="utf-8")
    (root / "_config.yml").write_text("country:\n  name: United Kingdom\n", encoding="utf-8")
    with Store(tmp_path / "s.duckdb") as store:
        assert "loaded" == pipeline.ingest_path(root, store).status
        report = build_site(SiteData(store), tmp_path / "site", ("en",), processes=1)
    assert [] == report.broken
    site = tmp_path / "site" / "en" / "area"
    # the name's space is written ~20 in the address, as a series code's ':' is
    region = json.loads((site / "East~20Midlands.json").read_text(encoding="utf-8"))
    assert ("East Midlands", "sub-national") == (region["area"], region["area_kind"])
    html = (site / "East~20Midlands.html").read_text(encoding="utf-8")
    assert "not a country or group of the UN M49 list" in html
    # the UK is no ESCAP member, yet its own series are assessed: 1.2.1 (halve the
    # baseline, a relative target in any unit) 22.0 -> 20.5 towards 11: CS = 1.5 / 11
    uk = json.loads((site / "826.json").read_text(encoding="utf-8"))
    (poverty,) = [i for i in uk["indicators"] if i["series_code"] == "GBR_1_2_1"]
    assert pytest.approx(1.5 / 11) == poverty["current_status"]
    assert "is not assessed" not in (site / "826.html").read_text(encoding="utf-8")
