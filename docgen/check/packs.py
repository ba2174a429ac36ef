"""``docgen check`` of a pack: its declaration, its template against it, its example rendered.

The bridge from packs (a folder, or a zip as uploaded) to the checker, beside
:mod:`docgen.check.types` (the catalog's types). A pack is checked the way the loader
and the template store read it, and every problem comes back at once as findings:

1. a zip is read safely first — its size, its central directory against
   :data:`PACK_LIMITS` (no bomb is decompressed, :func:`docgen.safezip.check_zip`), the
   names of its members (nothing outside the pack) — then written to a throwaway folder;
2. the declaration ``type.toml`` as the packs loader reads it (unknown keys with "did you
   mean", wrong kinds, rules naming missing fields, ``[hooks]`` outside the shipped
   packs: the vocabulary ``pack.schema.json`` is generated from), ``invalid_pack``;
3. the example ``example.json`` against the schema made from the declaration,
   ``example_invalid`` per field;
4. the Word template through :func:`check_template` with the pack's fields, example and
   derived values: tags, names, Decree 30 layout, the example rendered. A template that
   cannot be read (not a .docx, a DTD…) is its own finding; a declaration that does not
   load, or an example that does not validate (the derived names come from its
   context), still lets the template be checked as a bare .docx: tags and layout.

Nothing here raises for a problem in the pack, and nothing read from it is kept (the
loader's cache is not used for a throwaway folder).
"""

from __future__ import annotations

import io
import tempfile
import zipfile
from collections.abc import Mapping
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any

from docgen.catalog import (
    DECLARATION,
    DOCUMENT_TYPES,
    DocumentType,
    load_pack,
    pack_root,
    parse_declaration,
)
from docgen.errors import InputError, PackError, UnreadableInputError, ValidationError
from docgen.safezip import ZipBombError, ZipLimits, check_zip
from docgen.schemas.base import load_payload
from docgen.schemas.walk import describe_schema

from ._check import check_template, default_engine
from ._findings import ERROR, Finding
from ._package import DEFAULT_LIMITS

if TYPE_CHECKING:
    from docgen.rendering import Renderer as DocumentRenderer

__all__ = ["PACK_LIMITS", "check_pack_folder", "check_pack_zip"]

#: A pack is a few files: a declaration, one template, one example, a README (as the
#: template store bounds an upload).
PACK_LIMITS = ZipLimits(total_bytes=50 * 1024 * 1024, member_bytes=20 * 1024 * 1024,
                        members=50)


def check_pack_zip(data: bytes, *, name: str = "pack.zip", doc_type: str | None = None,
                   renderer: DocumentRenderer | None = None) -> list[Finding]:
    """Every finding for the pack in the zip ``data`` (``name`` as its user knows it)."""
    if len(data) > DEFAULT_LIMITS.max_bytes:
        return [Finding("too_large", ERROR, f"Gói '{name}' có {len(data):,} byte, vượt giới "
                        f"hạn {DEFAULT_LIMITS.max_bytes:,} byte.".replace(",", "."))]
    try:
        members = check_zip(io.BytesIO(data), name=name, limits=PACK_LIMITS)
    except ZipBombError as exc:
        return [Finding("zip_bomb", ERROR, exc.message, exc.member or "")]
    except UnreadableInputError:
        return [Finding("not_pack", ERROR, f"Tệp '{name}' không phải gói loại văn bản: không "
                        "phải tệp nén (zip) đọc được.")]
    files = {m.filename: m for m in members if not m.is_dir()}
    root = pack_root(set(files))
    if root is None:
        return [Finding("not_pack", ERROR, f"Gói '{name}' không có {DECLARATION} ở gốc (hay "
                        "trong một thư mục duy nhất).")]
    with tempfile.TemporaryDirectory(prefix="docgen-check-") as tmp:
        folder = Path(tmp)
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            for member, info in files.items():
                if not member.startswith(root):
                    continue
                relative = PurePosixPath(member[len(root):])
                if relative.is_absolute() or ".." in relative.parts or "\\" in member:
                    return [Finding("not_pack", ERROR, f"Gói '{name}': thành phần '{member}' "
                                    "nằm ngoài gói; không kiểm tra.", member)]
                try:
                    content = archive.read(info)
                except (zipfile.BadZipFile, OSError, ValueError):  # CRC, truncated
                    return [Finding("not_pack", ERROR, f"Gói '{name}': không đọc được "
                                    f"thành phần '{member}'.", member)]
                target = folder.joinpath(*relative.parts)
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(content)
        return _check_folder(folder, shown=name, source="folder", doc_type=doc_type,
                             renderer=renderer)


