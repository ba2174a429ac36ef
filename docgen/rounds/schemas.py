"""The body of a stored round's report request, validated by the schema that documents it.

``POST /api/v1/rounds/<id>/report`` (and ``docgen round report``) take the
report's own text: everything a Báo cáo kết quả kiểm tra has except what the
round computes from its records (:data:`COMPUTED_FIELDS`). ``agency``,
``year`` and the period become optional (the round supplies them), and
``aspect_notes`` adds the department's own assessment per aspect, printed after
the computed figures.

:class:`RoundReportSchema` is both the OpenAPI request body and what
:func:`docgen.rounds.store.report_payload` validates the body with, so the
limits a client reads (``maxLength`` of a note) are the limits enforced.
"""

from __future__ import annotations

from marshmallow import Schema

from docgen.schemas.base import BaseSchema
from docgen.schemas.common import ASPECTS, AgencySchema
from docgen.schemas.fields import Date, Integer, Message, Nested, Range, Text
from docgen.schemas.report import ReportSchema

#: Report fields a round computes; a report request that sets them is refused.
COMPUTED_FIELDS = ("counts", "findings", "pending_units")

#: Longest note per aspect: a short paragraph after the computed figures.
NOTE_MAX_LENGTH = 1000


class _AspectNotesBase(BaseSchema):
    """An aspect that does not exist is named as a wrong choice, not an unknown field."""

    error_messages: dict[str, str] = {  # noqa: RUF012 -- marshmallow reads it per class
        **BaseSchema.error_messages,
        "unknown": Message(f"Nội dung kiểm tra không có; chọn một trong: {', '.join(ASPECTS)}.",
                           "invalid_choice"),
    }


def _note(heading: str) -> Text:
    return Text(required=False, allow_blank=True, max_length=NOTE_MAX_LENGTH,
                metadata={"title": heading})


#: One optional note per aspect (``scope`` … ``improvement``), titled by its heading.
AspectNotesSchema: type[Schema] = _AspectNotesBase.from_dict(
    {aspect: _note(heading) for aspect, heading in ASPECTS.items()}, name="AspectNotesSchema")


class RoundReportSchema(ReportSchema):
    """The report's own text: everything but `counts`, `findings` and `pending_units`, which
    are computed."""

    class Meta:
        exclude = COMPUTED_FIELDS

    agency = Nested(AgencySchema, required=False, metadata={
        "title": "Cơ quan ban hành", "description": "Default: the round's issuer."})
    year = Integer(required=False, validate=Range(min=2000, max=2100), metadata={
        "title": "Năm", "description": "Default: the round's year."})
    period_start = Date(required=False, metadata={
        "title": "Kiểm tra từ ngày", "description": "Default: the date of the first minutes."})
    period_end = Date(required=False, metadata={
        "title": "Kiểm tra đến ngày", "description": "Default: the date of the last minutes."})
    aspect_notes = Nested(AspectNotesSchema, required=False, allow_none=True, metadata={
        "title": "Nhận xét chung theo từng nội dung",
        "description": "Optional: the department's assessment per aspect, printed after "
                       f"the computed figures (at most {NOTE_MAX_LENGTH} characters each)."})


__all__ = ["COMPUTED_FIELDS", "NOTE_MAX_LENGTH", "AspectNotesSchema", "RoundReportSchema"]
