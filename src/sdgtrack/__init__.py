"""sdgtrack: follow-up and review of the 2030 Agenda.

The public API is this module's ``__all__`` (pinned by a test). Names are imported lazily so
that ``import sdgtrack.model`` stays light. In a notebook::

    import sdgtrack
    store = sdgtrack.open_store("review.duckdb", load_bundled=True)
    nepal = sdgtrack.assess_progress(store, area="NPL")
    nepal.snapshot[["goal", "current_status_index", "status"]]
    sdgtrack.lnob_gaps(store, areas=["NPL"]).summary("country")
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

__all__ = [
    "Aggregate",
    "AssessmentResult",
    "BacktestResult",
    "CovidResult",
    "CovidSummary",
    "DataError",
    "GapSummary",
    "GapsResult",
    "GoalStatus",
    "Issue",
    "IssueCode",
    "LinkMethod",
    "LinksResult",
    "MethodsResult",
    "ProbabilityLevel",
    "ProbabilityResult",
    "ProgressClass",
    "Projection",
    "ReadOptions",
    "RecordsAdded",
    "SdgtrackError",
    "SdrResult",
    "Store",
    "TrendWeights",
    "UsageError",
    "add_records",
    "assess_progress",
    "check_path",
    "compare_methods",
    "country_profile",
    "country_profiles",
    "covid_setback",
    "forum_records",
    "ingest_paths",
    "links",
    "lnob_gaps",
    "load_bundled",
    "open_store",
    "probability_backtest",
    "read",
    "regional_report",
    "sdr_scores",
    "search",
    "target_probability",
    "vnr_annex",
]

_WHERE = {
    "DataError": "sdgtrack.errors",
    "Issue": "sdgtrack.errors",
    "IssueCode": "sdgtrack.errors",
    "SdgtrackError": "sdgtrack.errors",
    "UsageError": "sdgtrack.errors",
    "GoalStatus": "sdgtrack.assess.escap",
    "ProgressClass": "sdgtrack.assess.escap",
    "ReadOptions": "sdgtrack.ingest",
    "read": "sdgtrack.ingest",
    "Store": "sdgtrack.store",
    "check_path": "sdgtrack.pipeline",
    "ingest_paths": "sdgtrack.pipeline",
    **{name: "sdgtrack.api" for name in (
        "Aggregate", "AssessmentResult", "BacktestResult", "CovidResult", "CovidSummary",
        "GapSummary", "GapsResult", "LinkMethod", "LinksResult", "MethodsResult",
        "ProbabilityLevel", "ProbabilityResult", "Projection", "RecordsAdded", "SdrResult",
        "TrendWeights", "add_records", "assess_progress", "compare_methods", "country_profile",
        "country_profiles", "covid_setback", "forum_records", "links", "lnob_gaps",
        "load_bundled", "open_store", "probability_backtest", "regional_report", "sdr_scores",
        "search", "target_probability", "vnr_annex")},
}


def __getattr__(name: str) -> Any:
    if name in _WHERE:
        return getattr(import_module(_WHERE[name]), name)
    raise AttributeError(f"module 'sdgtrack' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(__all__)
