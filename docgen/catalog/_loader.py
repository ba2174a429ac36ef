"""Packs on disk -> :class:`DocumentType`: read and compiled once per version.

A pack is a folder::

    templates/notice/
        type.toml        the declaration (docgen/catalog/pack.schema.json)
        template.docx    the Word template: the source of truth, edited in Word
        example.json     a valid payload (tests render it; the form offers it)
        README.md        optional: notes for whoever edits the pack

Shipped packs live under ``DOCGEN_TEMPLATE_DIR`` (the repository's ``templates/``);
an agency's own under ``DOCGEN_PACKS_DIR``, where a folder whose ``id`` is a
shipped type's replaces it. A pack is compiled once per version — the SHA-256 of
its declaration and template — so re-reading the folders after an edit costs a
hash per file, and a changed file is picked up by the next load.
"""

from __future__ import annotations

import hashlib
import json
import threading
from pathlib import Path
from types import ModuleType
from typing import Any

from docgen.catalog._declaration import Declaration, parse_declaration
from docgen.catalog._hooks import REGISTRIES
from docgen.catalog._type import DocumentType
from docgen.errors import PackError

DECLARATION = "type.toml"
#: A declaration is a few kilobytes; a bigger file is not one.
MAX_DECLARATION_BYTES = 256 * 1024


def pack_root(names: set[str]) -> str | None:
    """The folder inside a pack's zip holding ``type.toml``: the root ("") or its one top
    folder ("permit/"); None when there is neither (read by ``docgen check`` and the store).

    >>> pack_root({"type.toml", "template.docx"}), pack_root({"p/type.toml", "p/x"})
    ('', 'p/')
    >>> pack_root({"a/type.toml", "b/type.toml"}) is None
    True
    """
    if DECLARATION in names:
        return ""
    tops = {n.split("/", 1)[0] for n in names if "/" in n}
    if len(tops) == 1:
        top = tops.pop() + "/"
        if top + DECLARATION in names:
            return top
    return None

_compiled: dict[tuple[str, str, str], tuple[DocumentType, int]] = {}
#: Declarations by the SHA-256 of their bytes: tomllib is pure Python, a re-read is free.
_parsed: dict[str, Declaration] = {}
_lock = threading.Lock()


def _inside(folder: Path, name: str, key: str) -> Path:
    """``folder/name``, refused when ``name`` leaves the pack (``../``, absolute paths)."""
    path = (folder / name).resolve()
    if folder.resolve() not in path.parents:
        raise PackError(f"{DECLARATION}: {key} '{name}' phải là một tệp trong thư mục gói.",
                        place=f"{DECLARATION}: {key}")
    return path


def _hooked(decl: Declaration, source: str) -> dict[str, Any]:
    if decl.hooks and source != "shipped":
        raise PackError(
            f"{DECLARATION}: hooks chỉ dùng được trong gói đi kèm docgen; gói của cơ quan "
            "chỉ gồm khai báo và mẫu Word (không có mã chương trình).",
            place=f"{DECLARATION}: hooks")
    out: dict[str, Any] = {}
    for kind, name in decl.hooks.items():
        registry = REGISTRIES[kind]
        if name not in registry:
            raise PackError(f"{DECLARATION}: hooks.{kind} '{name}' không có; có: "
                            f"{', '.join(registry)}.", place=f"{DECLARATION}: hooks.{kind}")
        out[kind] = registry[name]
    return out


def _example(path: Path) -> dict[str, Any] | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError) as exc:
        raise PackError(f"{path.name}: không đọc được ví dụ JSON ({exc}).",
                        place=path.name) from exc
    if not isinstance(data, dict):
        raise PackError(f"{path.name}: ví dụ phải là một đối tượng JSON.", place=path.name)
    return data


def _build() -> ModuleType:
    """The declaration compiler, imported when a pack needs it: a pack whose schema,
    context and warnings are all hooks (the report) never does."""
    from docgen.catalog import _build as build

    return build


def _compile(folder: Path, source: str, decl: Declaration, version: str,
             template_ref: str | Path) -> tuple[DocumentType, int]:
    hooks = _hooked(decl, source)
    schema = hooks.get("schema") or _build().build_schema(decl)
    warnings = hooks.get("warnings") or _build().warnings_check(
        tuple(r for r in decl.rules if r.severity == "warning"), _build().rule_names(decl))
    return DocumentType(
        id=decl.id,
        name=decl.name,
        type_name=decl.type_name,
        type_code=decl.type_code,
        schema=schema,
        template=template_ref,
        extra_context=hooks.get("context") or _build().context_builder(decl),
        warnings=warnings,
        version=version,
        source=source,
        pack_dir=folder,
        example=_example(_inside(folder, decl.example, "example")),
        description=decl.description,
    ), decl.order


