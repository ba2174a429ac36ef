"""The HTTP API under ``/api``: flask-smorest blueprints, problem+json, keys, request ids.

``init_app(app)`` wires it all: the OpenAPI document (``/api/openapi.json``),
Swagger UI (``/api/docs``), the document-type and document endpoints, API keys,
request ids with the access log, and — last, so they replace flask-smorest's
own — the problem+json error handlers.
"""

from __future__ import annotations

from flask import Flask

from docgen.api import access_log, documents, problems, security, types
from docgen.api.openapi import DocgenApi, init_api

__all__ = ["init_app"]


def init_app(app: Flask) -> DocgenApi:
    access_log.init_app(app)
    security.init_app(app)
    api = init_api(app)
    api.register_blueprint(types.make_blueprint())
    api.register_blueprint(documents.make_blueprint())
    app.register_blueprint(documents.make_fallback_blueprint())
    problems.init_app(app)
    return api
