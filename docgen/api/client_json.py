"""The request-body parser flask-smorest's ``@bp.arguments(..., location="json")`` uses.

webargs parses the body with a bare ``json.loads``: ``[``×100,000 raised
``RecursionError`` and a 5,000-digit number ``ValueError``, both 500s. This
parser hands the body to :func:`docgen.jsonin.loads`, which refuses them (and
lone surrogates) as a 400 ``unreadable_input`` with a Vietnamese message.
"""

from __future__ import annotations

from typing import Any

import flask
from webargs import core
from webargs.flaskparser import FlaskParser, is_json_request

from docgen import jsonin


class ClientJSONParser(FlaskParser):
    """FlaskParser with docgen's JSON reading (bounded depth, digits; no lone surrogates)."""

    def _raw_load_json(self, req: flask.Request) -> Any:
        if not is_json_request(req):
            return core.missing
        return jsonin.loads(req.get_data(cache=True))


__all__ = ["ClientJSONParser"]
