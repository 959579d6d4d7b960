"""Progress assessment. ``escap``: ESCAP Current Status and Anticipated Progress indices."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sdgtrack.assess.params import METHOD_NAME, METHOD_VERSION, EscapParameters
from sdgtrack.assess.run import (
    Assessment,
    Unit,
    compute,
    country_unit,
    custom_group,
    group_unit,
    standard_units,
    summary,
    unit_report,
)
from sdgtrack.assess.spec import load_spec
from sdgtrack.assess.targets import load_targets
from sdgtrack.errors import UsageError


def assess_units(store: Any, group: str | None = None, area: str | None = None,
                 members: str | None = None, params: EscapParameters | None = None,
                 spec: Path | None = None, targets: Path | None = None
                 ) -> tuple[Assessment, Unit]:
    """Assess one group, country or user-defined group from a store's current data;
    ``targets``: a national targets file (``assess/targets.py``)."""
    if group:
        unit = group_unit(group)
    elif area:
        unit = country_unit(area)
    elif members:
        unit = custom_group("custom", "Custom group", [m for m in members.split(",") if m])
    else:
        raise UsageError("Give a group, an area or a list of members.")
    national = load_targets(targets) if targets is not None else None
    result = compute(store.table("observations_current"), load_spec(spec), [unit], params,
                     national)
    return result, unit


__all__ = [
    "METHOD_NAME",
    "METHOD_VERSION",
    "Assessment",
    "EscapParameters",
    "Unit",
    "assess_units",
    "compute",
    "country_unit",
    "custom_group",
    "group_unit",
    "load_spec",
    "load_targets",
    "standard_units",
    "summary",
    "unit_report",
]
