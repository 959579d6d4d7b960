"""Tables of the store. ``observations`` keeps every load (history); ``loads.status`` says
which load of each dataset is current (or superseded, or rolled back), and the ``*_current``
views show only the current ones. Accounts, sessions, API tokens, submissions, stakeholder
evidence and the audit trail live in the same file. Every statement here is idempotent, so an
older store upgrades in place when it is next opened for writing."""

from __future__ import annotations

from sdgtrack.model import COLUMNS, KEY_NAMES

SCHEMA_VERSION = "3"

_SQL_TYPES = {"string": "VARCHAR", "int32": "INTEGER", "int64": "BIGINT", "float64": "DOUBLE"}

OBSERVATION_DDL = "CREATE TABLE IF NOT EXISTS observations (\n  " + ",\n  ".join(
    f"{c.name} {_SQL_TYPES[c.type]}" for c in COLUMNS
) + "\n)"

_TYPES = {c.name: _SQL_TYPES[c.type] for c in COLUMNS}

#: Who made each load and from which file; the previous value of every row a load changed or
#: removed (added rows have none), so the history of a series and area can be shown.
LOAD_AUDIT_DDL = [
    "CREATE SEQUENCE IF NOT EXISTS event_ids",
    *(f"ALTER TABLE loads ADD COLUMN IF NOT EXISTS {name} {kind}" for name, kind in (
        ("submitted_by", "VARCHAR"), ("file_name", "VARCHAR"), ("submission_id", "BIGINT"),
        ("rolled_back_at", "TIMESTAMP"), ("rolled_back_by", "VARCHAR"))),
    "CREATE TABLE IF NOT EXISTS load_changes (\n  load_id BIGINT, change VARCHAR,\n  "
    + ",\n  ".join(f"{k} {_TYPES[k]}" for k in KEY_NAMES)
    + ",\n  value_before VARCHAR, value_after VARCHAR)",
    """CREATE TABLE IF NOT EXISTS audit_events (
        event_id BIGINT PRIMARY KEY, happened_at TIMESTAMP NOT NULL, actor VARCHAR,
        action VARCHAR NOT NULL, target VARCHAR, detail VARCHAR)""",
]

#: Accounts and what they submit. Secrets are never stored: passwords as argon2 hashes,
#: session and API tokens as SHA-256 digests.
ACCOUNT_DDL = [
    *(f"CREATE SEQUENCE IF NOT EXISTS {name}_ids" for name in (
        "user", "token", "submission", "evidence")),
    """CREATE TABLE IF NOT EXISTS users (
        user_id BIGINT PRIMARY KEY, username VARCHAR NOT NULL UNIQUE, role VARCHAR NOT NULL,
        areas VARCHAR NOT NULL, organisation VARCHAR, password_hash VARCHAR,
        disabled BOOLEAN NOT NULL, created_at TIMESTAMP NOT NULL)""",
    """CREATE TABLE IF NOT EXISTS api_tokens (
        token_id BIGINT PRIMARY KEY, user_id BIGINT NOT NULL, token_hash VARCHAR NOT NULL UNIQUE,
        label VARCHAR, created_at TIMESTAMP NOT NULL, revoked_at TIMESTAMP)""",
    """CREATE TABLE IF NOT EXISTS sessions (
        session_hash VARCHAR PRIMARY KEY, user_id BIGINT NOT NULL, csrf VARCHAR NOT NULL,
        created_at TIMESTAMP NOT NULL, expires_at TIMESTAMP NOT NULL)""",
    """CREATE TABLE IF NOT EXISTS submissions (
        submission_id BIGINT PRIMARY KEY, user_id BIGINT NOT NULL, dataset VARCHAR NOT NULL,
        file_name VARCHAR NOT NULL, stored_path VARCHAR, checksum VARCHAR, size_bytes BIGINT,
        status VARCHAR NOT NULL, areas VARCHAR, report VARCHAR, created_at TIMESTAMP NOT NULL,
        load_id BIGINT)""",
    # failed sign-ins of the last window (auth/ratelimit.py), by account name or address;
    # seconds since the epoch, as the limiter's clock gives them
    "CREATE TABLE IF NOT EXISTS signin_failures (key VARCHAR NOT NULL, failed_at DOUBLE NOT NULL)",
    """CREATE TABLE IF NOT EXISTS evidence (
        evidence_id BIGINT PRIMARY KEY, user_id BIGINT NOT NULL, organisation VARCHAR,
        code VARCHAR NOT NULL, ref_area VARCHAR NOT NULL, time_period INTEGER, value VARCHAR,
        title VARCHAR NOT NULL, summary VARCHAR, source_url VARCHAR, status VARCHAR NOT NULL,
        submitted_at TIMESTAMP NOT NULL, moderated_by VARCHAR, moderated_at TIMESTAMP,
        note VARCHAR)""",
]

#: Vintages and sources (store/current.py): which rows are in use, what each load is.
CURRENT_DDL = [
    "ALTER TABLE observations ADD COLUMN IF NOT EXISTS in_use BOOLEAN",
    # periods with their frequency (issue 14): a store from before holds calendar years
    "ALTER TABLE observations ADD COLUMN IF NOT EXISTS period VARCHAR DEFAULT '_T'",
    "ALTER TABLE observations ADD COLUMN IF NOT EXISTS freq VARCHAR DEFAULT 'A'",
    "ALTER TABLE observations ADD COLUMN IF NOT EXISTS time_text VARCHAR",
    "ALTER TABLE load_changes ADD COLUMN IF NOT EXISTS period VARCHAR DEFAULT '_T'",
    *(f"ALTER TABLE loads ADD COLUMN IF NOT EXISTS {name} VARCHAR"
      for name in ("vintage", "source", "diff")),
]

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
    # national metadata (ingest/opensdg_meta.py), per indicator and language, with the load
    # that brought them (a store from before gets the table when next opened for writing)
    """CREATE TABLE IF NOT EXISTS metadata_declared (
        indicator VARCHAR, lang VARCHAR, field VARCHAR, label VARCHAR, value VARCHAR,
        source_file VARCHAR, load_id BIGINT)""",
    # a national repository's labels of its codes, per language (ingest/code_labels.py)
    """CREATE TABLE IF NOT EXISTS codes_declared (
        dimension VARCHAR, code VARCHAR, lang VARCHAR, label VARCHAR, load_id BIGINT)""",
    # survey microdata analyses (store/surveys.py): the result JSON, not the microdata
    "CREATE SEQUENCE IF NOT EXISTS survey_analysis_ids",
    """CREATE TABLE IF NOT EXISTS survey_analyses (
        analysis_id BIGINT PRIMARY KEY, ref_area VARCHAR NOT NULL, title VARCHAR NOT NULL,
        survey VARCHAR, time_period INTEGER, series_code VARCHAR, indicator VARCHAR,
        file_name VARCHAR, checksum VARCHAR, saved_at TIMESTAMP NOT NULL,
        result VARCHAR NOT NULL)""",
    *LOAD_AUDIT_DDL,
    *ACCOUNT_DDL,
    *CURRENT_DDL,
]

VIEWS = [
    """CREATE OR REPLACE VIEW current_loads AS
        SELECT * FROM loads WHERE status = 'current'""",
    # one row per observation: the in-use value (store/current.py)
    """CREATE OR REPLACE VIEW observations_current AS
        SELECT * EXCLUDE (in_use) FROM observations WHERE in_use""",
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
