"""The HTTP API under ``/api``: flask-smorest blueprints, problem+json, keys, request ids.

``init_app(app)`` wires it: the OpenAPI document (``/api/openapi.json``), Swagger UI
(``/api/docs``) and every blueprint — document types, the template store, documents,
batches and jobs, the register, rounds. When the loaded types change (the template
store), the document is made again as a restart would make it (:func:`spec_as_built_now`).
The request-wide parts (keys, access log, problem+json) are :mod:`docgen.http`'s,
installed by ``create_app``.
"""

from __future__ import annotations

from typing import Any

from flask import Flask

from docgen.api import batches, check, conversions, documents, register, rounds, store, types
from docgen.api.openapi import DocgenApi, init_api

__all__ = ["init_app"]


def _register_blueprints(api: DocgenApi, app: Flask) -> None:
    """Every blueprint, the per-type ones made from the types loaded now."""
    api.register_blueprint(types.make_blueprint())
    api.register_blueprint(store.bp)  # /api/v1/document-types… (administrator key)
    api.register_blueprint(documents.make_blueprint())
    app.register_blueprint(documents.make_fallback_blueprint())
    api.register_blueprint(batches.bp)  # /api/v1/batches, /api/v1/jobs
    api.register_blueprint(register.make_blueprint())  # /api/v1/register…
    app.register_blueprint(register.make_fallback_blueprint())
    rounds.register_components(api.spec)  # a plan, a letter, a notice less the round's parts
    api.register_blueprint(rounds.bp)  # /api/v1/rounds…
    api.register_blueprint(conversions.bp)  # any .docx -> PDF: /api/v1/conversions/pdf
    api.register_blueprint(check.make_blueprint())  # /api/v1/templates/check


def spec_as_built_now(app: Flask) -> dict[str, Any]:
    """The OpenAPI document a restart would serve now: the API made again, on a throwaway
    app that is never served (its routes only give the document its paths). The catch-all
    routes serve the types this app has no own route for; the document names each."""
    shadow = Flask(app.import_name, static_folder=None)
    shadow.config.update(app.config)
    api = init_api(shadow)
    _register_blueprints(api, shadow)
    return api.spec.to_dict()  # type: ignore[no-any-return]


def init_app(app: Flask) -> DocgenApi:
    api = init_api(app)
    _register_blueprints(api, app)
    api.follow_catalog(lambda: spec_as_built_now(app))
    app.extensions["docgen.api"] = api
    return api
