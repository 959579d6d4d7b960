"""The SDR method on sdgtrack's own store, with an SDR-style parameter table."""

import pandas as pd
import pytest
from typer.testing import CliRunner

from sdgtrack.assess import sdr, sdr_store
from sdgtrack.cli import app
from sdgtrack.errors import DataError


@pytest.fixture(scope="module")
def scored(store_2020):
    """On the October 2020 vintage, where the values below were worked out by hand."""
    inputs = sdr_store.sdr_inputs(store_2020.table("observations_current"),
                                  sdr_store.read_table(), sdr_store.regions_of("escap"))
    return inputs, *sdr.compute_sdr(inputs)


def test_bounds_from_the_data(scored):
    inputs, _, _ = scored
    cb = inputs.codebook.set_index("indicator")
    # p2.5 on the worst side of the latest poverty rates of 45 ESCAP members: 39.2 %
    assert 39.2 == round(cb.lb["pov190"], 2)
    # a number in the table is taken as given
    assert (0.0, 2.0, 13.0) == (cb.ub["pov190"], cb.green["pov190"], cb.red["pov190"])


def test_india_poverty_scored_by_hand(scored):
    _, _, ind = scored
    row = ind[(ind.iso3 == "IND") & (ind.indicator == "pov190")].iloc[0]
    # latest SI_POV_DAY1 for India: 21.0 % in 2011; 100 (21 - 39.2)/(0 - 39.2) = 46.43
    assert (21.0, 2011) == (row.value, row.year)
    assert 46.43 == round(row.score, 2)
    # red threshold 13 as a score: 100 (13 - 39.2)/(-39.2) = 66.84 > 46.43 -> red
    assert "red" == row.dashboard
    # no value in the 2015-2019 trend window -> no arrow
    assert "•" == row.trend


def test_index_and_regions(scored):
    inputs, countries, _ = scored
    assert 58 == len(countries)  # ESCAP's 49 members and 9 associate members
    ranked = countries[countries.index_rank.notna()]
    assert 40 == len(ranked)
    assert ranked.sort_values("index_rank").index_score.is_monotonic_decreasing
    # the regions that fill missing goals are the ESCAP subregions
    assert {"escap_enea", "escap_sea", "escap_sswa", "escap_nca", "escap_pacific"} == set(
        inputs.countries.region)


def test_ambiguous_series_must_name_its_breakdown(bundled_store, tmp_path):
    table = sdr_store.read_table()
    table.loc[table.indicator == "unemployment", "breakdown"] = ""
    with pytest.raises(DataError, match="SL_TLF_UEM has several age codes.*age=<code>"):
        sdr_store.sdr_inputs(bundled_store.table("observations_current"), table,
                             sdr_store.regions_of("escap"))


def test_bad_table_names_row_and_column(tmp_path):
    bad = tmp_path / "t.csv"
    good = pd.read_csv(sdr_store.EXAMPLE, dtype=str, keep_default_na=False)
    good.loc[3, "green"] = "ninety"
    good.to_csv(bad, index=False)
    with pytest.raises(DataError, match=r"t.csv, row 5, column green: 'ninety'"):
        sdr_store.read_table(bad)


def test_cli_scores_the_store(bundled_store, tmp_path):
    out = tmp_path / "scores.csv"
    db = bundled_store.path
    result = CliRunner().invoke(app, ["sdr", "--db", str(db), "--out", str(out)])
    assert 0 == result.exit_code, result.output
    frame = pd.read_csv(out)
    # the 2023 vintage ranks 42 of the 58 members (40 on the 2020 one, test above)
    assert 42 == frame.index_rank.notna().sum()
    assert "goal17_trend" == frame.columns[-1]


def test_a_table_keyed_to_an_old_code_reads_its_successor(bundled_store):
    """The example table names stunting SH_STA_STUNT (2020); the 2023 data call it
    SH_STA_STNT: the table's indicator is scored from the new code, not refused."""
    table = sdr_store.read_table()
    assert "SH_STA_STUNT" in set(table.series)
    inputs = sdr_store.sdr_inputs(bundled_store.table("observations_current"), table,
                                  sdr_store.regions_of("escap"))
    stunting = inputs.values[inputs.values.indicator == "stunting"]
    # Nepal's latest stunting value in the 2023 vintage: 26.7 % in 2022 (modelled)
    assert (26.7, 2022) == tuple(stunting.set_index("iso3").loc["NPL", ["value", "year"]])
