"""The two places a store can live, and the little that differs between them.

* **A DuckDB file** (the default): one writer at a time holds ``STORE.lock``, readers open
  the latest snapshot (``snapshots.py``).
* **A PostgreSQL database** (``--db postgresql://…``, a shared deployment): the tables live
  in PostgreSQL and DuckDB runs the very same SQL and Ibis expressions over them through its
  ``postgres`` extension (``ATTACH … (TYPE postgres)``), which reads with PostgreSQL's binary
  COPY and writes inside PostgreSQL transactions. So a load is one PostgreSQL transaction
  (a killed load leaves nothing), any number of servers and commands read at once, and
  writers queue on a table lock, each transaction in turn. Nothing is copied: readers see each
  committed write at once.

What DuckDB's extension cannot do on PostgreSQL is done here, and only here: sequences are
made and advanced in PostgreSQL itself (``postgres_execute``), the views live in DuckDB's
in-memory catalog over the PostgreSQL tables (their SQL is DuckDB's), and writers lock
an empty table at the start of each transaction.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import duckdb

from sdgtrack.errors import StoreError

#: The PostgreSQL database's name inside DuckDB.
PG = "pg"

_URL = re.compile(r"^(postgres(?:ql)?):/*(.*)$", re.S)


@dataclass(frozen=True)
class Location:
    """Where a store lives: a DuckDB file, or a PostgreSQL database (``url``)."""

    path: Path  # the file; for PostgreSQL, a local folder for uploads kept beside it
    url: str | None = None

    @property
    def postgres(self) -> bool:
        return self.url is not None

    def __str__(self) -> str:
        return _redact(self.url) if self.url else str(self.path)


def quiet(con: duckdb.DuckDBPyConnection) -> None:
    """No progress bar: DuckDB draws one on standard error for any query over 2 s (a load
    into PostgreSQL has several), into the output of our commands."""
    con.execute("SET enable_progress_bar = false")


def exists(where: Path | str) -> bool:
    """Whether there is a store to read (a PostgreSQL database is taken to have one: opening
    it says when it has not)."""
    location = locate(where)
    return location.postgres or location.path.exists()


def is_url(where: Path | str) -> bool:
    """Whether a ``--db`` value names a PostgreSQL database rather than a file."""
    return bool(_URL.match(str(where)))


def locate(where: Path | str) -> Location:
    """A ``--db`` value as a location. Give a PostgreSQL URL as text: a ``Path`` folds its
    ``//``, which is unfolded here as a host's (``postgresql:///sdg``, the local server's
    database, cannot be told from a host ``sdg`` once folded).

    >>> locate("postgresql://sdg@db.example/sdg").url
    'postgresql://sdg@db.example/sdg'
    >>> locate("postgresql:///sdg").url  # the local server, over its Unix socket
    'postgresql:///sdg'
    >>> locate(Path("postgresql://sdg@db.example/sdg")).url
    'postgresql://sdg@db.example/sdg'
    >>> locate("data/sdg.duckdb").url is None
    True
    """
    text = str(where)
    match = _URL.match(text)
    if not match:
        return Location(Path(where))
    folded = isinstance(where, Path) or not text.startswith(f"{match.group(1)}://")
    url = f"{match.group(1)}://{match.group(2)}" if folded else text
    from platformdirs import user_data_dir

    folder = Path(user_data_dir("sdgtrack")) / ("postgres-" + _slug(url))
    return Location(folder / "store", url)


def _slug(url: str) -> str:
    """A file name for a database: host, port and name, never the password.

    >>> _slug("postgresql://u:secret@db.example:5433/sdg")
    'db.example-5433-sdg'
    """
    rest = url.split("://", 1)[1]
    rest = rest.rsplit("@", 1)[-1].split("?", 1)[0]
    return re.sub(r"[^A-Za-z0-9.]+", "-", rest).strip("-") or "local"


def _redact(url: str) -> str:
    """
    >>> _redact("postgresql://u:secret@h/db")
    'postgresql://u:***@h/db'
    """
    return re.sub(r"(://[^:/@]*):[^@]*@", r"\1:***@", url)


def connect(location: Location, *, read_only: bool, memory_limit: str
            ) -> duckdb.DuckDBPyConnection:
    """A DuckDB connection whose default database is the PostgreSQL store (a file store is
    opened by ``Store._connect`` itself, from its snapshot)."""
    con = duckdb.connect(config={"memory_limit": memory_limit})
    quiet(con)
    _load_extension(con)
    mode = ", READ_ONLY" if read_only else ""
    try:
        quoted = (location.url or "").replace("'", "''")
        con.execute(f"ATTACH '{quoted}' AS {PG} (TYPE postgres{mode})")
    except duckdb.Error as exc:
        con.close()
        raise StoreError(f"Cannot open the PostgreSQL store {location}: {exc}. Check the "
                         "address, that the server runs and that the role may connect.") from exc
    if not read_only:
        _make_lock_table(con)
    use(con)
    return con


def use(con: duckdb.DuckDBPyConnection) -> None:
    """Unqualified names find the PostgreSQL tables first, then the views (each DuckDB
    cursor is a connection of its own and starts without this)."""
    con.execute(f"USE {PG}")
    con.execute(f"SET search_path = '{PG}.public,memory.main'")


def _load_extension(con: duckdb.DuckDBPyConnection) -> None:
    """DuckDB's postgres extension, from its PyPI wheel (no download at run time)."""
    version = duckdb.__version__
    try:
        import duckdb_extension_postgres_scanner as wheel  # type: ignore[import-not-found]
    except ImportError as exc:
        raise StoreError("A PostgreSQL store needs DuckDB's postgres extension: "
                         "pip install 'sdgtrack[postgres]'") from exc
    file = (Path(wheel.__file__).parent / "extensions" / f"v{version}"
            / "postgres_scanner.duckdb_extension")
    if not file.exists():
        have = sorted(p.name for p in (Path(wheel.__file__).parent / "extensions").iterdir())
        raise StoreError(f"DuckDB {version} has no postgres extension installed (the wheel "
                         f"has {', '.join(have)}): install matching versions, "
                         "pip install 'sdgtrack[postgres]'")
    # loaded from the wheel's file itself: INSTALL would copy it into ~/.duckdb each time,
    # and fails where there is no home directory (a service account)
    con.execute("LOAD '" + str(file).replace("'", "''") + "'")


