"""The clerks' web form: pick a document type, fill the form, download the .docx.

Pages are server-rendered from the Marshmallow schemas (:mod:`docgen.web.formgen`);
validation is ``Renderer.validate`` — the same as the API's — and each error is
shown next to the input named by its path. Small vanilla scripts add and remove
rows and keep the draft in localStorage (``static/form.js``), and submit through
``fetch()`` (``static/form-submit.js``) so the page can say what happened: the file,
the number issued, the warnings, a busy button, and the preview. The form works
without them (a plain POST answers the file). No CDN: everything is served from
this package.

``POST /forms/<type>/preview?page=N`` answers page N of the PDF as a PNG, from the
same fields through the same service call — never numbered, whatever "Cấp số" says.
"""

from __future__ import annotations

import functools
from collections import defaultdict
from typing import Any

from flask import Blueprint, Flask, Response, jsonify, render_template, request

from docgen.catalog import DOCUMENT_TYPES, DocumentType, example_payload, get_type
from docgen.errors import FieldError, ValidationError
from docgen.http import sessions
from docgen.http.access_log import note
from docgen.http.files import document_response
from docgen.http.requests import document_request, service
from docgen.pdf import raster
from docgen.web import admin, batch, formgen, login, register, round_documents, rounds

bp = Blueprint("web", __name__, template_folder="templates", static_folder="static",
               static_url_path="/static")


@functools.cache
def _spec(kind: DocumentType) -> tuple[formgen.Node, ...]:
    return formgen.form_spec(kind.schema())


def spec_for(doc_type: str | DocumentType) -> tuple[formgen.Node, ...]:
    """The form of a type as served now: cached per loaded type, so a version deployed
    from the template store gets its own form."""
    return _spec(doc_type if isinstance(doc_type, DocumentType) else DOCUMENT_TYPES[doc_type])


def _page(kind: DocumentType, raw: formgen.RawTree, source: str,
          errors: list[FieldError] | None = None, status: int = 200,
          more_errors: str = "", error_total: int = 0) -> tuple[str, int]:
    spec = spec_for(kind)
    by_path: dict[str, list[str]] = defaultdict(list)
    for error in errors or []:
        by_path[error.path].append(error.message)
    html = render_template(
        "form.html",
        kind=kind,
        spec=spec,
        sections=formgen.sections(spec),
        raw=raw,
        source=source,
        errors=dict(by_path),
        error_list=[(e, formgen.describe_path(spec, e.path)) for e in errors or []],
        error_total=error_total or len(errors or []),
        more_errors=more_errors,
        formats=service().formats,
        chosen_format=request.form.get("_format", "docx"),
        chosen_register=bool(request.form.get("_register")),
        has_example=example_payload(kind) is not None,
    )
    return html, status


def _refused(kind: DocumentType, raw: formgen.RawTree, exc: ValidationError,
             problems: list[FieldError]) -> tuple[str, int]:
    """The form again, each error under its field — a date in the form's own words."""
    errors = formgen.with_form_messages(exc.errors, problems)
    total = exc.total + len(errors) - len(exc.errors)
    return _page(kind, raw, "submitted", errors, 422, exc.more_line(), total)


@bp.get("/")
def index() -> str:
    return render_template("index.html", types=list(DOCUMENT_TYPES.values()))


@bp.get("/favicon.ico")
def favicon() -> Response:
    return Response(status=204)  # no icon, and no 404 in every browser's console


@bp.get("/forms/<doc_type>")
def form(doc_type: str) -> tuple[str, int]:
    kind = get_type(doc_type)
    note(doc_type=kind.id)
    spec = spec_for(kind)
    example = example_payload(kind) if request.args.get("example") else None
    if example is not None:
        return _page(kind, formgen.from_payload(spec, example), "example")
    return _page(kind, formgen.blank(spec), "blank")


@bp.get("/forms/date-line")
def date_line() -> Response:
    """The date line of what is typed in a date input, for the echo beside it.

    ``?kind=date|datetime&value=05/11/2021`` -> ``{"line": "ngày 05 tháng 11 năm 2021"}``,
    or ``{"code": "nonexistent_date", "message": "…"}``: the rules the submit applies,
    so the echo and the error under the field never disagree.
    """
    kind = "datetime" if request.args.get("kind") == "datetime" else "date"
    echo = formgen.date_echo(kind, request.args.get("value", "")[:100])
    response = jsonify(echo)
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.post("/forms/<doc_type>")
def submit(doc_type: str) -> Any:
    kind = get_type(doc_type)
    note(doc_type=kind.id)
    spec = spec_for(kind)
    raw = formgen.collect(spec, request.form)
    problems: list[FieldError] = []
    payload = formgen.to_payload(spec, raw, problems)
    asked = document_request(kind.id, payload, params=request.form, prefix="_")
    note(format=asked.output.format)
    try:
        validated = service().validate(kind.id, payload)
    except ValidationError as exc:
        return _refused(kind, raw, exc, problems)
    # Validated once; numbered (the "Cấp số" box) or not, the same service call.
    return document_response(service().produce(asked, validated))


@bp.post("/forms/<doc_type>/preview")
def preview(doc_type: str) -> Any:
    """Page ``?page=`` (1 by default) of the document as the PDF pool prints it, as a PNG.

    The same fields as :func:`submit`, validated the same way (errors come back as the
    form page, 422); the PDF is made through the service like any other, but never
    numbered: a preview takes no register number, whatever the "Cấp số" box says.
    """
    kind = get_type(doc_type)
    note(doc_type=kind.id, format="png")
    spec = spec_for(kind.id)
    page = raster.parse_page(request.args.get("page"))
    raw = formgen.collect(spec, request.form)
    problems: list[FieldError] = []
    payload = formgen.to_payload(spec, raw, problems)
    # Always the printed page (PDF), never numbered: "_format" and "_register" do not apply,
    # nor does Accept (the answer is a PNG, not the PDF).
    asked = service().request(kind.id, payload, format="pdf", register=False)
    try:
        validated = service().validate(kind.id, payload)
    except ValidationError as exc:
        return _refused(kind, raw, exc, problems)
    produced = service().produce(asked, validated)
    image = raster.page_png(produced.rendered.content, page)
    response = Response(image.content, mimetype="image/png")
    response.headers["X-Docgen-Preview-Page"] = str(image.page)
    response.headers["X-Docgen-Preview-Pages"] = str(image.pages)
    response.headers["Cache-Control"] = "no-store"  # the clerk's data, not for caches
    return response


def init_app(app: Flask) -> None:
    app.jinja_env.globals.update(
        dom_id=formgen.dom_id, join=formgen.join, empty_value=formgen.empty_value,
        date_echo=formgen.date_echo,
    )
    # Who is signed in, for the header of every page (None without keys).
    app.context_processor(lambda: {"login": sessions.current_login()})
    app.register_blueprint(bp)
    app.register_blueprint(login.bp)
    app.register_blueprint(register.bp)  # needs the register (docgen.register.init_app)
    app.register_blueprint(rounds.bp)  # the rounds' pages, in the register's database
    app.register_blueprint(round_documents.bp)  # a round's documents, from its page
    app.register_blueprint(batch.bp)  # needs the jobs (docgen.jobs.init_app)
    admin.init_app(app)  # needs the template store (docgen.store.init_app)
