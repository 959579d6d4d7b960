"""Settings, declared once (as in datasette): this list drives the environment variables,
the CLI help and the documentation test that fails when a setting is undocumented."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Setting:
    name: str
    env: str
    default: object
    help: str


SETTINGS = [
    Setting(
        "db",
        "SDGTRACK_DB",
        None,
        "Path of the DuckDB store. Default: sdgtrack.duckdb in the per-user data directory.",
    ),
    Setting(
        "chart_cache",
        "SDGTRACK_CHART_CACHE",
        None,
        "Folder of rendered chart SVGs, keyed by a hash of the chart spec and the renderer "
        "version, so a site rebuild renders only charts whose data changed. Default: "
        "charts/ in the per-user cache directory; 'off' disables it.",
    ),
    Setting(
        "targets",
        "SDGTRACK_TARGETS",
        None,
        "A national targets file (CSV: area, indicator or series, target_value, direction, "
        "source; assess/targets.py) the pages' assessment uses in place of the "
        "specification's targets for its countries, as `sdgtrack assess --targets` does.",
    ),
    Setting(
        "min_year",
        "SDGTRACK_MIN_YEAR",
        1950,
        "Earliest plausible reference year; earlier years are reported as year_out_of_range.",
    ),
    Setting(
        "max_year",
        "SDGTRACK_MAX_YEAR",
        2100,
        "Latest plausible reference year (projections to 2030/2050 stay inside it).",
    ),
    Setting(
        "upload_max_bytes",
        "SDGTRACK_UPLOAD_MAX_BYTES",
        100 * 1024 * 1024,
        "Largest file a data provider may upload (bytes); a bigger upload is refused at "
        "this size, without being read further.",
    ),
    Setting(
        "upload_dir",
        "SDGTRACK_UPLOAD_DIR",
        None,
        "Folder of uploaded files: each accepted submission's file is kept there (waiting "
        "for confirmation, then as the file of its load). Default: <store file>.uploads "
        "beside the store.",
    ),
    Setting(
        "precedence",
        "SDGTRACK_PRECEDENCE",
        "N,R,G",
        "Which value is in use when sources give two for one observation (same series, area, "
        "year and breakdown): reporting types, preferred first. The default puts a "
        "country's own national data (N) before regional (R) and global (G) estimates, as "
        "national platforms do; G,N,R keeps the UN database's values in use. The other "
        "values stay stored and `sdgtrack conflicts` lists them. A store re-applies the "
        "setting when it is next opened for writing.",
    ),
    Setting(
        "expand_max_bytes",
        "SDGTRACK_EXPAND_MAX_BYTES",
        100 * 1024 * 1024,
        "Most bytes a compressed input (.csv.gz, the parts of an .xlsx) may expand to; the "
        "expansion is streamed and stopped at this size, so a decompression bomb is refused "
        "without being held in memory.",
    ),
    Setting(
        "expand_max_ratio",
        "SDGTRACK_EXPAND_MAX_RATIO",
        100,
        "Most times a compressed input may expand (real SDG CSVs compress 5-20 times); "
        "a file that expands more is refused as a decompression bomb.",
    ),
    Setting(
        "workbook_max_bytes",
        "SDGTRACK_WORKBOOK_MAX_BYTES",
        6 * 1024 * 1024,
        "Most bytes the parts of an .xlsx workbook may expand to (about 30,000 rows of the "
        "template). A workbook is read cell by cell into memory, some 40 times its XML, so "
        "larger data should come as CSV.",
    ),
    Setting(
        "answers_max_bytes",
        "SDGTRACK_ANSWERS_MAX_BYTES",
        64 * 1024 * 1024,
        "Most bytes of answers the server keeps to answer again (pages with a query, API "
        "queries); the least recently used go first, and one answer over an eighth of it is "
        "not kept.",
    ),
    Setting(
        "memory_limit",
        "SDGTRACK_MEMORY_LIMIT",
        None,
        "Memory DuckDB may use per process (a DuckDB size such as '2GiB'), spilling to disk "
        "past it. Default: a quarter of the machine's memory.",
    ),
    Setting(
        "session_hours",
        "SDGTRACK_SESSION_HOURS",
        12,
        "Hours a web sign-in lasts.",
    ),
    Setting(
        "lock_wait",
        "SDGTRACK_LOCK_WAIT",
        600,
        "Seconds a command that writes waits for another writer of the same store to finish "
        "(it says whom it waits for) before giving up. Readers never wait: they read the "
        "store's latest snapshot.",
    ),
    Setting(
        "upload_expire_days",
        "SDGTRACK_UPLOAD_EXPIRE_DAYS",
        7,
        "Days an accepted upload waits for its owner to confirm it; then its file is "
        "removed and the submission marked expired (an audit line says so).",
    ),
]

_BY_NAME = {s.name: s for s in SETTINGS}


def get(name: str) -> object:
    """The value of a setting: its environment variable when set, else its default."""
    setting = _BY_NAME[name]
    raw = os.environ.get(setting.env)
    if raw is None or raw == "":
        return setting.default
    if isinstance(setting.default, int):
        try:
            return int(raw)
        except ValueError:
            from sdgtrack.errors import UsageError

            raise UsageError(f"{setting.env}={raw!r}: give a whole number (default "
                             f"{setting.default}). {setting.help}") from None
    return raw


def get_int(name: str) -> int:
    """A whole-number setting (``upload_max_bytes`` ...), typed."""
    value = get(name)
    if not isinstance(value, int):  # a setting declared without an int default
        raise TypeError(f"setting {name!r} is not a whole number")
    return value


def get_str(name: str) -> str | None:
    """A text setting (``precedence``, ``upload_dir`` ...), typed; None when unset."""
    value = get(name)
    return None if value is None else str(value)


def default_db_path() -> Path | str:
    """``SDGTRACK_DB`` if set, else ``sdgtrack.duckdb`` in the per-user data directory. A
    PostgreSQL URL stays text (a ``Path`` would fold its ``//``)."""
    value = get("db")
    if value:
        text = str(value)
        return text if text.startswith(("postgres://", "postgresql://")) else \
            Path(text).expanduser()
    from platformdirs import user_data_dir

    return Path(user_data_dir("sdgtrack")) / "sdgtrack.duckdb"


def chart_cache_dir() -> Path | None:
    """``SDGTRACK_CHART_CACHE`` if set ('off': no cache), else the per-user cache."""
    value = get("chart_cache")
    if value == "off":
        return None
    if value:
        return Path(str(value)).expanduser()
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("sdgtrack")) / "charts"


def memory_limit() -> str:
    """``SDGTRACK_MEMORY_LIMIT`` if set, else a quarter of the machine's memory, in MiB."""
    value = get("memory_limit")
    if value:
        return str(value)
    try:
        total = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (ValueError, OSError, AttributeError):  # not POSIX: DuckDB's own default
        return "80%"
    return f"{max(total // 4, 256 * 1024 * 1024) // (1024 * 1024)}MiB"