def view(con: duckdb.DuckDBPyConnection, sql: str, location: Location) -> None:
    """Create a view (``CREATE OR REPLACE VIEW name AS …``). On PostgreSQL it goes in
    DuckDB's in-memory catalog: its SQL is DuckDB's, which PostgreSQL would not take."""
    if location.postgres:
        sql = sql.replace("CREATE OR REPLACE VIEW ", "CREATE OR REPLACE VIEW memory.main.", 1)
    con.execute(sql)


def ddl(con: duckdb.DuckDBPyConnection, sql: str, location: Location) -> None:
    """Run one schema statement; a sequence on PostgreSQL is made there directly."""
    if location.postgres and sql.startswith("CREATE SEQUENCE"):
        con.execute(f"CALL postgres_execute('{PG}', ?)", [sql])
    else:
        con.execute(sql)


def on_postgres(con: duckdb.DuckDBPyConnection) -> bool:
    """Whether a connection's store is the PostgreSQL one (its default database)."""
    return bool(con.execute("SELECT current_database()").fetchall()[0][0] == PG)


def next_id(con: duckdb.DuckDBPyConnection, sequence: str) -> int:
    """The next value of one of the store's sequences."""
    if not re.fullmatch(r"[a-z_]+", sequence):
        raise ValueError(sequence)
    if on_postgres(con):
        row = con.execute(f"SELECT * FROM postgres_query('{PG}', "
                          f"'SELECT nextval(''{sequence}'')')").fetchall()
    else:
        row = con.execute(f"SELECT nextval('{sequence}')").fetchall()
    return int(row[0][0])


#: The empty table a writing transaction locks. ``LOCK TABLE`` takes no snapshot, so the
#: transaction's first read comes after the lock and sees the previous writer's commit (a
#: ``SELECT pg_advisory_xact_lock()`` would take its snapshot before waiting, and two
#: writers would both number their load as the same next one).
LOCK_TABLE = "write_lock"


def _make_lock_table(con: duckdb.DuckDBPyConnection) -> None:
    try:
        con.execute(f"CALL postgres_execute('{PG}', "
                    f"'CREATE TABLE IF NOT EXISTS {LOCK_TABLE} (held boolean)')")
    except duckdb.Error:  # another process made it at the same moment
        pass


def lock_for_writing(con: duckdb.DuckDBPyConnection, wait_seconds: int, say: object) -> None:
    """Inside an open transaction on PostgreSQL: wait for another writer's transaction to
    end (saying so when one is under way), then hold the store until this one ends
    (PostgreSQL lets the lock go at commit, rollback or a kill). Readers never wait for it."""
    try:
        _lock(con, "NOWAIT")
        return
    except duckdb.Error:
        con.rollback()
    if callable(say):
        say("Waiting for another sdgtrack process to finish writing to the PostgreSQL "
            f"store (up to {wait_seconds} s; SDGTRACK_LOCK_WAIT) …")
    con.begin()
    try:
        _lock(con, "", timeout=f"{int(wait_seconds)}s")
    except duckdb.Error as exc:
        con.rollback()
        raise StoreError(f"Another process kept the PostgreSQL store for over {wait_seconds} "
                         f"s ({exc}); try again later, or raise SDGTRACK_LOCK_WAIT.") from exc


def _lock(con: duckdb.DuckDBPyConnection, nowait: str, timeout: str | None = None) -> None:
    limit = f"SET LOCAL lock_timeout = ''{timeout}''; " if timeout else ""
    con.execute(f"CALL postgres_execute('{PG}', '{limit}LOCK TABLE {LOCK_TABLE} IN EXCLUSIVE "
                f"MODE {nowait}')")


def base_tables_sql() -> str:
    """The store's own tables, on either backend (PostgreSQL's catalog tables are left out)."""
    return ("SELECT table_name FROM information_schema.tables WHERE table_type = 'BASE TABLE' "
            "AND table_catalog = current_database() AND table_schema = current_schema() "
            f"AND table_name <> '{LOCK_TABLE}' ORDER BY 1")
