"""The document types: packs (declaration + Word template + example), by id.

This is the one place that knows what a ``minutes`` is. The CLI, the API, the
form and the batch runner look types up here and never special-case one::

    >>> from docgen.catalog import DOCUMENT_TYPES, get_type
    >>> get_type("notice").type_code, get_type("letter").type_code
    ('TB', '')

Types are packs (:mod:`docgen.catalog._loader`): the shipped ones under
``DOCGEN_TEMPLATE_DIR`` (``templates/<id>/``) and an agency's own under
``DOCGEN_PACKS_DIR``, which may replace a shipped type by id. The catalog is read
on first use, not at import, and a lookup by id before anything has needed the
whole list reads that type's folder alone: ``docgen render minutes`` reads one
pack, not all of them (a duplicate id or a broken *other* pack is then reported by
the commands that list the types, and by the app, which reads them all). The
routes and commands generated per type read it when
the app or the CLI is built, so both folders are taken from the environment
(the same ``DOCGEN_*`` variables the settings read); :meth:`Catalog.configure`
points it elsewhere (``create_app`` does, for a ``packs_dir`` given in its config).

The third source is the template store (:mod:`docgen.store`), attached by ``create_app``
and the ``docgen types`` commands (:meth:`Catalog.attach_store`): the deployed version of
a stored type replaces the pack of the same id, a new stored type is added after the
packs, and :func:`get_type` with ``version=`` answers any stored version (or the pack's
own, by its sha256).
"""

from __future__ import annotations

import copy
import re
import threading
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any, Protocol

from docgen.catalog._declaration import Declaration, parse_declaration
from docgen.catalog._loader import DECLARATION, load_catalog, load_pack, pack_root
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
    "StoreSource",
    "WarningCheck",
    "example_payload",
    "get_type",
    "load_catalog",
    "load_pack",
    "pack_root",
    "pack_schema_text",
    "parse_declaration",
]

#: The JSON Schema of ``type.toml`` for editors (VS Code's Even Better TOML, Taplo).
PACK_SCHEMA = Path(__file__).resolve().parent / "pack.schema.json"

#: What a type id looks like (``_declaration`` refuses any other): a folder name, never a path.
_TYPE_ID = re.compile(r"[a-z][a-z0-9_-]{0,29}")

#: Generated copies of every pack's example (``docgen schemas --write``), for the README.
EXAMPLES_DIR = Path(__file__).resolve().parent.parent.parent / "schemas" / "examples"


class StoreSource(Protocol):
    """Where stored types come from (:class:`docgen.store.TemplateStore`)."""

    def deployed(self) -> Mapping[str, DocumentType]:
        """The deployed version of every stored type, by id (the same object while unchanged)."""

    def version(self, type_id: str, ref: str) -> DocumentType | None:
        """Version ``ref`` (number or sha256) of a stored type, or None."""