def check_pack_folder(folder: Path, *, doc_type: str | None = None,
                      renderer: DocumentRenderer | None = None) -> list[Finding]:
    """Every finding for the pack in ``folder``: a shipped pack (a folder of the shipped
    packs' directory, whose ``[hooks]`` name docgen's code) or an agency's."""
    if not (folder / DECLARATION).is_file():
        return [Finding("not_pack", ERROR, f"Thư mục '{folder}' không có {DECLARATION}: "
                        "không phải gói loại văn bản.")]
    shipped_dir = DOCUMENT_TYPES.dirs[0].resolve()
    source = "shipped" if folder.resolve().parent == shipped_dir else "folder"
    return _check_folder(folder, shown=str(folder), source=source, doc_type=doc_type,
                         renderer=renderer)


def _declared_names(folder: Path) -> tuple[str, str]:
    """The template's and the example's file names, as far as the declaration says them."""
    try:
        decl = parse_declaration((folder / DECLARATION).read_text(encoding="utf-8"),
                                 file=DECLARATION)
    except (OSError, UnicodeDecodeError, PackError):
        return "template.docx", "example.json"
    return decl.template, decl.example


def _check_folder(folder: Path, *, shown: str, source: str, doc_type: str | None,
                  renderer: DocumentRenderer | None) -> list[Finding]:
    findings: list[Finding] = []
    kind: DocumentType | None = None
    try:
        kind, _order = load_pack(folder, source=source, cache=False)
    except PackError as exc:
        message = exc.message.removeprefix(f"Gói {folder}: ")
        findings.append(Finding("invalid_pack", ERROR, message, exc.place or DECLARATION))
    template_name, example_name = _declared_names(folder)
    if kind is not None and doc_type is not None and kind.id != doc_type:
        findings.append(Finding("pack_id_mismatch", ERROR, f"Gói khai báo id = '{kind.id}', "
                                f"nhưng được kiểm tra như loại '{doc_type}'.",
                                f"{DECLARATION}: id"))
    template = _template_bytes(folder, template_name)
    if template is None:
        if not any(f.code == "invalid_pack" for f in findings):  # the loader said it already
            findings.append(Finding("invalid_pack", ERROR, f"Gói '{shown}' không có mẫu Word "
                                    f"{template_name}.", template_name))
        return findings
    if kind is None:
        return findings + _in(template_name, check_template(template))
    example = kind.example
    if example is None:
        findings.append(Finding("invalid_pack", ERROR, f"Gói không có dữ liệu mẫu "
                                f"{example_name}: mỗi gói cần một ví dụ hợp lệ (dùng để thử "
                                "điền mẫu).", example_name))
    else:
        findings += _example_errors(kind, example, example_name)
    if example is None or findings:
        # The derived names (number_symbol, date_line …) come from a valid example's
        # context: without one the names are not checked, the rest of the template is.
        engine = renderer.engine if renderer is not None else default_engine()
        return findings + _in(template_name, check_template(template, engine=engine))
    return findings + _in(template_name, _check_kind(template, kind, example, renderer))


def _template_bytes(folder: Path, name: str) -> bytes | None:
    path = (folder / name).resolve()
    if folder.resolve() not in path.parents:
        return None
    try:
        return path.read_bytes()
    except OSError:
        return None


def _example_errors(kind: DocumentType, example: Mapping[str, Any],
                    example_name: str) -> list[Finding]:
    try:
        load_payload(kind.schema(), example)
    except ValidationError as exc:
        return [Finding("example_invalid", ERROR, f"Dữ liệu mẫu không hợp lệ theo khai báo: "
                        f"{e.path}: {e.message} [{e.code}]", f"{example_name}: {e.path}")
                for e in exc.errors]
    except InputError as exc:
        return [Finding("example_invalid", ERROR, f"Dữ liệu mẫu không hợp lệ: {exc.message}",
                        example_name)]
    return []


def _check_kind(template: bytes, kind: DocumentType, example: Mapping[str, Any] | None,
                renderer: DocumentRenderer | None) -> list[Finding]:
    """``template`` checked as the pack's type: its fields, derived values and example."""
    engine = renderer.engine if renderer is not None else default_engine()

    def context(payload: Mapping[str, Any]) -> Mapping[str, Any]:
        return kind.build_context(load_payload(kind.schema(), payload))

    def render(docx: bytes, payload: Mapping[str, Any]) -> bytes:
        return engine.compile(docx).render(context(payload))

    return check_template(template, fields=describe_schema(kind.schema), example=example,
                          render=render, context=context, engine=engine)


def _in(template_name: str, findings: list[Finding]) -> list[Finding]:
    """The template's findings, their location prefixed with its file name in the pack."""
    return [Finding(f.code, f.severity, f.message,
                    f"{template_name}: {f.location}" if f.location else template_name)
            for f in findings]
