"""The store: one embedded DuckDB file, queried through Ibis.

Writes go through DuckDB transactions so a load is all or nothing: a rejected or interrupted
load leaves the file exactly as it was. Each load records who made it and from which file, and
the previous value of every row it changed or removed; rolling a load back makes the load it
replaced current again, so the previous values return exactly. Reads go through Ibis
expressions (``queries.py``), so the same code can run on another Ibis backend (Spark) over the
same tables.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa

from sdgtrack import framework, settings
from sdgtrack.errors import Conflict, DataError, Issue, IssueCode, NoSuchRecord, StoreError
from sdgtrack.model import KEY_NAMES
from sdgtrack.store import backend, current, snapshots
from sdgtrack.store.audit import dicts, now, record_event
from sdgtrack.store.schema import DDL, SCHEMA_VERSION, VIEWS

DDL_CHECKSUM = hashlib.sha256("\n".join(DDL).encode()).hexdigest()

STATUS_CURRENT, STATUS_SUPERSEDED, STATUS_ROLLED_BACK = "current", "superseded", "rolled_back"


@dataclass(frozen=True)
class LoadInfo:
    """What a load records about where its rows came from."""

    dataset: str
    path: str
    reader: str
    checksum: str
    size_bytes: int
    files: int
    rows_read: int
    rows_rejected: int
    issues: dict[str, int]
    source: str | None = None  # who publishes it (the UN database, a country's platform)
    vintage: str | None = None  # the edition, e.g. 2023-12


#: A load shares at least this part of a dataset's observations, from the same reader and
#: source, to be taken as that dataset's new vintage without being told (--dataset).
VINTAGE_SHARE = 0.5


@dataclass(frozen=True)
class LoadOutcome:
    dataset: str
    status: str  # "loaded" | "unchanged"
    load_id: int
    rows_loaded: int
    rows_added: int
    rows_changed: int
    rows_removed: int
    recognised_as_vintage_of: str | None = None  # the stored dataset it was taken to be
    diff: dict[str, Any] | None = None  # what this vintage changed (store/current.py)
    overlaps: tuple[current.Overlap, ...] = ()  # other sources of the same observations


@dataclass(frozen=True)
class Provenance:
    """Who is loading, and the file as they named it (a load from an upload is stored under
    another path)."""

    submitted_by: str | None = None
    file_name: str | None = None
    submission_id: int | None = None


@dataclass(frozen=True)
class RollbackOutcome:
    dataset: str
    load_id: int  # the load rolled back
    restored_load_id: int | None  # the load current again (None: the dataset has none now)


class Store:
    """An sdgtrack store. ``Store(path)`` creates the file when it does not exist."""

    def __init__(self, path: Path | str, read_only: bool = False, *,
                 server: str | None = None) -> None:
        """Opened for writing, the store takes its write lock (waiting for another writer,
        ``store/snapshots.py``); ``server`` is the address of a server that keeps it for its
        life, where other writers are sent.
        Opened read-only, it reads the latest snapshot and never waits."""
        self.location = backend.locate(path)
        self.path = self.location.path
        self.read_only = read_only
        self._provenance = Provenance()
        self._ibis: Any = None
        self._signature: str | None = None
        self._owner = True  # this Store holds the write lock (a cursor does not)
        self.file: Path | str = self.path  # what is open: a snapshot, the file, or the URL
        if self.location.postgres:
            self._owner = False  # PostgreSQL queues writers itself, a transaction at a time
        elif not read_only:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            snapshots.acquire(self.path, wait=settings.get_int("lock_wait"), server=server,
                              say=_say)
        elif not self.path.exists():
            raise StoreError(f"No store at {self.path}. Load data first: sdgtrack ingest PATH")
        try:
            self.con = self._connect()
            if not read_only:
                self._prepare()
                self.publish()
        except BaseException:
            if self._owner:
                snapshots.release(self.path)
            raise

    def _connect(self) -> duckdb.DuckDBPyConnection:
        if self.location.postgres:
            self.file = self.location.url or ""
            con = backend.connect(self.location, read_only=self.read_only,
                                  memory_limit=settings.memory_limit())
            if self.read_only and not self._views(con, missing_ok=True):
                con.close()  # a new database: make the tables, as for an absent file
                Store(self.file).close()
                con = backend.connect(self.location, read_only=True,
                                      memory_limit=settings.memory_limit())
                self._views(con)
            return con
        snapshot = None if not self.read_only else snapshots.current(self.path)
        self.file = snapshot.file if snapshot else self.path
        try:
            con = duckdb.connect(str(self.file), read_only=self.read_only,
                                 config={"memory_limit": settings.memory_limit()})
            backend.quiet(con)
            return con
        except duckdb.Error as exc:
            raise StoreError(
                f"Cannot open the store {self.path}: {exc}. Another sdgtrack process has it "
                "open for writing and it has no snapshot yet (a store written by an older "
                "sdgtrack): wait for it to finish, or give another --db."
            ) from exc

    def signature(self) -> str:
        """Changes whenever what a reader sees changes (loads, evidence, surveys, records,
        the framework, the accounts): each table's row count and row hash, leaving out the
        observations and changes (they move with the loads) and sign-ins, tokens and audit
        lines (readers of a snapshot do not sign in)."""
        return json.dumps(_table_hashes(self.con, exclude=_UNSEEN), sort_keys=True)

    def publish(self) -> None:
        """Make the store's state the current snapshot for readers, if it changed since the
        last one (``store/snapshots.py``). Called after every write that readers see; on
        PostgreSQL readers see each commit at once, so there is nothing to publish."""
        if self.read_only or self.location.postgres:
            return
        signature = self.signature()
        if signature == self._signature:
            return
        pointer = snapshots.current(self.path)
        if pointer is None or pointer.signature != signature:
            try:
                snapshots.publish(self.con, self.path, signature)
            except duckdb.Error:  # another thread's transaction is open: publish next time
                return
        self._signature = signature

    def refresh(self) -> bool:
        """A reader moves to the newest snapshot, if there is one newer than its own; True
        when it moved (the caller drops what it computed from the old one)."""
        if not self.read_only or self.location.postgres:
            return False
        pointer = snapshots.current(self.path)
        if pointer is None or pointer.file == self.file:
            return False
        old = self.con
        self.con, self._ibis = self._connect(), None
        old.close()
        return True

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Publish what changed for readers, close, and give the write lock back; closing
        again does nothing."""
        if getattr(self, "_closed", False):
            return
        self._closed = True
        try:
            if not self.read_only and self._owner:
                self.publish()
        finally:
            self.con.close()
            if not self.read_only and self._owner:
                snapshots.release(self.path)

    @property
    def ibis(self) -> Any:
        """The Ibis backend over this store's connection."""
        if self._ibis is None:
            import ibis

            self._ibis = ibis.duckdb.from_connection(self.con)
        return self._ibis

    def table(self, name: str) -> Any:
        if self.location.postgres and name in _VIEW_NAMES:
            return self.ibis.table(name, database=("memory", "main"))
        return self.ibis.table(name)

    def next_id(self, sequence: str) -> int:
        """The next value of one of the store's sequences (``user_ids``, ``event_ids`` …)."""
        return backend.next_id(self.con, sequence)

    def cursor(self) -> Store:
        """A Store over a second connection to the same open database: another thread can
        read or write through it (in its own transactions) while this one is in use."""
        other = Store.__new__(Store)
        other.location, other.path = self.location, self.path
        other.read_only, other._ibis = self.read_only, None
        other.file, other._signature, other._owner = self.file, None, False
        other._provenance = Provenance()
        other.con = self.con.cursor()
        if self.location.postgres:
            backend.use(other.con)
        return other

    @contextmanager
    def provenance(self, submitted_by: str | None, file_name: str | None = None,
                   submission_id: int | None = None) -> Iterator[None]:
        """Loads made inside this block record who made them and the file's own name."""
        self._provenance = Provenance(submitted_by, file_name, submission_id)
        try:
            yield
        finally:
            self._provenance = Provenance()

    # -- schema and framework -------------------------------------------------------------

    def _meta(self, key: str) -> str | None:
        rows = self.con.execute("SELECT value FROM meta WHERE key = ?", [key]).fetchall()
        return str(rows[0][0]) if rows else None

    def _prepare(self) -> None:
        if self.location.postgres and self._prepared():
            self._views(self.con)  # each connection's own, in DuckDB's catalog
            return
        with self.transaction():
            tables = {r[0] for r in self.con.execute(backend.base_tables_sql()).fetchall()}
            older = self._schema_before(tables)
            # on PostgreSQL each statement is a round trip that also drops DuckDB's copy of
            # the catalog: skipped when the stored tables were made by this very DDL
            made = (self._meta("ddl") if self.location.postgres and "meta" in tables
                    and not older else None)
            if made != DDL_CHECKSUM:
                for ddl in DDL:
                    backend.ddl(self.con, ddl, self.location)
                self.con.execute("INSERT OR REPLACE INTO meta VALUES ('ddl', ?)",
                                 [DDL_CHECKSUM])
            if self._meta("framework") != framework.checksum():
                self._write_framework()
            if not self.location.postgres:
                self._views(self.con)
        if self.location.postgres:  # in DuckDB's own catalog: after the PostgreSQL commit
            self._views(self.con)
        with self.transaction():
            wanted = ",".join(self.precedence_setting())
            if older or self._meta("precedence") != wanted:
                # a store from before vintages, or another precedence: which rows are in use
                current.resolve(self.con, self.precedence_setting())
                self.con.execute("INSERT OR REPLACE INTO meta VALUES ('precedence', ?)",
                                 [wanted])
            self.con.execute("INSERT OR REPLACE INTO meta VALUES ('schema', ?)", [SCHEMA_VERSION])

    def _views(self, con: duckdb.DuckDBPyConnection, missing_ok: bool = False) -> bool:
        """Create the views; False when the tables are not there yet (``missing_ok``)."""
        try:
            for view in VIEWS:
                backend.view(con, view, self.location)
        except duckdb.CatalogException as exc:
            if missing_ok:
                return False
            raise StoreError(f"The store {self.location} has no tables: {exc}") from exc
        return True

    def _prepared(self) -> bool:
        """Whether the database holds what ``_prepare`` would write: this DDL, framework,
        precedence and schema. Then opening it writes nothing, so several server workers
        starting at once do not queue for the write lock."""
        tables = {r[0] for r in self.con.execute(backend.base_tables_sql()).fetchall()}
        if "meta" not in tables:
            return False
        stored = dict(self.con.execute("SELECT key, value FROM meta").fetchall())
        return stored == stored | {
            "ddl": DDL_CHECKSUM, "framework": framework.checksum(),
            "precedence": ",".join(self.precedence_setting()), "schema": SCHEMA_VERSION}

    def _schema_before(self, tables: set[str]) -> bool:
        """True for a store written before ``observations.in_use`` existed."""
        if "meta" not in tables or "observations" not in tables:
            return False
        return self._meta("schema") in ("1", "2")

    @staticmethod
    def precedence_setting() -> tuple[str, ...]:
        try:
            return current.parse_precedence(settings.get_str("precedence") or "N,R,G")
        except ValueError as exc:
            raise StoreError(f"SDGTRACK_PRECEDENCE: {exc}") from exc

    def precedence(self) -> tuple[str, ...]:
        """The precedence of reporting types this store applies (best first)."""
        stored = self._meta("precedence")
        return current.parse_precedence(stored) if stored else self.precedence_setting()

    def conflicts(self, series: str | None = None, area: str | None = None,
                  limit: int | None = None) -> list[dict[str, Any]]:
        """Observations with a value from another source beside the one in use."""
        return current.conflicts(self.con, series, area, limit)

    def conflict_count(self) -> int:
        return current.conflict_count(self.con)

    def conflicts_by_series(self) -> dict[str, dict[str, Any]]:
        return current.conflicts_by_series(self.con)

    def _write_framework(self) -> None:
        for name in framework.TABLES:
            self.con.register("framework_table", framework.table(name))
            try:
                self.con.execute(
                    f"CREATE OR REPLACE TABLE fw_{name} AS SELECT * FROM framework_table")
            finally:
                self.con.unregister("framework_table")
        self.con.execute("INSERT OR REPLACE INTO meta VALUES ('framework', ?)",
                         [framework.checksum()])

    class _Tx:
        def __init__(self, con: duckdb.DuckDBPyConnection, lock: bool) -> None:
            self.con, self.lock = con, lock

        def __enter__(self) -> None:
            self.con.begin()
            if self.lock:  # PostgreSQL: one writing transaction at a time
                backend.lock_for_writing(self.con, settings.get_int("lock_wait"), _say)

        def __exit__(self, exc_type: object, *rest: object) -> None:
            if exc_type is None:
                self.con.commit()
            else:
                self.con.rollback()

    def transaction(self) -> Store._Tx:
        """``with store.transaction():`` all the writes inside, or none."""
        return Store._Tx(self.con, self.location.postgres and not self.read_only)

    # -- what the store knows ---------------------------------------------------------------

    def _column(self, sql: str) -> set[str]:
        return {r[0] for r in self.con.execute(sql).fetchall() if r[0] is not None}

    def known_series(self) -> set[str]:
        return self._column("SELECT series_code FROM series_all")

    def known_areas(self) -> set[str]:
        return self._column("SELECT ref_area FROM areas_all")

    def known_indicators(self) -> set[str]:
        return self._column("SELECT indicator FROM fw_indicators")

    def current_load_count(self) -> int:
        return int(self.con.execute("SELECT count(*) FROM current_loads").fetchall()[0][0])

    def current_load(self, dataset: str) -> dict[str, Any] | None:
        rows = self._dicts("SELECT * FROM current_loads WHERE dataset = ?", [dataset])
        return rows[0] if rows else None

    def loads(self) -> list[dict[str, Any]]:
        return self._dicts("SELECT * FROM loads ORDER BY load_id")

    def _dicts(self, sql: str, params: list[Any] | None = None) -> list[dict[str, Any]]:
        return dicts(self.con, sql, params)

    def fingerprint(self) -> dict[str, tuple[int, int]]:
        """(row count, order-free hash of the rows) per table: equal fingerprints mean equal
        content, which is how tests show that a refused load changed nothing."""
        return _table_hashes(self.con, exclude=())

    # -- writing -------------------------------------------------------------------------

    def unchanged(self, dataset: str, checksum: str) -> dict[str, Any] | None:
        """The current load of ``dataset`` when it came from identical input."""
        current = self.current_load(dataset)
        if current is not None and current["checksum"] == checksum:
            return current
        return None

    def current_with_checksum(self, checksum: str) -> dict[str, Any] | None:
        """A current load of any dataset made from identical input."""
        rows = self._dicts("SELECT * FROM current_loads WHERE checksum = ? ORDER BY load_id",
                           [checksum])
        return rows[0] if rows else None

    def write_load(self, info: LoadInfo, observations: pa.Table, series: pa.Table,
                   series_indicators: pa.Table, areas: pa.Table, *,
                   recognise: bool = False, metadata: pa.Table | None = None,
                   labels: pa.Table | None = None) -> LoadOutcome:
        """Store one load atomically; it becomes the dataset's current load and the previous
        one is kept as superseded history. Rows that share an observation with another
        current dataset are kept beside it, the precedence deciding which is in use; when
        both have the same rank the load is refused (``DataError``), unless ``recognise``
        (the caller named no dataset) and the load is plainly that dataset's new vintage:
        then it is stored as such. ``metadata`` (national metadata, per indicator and
        language) is kept with the load, so a new vintage or a rollback brings its own."""
        precedence = self.precedence()
        with self.transaction():
            self.con.register("incoming", observations)
            try:
                dataset, others = self._place(info, recognise, precedence)
                outcome = self._insert(replace(info, dataset=dataset), observations, series,
                                       series_indicators, areas, precedence, others, labels)
                if metadata is not None and metadata.num_rows:
                    self._declare("metadata_declared", metadata, outcome.load_id)
            finally:
                self.con.unregister("incoming")
        if dataset != info.dataset:
            outcome = replace(outcome, recognised_as_vintage_of=dataset)
        self.publish()
        return outcome

    def _place(self, info: LoadInfo, recognise: bool, precedence: tuple[str, ...]
               ) -> tuple[str, list[current.Overlap]]:
        """The dataset the load belongs to, and the other sources it overlaps."""
        found = current.overlaps(self.con, "incoming", info.dataset, precedence)
        same = [o for o in found if o.same_rank]
        if not same:
            return info.dataset, found
        if (recognise and self.current_load(info.dataset) is None and len(same) == 1
                and same[0].reader == info.reader and same[0].source == info.source
                and same[0].share >= VINTAGE_SHARE):
            return same[0].dataset, [o for o in found if o is not same[0]]
        message = same[0].refusal(info.path)
        raise DataError(message, [Issue(info.path, None, None, IssueCode.DATASET_OVERLAP,
                                        same[0].dataset, message, same[0].hint())])

    def _insert(self, info: LoadInfo, incoming: pa.Table, series: pa.Table,
                series_indicators: pa.Table, areas: pa.Table, precedence: tuple[str, ...],
                others: list[current.Overlap], labels: pa.Table | None = None) -> LoadOutcome:
        load_id = int(self.con.execute(
            "SELECT coalesce(max(load_id), 0) + 1 FROM loads").fetchall()[0][0])
        previous = self.current_load(info.dataset)
        self.con.execute(
            "INSERT INTO loads (load_id, dataset, status, path, reader, checksum, size_bytes,"
            " files, rows_read, rows_loaded, rows_rejected, issues, loaded_at,"
            " sdgtrack_version, replaces, submitted_by, file_name, submission_id, source,"
            " vintage)"
            " VALUES (?, ?, 'pending', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [load_id, info.dataset, info.path, info.reader, info.checksum, info.size_bytes,
             info.files, info.rows_read, incoming.num_rows, info.rows_rejected,
             json.dumps(info.issues), now(), _version(),
             previous["load_id"] if previous else None, self._provenance.submitted_by,
             self._provenance.file_name or Path(info.path).name,
             self._provenance.submission_id, info.source, info.vintage],
        )
        # row order inside the table carries no meaning (queries sort), and not keeping
        # it makes the insert about twice as fast
        self.con.execute("SET preserve_insertion_order = false")
        try:
            self.con.execute(
                "INSERT INTO observations BY NAME SELECT *, ? AS dataset, ? AS load_id, "
                "true AS in_use FROM incoming", [info.dataset, load_id])
        finally:
            self.con.execute("RESET preserve_insertion_order")
        for table, name in ((series, "series_declared"),
                            (series_indicators, "series_indicators_declared"),
                            (areas, "areas_declared"),
                            (labels, "codes_declared")):
            if table is not None and table.num_rows:
                self._declare(name, table, load_id)
        old = previous["load_id"] if previous else None
        added, changed, removed = self._diff(old, load_id)
        diff = None
        if old is not None:
            diff = current.vintage_diff(self.con, old, load_id, _renames())
            self._record_changes(old, load_id)
            self.con.execute("UPDATE loads SET status = ? WHERE load_id = ?",
                             [STATUS_SUPERSEDED, old])
            self.con.execute("UPDATE observations SET in_use = false WHERE load_id = ?", [old])
        self.con.execute(
            "UPDATE loads SET status = ?, rows_added = ?, rows_changed = ?,"
            " rows_removed = ?, diff = ? WHERE load_id = ?",
            [STATUS_CURRENT, added, changed, removed, current.as_json(diff), load_id])
        # the rows this load shares with other sources, and those the load it supersedes
        # kept out of use that it no longer has
        given_back = old is not None and current.shadowed_elsewhere(self.con, info.dataset)
        if others or given_back or self._several_types(load_id):
            current.resolve(self.con, precedence, [load_id] + ([old] if old else []))
        return LoadOutcome(info.dataset, "loaded", load_id, incoming.num_rows,
                           added, changed, removed, None, diff, tuple(others))

    def _declare(self, name: str, table: pa.Table, load_id: int) -> None:
        """Rows a load declares (series, areas, metadata), kept under its id."""
        # registered, not found by a replacement scan, which Ibis turns off on the
        # connection it wraps
        self.con.register("declared", table)
        try:
            self.con.execute(f"INSERT INTO {name} BY NAME SELECT *, ? AS load_id "
                             "FROM declared", [load_id])
        finally:
            self.con.unregister("declared")

    def _several_types(self, load_id: int) -> bool:
        """Whether a load holds more than one reporting type (its own rows may then give two
        values of one observation)."""
        return int(self.con.execute(
            "SELECT count(DISTINCT reporting_type) FROM observations WHERE load_id = ?",
            [load_id]).fetchall()[0][0]) > 1

    def _diff(self, old: int | None, new: int) -> tuple[int, int, int]:
        """Rows added, changed (same key, other value) and removed between two loads."""
        if old is None:
            n = self.con.execute("SELECT count(*) FROM observations WHERE load_id = ?",
                                 [new]).fetchall()[0][0]
            return int(n), 0, 0
        keys = ", ".join(KEY_NAMES)
        row = self.con.execute(f"""
            WITH a AS (SELECT {keys}, value_raw FROM observations WHERE load_id = ?),
                 b AS (SELECT {keys}, value_raw FROM observations WHERE load_id = ?)
            SELECT count(*) FILTER (WHERE a.series_code IS NULL),
                   count(*) FILTER (WHERE a.series_code IS NOT NULL AND b.series_code IS NOT NULL
                                    AND a.value_raw IS DISTINCT FROM b.value_raw),
                   count(*) FILTER (WHERE b.series_code IS NULL)
            FROM a FULL JOIN b USING ({keys})""", [old, new]).fetchall()[0]
        return int(row[0]), int(row[1]), int(row[2])

    def _record_changes(self, old: int, new: int) -> None:
        """Keep the previous value of every row ``new`` changed or removed."""
        keys = ", ".join(KEY_NAMES)
        self.con.execute(f"""
            INSERT INTO load_changes (load_id, change, {keys}, value_before, value_after)
            WITH a AS (SELECT {keys}, value_raw FROM observations WHERE load_id = ?),
                 b AS (SELECT {keys}, value_raw FROM observations WHERE load_id = ?)
            SELECT ?, CASE WHEN b.series_code IS NULL THEN 'removed' ELSE 'changed' END,
                   {keys}, a.value_raw, b.value_raw
            FROM a FULL JOIN b USING ({keys})
            WHERE a.series_code IS NOT NULL
              AND (b.series_code IS NULL OR a.value_raw IS DISTINCT FROM b.value_raw)""",
                         [old, new, new])

    def rollback(self, load_id: int, actor: str | None) -> RollbackOutcome:
        """Undo a dataset's current load: the load it replaced becomes current again (its rows
        were kept, so every previous value returns exactly); the undone load is kept, marked
        rolled back. Only a current load can be rolled back, newest first."""
        with self.transaction():
            rows = self._dicts("SELECT * FROM loads WHERE load_id = ?", [load_id])
            if not rows:
                raise NoSuchRecord(f"There is no load {load_id}; see the list of loads.")
            load = rows[0]
            if load["status"] != STATUS_CURRENT:
                holder = self.current_load(load["dataset"])
                newer = f"load {holder['load_id']}" if holder else "no load"
                raise Conflict(
                    f"Load {load_id} of {load['dataset']!r} is {load['status']}, not current "
                    f"({newer} is): roll back the current load first.")
            self.con.execute("UPDATE loads SET status = ?, rolled_back_at = ?, "
                             "rolled_back_by = ? WHERE load_id = ?",
                             [STATUS_ROLLED_BACK, now(), actor, load_id])
            restored = load["replaces"]
            self.con.execute("UPDATE observations SET in_use = false WHERE load_id = ?",
                             [load_id])
            if restored is not None:
                self.con.execute("UPDATE loads SET status = ? WHERE load_id = ?",
                                 [STATUS_CURRENT, restored])
                self.con.execute("UPDATE observations SET in_use = true WHERE load_id = ?",
                                 [restored])
            # rows of other sources that either load shadowed, or that shadow the restored one
            current.resolve(self.con, self.precedence(),
                            [load_id] + ([restored] if restored is not None else []))
            record_event(self.con, actor, "rollback", f"load:{load_id}",
                         {"dataset": load["dataset"], "restored_load_id": restored})
        self.publish()
        return RollbackOutcome(load["dataset"], load_id, restored)


