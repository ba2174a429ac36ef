"""The template store: versions of packs in the register database, one deployed per type.

:class:`TemplateStore` is what the API, the CLI and the administrators' page call, and
the catalog's third source of types (after the shipped packs and ``DOCGEN_PACKS_DIR``):

* ``add_type`` / ``add_version`` read the upload (:mod:`._upload`), prove it in a
  temporary folder (:mod:`._prove`) and only then write one row — so a refused upload
  stores nothing and leaves the deployed version as it was;
* a version's number is taken with its type's row locked (``SELECT … FOR UPDATE`` on
  PostgreSQL, ``BEGIN IMMEDIATE`` on SQLite): two uploads at once get two numbers;
* ``deploy`` points the type at one of its versions (any: a roll-back is a deploy of an
  older one), or back at the shipped/folder pack with that pack's sha256;
* a stored version is written once into a folder named by its content under
  ``<instance>/store/`` and loaded by the packs loader, compiled once per version;
* ``deployed()`` is read by every ``get_type``: it asks the database which versions are
  deployed at most every ``refresh`` seconds (another worker or the CLI may have
  deployed), and at once after a change made through this object.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import os
import shutil
import tempfile
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError, SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker, undefer

from docgen.catalog import DECLARATION, DOCUMENT_TYPES, DocumentType, parse_declaration
from docgen.errors import UnknownDocumentTypeError
from docgen.register.db import writing
from docgen.register.models import utcnow
from docgen.store._prove import load_version, prove
from docgen.store._upload import Upload, read_pack, read_template
from docgen.store.errors import (
    DocumentTypeExistsError,
    PackIdMismatchError,
    StoreUnavailableError,
    TemplateVersionNotFoundError,
)
from docgen.store.models import StoredType, StoredVersion

log = logging.getLogger(__name__)

__all__ = ["Added", "TemplateStore", "VersionInfo"]


@dataclass(frozen=True)
class VersionInfo:
    """One version as the API, the CLI and the page show it."""

    type_id: str
    version: int
    sha256: str
    author: str
    comment: str
    created_at: dt.datetime
    deployed: bool

    def to_dict(self) -> dict[str, Any]:
        return {"version": self.version, "sha256": self.sha256, "author": self.author,
                "comment": self.comment, "created_at": self.created_at.isoformat(),
                "deployed": self.deployed}


@dataclass(frozen=True)
class Added:
    """A stored upload: its version, and the check's warnings (errors refuse it)."""

    info: VersionInfo
    findings: list[dict[str, str]]

    def to_dict(self) -> dict[str, Any]:
        return {"document_type": self.info.type_id, "version": self.info.version,
                "sha256": self.info.sha256, "deployed": self.info.deployed,
                "findings": self.findings}


def _info(row: StoredVersion, deployed_id: int | None) -> VersionInfo:
    created = row.created_at
    if created.tzinfo is None:  # SQLite gives naive datetimes back
        created = created.replace(tzinfo=dt.UTC)
    return VersionInfo(row.type_id, row.number, row.sha256, row.author, row.comment, created,
                       row.id == deployed_id)


def _content_key(declaration: str, template: bytes, example: str | None) -> str:
    digest = hashlib.sha256()
    for part in (declaration.encode("utf-8"), template, (example or "").encode("utf-8")):
        digest.update(hashlib.sha256(part).digest())
    return digest.hexdigest()


def _write_pack(folder: Path, declaration: str, template: bytes, example: str | None) -> None:
    decl = parse_declaration(declaration, file=DECLARATION)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / DECLARATION).write_text(declaration, encoding="utf-8")
    (folder / decl.template).parent.mkdir(parents=True, exist_ok=True)
    (folder / decl.template).write_bytes(template)
    if example is not None:
        (folder / decl.example).parent.mkdir(parents=True, exist_ok=True)
        (folder / decl.example).write_text(example, encoding="utf-8")


