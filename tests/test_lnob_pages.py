"""Survey analyses beyond the command line: the tree drawn as SVG, kept in the store with
``lnob survey --save``, and shown on the country and indicator pages (HTML and JSON twin)."""

from __future__ import annotations

import json
import time
import xml.etree.ElementTree as ET

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from sdgtrack import pipeline
from sdgtrack.cli import app
from sdgtrack.errors import UsageError
from sdgtrack.publish.tree_chart import layout, tree_svg
from sdgtrack.store import Store
from sdgtrack.store.surveys import save_survey_analysis, survey_analyses
from sdgtrack.web.app import create_app

from conftest import SPECIMENS, shared

SVG = "{http://www.w3.org/2000/svg}"
pytestmark = pytest.mark.both_backends  # the tests taking a store run on both


@pytest.fixture
def small_survey(tmp_path):
    # 100 records: group a 40 with the outcome in 10 (25 %), group b 60 with it in 45 (75 %)
    rows = ["g,y"] + ["a,1"] * 10 + ["a,0"] * 30 + ["b,1"] * 45 + ["b,0"] * 15
    path = tmp_path / "s.csv"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


def analyse(path):
    from sdgtrack.lnob.survey import SurveySpec, analyse_survey, read_survey
    from sdgtrack.lnob.tree import TreeParameters

    spec = SurveySpec.from_text("y", "g")
    return analyse_survey(read_survey(path, spec), spec, TreeParameters(min_n=10))


def test_tree_drawn_by_hand(small_survey):
    r = analyse(small_survey)
    # root over its two leaves: leaf 2 (g = a, the lower rate) at x 0, leaf 3 one box
    # (150) and one gap (14) further, the root half-way (82); rows 86 + 30 apart
    assert {2: (0, 116), 3: (164, 116), 1: (82.0, 0)} == layout(r["tree"])
    svg = ET.fromstring(tree_svg(r["tree"], r["furthest_behind"]["node"],
                                 r["furthest_ahead"]["node"], title="y by g"))
    assert "y by g" == svg.find(f"{SVG}title").text
    texts = [t.text for t in svg.iter(f"{SVG}text")]
    assert 6 == len(svg.findall(f"{SVG}rect"))  # a box and a rate bar per node
    assert ["All", "g = a", "g = b"] == sorted(t for t in texts if t in ("All", "g = a",
                                                                         "g = b"))
    assert {"rate 55.0 %", "rate 25.0 %", "rate 75.0 %"} <= set(texts)  # 55/100, 10/40...
    assert 1 == texts.count("▼ furthest behind") == texts.count("▲ furthest ahead")
    bar = [float(e.get("width")) for e in svg.findall(f"{SVG}rect")][1::2]
    assert [81.4, 37.0, 111.0] == bar  # a full bar is 148 px: 0.55 x 148, 0.25 x 148...
    desc = svg.find(f"{SVG}desc").text
    assert "g = a: rate 25.0 %, n 40" in desc and "g = b: rate 75.0 %, n 60" in desc


def test_cli_draws_saves_lists_and_removes(small_survey, tmp_path):
    db = tmp_path / "s.duckdb"
    run = CliRunner().invoke
    chart = tmp_path / "tree.svg"
    result = run(app, ["lnob", "survey", str(small_survey), "--outcome", "y",
                       "--circumstances", "g", "--min-n", "10", "--chart", str(chart),
                       "--save", "Test outcome, survey 2019", "--area", "KAZ",
                       "--survey", "Specimen survey", "--year", "2019", "--indicator",
                       "2.2.1", "--db", str(db)])
    assert 0 == result.exit_code, result.output
    assert "▼ furthest behind" in chart.read_text(encoding="utf-8")
    with Store(db) as store:
        [saved] = survey_analyses(store)
    assert ("398", "Test outcome, survey 2019", 2019, "2.2.1", "s.csv") == (
        saved["ref_area"], saved["title"], saved["time_period"], saved["indicator"],
        saved["file_name"])
    assert 0.55 == round(saved["result"]["rate"], 4)  # the analysis as printed
    assert 64 == len(saved["checksum"])
    listed = run(app, ["lnob", "surveys", "--db", str(db)])
    assert "Specimen survey" in listed.output
    gone = run(app, ["lnob", "surveys", "--remove", str(saved["analysis_id"]), "--db", str(db)])
    assert 0 == gone.exit_code
    again = run(app, ["lnob", "surveys", "--remove", str(saved["analysis_id"]), "--db", str(db)])
    assert 2 == again.exit_code and "no saved survey analysis" in again.output
    no_area = run(app, ["lnob", "survey", str(small_survey), "--outcome", "y",
                        "--circumstances", "g", "--save", "x", "--db", str(db)])
    assert 2 == no_area.exit_code and "--save needs --area" in no_area.output


