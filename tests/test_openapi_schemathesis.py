"""schemathesis against the app's own /api/openapi.json: no 5xx, responses conform to the spec.

Bounded: at most 30 generated examples per operation (plus schemathesis' explicit
examples), derandomized so a CI run is reproducible, no example database written.
"""

from __future__ import annotations

import atexit
import shutil
import tempfile
from pathlib import Path

import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from docgen.app import create_app

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]

# Built at import: schemathesis makes one test per operation from the loaded document.
_instance = Path(tempfile.mkdtemp(prefix="docgen-schemathesis-"))
atexit.register(shutil.rmtree, _instance, ignore_errors=True)
_app = create_app({"instance_path": _instance, "max_request_bytes": 256 * 1024})
schema = schemathesis.openapi.from_wsgi("/api/openapi.json", _app)


@schema.parametrize()
@settings(max_examples=30, deadline=None, derandomize=True, database=None,
          suppress_health_check=list(HealthCheck))
def test_api_conforms(case):
    case.call_and_validate(checks=CHECKS)
