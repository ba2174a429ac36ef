"""The Engine's template cache: by path and stamp, then by content hash."""

from __future__ import annotations

import hashlib
import os
import shutil
import threading
from collections.abc import Callable
from pathlib import Path

import pytest
from docx.document import Document

from docgen.engine import CompiledTemplate, Engine

from .builders import open_docx

MakeDocx = Callable[..., Path]


def one_paragraph(text: str) -> Callable[[Document], object]:
    return lambda document: document.add_paragraph(text)


def bump_mtime(path: Path) -> None:
    """Move the file's mtime on by a second, as an edit would."""
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))


def test_same_path_gives_the_same_object(engine: Engine, make_docx: MakeDocx) -> None:
    path = make_docx(one_paragraph("{{ a }}"))
    first = engine.load(path)
    assert isinstance(first, CompiledTemplate)
    assert engine.load(path) is first
    assert engine.load(str(path)) is first
    assert first.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()


def test_unchanged_stamp_does_not_reread_the_file(engine: Engine, make_docx: MakeDocx) -> None:
    path = make_docx(one_paragraph("{{ a }}"))
    first = engine.load(path)
    stat = path.stat()
    # Same size and mtime, other bytes: a cache that re-read the file would
    # fail on this garbage.
    path.write_bytes(b"x" * stat.st_size)
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert engine.load(path) is first


def test_changed_file_is_compiled_again(engine: Engine, make_docx: MakeDocx) -> None:
    path = make_docx(one_paragraph("Cũ: {{ a }}"))
    first = engine.load(path)
    make_docx(one_paragraph("Mới: {{ a }}"), name=path.name)
    bump_mtime(path)
    second = engine.load(path)
    assert second is not first
    assert second.sha256 != first.sha256
    assert [p.text for p in open_docx(second.render({"a": 1})).paragraphs] == ["Mới: 1"]


def test_identical_files_share_one_compiled_template(engine: Engine, make_docx: MakeDocx) -> None:
    path = make_docx(one_paragraph("{{ a }}"))
    copy = path.with_name("bản sao.docx")
    shutil.copyfile(path, copy)
    assert engine.load(copy) is engine.load(path)


def test_engines_do_not_share_templates(make_docx: MakeDocx) -> None:
    path = make_docx(one_paragraph("{{ a|tag }}"))
    first = Engine(filters={"tag": lambda v: f"[{v}]"})
    second = Engine(filters={"tag": lambda v: f"<{v}>"})
    assert first.load(path) is not second.load(path)
    assert open_docx(first.load(path).render({"a": 1})).paragraphs[0].text == "[1]"
    assert open_docx(second.load(path).render({"a": 1})).paragraphs[0].text == "<1>"


def test_clear_cache_compiles_again(engine: Engine, make_docx: MakeDocx) -> None:
    path = make_docx(one_paragraph("{{ a }}"))
    first = engine.load(path)
    engine.clear_cache()
    assert engine.load(path) is not first


def test_concurrent_loads_agree_on_one_object(make_docx: MakeDocx) -> None:
    path = make_docx(one_paragraph("{{ a }}"))
    engine = Engine()
    barrier = threading.Barrier(8)
    results: list[CompiledTemplate] = []

    def load() -> None:
        barrier.wait()
        results.append(engine.load(path))

    threads = [threading.Thread(target=load) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(results) == 8
    assert all(result is results[0] for result in results)


def test_undeclared_variables(make_docx: MakeDocx) -> None:
    def build(document: Document) -> None:
        document.sections[0].header.paragraphs[0].text = "{{ agency }}"
        document.add_paragraph("{% for m in members %}{{ m.name }} {{ loop.index }}{% endfor %}")
        # Names the template sets itself and the engine's globals are not asked for.
        document.add_paragraph("{% set x = 1 %}{{ x }} {{ today }} {{ range(3)|list }}")

    engine = Engine(globals={"today": "hôm nay"})
    assert engine.load(make_docx(build)).undeclared_variables() == {"agency", "members"}


def test_compresslevel_is_checked() -> None:
    with pytest.raises(ValueError):
        Engine(compresslevel=10)
