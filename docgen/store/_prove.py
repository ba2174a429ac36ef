"""Proving a version before it is stored: load it as a pack, validate and render its example.

:func:`prove` runs on a folder holding the version's files (a temporary one for an
upload). The pack is loaded by the packs loader itself (so an upload is refused for
exactly what a folder pack would be), its example validated by the schema generated from
its declaration, and the template filled with it in the sandbox — a tag reading outside
it (``''.__class__``), an unknown filter, a syntax error: each refused with the loader's
or the engine's own code as ``cause``.

When :mod:`docgen.check` is installed (``docgen check``), it runs instead of the plain
render, on the same arguments: errors refuse the upload (422 listing every finding),
warnings come back with the stored version.
"""

from __future__ import annotations

import dataclasses
import importlib
import importlib.util
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from docgen import vi
from docgen.catalog import DocumentType, load_pack
from docgen.engine import Engine
from docgen.errors import DocgenError, InputError, PackError, TemplateError, ValidationError
from docgen.schemas.base import load_payload
from docgen.store.errors import PackRefusedError, TemplateCheckFailedError

__all__ = ["SOURCE", "load_version", "prove"]

#: ``DocumentType.source`` of a type served from the store.
SOURCE = "store"


def load_version(folder: Path, *, shipped_declaration: bool) -> DocumentType:
    """The type the version in ``folder`` declares, marked as coming from the store.

    A declaration docgen copied from a shipped pack keeps that pack's hooks (they name
    docgen's own code); an uploaded declaration is loaded as any agency's pack, without.
    """
    kind, _order = load_pack(folder, source="shipped" if shipped_declaration else SOURCE)
    return dataclasses.replace(kind, source=SOURCE)


def _refused(exc: DocgenError, place: str) -> PackRefusedError:
    part = getattr(exc, "part", "") or ""
    where = getattr(exc, "place", "") or (f"{place}: {part}" if part else place)
    message = exc.message
    if isinstance(exc, ValidationError):
        listed = "; ".join(f"{e.path}: {e.message}" for e in exc.errors[:5])
        message = f"{place}: dữ liệu mẫu không hợp lệ theo khai báo — {listed}"
    return PackRefusedError(message, place=str(where), cause=exc.code)


def _check_module() -> Any | None:
    """``docgen.check`` when this installation has it (the ``check`` feature), else None."""
    if importlib.util.find_spec("docgen.check") is None:
        return None
    return importlib.import_module("docgen.check")


def prove(folder: Path, *, shipped_declaration: bool = False,
          engine: Engine | None = None) -> tuple[DocumentType, list[dict[str, str]]]:
    """The version's type and the check's warnings, or the refusal (nothing is stored)."""
    try:
        kind = load_version(folder, shipped_declaration=shipped_declaration)
    except PackError as exc:
        raise _refused(exc, "type.toml") from exc
    template = Path(kind.template)
    example_name = "example.json"
    if kind.example is None:
        raise PackRefusedError(f"Gói cần dữ liệu mẫu {example_name} để thử điền mẫu.",
                               place=example_name, cause="invalid_pack")
    try:
        clean = load_payload(kind.schema(), kind.example)
    except InputError as exc:
        raise _refused(exc, example_name) from exc
    engine = engine or Engine(filters=vi.FILTERS)  # a throwaway cache: nothing outlives it

    def context(payload: Mapping[str, Any]) -> Mapping[str, Any]:
        return kind.build_context(load_payload(kind.schema(), payload))

    checker = _check_module()
    if checker is not None:
        from docgen.schemas.walk import describe_schema

        compile_docx = getattr(engine, "compile", None)  # the check's engine has compile()

        def render(docx: bytes, payload: Mapping[str, Any]) -> bytes:
            assert compile_docx is not None
            return compile_docx(docx).render(context(payload))  # type: ignore[no-any-return]

        findings = [f.to_dict() for f in checker.check_template(
            template.read_bytes(), fields=describe_schema(kind.schema), example=kind.example,
            render=render, context=context, engine=engine)]
        errors = [f for f in findings if f["severity"] == "error"]
        if errors:
            raise TemplateCheckFailedError(
                f"Mẫu có {len(errors)} lỗi khi kiểm tra (docgen check); không nhận. "
                + " ".join(f"[{f['code']}] {f['message']}" for f in errors[:3]), findings)
        return kind, findings
    try:
        engine.load(template).render(kind.build_context(clean))
    except (TemplateError, InputError) as exc:
        raise _refused(exc, template.name) from exc
    return kind, []