class TemplateStore:
    """Versions in the register database; see the module docstring."""

    def __init__(self, session_factory: sessionmaker[Session], cache_dir: Path, *,
                 max_bytes: int = 10 * 1024 * 1024, refresh: float = 2.0) -> None:
        self.session_factory = session_factory
        self.cache_dir = Path(cache_dir)
        self.max_bytes = max_bytes
        self.refresh = refresh
        self._lock = threading.RLock()
        self._loaded: dict[int, DocumentType] = {}  # version row id -> type, compiled once
        self._deployed: dict[str, DocumentType] = {}
        self._deployed_ids: dict[str, int] = {}
        self._checked = -float("inf")

    # --- the catalog's source -----------------------------------------------------------

    def deployed(self) -> Mapping[str, DocumentType]:
        """The deployed version of every stored type, by id (re-read every ``refresh`` s)."""
        if time.monotonic() - self._checked < self.refresh:
            return self._deployed
        with self._lock:
            if time.monotonic() - self._checked < self.refresh:
                return self._deployed
            try:
                with self.session_factory() as session:
                    rows = session.execute(
                        select(StoredType.type_id, StoredType.deployed_version_id)
                        .where(StoredType.deployed_version_id.is_not(None))
                        .order_by(StoredType.created_at, StoredType.type_id)).all()
                    ids = {row[0]: row[1] for row in rows}
                    if ids != self._deployed_ids:
                        self._deployed = {tid: self._load(session, vid)
                                          for tid, vid in ids.items() if vid is not None}
                        self._deployed_ids = {t: v for t, v in ids.items() if v is not None}
            except SQLAlchemyError as exc:  # the register is down: keep what was loaded
                log.warning("template store unreadable, keeping %d deployed types: %s",
                            len(self._deployed), exc)
            self._checked = time.monotonic()
            return self._deployed

    def version(self, type_id: str, ref: str) -> DocumentType | None:
        """The type as version ``ref`` (its number or sha256) declares it; None if unknown."""
        with self.session_factory() as session:
            row = self._find(session, type_id, ref)
            return self._load(session, row.id) if row is not None else None

    def forget(self) -> None:
        """Read the deployed versions again on next use (after a change)."""
        self._checked = -float("inf")

    # --- reading --------------------------------------------------------------------------

    def versions(self, type_id: str) -> list[VersionInfo]:
        """Every version of ``type_id``, newest first (empty for a type never uploaded)."""
        with self.session_factory() as session:
            deployed = session.get(StoredType, type_id)
            rows = session.scalars(select(StoredVersion).where(StoredVersion.type_id == type_id)
                                   .order_by(StoredVersion.number.desc())).all()
            return [_info(r, deployed.deployed_version_id if deployed else None) for r in rows]

    def deployed_version(self, type_id: str) -> VersionInfo | None:
        with self.session_factory() as session:
            stored = session.get(StoredType, type_id)
            if stored is None or stored.deployed_version_id is None:
                return None
            row = session.get(StoredVersion, stored.deployed_version_id)
            return _info(row, row.id) if row is not None else None

    # --- changing -------------------------------------------------------------------------

    def add_type(self, pack: bytes, *, name: str = "pack.zip", author: str,
                 comment: str = "") -> Added:
        """A new type from a pack zip, deployed as its version 1 (409 if the id exists)."""
        upload = read_pack(pack, name, max_bytes=self.max_bytes)
        type_id = upload.type_id or ""
        if type_id in DOCUMENT_TYPES.base() or self._exists(type_id):
            raise DocumentTypeExistsError(
                f"Loại văn bản '{type_id}' đã có; thêm phiên bản mới qua "
                f"/api/v1/document-types/{type_id}/versions (docgen types add).")
        return self._store(type_id, upload, shipped_declaration=False, author=author,
                           comment=comment, new_type=True)

    def add_version(self, type_id: str, *, pack: bytes | None = None,
                    template: bytes | None = None, name: str = "", author: str,
                    comment: str = "") -> Added:
        """A new version of an existing type (not deployed): a whole pack, or a template
        used with the type's current declaration and example."""
        base = self._current(type_id)
        if pack is not None:
            upload = read_pack(pack, name or "pack.zip", max_bytes=self.max_bytes)
            if upload.type_id != type_id:
                raise PackIdMismatchError(
                    f"{DECLARATION}: id = '{upload.type_id}', nhưng phiên bản này được tải "
                    f"lên cho loại '{type_id}'.")
            shipped = False
        elif template is not None:
            data = read_template(template, name or "template.docx", max_bytes=self.max_bytes)
            declaration, example, shipped = self._declaration_of(base)
            upload = Upload(template=data, declaration=declaration, example=example)
        else:
            raise PackIdMismatchError("Gửi một mẫu Word (template) hoặc một gói (pack).")
        return self._store(type_id, upload, shipped_declaration=shipped, author=author,
                           comment=comment, new_type=False)

    def deploy(self, type_id: str, ref: str, *, author: str) -> VersionInfo | None:
        """Use version ``ref`` (number or sha256) of ``type_id`` by default; with the sha256
        of the shipped/folder pack's template, go back to that pack (returns None)."""
        base = DOCUMENT_TYPES.base().get(type_id)
        # The pack's own sha256 means the pack, even when a stored version (a pack upload
        # that kept the shipped template, with another declaration) has the same template.
        to_pack = base is not None and str(ref).strip().lower() == base.version
        with writing(self.session_factory) as session:
            stored = session.get(StoredType, type_id, with_for_update=True)
            row = (self._find(session, type_id, ref)
                   if stored is not None and not to_pack else None)
            if row is None:
                if to_pack:
                    if stored is not None:
                        stored.deployed_version_id = None
                        stored.deployed_at, stored.deployed_by = utcnow(), author
                    self.forget()
                    return None
                if base is None and stored is None:
                    raise UnknownDocumentTypeError(type_id, list(DOCUMENT_TYPES))
                raise TemplateVersionNotFoundError(type_id, ref)
            assert stored is not None
            stored.deployed_version_id = row.id
            stored.deployed_at, stored.deployed_by = utcnow(), author
            info = _info(row, row.id)
        self.forget()
        return info

    # --- inside ---------------------------------------------------------------------------

    def _exists(self, type_id: str) -> bool:
        with self.session_factory() as session:
            return session.get(StoredType, type_id) is not None

    def _current(self, type_id: str) -> DocumentType:
        """The type as served now (the deployed version, else the shipped/folder pack)."""
        kind = DOCUMENT_TYPES.get(type_id)
        if kind is None:
            raise UnknownDocumentTypeError(type_id, list(DOCUMENT_TYPES))
        return kind

    def _declaration_of(self, kind: DocumentType) -> tuple[str, str | None, bool]:
        """The declaration and example a bare template is stored with: the current ones."""
        if kind.pack_dir is None:
            raise PackIdMismatchError(f"Loại '{kind.id}' không đến từ một gói; gửi cả gói.")
        decl = parse_declaration((kind.pack_dir / DECLARATION).read_text(encoding="utf-8"),
                                 file=DECLARATION)
        example = kind.pack_dir / decl.example
        shipped = kind.source == "shipped" or (
            kind.source == "store" and self._shipped_declaration(kind))
        return ((kind.pack_dir / DECLARATION).read_text(encoding="utf-8"),
                example.read_text(encoding="utf-8") if example.is_file() else None, shipped)

    def _shipped_declaration(self, kind: DocumentType) -> bool:
        """Whether the deployed version of ``kind`` carries a shipped pack's declaration."""
        with self.session_factory() as session:
            stored = session.get(StoredType, kind.id)
            row = (session.get(StoredVersion, stored.deployed_version_id)
                   if stored is not None and stored.deployed_version_id is not None else None)
            return bool(row is not None and row.shipped_declaration)

    def _store(self, type_id: str, upload: Upload, *, shipped_declaration: bool, author: str,
               comment: str, new_type: bool) -> Added:
        assert upload.declaration is not None
        with tempfile.TemporaryDirectory(prefix="docgen-upload-") as tmp:
            _write_pack(Path(tmp), upload.declaration, upload.template, upload.example)
            _kind, findings = prove(Path(tmp), shipped_declaration=shipped_declaration)
        sha256 = hashlib.sha256(upload.template).hexdigest()
        try:
            with writing(self.session_factory) as session:
                if new_type:
                    session.add(StoredType(type_id=type_id, created_at=utcnow(),
                                           deployed_by=author))
                    session.flush()
                else:
                    _insert_ignoring(session, type_id=type_id, created_at=utcnow(),
                                     deployed_by="")
                stored = session.get(StoredType, type_id, with_for_update=True)
                assert stored is not None
                last = session.scalar(select(func.max(StoredVersion.number))
                                      .where(StoredVersion.type_id == type_id)) or 0
                row = StoredVersion(type_id=type_id, number=last + 1, sha256=sha256,
                                    declaration=upload.declaration, example=upload.example,
                                    template=upload.template,
                                    shipped_declaration=shipped_declaration, author=author,
                                    comment=comment, created_at=utcnow())
                session.add(row)
                session.flush()
                if new_type:
                    stored.deployed_version_id = row.id
                    stored.deployed_at = utcnow()
                info = _info(row, stored.deployed_version_id)
        except IntegrityError as exc:
            if new_type:
                raise DocumentTypeExistsError(
                    f"Loại văn bản '{type_id}' vừa được thêm bởi một yêu cầu khác.") from exc
            raise StoreUnavailableError("Không ghi được phiên bản mẫu; hãy thử lại.") from exc
        self.forget()
        return Added(info, findings)

    def _find(self, session: Session, type_id: str, ref: str) -> StoredVersion | None:
        ref = str(ref).strip().lower()
        query = select(StoredVersion).where(StoredVersion.type_id == type_id)
        if ref.isdigit() and len(ref) < 10:
            query = query.where(StoredVersion.number == int(ref))
        elif len(ref) == 64 and all(c in "0123456789abcdef" for c in ref):
            query = query.where(StoredVersion.sha256 == ref)
        else:
            return None
        # The same template uploaded twice: the newest upload of it.
        return session.scalars(query.order_by(StoredVersion.number.desc()).limit(1)).first()

    def _load(self, session: Session, version_id: int) -> DocumentType:
        with self._lock:
            found = self._loaded.get(version_id)
        if found is not None:
            return found
        row = session.scalars(select(StoredVersion).where(StoredVersion.id == version_id)
                              .options(undefer(StoredVersion.template))).one()
        key = _content_key(row.declaration, row.template, row.example)
        folder = self.cache_dir / row.type_id / key[:32]
        if not (folder / DECLARATION).is_file():
            tmp = Path(tempfile.mkdtemp(prefix=".tmp-", dir=_mkdir(self.cache_dir)))
            _write_pack(tmp, row.declaration, row.template, row.example)
            folder.parent.mkdir(parents=True, exist_ok=True)
            try:
                os.rename(tmp, folder)
            except OSError:  # another process wrote the same content first
                shutil.rmtree(tmp, ignore_errors=True)
        kind = load_version(folder, shipped_declaration=row.shipped_declaration)
        with self._lock:
            return self._loaded.setdefault(version_id, kind)


def _insert_ignoring(session: Session, **values: Any) -> None:
    """``INSERT … ON CONFLICT DO NOTHING`` of a store_types row, in the session's dialect."""
    insert = postgresql.insert if session.get_bind().dialect.name == "postgresql" \
        else sqlite.insert
    session.execute(insert(StoredType).values(**values)
                    .on_conflict_do_nothing(index_elements=["type_id"]))


def _mkdir(path: Path) -> Path:
    path.mkdir(parents=True, exist_ok=True)
    return path
