"""The server's structured log: a failure inside a request is logged with its traceback and
the request's id, and the client gets the one error shape, not the traceback."""

import json
import logging

from fastapi.testclient import TestClient

from sdgtrack import logs, pipeline
from sdgtrack.web.app import create_app

from conftest import SPECIMENS


def test_a_failing_request_is_logged_with_its_traceback(store, monkeypatch, caplog):
    from sdgtrack.publish.site import pages

    pipeline.ingest_path(SPECIMENS / "unsd", store, dataset="unsd")

    def broken(*args, **kwargs):
        raise RuntimeError("a bug in the methodology page")

    monkeypatch.setattr(pages, "methodology", broken)
    client = TestClient(create_app(store), raise_server_exceptions=False)
    with caplog.at_level(logging.INFO, logger="sdgtrack.web"):
        response = client.get("/en/methodology.json")
    assert 500 == response.status_code
    assert "a bug" not in response.text  # the traceback stays in the log
    body = response.json()  # the one error shape, with the id to look up
    assert {"ok", "status", "error", "errors"} == set(body)
    (failed,) = [r for r in caplog.records if r.getMessage() == "request failed"]
    assert "RuntimeError: a bug in the methodology page" in logs.JsonLines().format(failed)
    line = json.loads(logs.JsonLines().format(failed))
    assert "/en/methodology.json" == line["path"]
    assert f"request id {line['request_id']}." in body["error"]
    (done,) = [r for r in caplog.records if r.getMessage() == "request"]
    assert (500, line["request_id"]) == (done.fields["status"], done.fields["request_id"])


def test_a_site_build_worker_s_failure_is_logged_with_its_traceback(caplog):
    """A forked worker that fails sends its error, traceback included, to the builder: the
    builder logs it as one JSON line and raises it."""
    import pytest

    from sdgtrack.publish.site import build

    class Worker:  # what build._answer reads of a process
        pid, exitcode = 4242, 1

        def is_alive(self):
            return False

        def join(self):
            pass

    class Pipe:
        def poll(self, timeout=0):
            return True

        def recv(self):
            return RuntimeError("a site build worker failed: KeyError('x')\nTraceback "
                                "(most recent call last):\n  File \"render.py\", line 9")

    with caplog.at_level(logging.ERROR, logger="sdgtrack.publish.site.build"), \
            pytest.raises(RuntimeError, match="KeyError"):
        build._answer(Worker(), Pipe())
    (record,) = caplog.records
    line = json.loads(logs.JsonLines().format(record))
    assert ("site build worker failed", 4242) == (line["message"], line["pid"])
    assert "Traceback (most recent call last)" in line["traceback"]
