"""The forums' records: the 8th Asia-Pacific Forum's report as package data (every roundtable
paragraph with its goal, the Chinese text as published), and ``sdgtrack records add``."""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import pytest

from sdgtrack import records
from sdgtrack.errors import DataError

HERE = Path(__file__).parent
SOURCE = HERE.parent.parent / "shared" / "context" / "apfsd8-report-zh.txt"


def _apfsd8():
    (forum, rows), = [(f, rs) for f, rs in records.bundled() if f.id == "apfsd8"]
    return forum, rows


def test_every_roundtable_paragraph_of_the_annex_is_a_record_with_its_goal():
    forum, rows = _apfsd8()
    roundtable = [r for r in rows if r.kind == "roundtable"]
    paragraphs = {r.paragraph for r in roundtable}
    # the annex's paragraphs 18 to 61 are the nine roundtables: 61 - 18 + 1 = 44
    assert set(range(18, 62)) == paragraphs and len(paragraphs) == 44
    # plus the lettered items of 50 (a-k: 11), 53 (a-e: 5) and 55 (a-h: 8): 44 + 24 = 68
    assert 68 == len(roundtable)
    goal_of = {r.paragraph: r.goals for r in roundtable}
    # each roundtable opens with "关于可持续发展目标 N(...)的圆桌会议的成果涉及..."
    firsts = {18: 1, 25: 2, 33: 3, 39: 8, 42: 10, 50: 12, 51: 13, 55: 16, 56: 17}
    for n, g in firsts.items():
        assert (g,) == goal_of[n]
        opening = next(r for r in roundtable if r.paragraph == n and not r.item)
        assert opening.text_zh.startswith(f"关于可持续发展目标 {g}(")
    # the nine goals and how many paragraphs each has: 7+8+6+3+8+1+4+1+6 = 44
    per_goal = {g: len({r.paragraph for r in roundtable if r.goals == (g,)})
                for g in firsts.values()}
    assert {1: 7, 2: 8, 3: 6, 8: 3, 10: 8, 12: 1, 13: 4, 16: 1, 17: 6} == per_goal
    assert "zh" == forum.published_language
    assert {"en": "translation by sdgtrack"} == forum.translations
    assert all(r.text_zh and r.text_en for r in roundtable)


def test_records_of_the_other_kinds():
    _, rows = _apfsd8()
    events = [r for r in rows if r.kind == "side_event"]
    # the report's paragraph 15 names 53 events in quotes; one is the high-level panel of
    # 26 March (a session): 52 side events, 18 + 14 + 9 + 8 + 3 over the five days
    assert 52 == len(events)
    assert ["2021-03-22"] * 18 + ["2021-03-23"] * 14 == [e.date for e in events][:32]
    scorecard = next(e for e in events if "人民计分卡" in e.title_zh)
    assert "People's Scorecard on SDG progress in Asia (2016-2020)" == scorecard.title_en
    water = next(e for e in events if "可持续发展目标 6" in e.title_zh)
    assert (6,) == water.goals
    vnr = [r.paragraph for r in rows if r.kind == "vnr_panel"]
    assert [65, 66, 67, 68, 69] == vnr
    p52 = next(r for r in rows if r.id == "annex-52")
    assert "13.2.2" in p52.indicators and "1.5°C" in p52.text_zh


@pytest.mark.shared
def test_the_chinese_text_is_as_published():
    if not SOURCE.is_file():
        pytest.skip(f"{SOURCE} is absent: the report's text is in ../shared/context")
    flat = re.sub(r"\s+", "", SOURCE.read_text(encoding="utf-8"))
    _, rows = _apfsd8()
    for r in rows:
        for text in (r.text_zh, r.title_zh):
            # the record is a stretch of the report, whitespace aside (line ends and
            # the spaces before them are the page layout's)
            assert re.sub(r"\s+", "", text) in flat, r.id


def test_the_builder_reproduces_the_package_data():
    if not SOURCE.is_file():
        pytest.skip(f"{SOURCE} is absent: the report's text is in ../shared/context")
    import yaml

    sys.path.insert(0, str(HERE.parent / "scripts"))
    try:
        from build_forum_records import OUT, build
    finally:
        sys.path.pop(0)
    assert build(SOURCE.read_text(encoding="utf-8")) == yaml.safe_load(OUT.read_text("utf-8"))


GOOD_CSV = (
    "forum_id,forum_title_en,forum_published_language,forum_source,forum_translations,"
    "id,kind,paragraph,item,goals,indicators,text_en,text_zh\n"
    "apfsd9,Report of the ninth session,en,E/HLPF/2022/x (made up for a test),"
    "zh=translation by sdgtrack,annex-20,roundtable,20,,13,13.2.2,Cut emissions.,减少排放。\n"
    ",,,,,annex-20a,roundtable,20,a,\"13,9\",,\"Renewables, now.\",\n"
)


