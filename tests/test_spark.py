"""The assessment is expressed through Ibis: the same code on Spark (local mode) gives the
same numbers as on DuckDB, for the region, a subregion and a country of the real extract."""

import os
import shutil

import pandas as pd
import pytest

from sdgtrack.assess import compute, country_unit, group_unit, load_spec

pytestmark = [
    pytest.mark.spark,
    # PySpark's own py4j sockets and its pandas calls warn on pandas 3; not ours to fix
    pytest.mark.filterwarnings("ignore::ResourceWarning"),
    pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning"),
    pytest.mark.filterwarnings("ignore:The copy keyword is deprecated"),
]


@pytest.fixture(scope="module")
def spark(tmp_path_factory):
    if shutil.which("java") is None:
        if os.environ.get("CI"):
            pytest.fail("CI must have Java for the Spark test: scripts/test.sh installs it")
        pytest.skip("no Java runtime on this machine: the Spark test needs one "
                    "(scripts/test.sh installs Debian's default-jre-headless)")
    pyspark_sql = pytest.importorskip("pyspark.sql", reason="pip install 'sdgtrack[spark]'")
    session = (pyspark_sql.SparkSession.builder.master("local[2]")
               .config("spark.ui.enabled", "false")
               .config("spark.sql.shuffle.partitions", "2")
               .config("spark.sql.session.timeZone", "UTC")
               .config("spark.sql.warehouse.dir", str(tmp_path_factory.mktemp("warehouse")))
               .getOrCreate())
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()


def test_spark_and_duckdb_give_identical_results(spark, slice_store):
    """The assessment of real data (goals 5 and 7 of the December 2023 extract) on Spark
    and on DuckDB, number for number."""
    import ibis

    obs = slice_store.table("observations_current")
    table = obs.to_pyarrow().combine_chunks()  # Spark 4 takes an Arrow table directly
    spark.createDataFrame(table).createOrReplaceTempView("observations_current")
    on_spark = ibis.pyspark.connect(spark).table("observations_current")
    units = [group_unit("escap"), group_unit("escap_sea"), country_unit("KAZ")]
    spec = load_spec()
    a = compute(on_spark, spec, units)
    b = compute(obs, spec, units)
    keys = ["unit", "series_code", "selection"]
    cols = [*keys, "usable_countries", "t0", "x0", "tc", "xc", "target_level",
            "current_status", "projected", "anticipated_progress", "class"]
    pd.testing.assert_frame_equal(
        b.subindicators[cols].sort_values(keys, ignore_index=True),
        a.subindicators[cols].sort_values(keys, ignore_index=True), rtol=1e-9)
    pd.testing.assert_frame_equal(b.snapshot, a.snapshot, rtol=1e-9)
    pd.testing.assert_frame_equal(b.dashboard, a.dashboard, rtol=1e-9)
    # not a vacuous comparison: goals 5 and 7 are assessed for every unit
    assert b.subindicators.assessed.sum() > 20
    assert {5, 7} <= set(b.snapshot.dropna(subset=["current_status_index"]).goal)


def test_interlinkages_on_spark_and_duckdb_are_identical(spark, slice_store):
    """Interlinkages (issue 16) read the observations through Ibis too: every pair's common
    years, rho and class, and the goal tables, are the same on both backends."""
    import ibis

    from sdgtrack.assess.links_run import compute_links

    obs = slice_store.table("observations_current")
    spark.createDataFrame(obs.to_pyarrow().combine_chunks()).createOrReplaceTempView(
        "observations_current")
    on_spark = ibis.pyspark.connect(spark).table("observations_current")
    units = [group_unit("escap_nca"), country_unit("KAZ")]
    a = compute_links(on_spark, load_spec(), units)
    b = compute_links(obs, load_spec(), units)
    pd.testing.assert_frame_equal(b.pairs, a.pairs, rtol=1e-12)
    pd.testing.assert_frame_equal(b.goals, a.goals)
    # not vacuous: 171 pairs of goals 5 and 7 in the 9 countries of North and Central Asia
    # (Kazakhstan among them), 44 of them synergies
    assert (171, 44, 9) == (len(b.pairs), (b.pairs["class"] == "synergy").sum(),
                            b.pairs.unit.nunique())
