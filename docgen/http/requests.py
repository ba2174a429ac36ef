"""Reading a request: the JSON body, flags, and the document options into the service seam.

:func:`document_request` is the one place an HTTP request becomes a
:class:`~docgen.service.DocumentRequest`: ``?format=`` (or ``Accept``), ``?pdfa=``,
``?register=``, ``?version=`` (a template version) and the ``Idempotency-Key`` header —
read here, checked by the service.
The API reads them from the query string, the clerk's form from its fields (``_format``,
``_register``), through the same function.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import current_app, request
from werkzeug.exceptions import NotAcceptable, UnsupportedMediaType

from docgen import jsonin
from docgen.errors import InputError
from docgen.rendering import MEDIA_TYPES
from docgen.service import DocumentRequest, Service

__all__ = ["InvalidFlagError", "document_request", "flag", "json_body", "requested_format",
           "service"]

#: Media type -> format.
FORMATS_BY_MEDIA_TYPE = {media: fmt for fmt, media in MEDIA_TYPES.items()}
TRUE_WORDS = ("true", "1", "on", "yes")
FALSE_WORDS = ("false", "0", "off", "no", "")


class InvalidFlagError(InputError):
    code = "invalid_flag"
    title = "Tham số đúng/sai không hợp lệ"
    status = 400


def service() -> Service:
    """The app's :class:`~docgen.service.Service` (built by ``create_app``)."""
    return current_app.extensions["docgen.service"]  # type: ignore[no-any-return]


def json_body() -> Any:
    """The request body as JSON; 415 for another content type, 400 if unparseable."""
    if not request.is_json:
        raise UnsupportedMediaType()
    # Bounded depth and digits, no lone surrogates: nothing in the body becomes a 500.
    return jsonin.loads(request.get_data(cache=True))


def flag(values: Mapping[str, str], name: str) -> bool:
    """A true/false parameter (``true``/``1``/``on`` or ``false``/``0``/absent); else 400."""
    value = str(values.get(name, "")).strip().lower()
    if value in TRUE_WORDS:
        return True
    if value in FALSE_WORDS:
        return False
    raise InvalidFlagError(f"Tham số '{name}' phải là true hoặc false, không phải '{value}'.")


def requested_format(asked: str | None, formats: tuple[str, ...]) -> str:
    """``asked`` if given, else the best of ``Accept``; 406 when ``Accept`` rules it out.

    A format this installation cannot produce (``pdf`` without the converter) is refused
    by the service, with the list of formats it can.
    """
    accept = request.accept_mimetypes
    if asked is not None:
        media = MEDIA_TYPES.get(asked)
        if media and accept and not accept.quality(media):
            raise NotAcceptable()
        return asked
    if not accept:
        return "docx"
    available = [MEDIA_TYPES[f] for f in formats]
    best = accept.best_match(available) or accept.best_match(list(MEDIA_TYPES.values()))
    if best is None:
        raise NotAcceptable()
    return FORMATS_BY_MEDIA_TYPE[best]


def document_request(doc_type: str, data: Any, *, params: Mapping[str, str] | None = None,
                     prefix: str = "", register: bool | None = None) -> DocumentRequest:
    """The checked request for ``doc_type`` with ``data``, options from ``params``.

    ``params`` defaults to the query string; the form passes its fields with ``prefix``
    ``"_"``. ``register`` forces numbering on (the register's own endpoints).
    """
    params = request.args if params is None else params
    svc = service()
    fmt = requested_format(params.get(prefix + "format") or None, svc.formats)
    return svc.request(
        doc_type, data, format=fmt, pdfa=params.get(prefix + "pdfa") or None,
        register=flag(params, prefix + "register") if register is None else register,
        idempotency_key=request.headers.get("Idempotency-Key"),
        version=params.get(prefix + "version") or None,
    )
