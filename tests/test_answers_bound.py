"""Issue 21, finding 5: the answers a server keeps are bounded by bytes, not only by number
(200 anonymous page_size=10000 queries grew it by 1.4 GiB; bench/answers_memory.py measures
the server), and the bulk CSV is written by Arrow (the whole bundled store in ~1.5 s of CPU,
not 3-10 s)."""

from __future__ import annotations

import csv
import io

from fastapi.testclient import TestClient

from sdgtrack import pipeline
from sdgtrack.publish.site.data import SiteData
from sdgtrack.web.app import create_app

from accounts import G3

MiB = 1024 * 1024


def test_kept_answers_stay_within_their_byte_budget(store, monkeypatch):
    monkeypatch.setenv("SDGTRACK_ANSWERS_MAX_BYTES", str(8 * MiB))
    pipeline.ingest_path(G3, store, dataset="unsd")
    cache, version = SiteData(store).cache, "v1"
    for k in range(100):  # 100 answers of 1/2 MiB: 50 MiB asked, 8 MiB kept
        cache.recent(version, ("q", k), lambda: b"x" * (MiB // 2))
    assert 8 * MiB >= cache._recent_bytes
    assert 16 == len(cache._recent)  # 8 MiB / (1/2 MiB): the 16 most recent
    assert cache.peek(version, ("q", 99)) is not None and cache.peek(version, ("q", 0)) is None
    big = cache.recent(version, ("big", 1), lambda: b"y" * (2 * MiB))  # over 8 MiB / 8
    assert 2 * MiB == len(big) and cache.peek(version, ("big", 1)) is None  # not kept


def test_bulk_csv_reads_back_the_same_rows(store):
    pipeline.ingest_path(G3, store, dataset="unsd")
    client = TestClient(create_app(store))
    got = list(csv.DictReader(io.StringIO(client.get("/api/v1/observations.csv").text)))
    assert 30 == len(got)  # the goal 3 specimen's 30 rows
    kz = [r for r in got if (r["ref_area"], r["time_period"], r["sex"]) == ("398", "2015", "F")]
    assert ["10.3"] == [r["value_raw"] for r in kz]  # Kazakhstan, 2015, girls: 10.3
