"""Leave no one behind on survey microdata: the measures and the tree by hand, the readers and
their errors, and golden values on the real Nigeria DHS 2013 child sample (read from
../shared/data; its licence forbids copying it here)."""

import json
import sys

import numpy as np
import pandas as pd
import pytest

from sdgtrack.errors import DataError, UnknownFormatError, UsageError
from sdgtrack.lnob.survey import (
    SurveySpec,
    analyse_survey,
    d_index,
    group_rates,
    hoi,
    prepare_survey,
    read_survey,
    shapley_d,
    weighted_rate,
)
from sdgtrack.lnob.tree import (
    TreeParameters,
    aggregate_cells,
    furthest_ahead,
    furthest_behind,
    grow_tree,
    tree_to_dict,
)

from conftest import shared

#: 8 cells of 100 records (wealth, area, sex): number with the outcome. Rates by wealth
#: 0.375 / 0.8, by area 0.475 / 0.7, by sex 0.575 / 0.6; overall 470/800 = 0.5875.
CELLS = {("poor", "rural", "f"): 20, ("poor", "rural", "m"): 30,
         ("poor", "urban", "f"): 50, ("poor", "urban", "m"): 50,
         ("rich", "rural", "f"): 70, ("rich", "rural", "m"): 70,
         ("rich", "urban", "f"): 90, ("rich", "urban", "m"): 90}
CIRC = ["wealth", "area", "sex"]


def records(rich_weight=1.0):
    rows = [(*key, 1 if i < ones else 0) for key, ones in CELLS.items() for i in range(100)]
    f = pd.DataFrame(rows, columns=[*CIRC, "outcome"])
    f["weight"] = np.where(f["wealth"] == "rich", rich_weight, 1.0)
    return f


def test_weighted_rate_by_hand():
    # (1·2 + 1·1 + 0·3) / (2 + 1 + 3) = 3/6
    assert 0.5 == weighted_rate([1, 1, 0], [2, 1, 3])
    assert 0.6 == weighted_rate([1, 1, 1, 0, 0])  # no weights: 3/5


def test_group_rates_gives_rate_share_and_unweighted_n():
    g = group_rates(records(rich_weight=3.0), "wealth").set_index("wealth")
    assert 0.375 == g.at["poor", "rate"]  # 150/400, weights 1
    assert 0.8 == g.at["rich", "rate"]  # 3·320 / (3·400)
    assert 0.25 == g.at["poor", "share"]  # 400 / (400 + 1200)
    assert 400 == g.at["rich", "n"]  # unweighted


def test_d_index_worked_example():
    # METHODS §3.1: p̄ = 0.45 + 0.18 + 0.06 = 0.69; Σβ|p−p̄| = 0.105 + 0.027 + 0.078 = 0.210;
    # D = 0.210 / (2·0.69)
    d = d_index([0.5, 0.3, 0.2], [0.9, 0.6, 0.3])
    assert 0.152 == round(d, 3)
    assert 0.0 == d_index([0.5, 0.5], [0.4, 0.4])  # equal access, nothing to reallocate
    assert 0.152 == round(d_index([5, 3, 2], [0.9, 0.6, 0.3]), 3)  # shares are rescaled


def test_hoi_by_hand():
    # p̄ (1 − D) = 0.69 · (1 − 0.210/1.38) = 0.69 − 0.105 = 0.585
    assert 0.585 == round(hoi([0.5, 0.3, 0.2], [0.9, 0.6, 0.3]), 3)
    # two equal groups at 0.2 and 0.6: p̄ = 0.4, D = 0.5·(0.2 + 0.2)/0.8 = 0.25, HOI = 0.3
    assert 0.3 == round(hoi([1, 1], [0.2, 0.6]), 12)


def test_shapley_two_circumstances_by_hand():
    # wealth × area, four cells of equal weight with rates 0.25, 0.5 (poor) 0.7, 0.9 (rich),
    # p̄ = 0.5875, 2p̄ = 1.175. D(w, a) = 0.25·(0.3375 + 0.0875 + 0.1125 + 0.3125)/1.175
    # = 0.2125/1.175; D(w) = 0.5·(0.2125 + 0.2125)/1.175 = 0.2125/1.175 (all poor cells are
    # below p̄, all rich above); D(a) = 0.5·(0.1125 + 0.1125)/1.175 = 0.1125/1.175.
    # φ_w = ½·D(w) + ½·(D(w,a) − D(a)) = (0.2125 + 0.1)/2/1.175 = 0.15625/1.175 = 0.13298
    # φ_a = ½·D(a) + ½·(D(w,a) − D(w)) = 0.05625/1.175 = 0.04787; shares 0.735 and 0.265
    s = shapley_d(records(), ["wealth", "area"]).set_index("circumstance")
    assert 0.13298 == round(s.at["wealth", "contribution"], 5)
    assert 0.04787 == round(s.at["area", "contribution"], 5)
    assert 0.735 == round(s.at["wealth", "share"], 3)
    d = d_index([0.25] * 4, [0.25, 0.5, 0.7, 0.9])
    assert round(d, 12) == round(s["contribution"].sum(), 12)  # contributions sum to D


