"""Reading what to export from a store: the current observations, filtered, and the
store's catalogue (names, indicator links, load records)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sdgtrack import framework
from sdgtrack.errors import UsageError
from sdgtrack.publish.export.base import Catalogue, indicator_order
from sdgtrack.store import Store, queries


def _area_codes(areas: str | Iterable[str] | None) -> list[str] | None:
    """M49 codes for M49 or ISO codes; other codes (sub-national areas) as given."""
    if areas is None:
        return None
    out = []
    for code in [areas] if isinstance(areas, str) else areas:
        try:
            out.append(framework.resolve_area(code))
        except UsageError:
            out.append(code)
    return out


def current_observations(store: Store, series: str | Iterable[str] | None = None,
                         areas: str | Iterable[str] | None = None,
                         years: tuple[int | None, int | None] | None = None) -> Any:
    """The store's current observations (an Ibis expression), filtered by series codes,
    areas (M49, ISO3 or sub-national codes) and an inclusive range of years."""
    obs = store.table("observations_current")
    return queries.observations(obs, series=series, areas=_area_codes(areas), years=years)


def store_catalogue(store: Store) -> Catalogue:
    """The store's names for series and areas, the indicators of each series (framework
    and loaded files) and its load records."""
    series: dict[str, str] = {}
    for row in store.table("series_all").to_pyarrow().to_pylist():
        series.setdefault(row["series_code"], row["description"] or "")
    links: dict[str, set[str]] = {}
    for row in store.table("series_indicators_all").to_pyarrow().to_pylist():
        links.setdefault(row["series_code"], set()).add(row["indicator"])
    areas: dict[str, str] = {}
    parents: dict[str, str] = {}
    for row in store.table("areas_all").to_pyarrow().to_pylist():
        areas.setdefault(row["ref_area"], row["name"] or "")
        if row["parent"]:
            parents.setdefault(row["ref_area"], row["parent"])
    return Catalogue(
        series=series,
        indicators={s: tuple(sorted(i, key=indicator_order)) for s, i in links.items()},
        areas=areas, parents=parents, loads=tuple(store.loads()),
    )