def load_pack(folder: Path, *, source: str = "folder", root: Path | None = None,
              cache: bool = True) -> tuple[DocumentType, int]:
    """The type a pack folder declares, and its ``order`` in lists.

    ``root`` (shipped packs) makes the template path relative to it, so the renderer
    reads it under ``DOCGEN_TEMPLATE_DIR``; a folder pack's path is absolute. A
    :class:`PackError` says which folder, then the place inside it. ``cache=False`` for
    a pack read once from a throwaway folder (``docgen check`` of an upload): nothing of
    it is kept.
    """
    try:
        return _load_pack(folder, source, root, cache)
    except PackError as exc:
        if exc.message.startswith("Gói "):
            raise
        raise PackError(f"Gói {folder}: {exc.message}", place=exc.place) from exc


def _load_pack(folder: Path, source: str, root: Path | None,
               cache: bool = True) -> tuple[DocumentType, int]:
    declaration = folder / DECLARATION
    try:
        if declaration.stat().st_size > MAX_DECLARATION_BYTES:
            raise PackError(f"{DECLARATION} quá lớn (tối đa {MAX_DECLARATION_BYTES} byte).",
                            place=DECLARATION)
        raw = declaration.read_bytes()
        text = raw.decode("utf-8")
    except OSError as exc:
        raise PackError(f"Không đọc được {declaration}: {exc.strerror}.",
                        place=DECLARATION) from exc
    except UnicodeDecodeError as exc:
        raise PackError(f"{DECLARATION} phải là văn bản UTF-8.", place=DECLARATION) from exc
    declared = hashlib.sha256(raw).hexdigest()
    decl = _parsed.get(declared)
    if decl is None:
        decl = parse_declaration(text, file=DECLARATION)
        if cache:
            _parsed[declared] = decl
    template_name = decl.template
    template = _inside(folder, template_name, "template")
    try:
        template_bytes = template.read_bytes()
    except OSError as exc:
        raise PackError(f"Gói {folder}: không có mẫu Word {template_name}.",
                        place=template_name) from exc
    version = hashlib.sha256(template_bytes).hexdigest()
    example = folder / "example.json"
    example_hash = hashlib.sha256(example.read_bytes()).hexdigest() if example.is_file() else ""
    key = (str(folder.resolve()), declared + example_hash, version + source)
    template_ref: str | Path = (str(template.relative_to(root.resolve())) if root is not None
                                else template)
    if not cache:
        return _compile(folder, source, decl, version, template_ref)
    with _lock:
        found = _compiled.get(key)
        if found is None:
            found = _compiled[key] = _compile(folder, source, decl, version, template_ref)
    return found


def load_folder(root: Path, *, source: str) -> dict[str, tuple[DocumentType, int]]:
    """Every pack directly under ``root`` (folders holding a ``type.toml``), by id."""
    found: dict[str, tuple[DocumentType, int]] = {}
    if not root.is_dir():
        return found
    for folder in sorted(p for p in root.iterdir() if (p / DECLARATION).is_file()):
        kind, order = load_pack(folder, source=source,
                                root=root if source == "shipped" else None)
        if kind.id in found:
            raise PackError(f"Hai gói cùng id '{kind.id}': {found[kind.id][0].pack_dir} và "
                            f"{folder}.", place=f"{folder.name}/{DECLARATION}: id")
        found[kind.id] = (kind, order)
    return found


def load_catalog(shipped: Path, packs_dir: Path | None = None) -> dict[str, DocumentType]:
    """Shipped packs, then the agency's (replacing a shipped type of the same id)."""
    types = load_folder(shipped, source="shipped")
    if packs_dir is not None:
        if not packs_dir.is_dir():
            raise PackError(f"DOCGEN_PACKS_DIR: không có thư mục {packs_dir}.",
                            place="DOCGEN_PACKS_DIR")
        types.update(load_folder(packs_dir, source="folder"))
    ordered = sorted(types.values(), key=lambda pair: (pair[1], pair[0].id))
    return {kind.id: kind for kind, _order in ordered}