def test_shapley_on_cells_equals_shapley_on_records():
    f = records(rich_weight=2.0)
    on_records = shapley_d(f, CIRC)
    on_cells = shapley_d(aggregate_cells(f, CIRC), CIRC, outcome="rate")
    assert np.allclose(on_records["contribution"], on_cells["contribution"])


def tree_of(f, **params):
    return grow_tree(aggregate_cells(f, CIRC), CIRC, TreeParameters(**params))


def test_tree_splits_by_hand():
    # For a 0/1 outcome with weights 1 the SSE cut of a split is Σ N_j (p_j − p)².
    # Root SSE = 800·0.5875·0.4125 = 193.875; cp 0.01 needs a cut of 1.93875.
    # Root: wealth 2·400·0.2125² = 36.125, area 2·400·0.1125² = 10.125, sex 0.125 → wealth.
    # Poor (p 0.375): area rural 0.25 / urban 0.5 → 2·200·0.125² = 6.25 → split.
    # Rich (p 0.8): area 0.7 / 0.9 → 2·200·0.1² = 4.0 → split.
    # Poor rural: sex 0.2 / 0.3 → 2·100·0.05² = 0.5 < 1.94 → cp stops it; the rest cut 0.
    t = tree_of(records()).set_index("node")
    assert [1, 2, 4, 5, 3, 6, 7] == t.index.tolist()  # depth first; 2k is the lower rate
    assert "wealth" == t.at[1, "split"]
    assert 0.18633 == round(t.at[1, "improvement"], 5)  # 36.125 / 193.875
    assert ["area", "area"] == t.loc[[2, 3], "split"].tolist()
    assert "wealth = poor and area = rural" == t.at[4, "condition"]
    assert {"wealth": ["rich"], "area": ["urban"]} == t.at[7, "conditions"]
    assert [0.25, 0.5, 0.7, 0.9] == t.loc[[4, 5, 6, 7], "rate"].round(12).tolist()
    assert [0.25] * 4 == t.loc[[4, 5, 6, 7], "share"].tolist()
    assert [200, 200, 200, 200] == t.loc[[4, 5, 6, 7], "n"].tolist()


def test_tree_over_cells_is_the_tree_over_records():
    f = records(rich_weight=2.5)
    r = f.assign(n=1, wy=f["weight"] * f["outcome"], wy2=f["weight"] * f["outcome"] ** 2)
    on_records = grow_tree(r, CIRC, TreeParameters(cp=0.0))
    on_cells = grow_tree(aggregate_cells(f, CIRC), CIRC, TreeParameters(cp=0.0))
    pd.testing.assert_frame_equal(on_cells, on_records)


def test_cp_stops_and_zero_cp_goes_on():
    # cp 0.05 needs a cut of 9.69: the root's 36.1 passes, 6.25 and 4.0 do not
    assert [1, 2, 3] == tree_of(records(), cp=0.05)["node"].tolist()
    # cp 0: poor rural splits on sex (0.5 > 0), 100 records each side
    t = tree_of(records(), cp=0.0).set_index("node")
    assert "sex" == t.at[4, "split"] and [0.2, 0.3] == t.loc[[8, 9], "rate"].round(12).tolist()
    assert [1] == tree_of(records(), max_depth=0)["node"].tolist()
    assert [1, 2, 3] == tree_of(records(), max_depth=1)["node"].tolist()


