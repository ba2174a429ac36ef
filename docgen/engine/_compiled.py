"""A template loaded once: Jinja code per templated part, every other member as bytes."""

from __future__ import annotations

import hashlib
import io
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass
from types import CodeType
from typing import Any

import jinja2
from jinja2.sandbox import SandboxedEnvironment

from docgen.errors import DocgenError, TemplateError

from ._diskcache import CachedPart, DiskCache
from ._zip import ZipMember, copy_member, deflate_member, write_zip

#: Where a templated part lives; the same name as ``_parts.CONTENT_TYPES_PART``, here so
#: that a template read from the disk cache never imports lxml (``_parts`` does).
CONTENT_TYPES_PART = "[Content_Types].xml"

__all__ = ["CompiledPart", "CompiledTemplate", "compile_docx", "render_part"]


@dataclass(frozen=True, slots=True)
class CompiledPart:
    """One templated zip member: where it sits, its Jinja source and code."""

    index: int
    name: str
    source: str
    template: jinja2.Template


class CompiledTemplate:
    """A .docx template ready to render many times, from any thread.

    Holds the compiled Jinja template of each part that contains tags and the
    compressed bytes of every other zip member, so a render costs one Jinja
    render per templated part, one deflate of its output, and a memory copy.
    Build one with ``Engine.load`` (cached) or ``compile_docx``.
    """

    __slots__ = ("_compiled_parts", "_compresslevel", "_environment", "_members", "parts", "sha256")

    #: Zip member names holding Jinja, in archive order (``word/document.xml``, headers…).
    parts: tuple[str, ...]
    #: Hex SHA-256 of the template file's bytes; the cache key.
    sha256: str

    def __init__(
        self,
        *,
        sha256: str,
        members: tuple[ZipMember, ...],
        compiled_parts: tuple[CompiledPart, ...],
        environment: SandboxedEnvironment,
        compresslevel: int,
    ) -> None:
        self.sha256 = sha256
        self.parts = tuple(part.name for part in compiled_parts)
        self._members = members
        self._compiled_parts = compiled_parts
        self._environment = environment
        self._compresslevel = compresslevel

    def render(self, context: Mapping[str, Any]) -> bytes:
        """The complete .docx for ``context``.

        Raises IllegalCharacterError for a value XML cannot hold and
        TemplateRenderError for a missing variable, a sandbox violation or a
        failing filter, chained to Jinja's exception.
        """
        members = list(self._members)
        for part in self._compiled_parts:
            xml = render_part(part, context).encode("utf-8")
            members[part.index] = deflate_member(members[part.index], xml, self._compresslevel)
        return write_zip(members)

    def undeclared_variables(self) -> set[str]:
        """Top-level names the template reads from its context (for ``docgen check``).

        Loop variables and names set inside the template are not included, nor
        the engine's globals, which every render provides.
        """
        from jinja2 import meta

        names: set[str] = set()
        for part in self._compiled_parts:
            names |= meta.find_undeclared_variables(self._environment.parse(part.source))
        return names - set(self._environment.globals)

    def __repr__(self) -> str:
        return f"<CompiledTemplate {self.sha256[:12]} parts={list(self.parts)}>"


def compile_docx(
    data: bytes, environment: SandboxedEnvironment, compresslevel: int,
    cache: DiskCache | None = None,
) -> CompiledTemplate:
    """Read a .docx's bytes, preprocess and compile its templated parts.

    With ``cache``, parts an identical engine compiled from the same bytes are read
    from disk instead (``_diskcache``), and freshly compiled ones are written there.

    Raises TemplateSyntaxError for a tag Jinja cannot compile (with the part and
    line) and TemplateError for a file that is not a readable .docx.
    """
    sha256 = hashlib.sha256(data).hexdigest()
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
        names = [info.filename for info in infos]
        if CONTENT_TYPES_PART not in names:
            raise TemplateError("Tệp mẫu không phải .docx: thiếu [Content_Types].xml")
        cached = cache.load(sha256, environment) if cache is not None else None
        if cached is None or any(index >= len(names) or names[index] != name
                                 for index, name, _source, _code in cached):
            cached = _compile_parts(archive, names, environment)
            if cache is not None:
                cache.store(sha256, environment, cached)
        members = tuple(copy_member(data, info) for info in infos)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError) as exc:
        raise TemplateError(f"Tệp mẫu không phải .docx đọc được: {exc}") from exc
    compiled_parts = tuple(CompiledPart(index, name, source, _template(environment, code))
                           for index, name, source, code in cached)
    return CompiledTemplate(
        sha256=sha256,
        members=members,
        compiled_parts=compiled_parts,
        environment=environment,
        compresslevel=compresslevel,
    )


def _compile_parts(archive: zipfile.ZipFile, names: list[str],
                   environment: SandboxedEnvironment) -> list[CachedPart]:
    """Preprocess and compile each story part holding a tag (the lxml half of a load)."""
    from lxml import etree

    from ._parts import has_jinja, story_part_names

    try:
        stories = set(story_part_names(archive.read(CONTENT_TYPES_PART), names))
        compiled: list[CachedPart] = []
        for index, name in enumerate(names):
            if name not in stories:
                continue
            xml = archive.read(name)
            if b"{" not in xml:  # no tag, not even one split over runs
                continue
            source = _preprocess(xml, name)
            if has_jinja(source):
                compiled.append((index, name, source, _compile(environment, source, name)))
    except etree.XMLSyntaxError as exc:
        raise TemplateError(f"Tệp mẫu không phải .docx đọc được: {exc}") from exc
    return compiled


def render_part(part: CompiledPart, context: Mapping[str, Any]) -> str:
    """Render one part; any failure but docgen's own becomes TemplateRenderError."""
    try:
        return part.template.render(context)
    except DocgenError:
        raise
    except Exception as exc:
        from ._errors import render_error  # on failure only: it imports lxml

        raise render_error(exc, part.name) from exc


def _preprocess(xml: bytes, part: str) -> str:
    """``preprocess_part``, with a misplaced structural tag reported as a syntax error."""
    from ._errors import misplaced_tag_error
    from ._preprocess import preprocess_part
    from ._structural import StructuralTagError

    try:
        return preprocess_part(xml)
    except StructuralTagError as exc:
        raise misplaced_tag_error(exc, part) from exc


def _compile(environment: SandboxedEnvironment, source: str, part: str) -> CodeType:
    """Compile one part's source; the part name doubles as the file name in tracebacks."""
    from ._errors import syntax_error

    try:
        code: CodeType = environment.compile(source, name=part, filename=part)
    except jinja2.TemplateSyntaxError as exc:
        raise syntax_error(exc, part, source) from exc
    return code


def _template(environment: SandboxedEnvironment, code: CodeType) -> jinja2.Template:
    """The Jinja template of a part's compiled code (just compiled, or read from disk)."""
    return environment.template_class.from_code(environment, code, environment.make_globals(None))
