"""What every document shares: the site data behind it, the assessment of any unit, the
provenance printed in each footer (datasets and method), code ordering and class labels."""

from __future__ import annotations

import hashlib
import json
from typing import Any

import pandas as pd

from sdgtrack import framework
from sdgtrack.assess import Assessment, Unit, compute, group_unit, load_spec, unit_report
from sdgtrack.assess.spec import SPEC_VERSION
from sdgtrack.errors import UsageError
from sdgtrack.model import json_value
from sdgtrack.publish.charts import CLASS_STYLE
from sdgtrack.publish.site.data import SiteData
from sdgtrack.store import Store

REGION = "escap"
CLASSES = tuple(CLASS_STYLE)
#: Status of a goal in the snapshot: (symbol, colour), the words come from the catalogs.
STATUS_STYLE = {"on_schedule": ("●", "#3a9a44"), "behind_schedule": ("▲", "#b07b00"),
                "regressed": ("▼", "#d7191c"), "insufficient_data": ("·", "#8a8a8a")}
FORMATS = {"country": ("pdf", "html"), "region": ("pdf", "html"), "vnr": ("xlsx", "pdf")}


def site(source: Store | SiteData) -> SiteData:
    """The site data of a store (a SiteData is passed through, so its cache is reused)."""
    return source if isinstance(source, SiteData) else SiteData(source)


def check_format(document: str, fmt: str) -> None:
    if fmt not in FORMATS[document]:
        raise UsageError(f"The {document} document is written as "
                         f"{' or '.join(FORMATS[document])}, not {fmt!r}.")


def code_key(code: str) -> tuple[tuple[int, int, str], ...]:
    """Sort key for goal, target and indicator codes: numbers as numbers, letters after.

    >>> sorted(["1.a.1", "1.10.1", "1.2.1", "10.1.1"], key=code_key)
    ['1.2.1', '1.10.1', '1.a.1', '10.1.1']
    """
    return tuple((0, int(p), "") if p.isdigit() else (1, 0, p) for p in code.split("."))


def parameters_digest(parameters: dict[str, Any]) -> str:
    """A short, stable digest of the assessment parameters, printed in every footer so two
    documents can be checked to come from the same settings.

    >>> parameters_digest({"baseline_year": 2015, "target_year": 2030})
    '2383227cbc32'
    """
    text = json.dumps(parameters, sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:12]


def site_assesses(d: SiteData, unit: str) -> bool:
    """Whether the site's own assessment (the standard units) has ``unit``."""
    return unit in {u.code for u in d.results.assessment().units}


def report_of(d: SiteData, unit: Unit) -> dict[str, Any]:
    """``unit_report`` of a country or group: from the site's cached assessment when the
    site assesses it, else assessed on its own (kept per store version)."""
    if site_assesses(d, unit.code):
        return d.results.report(unit.code)

    def make() -> dict[str, Any]:
        with d.lock:
            a: Assessment = compute(d.store.table("observations_current"), load_spec(),
                                    [unit], d.results.params)
        return unit_report(a, unit.code)

    return dict(d.cached(("report-unit", unit), make))


def group_of(code: str) -> Unit:
    if code not in framework.group_codes():
        raise UsageError(f"Unknown group {code!r}; the groups are "
                         f"{', '.join(framework.group_codes())}.")
    return group_unit(code)


def loads_read(d: SiteData) -> pd.DataFrame:
    """Every load as the documents cite it, read once per store version (58 profiles
    written at once read it once)."""
    return d.cached("report-loads", lambda: d.sql(  # type: ignore[no-any-return]
        "SELECT load_id, dataset, path, reader, checksum, rows_loaded, loaded_at, "
        "sdgtrack_version, status FROM loads ORDER BY load_id"))


def provenance(d: SiteData, method: dict[str, Any], used: set[int] | None = None
               ) -> dict[str, Any]:
    """The datasets and the method, as printed in footers and the About sheet: the loads
    in ``used`` (``report.used.loads_used``: those the document's numbers came from), else
    every current load."""
    every = loads_read(d)
    loads = every[every.status == "current"] if used is None else every[every.load_id.isin(
        sorted(used))]
    loads = loads.drop(columns="status")
    datasets = [{**r, "checksum": (r["checksum"] or "")[:12],
                 "loaded": str(r["loaded_at"])[:10]} for r in loads.to_dict("records")]
    return {"datasets": datasets, "method": method,
            "digest": parameters_digest(method["parameters"]),
            "spec_version": SPEC_VERSION, "framework_version": framework.FRAMEWORK_VERSION}


def class_label(klass: str | None, _: Any) -> str:
    """The words of a class in the reader's language, e.g. 'Reverse trend to achieve target'."""
    return "" if not klass else str(_(CLASS_STYLE[klass][0]))


def records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """Rows as dicts with NaN as None (templates test ``is none``)."""
    return [{k: json_value(v) for k, v in r.items()} for r in frame.to_dict("records")]