class Catalog(Mapping[str, DocumentType]):
    """The loaded types by id, in list order; loaded on first use, reloadable."""

    def __init__(self) -> None:
        self._types: dict[str, DocumentType] | None = None
        self._dirs: tuple[Path, Path | None] | None = None
        self._lock = threading.Lock()
        self._store: StoreSource | None = None
        self._merged: tuple[object, object, dict[str, DocumentType]] | None = None
        #: Shipped packs read one by one before the whole catalog is (see :meth:`_one`).
        self._single: dict[str, DocumentType] = {}

    def attach_store(self, store: StoreSource | None) -> None:
        """Serve ``store``'s deployed types too (``None``: packs only again)."""
        self._store, self._merged = store, None

    def detach_store(self, store: StoreSource) -> None:
        """Stop serving ``store`` if it is the one attached (another app's stays)."""
        if self._store is store:
            self.attach_store(None)

    @property
    def store(self) -> StoreSource | None:
        return self._store

    def base(self) -> dict[str, DocumentType]:
        """The packs alone (shipped and ``DOCGEN_PACKS_DIR``), without the store."""
        return self._packs()

    def version(self, doc_type: str, ref: str) -> DocumentType | None:
        """Type ``doc_type`` as version ``ref`` (a stored version's number or sha256, or
        the sha256 of the pack or deployed version in use); None when there is none."""
        current = self.get(doc_type)
        if current is not None and ref.strip().lower() == current.version:
            return current
        base = self._packs().get(doc_type)
        if base is not None and ref.strip().lower() == base.version:
            return base
        return self._store.version(doc_type, ref) if self._store is not None else None

    def configure(self, shipped: Path | None = None, packs_dir: Path | None = None) -> None:
        """Read the packs from these folders (``None``: the environment's) on next use."""
        from docgen.config import pack_dirs

        default_shipped, default_packs = pack_dirs()
        dirs = (shipped or default_shipped, packs_dir or default_packs)
        with self._lock:
            if dirs != self._dirs:
                self._dirs, self._types, self._single = dirs, None, {}

    @property
    def dirs(self) -> tuple[Path, Path | None]:
        if self._dirs is None:
            self.configure()
        assert self._dirs is not None
        return self._dirs

    def _loaded(self) -> dict[str, DocumentType]:
        packs = self._packs()
        store = self._store
        if store is None:
            return packs
        deployed = store.deployed()
        if not deployed:
            return packs
        merged = self._merged
        if merged is None or merged[0] is not packs or merged[1] is not deployed:
            types = dict(packs)
            types.update(deployed)  # a stored type keeps the place of the pack it replaces
            merged = self._merged = (packs, deployed, types)
        return merged[2]

    def _packs(self) -> dict[str, DocumentType]:
        types = self._types
        if types is None:
            shipped, packs_dir = self.dirs
            with self._lock:
                if self._types is None:
                    self._types = load_catalog(shipped, packs_dir)
                types = self._types
        return types

    def _one(self, key: object) -> DocumentType | None:
        """Shipped type ``key`` read from its own folder (``<template dir>/<key>/``), while
        nothing else needs the whole catalog: ``docgen render minutes`` reads one pack,
        not seven. None when that cannot answer (the catalog is loaded already, a store
        or an agency folder may replace the type, the folder is not named by its id):
        the caller then loads every pack, as before."""
        if self._types is not None or self._store is not None or not isinstance(key, str):
            return None
        found = self._single.get(key)
        if found is not None:
            return found
        shipped, packs_dir = self.dirs
        if packs_dir is not None or not _TYPE_ID.fullmatch(key):  # a plain folder name only
            return None
        folder = shipped / key
        if not (folder / DECLARATION).is_file():
            return None
        kind, _order = load_pack(folder, source="shipped", root=shipped)
        if kind.id != key:
            return None
        self._single[key] = kind
        return kind

    def __getitem__(self, key: str) -> DocumentType:
        return self._one(key) or self._loaded()[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._loaded())

    def __len__(self) -> int:
        return len(self._loaded())

    def __repr__(self) -> str:
        return f"Catalog({list(self._loaded())!r})"


DOCUMENT_TYPES = Catalog()


def get_type(doc_type: str, version: str | None = None) -> DocumentType:
    """The document type called ``doc_type``, or ``UnknownDocumentTypeError``.

    ``version`` (a template sha256, or a stored version's number) asks for that version
    rather than the deployed one: ``TemplateVersionNotFoundError`` when it has none.
    """
    try:
        kind = DOCUMENT_TYPES[doc_type]
    except (KeyError, TypeError):
        raise UnknownDocumentTypeError(str(doc_type), list(DOCUMENT_TYPES)) from None
    if version is None or version == kind.version:
        return kind
    found = DOCUMENT_TYPES.version(kind.id, version)
    if found is None:
        from docgen.store.errors import TemplateVersionNotFoundError

        raise TemplateVersionNotFoundError(kind.id, version)
    return found


def pack_schema_text() -> str:
    """The text of :data:`PACK_SCHEMA`, generated from the declaration vocabulary."""
    from docgen.catalog._pack_schema import pack_schema_text as text

    return text()


def example_payload(kind: DocumentType) -> dict[str, Any] | None:
    """A fresh copy of the type's example payload (its pack's ``example.json``), or None."""
    return copy.deepcopy(kind.example) if kind.example is not None else None
