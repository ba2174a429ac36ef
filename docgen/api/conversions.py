"""``POST /api/v1/conversions/pdf``: any .docx in, PDF (or PDF/A) out, through the same pool.

As Gotenberg's LibreOffice route, for documents docgen did not render itself (a
letter typed in Word, an old template). The .docx comes as the multipart field
``file`` or as the raw body; ``?pdfa=1b|2b|3b`` asks for PDF/A. It goes through the
app's LibreOffice pool (the same queue, timeouts and restarts as every PDF), and
is behind the API keys like all of ``/api/v1``.

Before LibreOffice sees it, the upload is bounded (``DOCGEN_CONVERT_MAX_BYTES``,
413) and checked as a zip (:func:`docgen.pdf.guard.check_docx`): not a .docx is a
415 ``not_a_docx``, a zip bomb (ratios, member count, unpacked total, lying
sizes) is a 422 ``unsafe_docx``. Every refusal is a Vietnamese problem+json.
"""

from __future__ import annotations

from pathlib import PurePath
from typing import Any

from flask import Response, current_app, request
from flask_smorest import Blueprint
from werkzeug.exceptions import RequestEntityTooLarge

from docgen.api.openapi import PDFA_PARAMETER, SECURITY, problem_ref, request_id_header
from docgen.config import Settings
from docgen.errors import NotADocxError, PayloadTooLargeError
from docgen.http.access_log import note
from docgen.http.files import file_response
from docgen.http.requests import service
from docgen.pdf.guard import check_docx

DOCX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
#: Raw bodies accepted besides the .docx media type (what curl --data-binary and many
#: clients send when they do not know better).
RAW_MEDIA_TYPES = (DOCX_MEDIA_TYPE, "application/octet-stream")

bp = Blueprint("conversions", __name__, url_prefix="/api/v1",
               description="Chuyển tệp Word bất kỳ sang PDF — convert any .docx to PDF.")

_DOC: dict[str, Any] = {
    "operationId": "convert_docx_to_pdf",
    "summary": "Chuyển một tệp .docx bất kỳ sang PDF hoặc PDF/A",
    "description": (
        "Tệp .docx gửi trong trường multipart `file` hoặc là toàn bộ thân yêu cầu "
        f"(`Content-Type: {DOCX_MEDIA_TYPE}` hoặc `application/octet-stream`); chuyển qua cùng nhóm LibreOffice với các văn bản "
        "khác. Tệp không phải .docx: 415 `not_a_docx`; tệp nén bất thường (zip bomb): 422 "
        "`unsafe_docx`; quá `DOCGEN_CONVERT_MAX_BYTES`: 413."
    ),
    "security": SECURITY,
    "parameters": [{**PDFA_PARAMETER, "description": "PDF/A-1b, -2b or -3b (archiving). "
                                                     "Default: DOCGEN_PDF_PDFA."}],
    "requestBody": {"required": True, "content": {
        "multipart/form-data": {"schema": {
            "type": "object", "required": ["file"],
            "properties": {"file": {"type": "string", "format": "binary",
                                    "description": "The .docx to convert."}}}},
        # The .docx media type is accepted as well (see the description); it is not listed
        # here because OpenAPI tools (schemathesis) have no serializer for it.
        "application/octet-stream": {"schema": {"type": "string", "format": "binary"}},
    }},
    "responses": {
        "200": {"description": "The PDF.",
                "headers": {"Content-Disposition": {"schema": {"type": "string"},
                                                    "description": "The upload's name, .pdf."},
                            "X-Request-ID": request_id_header()},
                "content": {"application/pdf": {"schema": {"type": "string",
                                                           "format": "binary"}}}},
        **{str(s): problem_ref(s) for s in (400, 401, 406, 413, 415, 422, 502, 503, 504)},
    },
}


def _upload() -> tuple[bytes, str]:
    """The .docx bytes and a file name for the answer, from ``file`` or the raw body."""
    if request.mimetype == "multipart/form-data":
        upload = request.files.get("file")
        if upload is None or not upload.filename:
            raise NotADocxError("Thiếu tệp: gửi tệp .docx trong trường 'file'.")
        return upload.read(), upload.filename
    if request.mimetype in RAW_MEDIA_TYPES:
        return request.get_data(cache=False), "van-ban.docx"
    raise NotADocxError(
        f"Gửi tệp .docx dạng multipart (trường 'file') hoặc thân yêu cầu với Content-Type "
        f"{DOCX_MEDIA_TYPE}; nhận được '{request.mimetype or 'không có'}'.")


def _pdf_name(filename: str) -> str:
    stem = PurePath(filename.replace("\\", "/")).stem or "van-ban"
    return f"{stem[:150]}.pdf"


@bp.route("/conversions/pdf", methods=["POST"], endpoint="convert_docx_to_pdf")
@bp.doc(**_DOC)
def convert_docx_to_pdf() -> Response:
    """Chuyển .docx sang PDF"""
    settings: Settings = current_app.config["DOCGEN"]
    # The one check of output options (PDF/A variants, DOCGEN_PDF_PDFA as the default).
    output = service().renderer.output("pdf", request.args.get("pdfa") or None)
    note(format="pdf")
    request.max_content_length = settings.convert_max_bytes
    try:
        data, filename = _upload()
    except RequestEntityTooLarge as exc:
        raise PayloadTooLargeError(
            f"Tệp gửi lên vượt giới hạn {settings.convert_max_bytes:,} byte "
            "(DOCGEN_CONVERT_MAX_BYTES).".replace(",", ".")) from exc
    check_docx(data)
    pdf = service().renderer.converter.convert(data, pdfa=output.pdfa)
    return file_response(pdf, output.media_type, _pdf_name(filename))


__all__ = ["bp"]
