"""Marshmallow schemas: shared parts (``common``) and one module per document type."""

from docgen.schemas.base import BaseSchema, field_errors, load_payload

__all__ = ["BaseSchema", "field_errors", "load_payload"]
