"""A round's documents over HTTP: one way from a request to the workflow and back.

The API (:mod:`docgen.api.rounds`, options in the query string) and the round's pages
(:mod:`docgen.web.round_documents`, options in the form's ``_format``/``_register``
fields, ``prefix="_"``) both call these, so a document of a round is asked for and
answered the same way from either:

    kept_document   the plan or the team decision: kept with the round, rendered (numbered)
    minutes         a unit's minutes (format/pdfa/register/Idempotency-Key checked by the
                    service, as for any document)
    report          the round's report, its figures computed from the records
    letters         the letters to the by-report units (one, or several in a .zip)
    notices         the notices of results (one, or several in a .zip)

Who acts is :func:`docgen.http.actor.actor`; every call writes the round's audit line in
the workflow. No business logic here.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from flask import Response, request
from sqlalchemy.orm import Session, sessionmaker

from docgen.http.actor import actor
from docgen.http.files import document_response, file_response
from docgen.http.requests import document_request, flag, service
from docgen.rendering import Rendered
from docgen.rounds import store, workflow
from docgen.service import DocumentRequest, Produced

__all__ = ["ZIP", "documents_response", "kept_document", "letters", "minutes", "notices",
           "output_format", "report", "session_factory"]

ZIP = "application/zip"


def session_factory() -> sessionmaker[Session]:
    """The register database's sessions, where the rounds live."""
    return service().the_register().session_factory


def _params(params: Mapping[str, str] | None) -> Mapping[str, str]:
    return request.args if params is None else params


def output_format(params: Mapping[str, str] | None = None, prefix: str = "") -> str:
    """``format`` (or ``_format`` in a form), ``docx`` when not given; the renderer checks it."""
    return str(_params(params).get(prefix + "format", "docx")).strip().lower() or "docx"


def _options(asked: DocumentRequest) -> dict[str, Any]:
    """The checked options of ``asked`` as the store's keyword arguments."""
    return {"fmt": asked.output.format, "pdfa": asked.output.pdfa,
            "register": asked.register, "idempotency_key": asked.idempotency_key}


def documents_response(produced: Sequence[tuple[Rendered, Any]], zip_name: str) -> Response:
    """One document as itself; several as one .zip."""
    if len(produced) == 1:
        rendered, entry = produced[0]
        return document_response(Produced(rendered, entry))
    return file_response(workflow.zip_documents(produced), ZIP, zip_name)


def kept_document(kind: str, round_id: int, payload: Any, *,
                  params: Mapping[str, str] | None = None, prefix: str = "") -> Response:
    """The round's plan (``kind="plan"``) or team decision (``"decision"``)."""
    params = _params(params)
    fn = workflow.set_plan if kind == "plan" else workflow.set_decision
    rendered, entry = fn(service().renderer, session_factory(), round_id, payload,
                         fmt=output_format(params, prefix),
                         register=flag(params, prefix + "register"), actor=actor())
    return document_response(Produced(rendered, entry))


def minutes(round_id: int, stt: int, payload: Any, *,
            params: Mapping[str, str] | None = None, prefix: str = "") -> Response:
    """Record (and optionally number) unit ``stt``'s minutes; the minutes back."""
    asked = document_request("minutes", payload, params=params, prefix=prefix)
    rendered, entry = store.record_minutes(service().renderer, session_factory(), round_id,
                                           stt, asked.data, **_options(asked), actor=actor())
    return document_response(Produced(rendered, entry))


def report(round_id: int, fields: Any, *, allow_incomplete: bool,
           params: Mapping[str, str] | None = None, prefix: str = "") -> Response:
    """The round's report from its records; ``fields`` is the report's own text."""
    asked = document_request("report", fields, params=params, prefix=prefix)
    wanted = store.ReportRequest(asked.data, allow_incomplete=allow_incomplete)
    rendered, entry = store.render_report(service().renderer, session_factory(), round_id,
                                          wanted, **_options(asked), actor=actor())
    return document_response(Produced(rendered, entry))


def _many(make: Callable[..., Sequence[tuple[Rendered, Any]]], round_id: int, body: Any,
          params: Mapping[str, str] | None, prefix: str, zip_name: str) -> Response:
    params = _params(params)
    produced = make(service().renderer, session_factory(), round_id, body,
                    fmt=output_format(params, prefix),
                    register=flag(params, prefix + "register"), actor=actor())
    return documents_response(produced, zip_name)


def letters(round_id: int, body: Any, *, params: Mapping[str, str] | None = None,
            prefix: str = "") -> Response:
    """The letters asking the by-report units for their reports."""
    return _many(workflow.letters, round_id, body, params, prefix,
                 f"cong-van-dot-{round_id}.zip")


def notices(round_id: int, body: Any, *, params: Mapping[str, str] | None = None,
            prefix: str = "") -> Response:
    """The notices of results, one per chosen on-site unit with minutes."""
    return _many(workflow.notices, round_id, body, params, prefix,
                 f"thong-bao-dot-{round_id}.zip")