def test_minimum_size_blocks_a_split():
    # min_n 201: the 200/200 splits under the root are blocked
    assert [1, 2, 3] == tree_of(records(), min_n=201)["node"].tolist()
    # rich records weigh 3: poor = 400/1600 = 0.25 of the population, its children 0.125 each
    # < min_share 0.2, so poor stays whole; rich children 0.375 each pass. (Root: p = 1110/1600,
    # SSE = 1110 − 1110²/1600 = 339.94; wealth cuts 400·0.31875² + 1200·0.10625² = 54.19,
    # area 800·0.10625²·2 = 18.06.)
    t = tree_of(records(rich_weight=3.0), min_share=0.2).set_index("node")
    assert [1, 2, 3, 6, 7] == t.index.tolist()
    assert 0.1594 == round(t.at[1, "improvement"], 4)  # 54.19 / 339.94
    assert t.at[2, "terminal"] and "area" == t.at[3, "split"]
    assert 0.25 == t.at[2, "share"] and 0.375 == t.at[6, "share"]
    # min_share 0.3 forbids the wealth split (poor is 0.25): the root splits on area instead
    assert "area" == tree_of(records(rich_weight=3.0), min_share=0.3).at[0, "split"]


def test_furthest_behind_and_ahead():
    t = tree_of(records())
    behind, ahead = furthest_behind(t), furthest_ahead(t)
    assert "wealth = poor and area = rural" == behind["condition"] and 0.25 == behind["rate"]
    assert "wealth = rich and area = urban" == ahead["condition"] and 0.25 == ahead["share"]
    # the same outcome read as a barrier: the highest prevalence is the furthest behind
    assert 7 == furthest_behind(t, barrier=True)["node"]
    assert 0.1 == round(furthest_behind(t, barrier=True)["access_rate"], 12)  # 1 − 0.9
    nested = tree_to_dict(t)
    assert [2, 3] == [c["node"] for c in nested["children"]]
    assert [] == nested["children"][0]["children"][0]["children"]


def test_analyse_survey_by_hand():
    f = prepare_survey(records().rename(columns={"outcome": "y", "weight": "w"}),
                       SurveySpec("y", tuple(CIRC), weight="w"))
    r = analyse_survey(f, SurveySpec("y", tuple(CIRC), weight="w"))
    assert 0.5875 == r["rate"]  # 470/800
    # four terminal nodes of 0.25 with rates 0.25, 0.5, 0.7, 0.9: D = 0.2125/1.175
    assert 0.180851 == round(r["d_index"], 6)
    assert 0.48125 == round(r["hoi"], 12)  # 0.5875 − 0.2125/2
    assert 0.25 == r["furthest_behind"]["rate"] and 800 == r["n"]
    # all 8 cells: D = Σ 0.125|p − 0.5875| / 1.175 = 0.125·(0.3875 + 0.2875 + 0.0875·2
    # + 0.1125·2 + 0.3125·2)/1.175 = 0.2125/1.175, the same: no leaf has cells on both sides
    # of p̄, so splitting them further moves no opportunity
    assert 0.180851 == round(r["d_index_cells"], 6)
    assert round(r["d_index_cells"], 12) == round(sum(s["contribution"] for s in r["shapley"]),
                                                  12)
    assert {"min_share": 0.05, "min_n": 50, "max_depth": 4, "cp": 0.01} == r["parameters"]
    json.dumps(r, allow_nan=False)  # JSON-ready


def test_barrier_outcome_uses_the_complement():
    f = records()
    f["outcome"] = 1 - f["outcome"]  # now "lacks access", a barrier
    spec = SurveySpec("outcome", tuple(CIRC), barrier=True, weight="weight")
    r = analyse_survey(prepare_survey(f, spec), spec)
    assert 0.4125 == round(r["rate"], 12) and 0.5875 == round(r["access_rate"], 12)
    assert 0.180851 == round(r["d_index"], 6)  # the same D as the access form
    assert 0.75 == r["furthest_behind"]["rate"]  # prevalence of the barrier, poor rural
    assert "wealth = poor and area = rural" == r["furthest_behind"]["condition"]


def write_csv(tmp_path, text):
    path = tmp_path / "survey.csv"
    path.write_text(text, encoding="utf-8")
    return path


def test_missing_column_names_file_column_and_columns_present(tmp_path):
    path = write_csv(tmp_path, "z,q,w\n-3,a,1\n")
    with pytest.raises(DataError) as e:
        read_survey(path, SurveySpec.from_text("z < -2", "q,rural", weight="w"))
    assert str(path) in str(e.value) and "circumstance 'rural'" in str(e.value)
    assert "Columns present: z, q, w" in str(e.value)
    assert "missing_column" == e.value.issues[0].code


def test_negative_weight_names_file_row_and_column(tmp_path):
    path = write_csv(tmp_path, "z,q,w\n-3,a,1\n-1,b,-0.5\n0,b,2\n")
    with pytest.raises(DataError) as e:
        read_survey(path, SurveySpec.from_text("z < -2", "q", weight="w"))
    # the header is line 1, so the second record is row 3
    assert f"{path}, column 'w': 1 negative weight(s) (row 3: -0.5)" in str(e.value)
    assert (3, "w") == (e.value.issues[0].row, e.value.issues[0].column)


