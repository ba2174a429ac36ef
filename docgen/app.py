"""The Flask application factory.

``create_app(config=None)`` builds the app as the Flask tutorial does: embedded
defaults, then settings (``DOCGEN_*`` or a ``Settings``/mapping passed in), then
each feature's ``init_app``, then the blueprints:

    docgen.http       request ids + access log, API keys (the shell api/ and web/ share)
    docgen.register   the register database (also the rounds'), migrated at start
    docgen.store      the template store on that database, the catalog's third source
    docgen.service    renderer + register: the one request path (app.extensions)
    docgen.jobs       background batch jobs (local pool or Celery)
    docgen.api        /api/v1/..., OpenAPI at /api/openapi.json, UI at /api/docs
    docgen.web        the clerks' pages: /, /forms/<type>, /register, /batch
    /healthz          liveness, always open
    docgen.metrics    /metrics (Prometheus) and the request counters
    /readyz           templates present and passing docgen check, formats, PDF pool,
                      database and broker; always open

Each feature reads what it needs from ``app.config["DOCGEN"]`` and puts what it owns
in ``app.extensions``; none is created as a side effect of another.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Mapping
from typing import Any

from flask import Flask, jsonify

from docgen import __version__, api, health, http, jobs, logs, metrics, register, store, web
from docgen.catalog import DOCUMENT_TYPES
from docgen.check.types import check_loaded_types
from docgen.config import Settings
from docgen.errors import DocgenError
from docgen.rendering import Renderer
from docgen.service import Service

SERVICE = "docgen.service"


def _settings(config: Settings | Mapping[str, Any] | None) -> Settings:
    """``config`` over ``DOCGEN_*``: a key is a field name (``packs_dir``) or the setting's
    own name (``DOCGEN_PACKS_DIR``), as the environment spells it."""
    if isinstance(config, Settings):
        return config
    return Settings.from_env(**{_field_name(k): v for k, v in dict(config or {}).items()})


def _field_name(key: str) -> str:
    return key[len("DOCGEN_"):].lower() if key.startswith("DOCGEN_") else key


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


def init_service(app: Flask, the_register: register.Register | None) -> Service:
    """The renderer (engine, templates, PDF pool) and the register behind one seam."""
    settings: Settings = app.config["DOCGEN"]
    renderer = Renderer(settings)
    service = Service(renderer, the_register)
    app.extensions[SERVICE] = service
    app.extensions["docgen.renderer"] = renderer
    if settings.pdf_start == "eager":
        _start_pdf_pool(renderer)
    return service


def init_health(app: Flask, service: Service) -> None:
    settings: Settings = app.config["DOCGEN"]
    renderer = service.renderer

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
        # docgen check over every loaded type's template, once per file hash (cached)
        templates = {r.doc_type: {"errors": r.errors, "warnings": r.warnings}
                     for r in check_loaded_types(settings.template_dir, renderer)}
        ready = (not missing and health.all_ready(checks)
                 and not any(c["errors"] for c in templates.values()))
        return jsonify(
            status="ready" if ready else "not_ready",
            formats=list(renderer.formats),
            missing_templates=missing,
            templates=templates,
            pdf=_pdf_status(renderer),
            **checks,
        ), 200 if ready else 503


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
    # The agency's packs of these settings (the config's, else the environment's) before any
    # route is made per type: the catalog is process-wide, the last app built sets it. The
    # shipped packs stay those already read (DOCGEN_TEMPLATE_DIR when first used).
    DOCUMENT_TYPES.configure(shipped=DOCUMENT_TYPES.dirs[0], packs_dir=settings.packs_dir)

    http.init_app(app)
    if settings.proxy_hops:  # behind the agency's reverse proxy: the client's address,
        from werkzeug.middleware.proxy_fix import ProxyFix  # scheme and host, as it saw them

        hops = settings.proxy_hops
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops,  # type: ignore[method-assign]
                                x_host=hops, x_port=hops, x_prefix=hops)
    the_register = register.init_app(app)
    store.init_app(app, the_register)
    service = init_service(app, the_register)
    the_jobs = jobs.init_app(app)
    api.init_app(app)
    web.init_app(app)
    metrics.init_app(app, the_jobs.count_by_state)  # /metrics and the request counters
    init_health(app, service)
    http.init_error_handlers(app)
    return app
