"""The tags of a template, paragraph by paragraph: syntax, structural tags, what they read.

Each story (body, each header and footer) becomes a *skeleton*: one line per paragraph
holding only that paragraph's tags, with docxtpl's structural tags reduced to the bare
statement exactly as the engine reduces them (a row holding ``{%tr for … %}`` keeps only
its ``tr`` tags; a paragraph holding ``{%p if … %}`` only its ``p`` tags). Jinja's line
numbers in the skeleton are then paragraph numbers, so every syntax error and every name
is located by the paragraph's words — never by an XML line. Each ``{{ … }}`` is also
compiled alone, so several broken tags are all reported at once.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field

import jinja2
from jinja2 import nodes
from jinja2.sandbox import SandboxedEnvironment

from ._document import Paragraph, Story, normalise, w
from ._findings import ERROR, WARNING, Finding

__all__ = ["Read", "TagReport", "check_tags", "did_you_mean"]

_TAG = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", re.DOTALL)
_STRUCTURAL = re.compile(r"^\{(?P<mark>[%#])(?P<level>tr|tc|p|r)\s(?P<body>.*?)(?P=mark)\}$",
                         re.DOTALL)
_SMART_QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"'})
_NO_FILTER = re.compile(r"No (filter|test) named '(?P<name>[^']+)'")
_LEVEL_LABELS = {"tr": "một hàng bảng", "tc": "một ô bảng"}
_UNCLOSED = re.compile(r"innermost block that needs to be closed is '(?P<block>\w+)'")
_UNKNOWN_TAG = re.compile(r"Encountered unknown tag '(?P<tag>\w+)'")
_STATEMENT_WORD = re.compile(r"\{%[-+]?\s*(?P<word>\w+)")
_BLOCKS = frozenset({"for", "if", "macro", "call", "filter", "set", "with", "raw", "block",
                     "autoescape", "trans"})


@dataclass(frozen=True)
class Read:
    """A name path a tag reads (``("signer", "full_name")``, lists as ``"[]"``) and where."""

    path: tuple[str, ...]
    paragraph: Paragraph
    #: False when the path is only iterated (``for m in members``): its items are not shown
    shows: bool = True


@dataclass
class TagReport:
    """What the tag pass found: findings, the reads (for names), whether it compiled."""

    findings: list[Finding] = field(default_factory=list)
    reads: list[Read] = field(default_factory=list)
    #: parts with a syntax error found here (the engine's own error is then a duplicate)
    broken_parts: set[str] = field(default_factory=set)
    #: parts whose tags could not be read as a whole (what they read is unknown)
    unread_parts: set[str] = field(default_factory=set)


def did_you_mean(name: str, candidates: set[str] | list[str]) -> str:
    """" Có phải «…»?" with the closest candidates (difflib), or "".

    >>> did_you_mean("full_nam", ["full_name", "position"])
    ' Có phải «full_name»?'
    """
    close = difflib.get_close_matches(name, sorted(candidates), n=3, cutoff=0.6)
    return f" Có phải {' hay '.join(f'«{c}»' for c in close)}?" if close else ""


def check_tags(stories: list[Story], environment: SandboxedEnvironment) -> TagReport:
    """Syntax and structural findings of every story, and every name path the tags read."""
    report = TagReport()
    for story in stories:
        lines = [_paragraph_tags(p, report) for p in story.paragraphs]
        if not any(lines):
            continue
        compiled = _compiles(_source(lines), environment)
        if not compiled:
            # Find every broken ``{{ }}`` one by one (the whole story stops at the first),
            # then look at the blocks without them. A story that compiles skips this.
            before = len(report.findings)
            lines = [[tag for tag in tags if not tag.startswith("{{") or _compiles_alone(
                tag, story.paragraphs[index], environment, report)]
                for index, tags in enumerate(lines)]
            if len(report.findings) > before:
                report.broken_parts.add(story.part)
        source = _source(lines)
        try:
            if not compiled:
                environment.compile(source)
        except jinja2.TemplateSyntaxError as exc:
            report.broken_parts.add(story.part)
            report.unread_parts.add(story.part)
            report.findings.append(_block_finding(exc, lines, story.paragraphs, environment))
            continue
        tree = environment.parse(source)
        report.reads += _reads(tree, story.paragraphs, set(environment.globals))
    return report


def _source(lines: list[list[str]]) -> str:
    """The skeleton: line N holds the tags of paragraph N."""
    return "\n".join(" ".join(tags) for tags in lines)


def _compiles(source: str, environment: SandboxedEnvironment) -> bool:
    try:
        environment.compile(source)
    except jinja2.TemplateSyntaxError:
        return False
    return True


def _paragraph_tags(paragraph: Paragraph, report: TagReport) -> list[str]:
    """The tags this paragraph contributes to the skeleton, structural ones made bare."""
    text = paragraph.text.translate(_SMART_QUOTES)
    tags = _TAG.findall(text)
    rest = _TAG.sub("", text)
    if "{{" in rest or "{%" in rest:
        report.findings.append(Finding("unclosed_tag", ERROR, "Thẻ mở «{{» hoặc «{%» không đóng "
                                       "trong cùng đoạn (thiếu «}}» hoặc «%}»).",
                                       paragraph.location))
    structural = [(t, m) for t in tags if (m := _STRUCTURAL.match(t))]
    for tag, match in structural:
        level = match["level"]
        if level in _LEVEL_LABELS and next(paragraph.element.iterancestors(w(level)), None) is None:
            report.findings.append(Finding("misplaced_structural_tag", ERROR,
                                           f"Thẻ «{tag}» phải nằm trong {_LEVEL_LABELS[level]}; "
                                           "nó đang ở ngoài bảng.", paragraph.location))
            return []
    if any(m["level"] == "p" for _t, m in structural) and (
            normalise(rest) or len(structural) < len(tags)):
        report.findings.append(Finding("structural_tag_with_text", WARNING,
                                       "Đoạn có thẻ {%p …%} còn chữ hoặc thẻ khác; khi điền, cả "
                                       "đoạn được thay bằng thẻ đó và phần còn lại mất.",
                                       paragraph.location))
    for level in ("tr", "tc"):
        owner = next(paragraph.element.iterancestors(w(level)), None)
        if owner is not None and _holds_level(owner, level):
            return [_bare(m) for _t, m in structural if m["level"] == level]
    if any(m["level"] == "p" for _t, m in structural):
        return [_bare(m) for _t, m in structural if m["level"] == "p"]
    return [_bare(m) if (m := _STRUCTURAL.match(t)) else t for t in tags]


def _holds_level(element: object, level: str) -> bool:
    text = "".join(t.text or "" for t in element.iter(w("t")))  # type: ignore[attr-defined]
    return any(m["level"] == level for t in _TAG.findall(text) if (m := _STRUCTURAL.match(t)))


def _bare(match: re.Match[str]) -> str:
    mark = match["mark"]
    return f"{{{mark} {match['body']}{mark}}}"


def _compiles_alone(tag: str, paragraph: Paragraph, environment: SandboxedEnvironment,
                    report: TagReport) -> bool:
    try:
        environment.compile(tag)
    except jinja2.TemplateSyntaxError as exc:
        report.findings.append(_syntax_finding(exc, paragraph, environment, tag))
        return False
    return True


def _block_finding(exc: jinja2.TemplateSyntaxError, lines: list[list[str]],
                   paragraphs: list[Paragraph], environment: SandboxedEnvironment) -> Finding:
    """A whole-story error; an unclosed block is placed at its opening tag, not at the end
    of the story where Jinja notices it."""
    unclosed = _UNCLOSED.search(exc.message or "")
    if unclosed is not None:
        opener = _last_open(lines, unclosed["block"])
        if opener is not None:
            block = unclosed["block"]
            return Finding("template_syntax", ERROR, f"Thẻ «{{% {block} … %}}» mở mà không có "
                           f"«{{% end{block} %}}» đóng lại.", paragraphs[opener].location)
    paragraph = paragraphs[min(max((exc.lineno or 1) - 1, 0), len(paragraphs) - 1)]
    stray = _UNKNOWN_TAG.search(exc.message or "")
    if stray is not None and stray["tag"].startswith(("end", "else", "elif")):
        return Finding("template_syntax", ERROR, f"Thẻ «{{% {stray['tag']} %}}» không có thẻ mở "
                       "tương ứng (hoặc thẻ mở đã đóng trước đó).", paragraph.location)
    return _syntax_finding(exc, paragraph, environment)


def _last_open(lines: list[list[str]], block: str) -> int | None:
    """The line (paragraph index) of the innermost ``block`` tag left open."""
    stack: list[tuple[str, int]] = []
    for index, tags in enumerate(lines):
        for tag in tags:
            match = _STATEMENT_WORD.match(tag)
            if match is None:
                continue
            word = match["word"]
            if word in _BLOCKS and not (word == "set" and "=" in tag):
                stack.append((word, index))
            elif word.startswith("end") and stack and stack[-1][0] == word[3:]:
                stack.pop()
    return next((index for word, index in reversed(stack) if word == block), None)


def _syntax_finding(exc: jinja2.TemplateSyntaxError, paragraph: Paragraph,
                    environment: SandboxedEnvironment, tag: str | None = None) -> Finding:
    unknown = _NO_FILTER.search(exc.message or "")
    if unknown is not None:
        kind, name = unknown["name"], unknown.group(1)
        known = environment.filters if name == "filter" else environment.tests
        noun = "bộ lọc" if name == "filter" else "phép thử"
        return Finding("unknown_filter", ERROR, f"Không có {noun} «{kind}».{did_you_mean(kind, set(known))}",
                       paragraph.location)
    where = f" trong thẻ «{tag}»" if tag else ""
    return Finding("template_syntax", ERROR, f"Lỗi cú pháp{where}: {exc.message}.",
                   paragraph.location)


# --- what the tags read -------------------------------------------------------------------


def _reads(tree: nodes.Template, paragraphs: list[Paragraph], known_globals: set[str]) -> list[Read]:
    """Every name path read, with the loop variables resolved to their lists' items."""
    locals_ = {n.name for n in tree.find_all(nodes.Name) if n.ctx in ("store", "param")}
    scope: dict[str, tuple[str, ...] | None] = dict.fromkeys(locals_ | known_globals)
    found: list[Read] = []

    def emit(path: tuple[str, ...], lineno: int, shows: bool = True) -> None:
        found.append(Read(path, paragraphs[min(max(lineno - 1, 0), len(paragraphs) - 1)], shows))

    def visit(node: nodes.Node, scope: dict[str, tuple[str, ...] | None]) -> None:
        if isinstance(node, nodes.For):
            item = _path(node.iter, scope)
            if item is None:
                visit(node.iter, scope)
            else:  # iterating a list is not showing its items: the loop body does that
                emit(item, node.iter.lineno, shows=False)
            inner = dict(scope, loop=None)
            single = isinstance(node.target, nodes.Name)
            targets: list[nodes.Name] = ([node.target] if isinstance(node.target, nodes.Name)
                                         else list(node.target.find_all(nodes.Name)))
            for target in targets:
                inner[target.name] = (*item, "[]") if item and single else None
            for child in [*node.body, *([node.test] if node.test else [])]:
                visit(child, inner)
            for child in node.else_:
                visit(child, scope)
            return
        if isinstance(node, nodes.Call) and isinstance(node.node, nodes.Getattr):
            # ``signer.get("x")``, ``text.split()``: a method of the value, not a field
            visit(node.node.node, scope)
            arguments: list[nodes.Node | None] = [*node.args, *node.kwargs, node.dyn_args,
                                                  node.dyn_kwargs]
            for argument in arguments:
                if argument is not None:
                    visit(argument, scope)
            return
        if isinstance(node, nodes.Name | nodes.Getattr | nodes.Getitem) and getattr(
                node, "ctx", "load") == "load":
            path = _path(node, scope)
            if path:
                emit(path, node.lineno)
            if isinstance(node, nodes.Getitem):
                visit(node.arg, scope)
            if path is None and not isinstance(node, nodes.Name):
                visit(node.node, scope)
            return
        for child in node.iter_child_nodes():
            visit(child, scope)

    visit(tree, scope)
    return found


def _path(node: nodes.Node, scope: dict[str, tuple[str, ...] | None]) -> tuple[str, ...] | None:
    if isinstance(node, nodes.Name):
        return scope.get(node.name, (node.name,))
    if isinstance(node, nodes.Getattr):
        base = _path(node.node, scope)
        return (*base, node.attr) if base else None
    if isinstance(node, nodes.Getitem) and isinstance(node.arg, nodes.Const):
        base = _path(node.node, scope)
        if not base:
            return None
        key = node.arg.value
        return (*base, key) if isinstance(key, str) else (*base, "[]")
    return None
