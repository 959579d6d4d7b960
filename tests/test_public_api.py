import inspect

import pytest

import sdgtrack


def test_public_api_is_pinned():
    # adding to the public API is a decision: change this list with it
    assert [
        "Aggregate", "AssessmentResult", "BacktestResult", "CovidResult", "CovidSummary",
        "DataError", "GapSummary", "GapsResult", "GoalStatus", "Issue", "IssueCode", "LinkMethod",
        "LinksResult", "MethodsResult", "ProbabilityLevel", "ProbabilityResult", "ProgressClass",
        "Projection", "ReadOptions", "RecordsAdded", "SdgtrackError", "SdrResult", "Store",
        "TrendWeights", "UsageError", "add_records", "assess_progress", "check_path",
        "compare_methods", "country_profile", "country_profiles", "covid_setback",
        "forum_records", "ingest_paths",
        "links", "lnob_gaps", "load_bundled", "open_store", "probability_backtest", "read",
        "regional_report", "sdr_scores", "search", "target_probability", "vnr_annex",
    ] == sorted(sdgtrack.__all__)
    for name in sdgtrack.__all__:
        thing = getattr(sdgtrack, name)
        # each name is the object defined where the API says, not a stand-in
        assert thing.__name__ == name
        assert thing.__module__.startswith(sdgtrack._WHERE[name])
        assert thing.__doc__, f"{name} has no docstring"
    assert sorted(sdgtrack.__all__) == sorted(sdgtrack._WHERE)
    with pytest.raises(AttributeError, match="no attribute 'assess_units'"):
        sdgtrack.assess_units  # noqa: B018 - internal names stay internal


def test_public_functions_take_keywords_where_two_values_could_swap():
    for name in ("assess_progress", "compare_methods", "covid_setback", "target_probability",
                 "links", "lnob_gaps", "sdr_scores", "vnr_annex", "regional_report",
                 "country_profile", "country_profiles", "open_store"):
        params = inspect.signature(getattr(sdgtrack, name)).parameters.values()
        positional = [p.name for p in params if p.kind is p.POSITIONAL_OR_KEYWORD]
        # at most the store and what the function is about (an area, a file) go by position
        assert len(positional) <= 3, (name, positional)
        assert all(p.annotation != "Any" for p in params), name


def test_every_issue_code_has_a_severity_and_is_stable_text():
    from sdgtrack.errors import SEVERITY, IssueCode

    assert set(IssueCode) == set(SEVERITY)
    assert all(code.value == code.value.lower() and " " not in code.value for code in IssueCode)
