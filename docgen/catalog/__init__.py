"""The document types: packs (declaration + Word template + example), by id.

This is the one place that knows what a ``minutes`` is. The CLI, the API, the
form and the batch runner look types up here and never special-case one::

    >>> from docgen.catalog import DOCUMENT_TYPES, get_type
    >>> get_type("notice").type_code, get_type("letter").type_code
    ('TB', '')

Types are packs (:mod:`docgen.catalog._loader`): the shipped ones under
``DOCGEN_TEMPLATE_DIR`` (``templates/<id>/``) and an agency's own under
``DOCGEN_PACKS_DIR``, which may replace a shipped type by id. The catalog is read
on first use, not at import: ``docgen render`` of one document pays for the packs
only when it asks for one. The routes and commands generated per type read it when
the app or the CLI is built, so both folders are taken from the environment
(the same ``DOCGEN_*`` variables the settings read); :meth:`Catalog.configure`
points it elsewhere (``create_app`` does, for a ``packs_dir`` given in its config).
"""

from __future__ import annotations

import copy
import threading
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from docgen.catalog._declaration import Declaration, parse_declaration
from docgen.catalog._loader import DECLARATION, load_catalog, load_pack
from docgen.catalog._type import ContextBuilder, DocumentType, WarningCheck
from docgen.errors import UnknownDocumentTypeError

__all__ = [
    "DECLARATION",
    "DOCUMENT_TYPES",
    "EXAMPLES_DIR",
    "PACK_SCHEMA",
    "Catalog",
    "ContextBuilder",
    "Declaration",
    "DocumentType",
    "WarningCheck",
    "example_payload",
    "get_type",
    "load_catalog",
    "load_pack",
    "pack_schema_text",
    "parse_declaration",
]

#: The JSON Schema of ``type.toml`` for editors (VS Code's Even Better TOML, Taplo).
PACK_SCHEMA = Path(__file__).resolve().parent / "pack.schema.json"

#: Generated copies of every pack's example (``docgen schemas --write``), for the README.
EXAMPLES_DIR = Path(__file__).resolve().parent.parent.parent / "schemas" / "examples"


class Catalog(Mapping[str, DocumentType]):
    """The loaded types by id, in list order; loaded on first use, reloadable."""

    def __init__(self) -> None:
        self._types: dict[str, DocumentType] | None = None
        self._dirs: tuple[Path, Path | None] | None = None
        self._lock = threading.Lock()

    def configure(self, shipped: Path | None = None, packs_dir: Path | None = None) -> None:
        """Read the packs from these folders (``None``: the environment's) on next use."""
        from docgen.config import pack_dirs

        default_shipped, default_packs = pack_dirs()
        dirs = (shipped or default_shipped, packs_dir or default_packs)
        with self._lock:
            if dirs != self._dirs:
                self._dirs, self._types = dirs, None

    @property
    def dirs(self) -> tuple[Path, Path | None]:
        if self._dirs is None:
            self.configure()
        assert self._dirs is not None
        return self._dirs

    def _loaded(self) -> dict[str, DocumentType]:
        types = self._types
        if types is None:
            shipped, packs_dir = self.dirs
            with self._lock:
                if self._types is None:
                    self._types = load_catalog(shipped, packs_dir)
                types = self._types
        return types

    def __getitem__(self, key: str) -> DocumentType:
        return self._loaded()[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._loaded())

    def __len__(self) -> int:
        return len(self._loaded())

    def __repr__(self) -> str:
        return f"Catalog({list(self._loaded())!r})"


DOCUMENT_TYPES = Catalog()


def get_type(doc_type: str) -> DocumentType:
    """The document type called ``doc_type``, or ``UnknownDocumentTypeError``."""
    try:
        return DOCUMENT_TYPES[doc_type]
    except (KeyError, TypeError):
        raise UnknownDocumentTypeError(str(doc_type), list(DOCUMENT_TYPES)) from None


def pack_schema_text() -> str:
    """The text of :data:`PACK_SCHEMA`, generated from the declaration vocabulary."""
    from docgen.catalog._pack_schema import pack_schema_text as text

    return text()


def example_payload(kind: DocumentType) -> dict[str, Any] | None:
    """A fresh copy of the type's example payload (its pack's ``example.json``), or None."""
    return copy.deepcopy(kind.example) if kind.example is not None else None
