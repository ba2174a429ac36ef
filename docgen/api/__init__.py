"""The HTTP API under ``/api``: flask-smorest blueprints, problem+json, keys, request ids.

``init_app(app)`` wires it: the OpenAPI document (``/api/openapi.json``), Swagger UI
(``/api/docs``) and every blueprint — document types, the template store, documents,
batches and jobs, the register, rounds. The request-wide parts (keys, access log, problem+json) are
:mod:`docgen.http`'s, installed by ``create_app``.
"""

from __future__ import annotations

from flask import Flask

from docgen.api import batches, check, conversions, documents, register, rounds, store, types
from docgen.api.openapi import DocgenApi, init_api

__all__ = ["init_app"]


def init_app(app: Flask) -> DocgenApi:
    api = init_api(app)
    api.register_blueprint(types.make_blueprint())
    api.register_blueprint(store.bp)  # /api/v1/document-types… (administrator key)
    api.register_blueprint(documents.make_blueprint())
    app.register_blueprint(documents.make_fallback_blueprint())
    api.register_blueprint(batches.bp)  # /api/v1/batches, /api/v1/jobs
    api.register_blueprint(register.make_blueprint())  # /api/v1/register…
    app.register_blueprint(register.make_fallback_blueprint())
    api.register_blueprint(rounds.bp)  # /api/v1/rounds…
    api.register_blueprint(conversions.bp)  # any .docx -> PDF: /api/v1/conversions/pdf
    api.register_blueprint(check.make_blueprint())  # /api/v1/templates/check
    app.extensions["docgen.api"] = api
    return api