def test_bad_values_are_data_errors(tmp_path):
    path = write_csv(tmp_path, "y,q,w\n2,a,1\n1,b,x\n")
    with pytest.raises(DataError, match="row 3: x"):  # weight not a number
        read_survey(path, SurveySpec("y", ("q",), weight="w"))
    with pytest.raises(DataError, match="neither 0 nor 1.*row 2: 2.*Declare a rule"):
        read_survey(path, SurveySpec("y", ("q",)))
    with pytest.raises(UnknownFormatError, match="Tried: CSV .*Stata"):
        read_survey(tmp_path / "survey.xlsx", SurveySpec("y", ("q",)))
    with pytest.raises(UsageError, match="not '<op> <value>'"):
        SurveySpec("y", ("q",), rule="about 2")


def test_rows_missing_values_are_dropped_and_counted(tmp_path):
    path = write_csv(tmp_path, "z,q,w\n-3,a,1\n,b,1\n-1,,2\n0,b,\n1,b,1\n")
    f = read_survey(path, SurveySpec.from_text("z < -2", "q", weight="w"))
    assert 2 == len(f) and 3 == f.attrs["dropped_rows"]
    assert {"z": 1, "q": 1, "w": 1} == f.attrs["dropped_by_column"]
    assert [1.0, 0.0] == f["outcome"].tolist()  # -3 < -2, 1 is not


def test_spss_without_pyreadstat_says_what_to_install(tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "pyreadstat", None)  # import fails
    path = tmp_path / "s.sav"
    path.write_bytes(b"")
    with pytest.raises(UsageError, match="pip install pyreadstat"):
        read_survey(path, SurveySpec("y", ("q",)))


def survey_frame():
    f = records(rich_weight=2.0).rename(columns={"outcome": "stunted", "weight": "wt"})
    f["zscore"] = np.where(f["stunted"] == 1, -2.5, 0.5)
    return f.drop(columns="stunted")


@pytest.mark.parametrize("suffix", [".dta", ".parquet"])
def test_stata_and_parquet_round_trip(tmp_path, suffix):
    f = survey_frame()
    f["wealth"] = pd.Categorical(f["wealth"])  # Stata value labels
    f["area"] = f["area"].astype(object)
    path = tmp_path / f"survey{suffix}"
    if suffix == ".dta":
        f.to_stata(path, write_index=False)
    else:
        f.to_parquet(path, index=False)
    spec = SurveySpec.from_text("zscore < -2", CIRC, weight="wt")
    got = analyse_survey(read_survey(path, spec), spec)
    csv = tmp_path / "survey.csv"
    survey_frame().to_csv(csv, index=False)
    expected = analyse_survey(read_survey(csv, spec), spec)
    assert expected["tree"] == got["tree"] and expected["d_index"] == got["d_index"]
    assert 0.658 == round(got["rate"], 3)  # (150 + 2·320) / (400 + 2·400) = 790/1200


@pytest.fixture(scope="module")
def nigeria():
    folder = shared("dhs-nigeria-2013-child-sample-rineq")
    path = folder / "nigeria_dhs2013_children_sample.csv"
    spec = SurveySpec.from_text("zscore < -2", "quintile,rural,ed,male", weight="weight",
                                barrier=True)
    return pd.read_csv(path), analyse_survey(read_survey(path, spec), spec)


@pytest.mark.shared
def test_nigeria_golden_values(nigeria):
    raw, r = nigeria
    stunted = (raw["zscore"] < -2).astype(float)
    # independent: numpy's weighted mean of the 999 children
    assert round(np.average(stunted, weights=raw["weight"]), 12) == round(r["rate"], 12)
    assert 0.3700 == round(r["rate"], 4) and 999 == r["n"] and 0 == r["dropped_rows"]
    assert r["barrier"] and 0.6300 == round(r["access_rate"], 4)
    assert 0.0884 == round(r["d_index"], 4)  # non-stunting, over the 3 terminal nodes
    assert 0.1138 == round(r["d_index_cells"], 4)  # non-stunting, over the 54 cells
    assert 0.5743 == round(r["hoi"], 4)
    behind, ahead = r["furthest_behind"], r["furthest_ahead"]
    assert "quintile in {a, b}" == behind["condition"]  # the two poorest quintiles
    assert (0.4140, 0.5046, 419) == (round(behind["share"], 4), round(behind["rate"], 4),
                                     behind["n"])
    assert "quintile in {c, d, e} and ed = c" == ahead["condition"]
    assert (0.2295, 0.1755, 221) == (round(ahead["share"], 4), round(ahead["rate"], 4),
                                     ahead["n"])
    shares = {s["circumstance"]: round(s["share"], 3) for s in r["shapley"]}
    assert {"quintile": 0.402, "rural": 0.219, "ed": 0.323, "male": 0.056} == shares


