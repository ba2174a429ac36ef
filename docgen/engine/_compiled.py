"""A template loaded once: Jinja code per templated part, every other member as bytes."""

from __future__ import annotations

import hashlib
import io
import zipfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from types import CodeType
from typing import Any

import jinja2
from jinja2 import meta
from jinja2.sandbox import SandboxedEnvironment
from lxml import etree

from docgen.errors import DocgenError, TemplateError
from docgen.errors import TemplateSyntaxError as DocgenSyntaxError

from ._diskcache import CachedPart, DiskCache
from ._errors import misplaced_tag_error, render_error, syntax_error
from ._paragraphs import PARAGRAPHS_GLOBAL, ParagraphBreaks, StyleAlignments, paragraphs_filter
from ._parts import CONTENT_TYPES_PART, has_jinja, story_part_names, styles_part_name
from ._preprocess import preprocess_story
from ._structural import StructuralTagError
from ._zip import ZipMember, copy_member, deflate_member, write_zip

__all__ = ["CompiledPart", "CompiledTemplate", "PostRender", "compile_docx", "render_part"]

#: A caller's pass over one rendered part: its XML and the context in, the XML out.
PostRender = Callable[[str, Mapping[str, Any]], str]


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

    __slots__ = ("_compiled_parts", "_compresslevel", "_environment", "_members", "_post_render",
                 "parts", "sha256")

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
        post_render: Mapping[str, PostRender] | None = None,
    ) -> None:
        self.sha256 = sha256
        self.parts = tuple(part.name for part in compiled_parts)
        self._members = members
        self._compiled_parts = compiled_parts
        self._environment = environment
        self._compresslevel = compresslevel
        self._post_render = dict(post_render or {})

    def render(self, context: Mapping[str, Any]) -> bytes:
        """The complete .docx for ``context``.

        Raises IllegalCharacterError for a value XML cannot hold and
        TemplateRenderError for a missing variable, a sandbox violation or a
        failing filter, chained to Jinja's exception.
        """
        members = list(self._members)
        for part in self._compiled_parts:
            text = render_part(part, context)
            after = self._post_render.get(part.name)
            if after is not None:
                text = after(text, context)
            xml = text.encode("utf-8")
            members[part.index] = deflate_member(members[part.index], xml, self._compresslevel)
        return write_zip(members)

    def undeclared_variables(self) -> set[str]:
        """Top-level names the template reads from its context (for ``docgen check``).

        Loop variables and names set inside the template are not included, nor
        the engine's globals, which every render provides.
        """
        names: set[str] = set()
        for part in self._compiled_parts:
            names |= meta.find_undeclared_variables(self._environment.parse(part.source))
        return names - set(self._environment.globals) - {PARAGRAPHS_GLOBAL}

    def __repr__(self) -> str:
        return f"<CompiledTemplate {self.sha256[:12]} parts={list(self.parts)}>"


def compile_docx(
    data: bytes, environment: SandboxedEnvironment, compresslevel: int,
    post_render: Mapping[str, PostRender] | None = None,
    cache: DiskCache | None = None,
) -> CompiledTemplate:
    """Read a .docx's bytes, preprocess and compile its templated parts.

    ``post_render`` maps a part's name to a pass run over that part's rendered XML.
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
                                 for index, name, *_rest in cached):
            cached = _compile_parts(archive, names, environment)
            if cache is not None:
                cache.store(sha256, environment, cached)
        members = tuple(copy_member(data, info) for info in infos)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, etree.XMLSyntaxError) as exc:
        raise TemplateError(f"Tệp mẫu không phải .docx đọc được: {exc}") from exc
    compiled_parts = tuple(
        CompiledPart(index, name, source, _template(environment, code, breaks))
        for index, name, source, code, breaks in cached)
    return CompiledTemplate(
        sha256=sha256,
        members=members,
        compiled_parts=compiled_parts,
        environment=environment,
        compresslevel=compresslevel,
        post_render=post_render,
    )


def _compile_parts(archive: zipfile.ZipFile, names: list[str],
                   environment: SandboxedEnvironment) -> list[CachedPart]:
    """Preprocess and compile each story part holding a tag: what the disk cache keeps."""
    content_types = archive.read(CONTENT_TYPES_PART)
    stories = set(story_part_names(content_types, names))
    styles = styles_part_name(content_types, names)
    alignments = StyleAlignments(archive.read(styles) if styles else None)
    compiled: list[CachedPart] = []
    for index, name in enumerate(names):
        if name not in stories:
            continue
        xml = archive.read(name)
        if b"{" not in xml:  # no tag, not even one split over runs
            continue
        source, breaks = _preprocess(xml, name, alignments)
        if has_jinja(source):
            try:
                code = _compile(environment, source, name, breaks)
            except DocgenSyntaxError:
                if not breaks:
                    raise
                # Report (or accept) the part as its author wrote it.
                source, breaks = _preprocess(xml, name, None)
                code = _compile(environment, source, name)
            compiled.append((index, name, source, code, breaks))
    return compiled


def render_part(part: CompiledPart, context: Mapping[str, Any]) -> str:
    """Render one part; any failure but docgen's own becomes TemplateRenderError."""
    try:
        return part.template.render(context)
    except DocgenError:
        raise
    except Exception as exc:
        raise render_error(exc, part.name) from exc


def _preprocess(
    xml: bytes, part: str, alignments: StyleAlignments | None
) -> tuple[str, tuple[str, ...]]:
    """``preprocess_story``, with a misplaced structural tag reported as a syntax error."""
    try:
        return preprocess_story(xml, alignments)
    except StructuralTagError as exc:
        raise misplaced_tag_error(exc, part) from exc


def _compile(
    environment: SandboxedEnvironment, source: str, part: str, breaks: tuple[str, ...] = ()
) -> CodeType:
    """Compile one part's source; the part name doubles as the file name in tracebacks."""
    _paragraph_filter(environment, breaks)
    try:
        code: CodeType = environment.compile(source, name=part, filename=part)
    except jinja2.TemplateSyntaxError as exc:
        raise syntax_error(exc, part, source) from exc
    return code


def _paragraph_filter(environment: SandboxedEnvironment, breaks: tuple[str, ...]) -> None:
    """A part with paragraph breaks reads them through the filter ``_docgen_paragraphs``."""
    if breaks and PARAGRAPHS_GLOBAL not in environment.filters:
        environment.filters[PARAGRAPHS_GLOBAL] = paragraphs_filter


def _template(environment: SandboxedEnvironment, code: CodeType,
              breaks: tuple[str, ...]) -> jinja2.Template:
    """The Jinja template of a part's code (just compiled, or read from disk).

    ``breaks`` are the part's paragraph breaks, the template global
    ``_docgen_paragraphs`` its rewritten tags' filter of that name reads."""
    _paragraph_filter(environment, breaks)
    own = {PARAGRAPHS_GLOBAL: ParagraphBreaks(breaks)} if breaks else None
    return environment.template_class.from_code(environment, code, environment.make_globals(own))
