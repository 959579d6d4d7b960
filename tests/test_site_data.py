"""The site's data: asking the store's version never computes the assessment, so a page
that needs none (sign-in, a series) is answered on a fresh server without it."""

import pytest
from fastapi.testclient import TestClient

from sdgtrack import pipeline
from sdgtrack.publish.site import data, results
from sdgtrack.web.app import create_app

from conftest import SPECIMENS

pytestmark = pytest.mark.both_backends


def test_the_version_and_the_sign_in_page_compute_nothing(store, monkeypatch):
    pipeline.ingest_path(SPECIMENS / "unsd", store, dataset="unsd")

    def no(*args, **kwargs):
        raise AssertionError("the assessment was computed")

    monkeypatch.setattr(results, "compute", no)
    site = data.SiteData(store)
    assert site.versions.current().startswith("1:")  # one current load
    client = TestClient(create_app(store))
    assert 200 == client.get("/signin.json").status_code
    with pytest.raises(AssertionError, match="the assessment was computed"):
        client.get("/en/index.json")  # the home page does need it
