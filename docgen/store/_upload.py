"""Reading an upload — a pack (zip) or a Word template (.docx) — before anything is stored.

Each check refuses with a Vietnamese message naming the place (the file inside the zip,
the declaration key) and a stable code; nothing here writes anywhere:

1. the size, against ``DOCGEN_STORE_MAX_BYTES``, before the archive is opened;
2. the zip's central directory (:func:`docgen.safezip.check_zip`): members, sizes and
   ratios bounded, so no bomb is ever decompressed;
3. a pack: ``type.toml`` at its root (or in its one top folder), parsed by the packs
   loader (unknown keys, wrong kinds: :class:`~docgen.errors.PackError`, with its place);
   the template and example it names, which must stay inside the pack;
4. a template: a Word document (``word/document.xml``), whose XML parts declare no DTD
   and no entity (the "billion laughs" and external entities are refused, not parsed).
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass
from pathlib import PurePosixPath

from docgen.catalog import DECLARATION, pack_root, parse_declaration
from docgen.errors import PackError
from docgen.safezip import MEMBER_READ_ERRORS, ZipLimits, check_zip
from docgen.store.errors import (
    PackRefusedError,
    UnsafeXmlError,
    UploadRefusedError,
    UploadTooLargeError,
)

__all__ = ["Upload", "read_pack", "read_template"]

#: A pack is a few files: a declaration, one template, one example, a README.
PACK_LIMITS = ZipLimits(total_bytes=50 * 1024 * 1024, member_bytes=20 * 1024 * 1024,
                        members=50)
#: A Word template: its parts are XML, images and fonts.
DOCX_LIMITS = ZipLimits(total_bytes=100 * 1024 * 1024, member_bytes=50 * 1024 * 1024,
                        members=2_000)
MAX_DECLARATION_BYTES = 256 * 1024
_DTD = re.compile(rb"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)


@dataclass(frozen=True)
class Upload:
    """The files of one version as uploaded: ``declaration``/``example`` are ``None`` for a
    bare template (the type's current ones are used)."""

    template: bytes
    declaration: str | None = None
    example: str | None = None
    #: The names the declaration gives (``template.docx``, ``example.json``).
    template_name: str = "template.docx"
    example_name: str = "example.json"

    @property
    def type_id(self) -> str | None:
        return parse_declaration(self.declaration, file=DECLARATION).id \
            if self.declaration is not None else None


def _bounded(data: bytes, name: str, max_bytes: int) -> None:
    if len(data) > max_bytes:
        raise UploadTooLargeError(
            f"Tệp '{name}' có {len(data):,} byte, vượt giới hạn {max_bytes:,} byte "
            "(DOCGEN_STORE_MAX_BYTES).".replace(",", "."))
    if not data:
        raise UploadRefusedError(f"Tệp '{name}' rỗng.", place=name)


def read_template(data: bytes, name: str = "template.docx", *,
                  max_bytes: int = 10 * 1024 * 1024) -> bytes:
    """``data`` if it is a Word document that is safe to open, else the refusal."""
    _bounded(data, name, max_bytes)
    members = check_zip(io.BytesIO(data), name=name, limits=DOCX_LIMITS)
    names = {m.filename for m in members}
    if "word/document.xml" not in names or "[Content_Types].xml" not in names:
        raise UploadRefusedError(
            f"Tệp '{name}' không phải văn bản Word (.docx): thiếu word/document.xml.",
            place=name)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for member in members:
            if not member.filename.endswith((".xml", ".rels")):
                continue
            try:
                part = archive.read(member)
            except MEMBER_READ_ERRORS as exc:  # CRC, truncated, damaged data
                raise UploadRefusedError(f"Tệp '{name}': không đọc được phần "
                                         f"{member.filename}.", place=name) from exc
            if _DTD.search(part):
                raise UnsafeXmlError(
                    f"Tệp '{name}': phần {member.filename} khai báo DTD hoặc thực thể XML "
                    "(<!DOCTYPE>, <!ENTITY>), điều Word không bao giờ ghi; không nhận.",
                    place=f"{name}: {member.filename}")
    return data


def _member_name(declared: str, key: str) -> str:
    path = PurePosixPath(declared)
    if path.is_absolute() or ".." in path.parts or not path.parts:
        raise PackRefusedError(f"{DECLARATION}: {key} '{declared}' phải là một tệp trong "
                               "gói.", place=f"{DECLARATION}: {key}", cause="invalid_pack")
    return str(path)


def _root(names: set[str], archive_name: str) -> str:
    """The folder inside the zip holding ``type.toml``, or the upload is refused."""
    root = pack_root(names)
    if root is not None:
        return root
    raise UploadRefusedError(
        f"Gói '{archive_name}' không có {DECLARATION} ở gốc (hay trong một thư mục duy nhất).",
        place=DECLARATION)


def read_pack(data: bytes, name: str = "pack.zip", *,
              max_bytes: int = 10 * 1024 * 1024) -> Upload:
    """The pack in ``data`` (a zip), its declaration parsed and its template checked."""
    _bounded(data, name, max_bytes)
    members = {m.filename: m for m in check_zip(io.BytesIO(data), name=name,
                                                limits=PACK_LIMITS)}
    root = _root(set(members), name)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        def read(member: str, place: str) -> bytes | None:
            info = members.get(root + member)
            if info is None:
                return None
            try:
                return archive.read(info)
            except MEMBER_READ_ERRORS as exc:
                raise UploadRefusedError(f"Gói '{name}': không đọc được {member}.",
                                         place=place) from exc

        raw = read(DECLARATION, DECLARATION) or b""
        if len(raw) > MAX_DECLARATION_BYTES:
            raise UploadRefusedError(f"{DECLARATION} quá lớn (tối đa {MAX_DECLARATION_BYTES} "
                                     "byte).", place=DECLARATION)
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise PackRefusedError(f"{DECLARATION} phải là văn bản UTF-8.", place=DECLARATION,
                                   cause="invalid_pack") from exc
        try:
            decl = parse_declaration(text, file=DECLARATION)
        except PackError as exc:
            raise PackRefusedError(exc.message, place=exc.place, cause=exc.code) from exc
        template_name = _member_name(decl.template, "template")
        example_name = _member_name(decl.example, "example")
        template = read(template_name, template_name)
        if template is None:
            raise UploadRefusedError(f"Gói '{name}' không có mẫu Word {template_name}.",
                                     place=template_name)
        example = read(example_name, example_name)
        if example is None:
            raise UploadRefusedError(
                f"Gói '{name}' không có dữ liệu mẫu {example_name}: mỗi gói tải lên cần một "
                "ví dụ hợp lệ (dùng để thử điền mẫu trước khi nhận).", place=example_name)
    try:
        example_text = example.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise PackRefusedError(f"{example_name} phải là văn bản UTF-8.", place=example_name,
                               cause="invalid_pack") from exc
    return Upload(template=read_template(template, template_name, max_bytes=max_bytes),
                  declaration=text, example=example_text, template_name=template_name,
                  example_name=example_name)