@pytest.mark.shared
def test_nigeria_groups_agree_with_a_plain_groupby(nigeria):
    raw, r = nigeria
    raw = raw.assign(stunted=(raw["zscore"] < -2).astype(float),
                     poorest=raw["quintile"].isin(["a", "b"]))
    by = raw.groupby("poorest").apply(
        lambda g: pd.Series({"rate": np.average(g["stunted"], weights=g["weight"]),
                             "share": g["weight"].sum() / raw["weight"].sum()}),
        include_groups=False)
    assert round(by.at[True, "rate"], 12) == round(r["furthest_behind"]["rate"], 12)
    assert round(by.at[True, "share"], 12) == round(r["furthest_behind"]["share"], 12)
    ahead = raw[~raw["poorest"] & (raw["ed"] == "c")]
    assert round(np.average(ahead["stunted"], weights=ahead["weight"]), 12) == round(
        r["furthest_ahead"]["rate"], 12)
    # D over the terminal nodes from these groups: β and 1 − p of the 3 leaves
    leaves = [n for n in r["tree"] if n["terminal"]]
    assert round(r["d_index"], 12) == round(
        d_index([n["share"] for n in leaves], [1 - n["rate"] for n in leaves]), 12)


def test_spss_keeps_value_labels_and_their_order(tmp_path):
    pyreadstat = pytest.importorskip("pyreadstat")
    f = pd.DataFrame({"hw70": [-250.0, 100, -300, 50, np.nan], "v190": [1.0, 2, 1, 3, 3],
                      "v005": [1e6, 2e6, 1.5e6, 1e6, 1e6]})
    path = tmp_path / "s.sav"
    pyreadstat.write_sav(f, str(path), variable_value_labels={
        "v190": {1: "poorest", 2: "middle", 3: "richest"}})
    got = read_survey(path, SurveySpec.from_text("hw70 < -200", "v190", weight="v005"))
    assert ["poorest", "middle", "richest"] == got["v190"].cat.categories.tolist()
    assert [1.0, 0.0, 1.0, 0.0] == got["outcome"].tolist() and 1 == got.attrs["dropped_rows"]


def test_cli_survey_json_on_a_small_file(tmp_path):
    from typer.testing import CliRunner

    from sdgtrack.cli import app

    # 100 records: group a 40 with the outcome in 10 (25 %), group b 60 with it in 45 (75 %)
    rows = ["g,y"] + ["a,1"] * 10 + ["a,0"] * 30 + ["b,1"] * 45 + ["b,0"] * 15
    path = tmp_path / "s.csv"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["lnob", "survey", str(path), "--outcome", "y",
                                      "--circumstances", "g", "--min-n", "10"])
    assert 0 == result.exit_code, result.output
    r = json.loads(result.output)
    assert 0.55 == round(r["rate"], 4)  # (10 + 45) / 100
    # D = (0.4 |0.25 - 0.55| + 0.6 |0.75 - 0.55|) / (2 x 0.55) = 0.24 / 1.1 = 0.2182
    assert 0.2182 == round(r["d_index"], 4)
    assert 0.43 == round(r["hoi"], 4)  # 0.55 x (1 - 0.2182)
    assert (0.4, 0.25) == (round(r["furthest_behind"]["share"], 4),
                           round(r["furthest_behind"]["rate"], 4))


def test_cli_survey_nigeria():
    from typer.testing import CliRunner

    from sdgtrack.cli import app

    path = shared("dhs-nigeria-2013-child-sample-rineq") / "nigeria_dhs2013_children_sample.csv"
    result = CliRunner().invoke(app, ["lnob", "survey", str(path), "--outcome", "zscore < -2",
                                      "--circumstances", "quintile,rural,ed,male",
                                      "--weight", "weight", "--barrier"])
    assert 0 == result.exit_code, result.output
    r = json.loads(result.output)
    assert {"rate", "d_index", "hoi", "furthest_behind", "furthest_ahead", "tree"} <= set(r)
    assert (0.37, 0.0884) == (round(r["rate"], 4), round(r["d_index"], 4))