def test_saving_again_under_a_title_replaces(store):
    first = save_survey_analysis(store, "398", "T", {"rate": 0.1})
    second = save_survey_analysis(store, "398", "T", {"rate": 0.2})
    assert second > first
    assert [0.2] == [s["result"]["rate"] for s in survey_analyses(store)]
    with pytest.raises(UsageError, match="title .--save TITLE. must be one line"):
        save_survey_analysis(store, "398", "two\nlines", {})
    with pytest.raises(UsageError, match="not an SDG indicator"):
        save_survey_analysis(store, "398", "T", {}, indicator="99.9.9")


def test_pages_show_the_saved_analysis(small_survey, tmp_path):
    with Store(tmp_path / "kz.duckdb") as store:
        pipeline.ingest_path(SPECIMENS / "open-sdg-kazakhstan", store, skip_invalid=True)
        client = TestClient(create_app(store))
        before = client.get("/en/area/398.json").json()
        assert [] == before["surveys"]
        save_survey_analysis(store, "398", "Outcome y by g", analyse(small_survey),
                             survey="Specimen survey", time_period=2019, indicator="2.2.1")
        time.sleep(1.1)  # pages follow the store version, looked up at most once a second
        page = client.get("/en/area/398.json").json()
        [s] = page["surveys"]
        assert ("Outcome y by g", 0.55, 2) == (s["title"], round(s["rate"], 4),
                                               s["furthest_behind"]["node"])
        # D = (0.4 |0.25 - 0.55| + 0.6 |0.75 - 0.55|) / (2 x 0.55) = 0.2182
        assert 0.2182 == round(s["d_index"], 4)
        html = client.get("/en/area/398.html").text
        assert "Who is furthest behind in the surveys?" in html and "<svg" in html
        assert "▼ furthest behind" in html and "0.218" in html  # D to three decimals
        indicator = client.get("/en/indicator/2.2.1.json").json()
        assert ["398"] == [x["ref_area"] for x in indicator["surveys"]]
        assert "调查显示谁最落后？" in client.get("/zh/area/398.html").text
        from sdgtrack.publish.report import country_profile

        profile = country_profile(store, "KAZ", "en", "html").decode("utf-8")
        section = profile.split("Who is furthest behind in the surveys?")[1]
        assert "Outcome y by g" in section and "▼ Furthest behind</b>: g = a" in section
        assert "data:image/svg+xml;base64," in section  # the tree, drawn for print


def test_nigeria_survey_on_its_own_page(tmp_path):
    """The real DHS sample, saved for Nigeria (a store with no Nigerian observations): the
    area gets a page that shows the survey's furthest-behind group."""
    path = shared("dhs-nigeria-2013-child-sample-rineq") / "nigeria_dhs2013_children_sample.csv"
    db = tmp_path / "ng.duckdb"
    with Store(db) as store:
        pipeline.ingest_path(SPECIMENS / "unsd", store)
    result = CliRunner().invoke(app, [
        "lnob", "survey", str(path), "--outcome", "zscore < -2", "--circumstances",
        "quintile,rural,ed,male", "--weight", "weight", "--barrier", "--save",
        "Stunting, DHS 2013 sample", "--area", "NGA", "--db", str(db)])
    assert 0 == result.exit_code, result.output
    with Store(db, read_only=True) as store:
        page = TestClient(create_app(store)).get("/en/area/566.json").json()
    [s] = page["surveys"]
    assert ("Nigeria", "quintile in {a, b}") == (page["title"], s["furthest_behind"]["condition"])
    assert (0.37, 0.5046) == (round(s["rate"], 4), round(s["furthest_behind"]["rate"], 4))
    assert json.loads(json.dumps(s["tree"]))[0]["condition"] == "all"