def test_records_add_takes_a_csv_and_a_second_add_replaces_the_forum(store, tmp_path):
    from sdgtrack import api

    path = tmp_path / "apfsd9.csv"
    path.write_text(GOOD_CSV, encoding="utf-8")
    done = api.add_records(store, path, actor="test")
    assert ("apfsd9", 2, True, {"roundtable": 2}) == (
        done.forum, done.records, done.changed, done.kinds)
    again = api.add_records(store, path, actor="test")
    assert not again.changed
    frame = api.forum_records(store, goal=9)
    assert ["annex-20a"] == list(frame.id) and ["20(a)"] == list(frame.number)
    assert [13, 9] == list(frame.goals[0])
    # bundled 68 roundtable rows + the two added
    assert 70 == len(api.forum_records(store, kind="roundtable"))
    path.write_text(GOOD_CSV.splitlines()[0] + "\n" + GOOD_CSV.splitlines()[1] + "\n")
    assert api.add_records(store, path).changed
    assert 1 == len(api.forum_records(store, goal=13).query("forum == 'apfsd9'"))


def test_a_bad_records_file_is_refused_whole_naming_row_field_and_fix(store, tmp_path):
    from sdgtrack import api

    good = tmp_path / "good.csv"
    good.write_text(GOOD_CSV, encoding="utf-8")
    api.add_records(store, good)
    before = store.con.execute("SELECT count(*) FROM forum_records").fetchall()
    bad = tmp_path / "bad.csv"
    bad.write_text(GOOD_CSV.replace("annex-20a,roundtable,20,a,\"13,9\"",
                                    "annex-20a,roundtable,twenty,a,\"13,18\"")
                   .replace("13.2.2", "13.9.9"), encoding="utf-8")
    with pytest.raises(DataError) as caught:
        api.add_records(store, bad)
    found = {(i.row, i.column, i.code.value) for i in caught.value.issues}
    # the header is line 1: the first record is line 2, the second line 3
    assert {(2, "indicators", "unknown_indicator"), (3, "paragraph", "malformed_row"),
            (3, "goals", "malformed_row")} == found
    assert "Goals are numbered 1 to 17." in str(caught.value)
    assert "nothing was added" in str(caught.value)
    assert before == store.con.execute("SELECT count(*) FROM forum_records").fetchall()


def test_yaml_errors_name_the_line_and_the_missing_fields(tmp_path):
    broken = tmp_path / "broken.yaml"
    broken.write_text("schema: sdgtrack-records/1\nforum: {id: x\nrecords: []\n")
    with pytest.raises(DataError, match=r"broken.yaml: Not valid YAML at line \d"):
        records.read(broken)
    empty = tmp_path / "empty.yaml"
    empty.write_text("schema: sdgtrack-records/1\nforum: {id: apfsd9}\nrecords:\n"
                     "- {id: annex-1, kind: roundtable}\n")
    with pytest.raises(DataError) as caught:
        records.read(empty)
    found = {(i.row, i.column) for i in caught.value.issues}
    # every problem at once: the forum's three missing fields and the record's three
    assert {(None, "forum.title_en"), (None, "forum.published_language"),
            (None, "forum.source"), (1, "paragraph"), (1, "goals"), (1, "text_en")} == found
    other = tmp_path / "other.yaml"
    other.write_text("title: not a records file\n")
    with pytest.raises(DataError, match="the first key must be 'schema: sdgtrack-records/1'"):
        records.read(other)


def test_the_cli_adds_and_lists(tmp_path):
    from typer.testing import CliRunner

    from sdgtrack.cli import app
    from sdgtrack.cli.records import Kind

    assert set(records.KINDS) == {k.value for k in Kind}
    path = tmp_path / "apfsd9.csv"
    path.write_text(GOOD_CSV, encoding="utf-8")
    db = tmp_path / "s.duckdb"
    from sdgtrack.store import Store

    Store(db).close()
    run = CliRunner().invoke(app, ["records", "add", str(path), "--db", str(db)])
    assert 0 == run.exit_code, run.output
    assert "apfsd9: added 2 records (2 roundtable)" in run.output
    listed = CliRunner().invoke(app, ["records", "list", "--goal", "9", "--json", "--db",
                                      str(db)])
    assert ["annex-20a"] == [r["id"] for r in json.loads(listed.output)]
    zh = CliRunner().invoke(app, ["records", "list", "--goal", "13", "--kind", "roundtable",
                                  "--lang", "zh", "--db", str(tmp_path / "none.duckdb")])
    assert "apfsd8 roundtable ¶52 goals 13: 为提振国家自主贡献的抱负" in zh.output
