"""What the pages show that takes computing: the ESCAP assessment of the standard units, the
report of each unit, the gaps between population groups. Each is computed once per store
version, on first use, and kept in the site's cache."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from sdgtrack import framework, settings
from sdgtrack.assess import (
    Assessment,
    EscapParameters,
    Unit,
    compute,
    country_unit,
    group_unit,
    load_spec,
    load_targets,
    standard_units,
    unit_report,
)
from sdgtrack.lnob import gaps as lnob_gaps
from sdgtrack.publish.site.cache import Cache
from sdgtrack.publish.site.version import StoreVersion, data_part
from sdgtrack.store import Store

#: Groups with their own page besides the ESCAP region and subregions.
EXTRA_GROUPS = ("ldc", "lldc", "sids")


@dataclass
class _Assessed:
    data_version: str  # the part of the store version the assessment depends on
    assessment: Assessment
    reports: dict[str, dict[str, Any]] = field(default_factory=dict)


def national_targets() -> pd.DataFrame | None:
    """The national targets of ``SDGTRACK_TARGETS``, if it names a file."""
    path = settings.get_str("targets")
    return load_targets(Path(path).expanduser()) if path else None


def national_countries(obs: Any, known: set[str]) -> list[Unit]:
    """Countries outside the standard units with a national series (a national repository
    of a country that is not an ESCAP member): each is assessed as itself."""
    areas = obs.filter(obs.series_code.re_search(r"^[A-Z]{3}_\d|^_L_")).select(
        "ref_area").distinct().to_pyarrow()["ref_area"].to_pylist()
    kinds = framework.area_kinds()
    return [country_unit(a) for a in sorted(areas)
            if a not in known and kinds.get(a) == "country"]


class Results:
    """The computed results for the current store version. The assessment is kept across a
    version change that touches only surveys or evidence (``version.data_part``)."""

    def __init__(self, store: Store, lock: threading.RLock, versions: StoreVersion,
                 cache: Cache, params: EscapParameters | None = None) -> None:
        self.store, self.lock, self.versions, self.cache = store, lock, versions, cache
        self.params = params or EscapParameters()
        self._assessed: _Assessed | None = None

    def _current(self) -> _Assessed:
        part = data_part(self.versions.current())
        with self.lock:
            if self._assessed is None or self._assessed.data_version != part:
                units = standard_units() + [group_unit(g) for g in EXTRA_GROUPS]
                units += national_countries(self.store.table("observations_current"),
                                            {u.code for u in units})
                self._assessed = _Assessed(part, compute(
                    self.store.table("observations_current"), load_spec(), units, self.params,
                    national_targets()))
            return self._assessed

    def assessment(self) -> Assessment:
        """The ESCAP assessment of the region, its subregions, the LDC, LLDC and SIDS groups
        and every member country."""
        return self._current().assessment

    def report(self, unit: str) -> dict[str, Any]:
        """``assess.unit_report`` of one unit of the assessment."""
        assessed = self._current()
        with self.lock:
            if unit not in assessed.reports:
                assessed.reports[unit] = unit_report(assessed.assessment, unit)
            return assessed.reports[unit]

    def gaps(self) -> tuple[pd.DataFrame, pd.DataFrame]:
        """(gaps by year, gap trends) between population groups, every area (lnob.gaps);
        directions from the assessment specification, then the LNOB table."""
        def make() -> tuple[pd.DataFrame, pd.DataFrame]:
            directions = lnob_gaps.directions(load_spec())
            with self.lock:
                pairs = lnob_gaps.paired_values(self.store.table("observations_current"))
            table = lnob_gaps.gaps(pairs, directions)
            return table, lnob_gaps.gap_trends(table)

        return self.cache.kept(self.versions.current(), "gaps", make)
