"""Any number of breakdowns (issue 14): each concept of the packed ``breakdown`` is its own
dimension on the series page (filter, table column, chart line) and in its download, on
the starter-style file with six breakdown columns (``test_starter_repository.FILES``)."""

import csv
import io

import pytest
from test_starter_repository import FILES

from sdgtrack import pipeline
from sdgtrack.publish.site import pages_data
from sdgtrack.publish.site.data import SiteData
from sdgtrack.publish.site.router import Address, series_csv

SIX = "GBR_3_4_2"
CONCEPTS = ["CAUSE_OF_DEATH", "COUNTRY_OF_BIRTH", "DEPRIVATION_DECILE", "ETHNICITY",
            "LOCAL_AUTHORITY"]


@pytest.fixture
def site(tmp_path, store):
    root = tmp_path / "repo"
    (root / "data").mkdir(parents=True)
    name = "indicator_3-4-2.csv"
    (root / "data" / name).write_text("\n".join(FILES[name]) + "\n", encoding="utf-8")
    (root / "_config.yml").write_text("country:\n  name: United Kingdom\n", encoding="utf-8")
    assert "loaded" == pipeline.ingest_path(root, store).status
    return SiteData(store)


def test_each_breakdown_is_a_filter_of_its_own(site):
    page = pages_data.series(site, "en", SIX, ["826"])
    assert ["sex", *CONCEPTS] == list(page["dimensions"])
    assert "breakdown" not in page["dimensions"]
    # the default view is the total of every breakdown: the file's first row, 10.1
    assert [10.1] == [r["value"] for r in page["rows"]]
    decile = [o["code"] for o in page["dimensions"]["DEPRIVATION_DECILE"]]
    assert ["1", "2", "_T"] == decile


def test_choosing_in_each_breakdown_picks_the_rows(site):
    chosen = {"sex": ["F"], "ETHNICITY": ["Asian"], "COUNTRY_OF_BIRTH": ["UK"],
              "LOCAL_AUTHORITY": ["Leeds"], "DEPRIVATION_DECILE": ["1", "2"],
              "CAUSE_OF_DEATH": ["Suicide"]}
    page = pages_data.series(site, "en", SIX, ["826"], chosen)
    # female, Asian, UK-born, Leeds, suicide: deciles 1 (2.2) and 2 (1.9), one line each
    got = {r["DEPRIVATION_DECILE"]: r["value"] for r in page["rows"]}
    assert {"1": 2.2, "2": 1.9} == got
    assert 2 == len(page["pivot"]["rows"])
    assert {"1", "2"} == {r["breakdown"]["DEPRIVATION_DECILE"] for r in page["pivot"]["rows"]}


def test_the_download_has_a_column_a_breakdown(site):
    body = series_csv(site, Address("en", f"series/{SIX}", "csv")).decode("utf-8")
    rows = list(csv.DictReader(io.StringIO(body)))
    assert set(CONCEPTS) <= set(rows[0])
    male = [r for r in rows if r["sex"] == "M"]
    assert [("Suicide", "1", "Asian", "Leeds", "4.4")] == [
        (r["CAUSE_OF_DEATH"], r["DEPRIVATION_DECILE"], r["ETHNICITY"], r["LOCAL_AUTHORITY"],
         r["value_raw"]) for r in male]
