"""The store: DuckDB through Ibis, with atomic, versioned loads."""

from sdgtrack.store.store import LoadInfo, LoadOutcome, Store

__all__ = ["LoadInfo", "LoadOutcome", "Store"]