#: Tables a snapshot's readers need not see change: observations and changes move with the
#: loads; sign-ins, tokens, audit lines and uploads are the writing server's own (the accounts
#: themselves are seen: a server started read-only looks for them).
_UNSEEN = ("observations", "load_changes", "series_indicators_declared", "sessions",
           "api_tokens", "signin_failures", "audit_events", "submissions",
           "fw_*")  # the framework's tables change with meta's checksum


def _table_hashes(con: duckdb.DuckDBPyConnection, exclude: tuple[str, ...]
                  ) -> dict[str, tuple[int, int]]:
    """(row count, order-free hash of the rows) per base table, but those named in
    ``exclude`` or starting with one of its entries that ends in ``*``."""
    names = [r[0] for r in con.execute(backend.base_tables_sql()).fetchall()]
    prefixes = tuple(e[:-1] for e in exclude if e.endswith("*"))
    out = {}
    for name in names:
        if name not in exclude and not (prefixes and name.startswith(prefixes)):
            n, h = con.execute(f'SELECT count(*), bit_xor(hash(t)) FROM "{name}" t').fetchall()[0]
            out[name] = (int(n), int(h or 0))
    return out


_VIEW_NAMES = frozenset(v.split(" VIEW ", 1)[1].split()[0] for v in VIEWS)


def _say(message: str) -> None:
    import sys

    print(message, file=sys.stderr, flush=True)


def _renames() -> dict[str, str]:
    """Old series code -> the code it was renamed to, from the framework's code lists."""
    from sdgtrack.framework.successors import renamed_codes

    return renamed_codes()


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("sdgtrack")
    except PackageNotFoundError:
        return "0+unknown"
