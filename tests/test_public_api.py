import sdgtrack


def test_public_api_is_pinned():
    # adding to the public API is a decision: change this list with it
    assert [
        "DataError", "Issue", "IssueCode", "ReadOptions", "SdgtrackError", "Store",
        "UsageError", "check_path", "ingest_paths", "read",
    ] == sorted(sdgtrack.__all__)
    for name in sdgtrack.__all__:
        assert getattr(sdgtrack, name) is not None


def test_every_issue_code_has_a_severity_and_is_stable_text():
    from sdgtrack.errors import SEVERITY, IssueCode

    assert set(IssueCode) == set(SEVERITY)
    assert all(code.value == code.value.lower() and " " not in code.value for code in IssueCode)
