"""The Flask application factory.

``create_app(config=None)`` builds the app as the Flask tutorial does: embedded
defaults, then settings (``DOCGEN_*`` or a ``Settings``/mapping passed in), then
each feature's ``init_app``, then the blueprints.

    /               the clerks' web form (docgen.web)
    /api/v1/...     the HTTP API (docgen.api), OpenAPI at /api/openapi.json, UI at /api/docs
    /healthz        liveness, always open
    /readyz         templates present, formats available, PDF pool state; always open
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Mapping
from typing import Any

from flask import Flask, jsonify

from docgen import __version__, health, logs, metrics, web
from docgen import api as http_api
from docgen.api import batches, conversions
from docgen.api import register as register_api
from docgen.api import rounds as rounds_api
from docgen.catalog import DOCUMENT_TYPES
from docgen.config import Settings
from docgen.errors import DocgenError
from docgen.rendering import Renderer


def _settings(config: Settings | Mapping[str, Any] | None) -> Settings:
    if isinstance(config, Settings):
        return config
    return Settings.from_env(**dict(config or {}))


def _start_pdf_pool(renderer: Renderer) -> None:
    """DOCGEN_PDF_START=eager: warm LibreOffice in the background, not blocking start-up."""

    def start() -> None:
        try:
            renderer.converter.start()  # type: ignore[attr-defined]
        except DocgenError as exc:  # logged; /readyz shows the pool's state
            logging.getLogger("docgen.pdf").warning("PDF pool did not start: %s", exc.message)

    threading.Thread(target=start, name="docgen-pdf-start", daemon=True).start()


def _pdf_status(renderer: Renderer) -> dict[str, Any]:
    """The converter's state for /readyz: stopped (lazy, not used yet), starting, ready, degraded."""
    status = getattr(renderer.converter, "status", None)
    if status is None:
        return {"state": "unknown"}
    full = status()
    return {key: full[key] for key in ("state", "queued", "conversions") if key in full}


def create_app(config: Settings | Mapping[str, Any] | None = None) -> Flask:
    """Build the docgen web app. ``config`` overrides ``DOCGEN_*`` settings by field name."""
    settings = _settings(config)
    app = Flask(__name__, instance_path=str(settings.instance_path.resolve()), static_folder=None)
    app.config.update(
        DOCGEN=settings,
        MAX_CONTENT_LENGTH=settings.max_request_bytes,
        # Form posts: the same limit as JSON bodies, for the many fields of a long plan.
        MAX_FORM_MEMORY_SIZE=settings.max_request_bytes,
        MAX_FORM_PARTS=10_000,
        JSON_AS_ASCII=False,
    )
    app.json.ensure_ascii = False  # type: ignore[attr-defined]
    app.json.sort_keys = False  # type: ignore[attr-defined]  # keys in schema order
    logs.init_logging(settings)  # DOCGEN_LOG_FORMAT=text|json (docgen.logs)

    renderer = Renderer(settings)
    app.extensions["docgen.renderer"] = renderer
    if settings.pdf_start == "eager":
        _start_pdf_pool(renderer)
    api = http_api.init_app(app)  # flask-smorest Api: api.register_blueprint(...) documents it
    app.extensions["docgen.api"] = api
    api.register_blueprint(batches.bp)  # batch jobs: /api/v1/batches, /api/v1/jobs, page /batch
    api.register_blueprint(register_api.bp)  # outgoing register: /api/v1/register…
    api.register_blueprint(rounds_api.bp)  # a round's report from unit results: /api/v1/rounds
    api.register_blueprint(conversions.bp)  # any .docx -> PDF: /api/v1/conversions/pdf
    web.init_app(app)
    metrics.init_app(app)  # /metrics and the request counters (docgen.metrics)

    @app.get("/healthz")
    def healthz() -> Any:
        return jsonify(status="ok", version=__version__)

    @app.get("/readyz")
    def readyz() -> Any:
        missing = [
            t.template for t in DOCUMENT_TYPES.values()
            if not (settings.template_dir / t.template).is_file()
        ]
        checks = health.dependencies(settings)  # database and broker, each bounded in time
        ready = not missing and health.all_ready(checks)
        return jsonify(
            status="ready" if ready else "not_ready",
            formats=list(renderer.formats),
            missing_templates=missing,
            pdf=_pdf_status(renderer),
            **checks,
        ), 200 if ready else 503

    return app
