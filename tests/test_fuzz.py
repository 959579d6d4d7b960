"""Fuzz the HTTP API from its own OpenAPI document (schemathesis generates the requests,
hypothesis drives them): no input gives a server error, and every error has the one shape."""

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings

from sdgtrack.web.app import create_app

pytestmark = [pytest.mark.filterwarnings("ignore::DeprecationWarning"),
              pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")]


@pytest.fixture(scope="module")
def schema(slice_store):
    """The API over a slice of the real data (goals 5 and 7, 64 areas): every endpoint and
    parameter is exercised the same as over the whole extract, at a fraction of the cost."""
    return schemathesis.openapi.from_asgi("/openapi.json", create_app(slice_store))


def test_openapi_lists_the_api(schema):
    paths = {op.ok().path for op in schema.get_all_operations()}
    assert {"/api/v1/observations", "/api/v1/observations.{fmt}", "/api/v1/goals",
            "/api/v1/assessment/{unit}", "/api/v1/availability"} <= paths


def test_api_never_fails_on_the_server(schema):
    failures = []
    for result in schema.get_all_operations():
        operation = result.ok()

        @given(case=operation.as_strategy())
        @settings(max_examples=30, deadline=None, database=None,
                  suppress_health_check=list(HealthCheck))
        def run(case):
            response = case.call()
            if response.status_code >= 500:
                failures.append((case.path, case.query, response.text[:200]))
            elif response.status_code >= 400:
                assert {"ok", "status", "error", "errors"} == set(response.json())

        run()
    assert [] == failures
