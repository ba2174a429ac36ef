"""/metrics in Prometheus text format: requests by route and status, render durations,
register numbers issued, jobs by state (the PDF and multi-worker parts: test_stack.py
and tests/pdf)."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

from prometheus_client.parser import text_string_to_metric_families

from docgen.app import create_app

ROOT = Path(__file__).resolve().parents[2]
MINUTES = (ROOT / "examples" / "minutes.json").read_bytes()


def scrape(client: Any) -> dict[str, dict[tuple[tuple[str, str], ...], float]]:
    """{sample name: {sorted labels: value}}."""
    response = client.get("/metrics")
    assert response.status_code == 200
    assert response.content_type.startswith("text/plain; version=")
    samples: dict[str, dict[tuple[tuple[str, str], ...], float]] = {}
    for family in text_string_to_metric_families(response.get_data(as_text=True)):
        for sample in family.samples:
            samples.setdefault(sample.name, {})[tuple(sorted(sample.labels.items()))] = sample.value
    return samples


def value(samples: dict[str, Any], name: str, **labels: str) -> float:
    return samples.get(name, {}).get(tuple(sorted(labels.items())), 0.0)


def test_requests_renders_numbers_and_jobs_are_counted(tmp_path: Path) -> None:
    app = create_app({"instance_path": tmp_path})
    client = app.test_client()
    before = scrape(client)
    route = "/api/v1/documents/minutes"  # one rule per document type
    for _ in range(3):
        assert client.post("/api/v1/documents/minutes", data=MINUTES,
                           content_type="application/json").status_code == 200
    assert client.post("/api/v1/documents/minutes", data=b"{}",
                       content_type="application/json").status_code == 422
    assert client.get("/no/such/page").status_code == 404
    assert client.post("/api/v1/documents/minutes?register=true", data=MINUTES,
                       content_type="application/json").status_code == 200
    after = scrape(client)

    def delta(name: str, **labels: str) -> float:
        return value(after, name, **labels) - value(before, name, **labels)

    assert delta("docgen_http_requests_total", route=route, method="POST", status="200") == 4
    assert delta("docgen_http_requests_total", route=route, method="POST", status="422") == 1
    assert delta("docgen_http_requests_total", route="<unmatched>", method="GET",
                 status="404") == 1
    # the raw path of a 404 never becomes a label (unbounded cardinality)
    assert not [k for k in after["docgen_http_requests_total"] if "/no/such/page" in str(k)]
    # four renders: three plain, one numbered (the 422 never reached the template)
    assert delta("docgen_render_duration_seconds_count", doc_type="minutes") == 4
    assert delta("docgen_register_numbers_issued_total", doc_type="minutes") == 1
    assert value(after, "docgen_render_duration_seconds_sum", doc_type="minutes") > 0

    rows = [{"unit": {"name": f"UBND xã số {i}"}} for i in range(3)]
    shared = {k: v for k, v in json.loads(MINUTES).items() if k != "unit"}
    try:
        response = client.post("/api/v1/batches/minutes", json={"rows": rows, "defaults": shared})
        assert response.status_code == 202
        deadline = time.monotonic() + 60
        while client.get(response.headers["Location"]).get_json()["state"] != "done":
            assert time.monotonic() < deadline
            time.sleep(0.05)
    finally:
        app.extensions["docgen.jobs"].close()
    jobs = scrape(client)
    assert value(jobs, "docgen_jobs", state="done") == 1
    assert value(jobs, "docgen_jobs", state="running") == 0


def test_refused_requests_are_counted(tmp_path: Path) -> None:
    """A 401 from the key check and a 413 are requests too."""
    app = create_app({"instance_path": tmp_path, "api_keys": "k", "max_request_bytes": 1000})
    client = app.test_client()
    route = "/api/v1/documents/minutes"
    before = scrape(client)
    assert client.post(route, data=MINUTES, content_type="application/json").status_code == 401
    assert client.post(route, data=b"x" * 2000, content_type="application/json",
                       headers={"X-API-Key": "k"}).status_code == 413
    after = scrape(client)
    for status in ("401", "413"):
        assert (value(after, "docgen_http_requests_total", route=route, method="POST",
                      status=status)
                - value(before, "docgen_http_requests_total", route=route, method="POST",
                        status=status)) == 1


def test_pdf_metrics_are_declared_before_any_pdf(tmp_path: Path) -> None:
    text = create_app({"instance_path": tmp_path}).test_client().get("/metrics").get_data(True)
    for name in ("docgen_pdf_queue_depth", "docgen_pdf_restarts_total",
                 "docgen_conversion_duration_seconds"):
        assert f"# TYPE {name.removesuffix('_total')}" in text, name
