"""A country's own targets (assess/targets.py) replace the specification's for that country;
its financial years give one value a year by the rule the assessment names; a series that
cannot be assessed says why in words. The repository is written here; every number is the
one written into it."""

import pytest

from sdgtrack import api, pipeline
from sdgtrack.assess import load_targets
from sdgtrack.errors import DataError, IssueCode

FILES = {
    # financial years of a national series of 3.2.1, in no unit the specification knows
    "indicator_3-2-1.csv": ["Year,Value", "2015/16,10", "2016/17,9", "2017/18,8"],
    # one year only of a national series of 1.2.1 (a relative target: halve the baseline)
    "indicator_1-2-1.csv": ["Year,Value", "2016,30"],
}


@pytest.fixture
def uk(tmp_path, store):
    root = tmp_path / "repo"
    (root / "data").mkdir(parents=True)
    for name, lines in FILES.items():
        (root / "data" / name).write_text("\n".join(lines) + "\n", encoding="utf-8")
    (root / "_config.yml").write_text("country:\n  name: United Kingdom\n", encoding="utf-8")
    assert "loaded" == pipeline.ingest_path(root, store).status
    return store


def _targets(tmp_path, *rows):
    f = tmp_path / "targets.csv"
    f.write_text("\n".join(["area,indicator,series,target_value,direction,source", *rows])
                 + "\n", encoding="utf-8")
    return f


def _series(result, code):
    (row,) = [i for i in result.to_dict()["indicators"] if i["series_code"] == code]
    return row


def test_without_a_target_each_series_says_why(uk):
    result = api.assess_progress(uk, area="GBR")
    u5 = _series(result, "GBR_3_2_1")
    assert (False, "no target in its unit (none)") == (
        u5["assessed"], u5["reason"].split(":")[0])
    assert "decrease" == u5["direction"]  # from 3.2.1's global series
    one = _series(result, "GBR_1_2_1")
    assert "one year only: a trend needs 2 or more years of data" == one["reason"]


def test_a_national_target_is_used_for_its_country_and_named(uk, tmp_path):
    f = _targets(tmp_path, "GBR,,GBR_3_2_1,5,,National plan 2030 p. 12")
    result = api.assess_progress(uk, area="GBR", targets=f)
    u5 = _series(result, "GBR_3_2_1")
    assert (True, 5.0, "national", "National plan 2030 p. 12") == (
        u5["assessed"], u5["target_level"], u5["target_origin"], u5["target_source"])
    # 2015/16 counts for 2015 (the default rule): x0 = 10 (2015), xc = 8 (2017); decrease
    # towards 5: CS = -(8 - 10) / |5 - 10| = 0.4
    assert (2015, 10.0, 2017, 8.0) == (u5["t0"], u5["x0"], u5["tc"], u5["xc"])
    assert 0.4 == pytest.approx(u5["current_status"])
    assert 3 == result.to_dict()["data"]["annual_values_derived"]  # the three financial years


def test_the_annual_rule_is_a_choice_and_the_assessment_names_it(uk, tmp_path):
    f = _targets(tmp_path, ",3.2.1,,5,,Plan")  # any country, by indicator
    result = api.assess_progress(uk, area="GBR", targets=f,
                                 annual_rule={"financial_year": "end"})
    u5 = _series(result, "GBR_3_2_1")
    # 2015/16 now counts for 2016: t0 = 2016, tc = 2018; CS still -(8 - 10) / 5 = 0.4
    assert (2016, 2018) == (u5["t0"], u5["tc"])
    assert 0.4 == pytest.approx(u5["current_status"])
    assert result.to_dict()["method"]["annual_rule"].startswith(
        "financial years count for their end year")


def test_another_countrys_target_is_not_used(uk, tmp_path):
    f = _targets(tmp_path, "KGZ,,GBR_3_2_1,5,,Plan")
    u5 = _series(api.assess_progress(uk, area="GBR", targets=f), "GBR_3_2_1")
    assert (False, "specification") == (u5["assessed"], u5["target_origin"])


def test_bad_rows_are_located(tmp_path):
    f = _targets(tmp_path, "XXX,3.2.1,,5,,Plan", ",3.2.1,SH_DYN_MORT,5,,Plan",
                 ",3.2.1,,five,,Plan", ",3.2.1,,5,up,", ",99.9.9,,5,,Plan")
    with pytest.raises(DataError) as e:
        load_targets(f)
    got = [(i.row, i.column, i.code) for i in e.value.issues]
    assert [(2, "area", IssueCode.UNKNOWN_AREA),
            (3, "series", IssueCode.MISSING_REQUIRED_VALUE),
            (4, "target_value", IssueCode.INVALID_NUMBER),
            (5, "direction", IssueCode.UNMAPPED_CODE),
            (5, "source", IssueCode.MISSING_REQUIRED_VALUE),
            (6, "indicator", IssueCode.UNKNOWN_INDICATOR)] == got
    assert {"targets.csv"} == {i.file for i in e.value.issues}


def test_a_file_without_the_columns_names_them(tmp_path):
    f = tmp_path / "t.csv"
    f.write_text("indicator,value\n3.2.1,5\n", encoding="utf-8")
    with pytest.raises(DataError) as e:
        load_targets(f)
    assert ["target_value", "source"] == [i.column for i in e.value.issues]


def test_the_command_says_why_each_goal_is_not_assessed(uk):
    import io

    from rich.console import Console

    from sdgtrack.cli.render import why_not_assessed

    (table,) = why_not_assessed(api.assess_progress(uk, area="GBR").to_dict())
    console = Console(file=io.StringIO(), width=200, color_system=None)
    console.print(table)
    lines = {line.split("│")[1].strip(): line.split("│")[2].strip()
             for line in console.file.getvalue().splitlines() if line.count("│") == 3}
    # goal 1: GBR_1_2_1 has one year; goal 3: GBR_3_2_1 has no target in its unit
    assert "one year only (1)" in lines["1"]
    assert "no target in its unit (none) (1)" in lines["3"]
