"""Tables of the store. ``observations`` keeps every load (history); ``loads.status`` says
which load of each dataset is current, and the ``*_current`` views show only those."""

from __future__ import annotations

from sdgtrack.model import COLUMNS

SCHEMA_VERSION = "1"

_SQL_TYPES = {"string": "VARCHAR", "int32": "INTEGER", "int64": "BIGINT", "float64": "DOUBLE"}

OBSERVATION_DDL = "CREATE TABLE IF NOT EXISTS observations (\n  " + ",\n  ".join(
    f"{c.name} {_SQL_TYPES[c.type]}" for c in COLUMNS
) + "\n)"

DDL = [
    "CREATE TABLE IF NOT EXISTS meta (key VARCHAR PRIMARY KEY, value VARCHAR)",
    """CREATE TABLE IF NOT EXISTS loads (
        load_id BIGINT PRIMARY KEY, dataset VARCHAR NOT NULL, status VARCHAR NOT NULL,
        path VARCHAR, reader VARCHAR, checksum VARCHAR, size_bytes BIGINT, files INTEGER,
        rows_read BIGINT, rows_loaded BIGINT, rows_rejected BIGINT,
        rows_added BIGINT, rows_changed BIGINT, rows_removed BIGINT,
        issues VARCHAR, loaded_at TIMESTAMP, sdgtrack_version VARCHAR, replaces BIGINT)""",
    OBSERVATION_DDL,
    """CREATE TABLE IF NOT EXISTS series_declared (
        series_code VARCHAR, description VARCHAR, unit_measure VARCHAR, load_id BIGINT)""",
    """CREATE TABLE IF NOT EXISTS series_indicators_declared (
        series_code VARCHAR, indicator VARCHAR, load_id BIGINT)""",
    """CREATE TABLE IF NOT EXISTS areas_declared (
        ref_area VARCHAR, name VARCHAR, parent VARCHAR, load_id BIGINT)""",
    # survey microdata analyses (store/surveys.py): the result JSON, not the microdata
    "CREATE SEQUENCE IF NOT EXISTS survey_analysis_ids",
    """CREATE TABLE IF NOT EXISTS survey_analyses (
        analysis_id BIGINT PRIMARY KEY, ref_area VARCHAR NOT NULL, title VARCHAR NOT NULL,
        survey VARCHAR, time_period INTEGER, series_code VARCHAR, indicator VARCHAR,
        file_name VARCHAR, checksum VARCHAR, saved_at TIMESTAMP NOT NULL,
        result VARCHAR NOT NULL)""",
]

VIEWS = [
    """CREATE OR REPLACE VIEW current_loads AS
        SELECT * FROM loads WHERE status = 'current'""",
    """CREATE OR REPLACE VIEW observations_current AS
        SELECT o.* FROM observations o SEMI JOIN current_loads l USING (load_id)""",
    """CREATE OR REPLACE VIEW series_all AS
        SELECT series_code, description, unit_measure, 'framework' AS origin FROM fw_series
        UNION ALL
        SELECT series_code, name, NULL, 'codelist' FROM fw_series_codelist
        WHERE series_code NOT IN (SELECT series_code FROM fw_series)
        UNION ALL
        SELECT DISTINCT ON (series_code) series_code, description, unit_measure, 'dataset'
        FROM series_declared SEMI JOIN current_loads USING (load_id)
        WHERE series_code NOT IN (SELECT series_code FROM fw_series)
          AND series_code NOT IN (SELECT series_code FROM fw_series_codelist)""",
    """CREATE OR REPLACE VIEW series_indicators_all AS
        SELECT series_code, indicator FROM fw_series_indicators
        UNION
        SELECT series_code, indicator FROM series_indicators_declared
        SEMI JOIN current_loads USING (load_id)""",
    """CREATE OR REPLACE VIEW areas_all AS
        SELECT m49 AS ref_area, name, iso3, kind, NULL AS parent FROM fw_areas
        UNION ALL
        SELECT DISTINCT ON (ref_area) ref_area, name, NULL, 'subnational', parent
        FROM areas_declared SEMI JOIN current_loads USING (load_id)
        WHERE ref_area NOT IN (SELECT m49 FROM fw_areas)""",
]
