"""Compiled parts kept on disk (``Engine(cache_dir=…)``): what another process reads back.

Each test builds fresh engines over one folder, as two ``docgen render`` processes would,
and compares what they render with what an engine without the folder renders.
"""

from __future__ import annotations

import hashlib
import os
import stat
import threading
from collections.abc import Callable
from pathlib import Path

import pytest
from docx.document import Document

from docgen.engine import Engine
from docgen.errors import TemplateSyntaxError

from .builders import open_docx

MakeDocx = Callable[..., Path]


def paragraphs(*texts: str) -> Callable[[Document], None]:
    def build(document: Document) -> None:
        document.sections[0].header.paragraphs[0].text = "Đầu trang {{ agency }}"
        for text in texts:
            document.add_paragraph(text)

    return build


def text_of(docx: bytes) -> list[str]:
    return [p.text for p in open_docx(docx).paragraphs]


def entry(folder: Path, template: Path) -> Path:
    return folder / f"{hashlib.sha256(template.read_bytes()).hexdigest()}.bin"


CONTEXT = {"agency": "Sở KH&CN", "members": [{"name": "Lê Văn <A>"}, {"name": "Trần B\nC"}]}
TEMPLATE = ("Đoàn: {% for m in members %}{{ m.name }}; {% endfor %}", "Cơ quan: {{ agency }}")


def test_a_second_engine_renders_what_the_first_compiled(tmp_path: Path,
                                                          make_docx: MakeDocx) -> None:
    path = make_docx(paragraphs(*TEMPLATE))
    folder = tmp_path / "cache"
    first = Engine(cache_dir=folder).load(path)
    assert entry(folder, path).is_file()
    second = Engine(cache_dir=folder).load(path)
    plain = Engine().load(path)
    assert second.render(CONTEXT) == first.render(CONTEXT) == plain.render(CONTEXT)
    text = text_of(second.render(CONTEXT))
    assert text[0].startswith("Đoàn: Lê Văn <A>; Trần B") and text[-1] == "Cơ quan: Sở KH&CN"
    assert second.parts == plain.parts == ("word/document.xml", "word/header1.xml")
    assert second.undeclared_variables() == plain.undeclared_variables() == {"agency", "members"}


def test_an_entry_is_found_by_the_templates_sha256(tmp_path: Path,
                                                   make_docx: MakeDocx) -> None:
    """The second engine does not compile: given another template's entry under this
    template's name, it renders that other template's text."""
    old = make_docx(paragraphs("Bản cũ {{ agency }}"), name="cu.docx")
    new = make_docx(paragraphs("Bản mới {{ agency }}"), name="moi.docx")
    folder = tmp_path / "cache"
    Engine(cache_dir=folder).load(old)
    entry(folder, old).replace(entry(folder, new))
    assert text_of(Engine(cache_dir=folder).load(new).render(CONTEXT)) == ["Bản cũ Sở KH&CN"]
    assert text_of(Engine().load(new).render(CONTEXT)) == ["Bản mới Sở KH&CN"]


def test_an_engine_with_other_filters_compiles_for_itself(tmp_path: Path,
                                                          make_docx: MakeDocx) -> None:
    path = make_docx(paragraphs("{{ agency|tag }}"))
    folder = tmp_path / "cache"
    square = Engine(filters={"tag": lambda v: f"[{v}]"}, cache_dir=folder)
    assert text_of(square.load(path).render(CONTEXT)) == ["[Sở KH&CN]"]
    # same filter names: the entry is shared, each engine calls its own filter
    angle = Engine(filters={"tag": lambda v: f"<{v}>"}, cache_dir=folder)
    assert text_of(angle.load(path).render(CONTEXT)) == ["<Sở KH&CN>"]
    # no such filter: refused when compiling, as without a cache, not read back
    with pytest.raises(TemplateSyntaxError) as cached:
        Engine(cache_dir=folder).load(path)
    with pytest.raises(TemplateSyntaxError) as plain:
        Engine().load(path)
    assert str(cached.value) == str(plain.value) and "tag" in str(plain.value)


def test_a_broken_entry_is_compiled_again_and_replaced(tmp_path: Path,
                                                       make_docx: MakeDocx) -> None:
    path = make_docx(paragraphs(*TEMPLATE))
    folder = tmp_path / "cache"
    Engine(cache_dir=folder).load(path)
    good = entry(folder, path).read_bytes()
    for broken in (b"", good[: len(good) // 2], good[:60] + b"\x00" * 100, b"x" * len(good)):
        entry(folder, path).write_bytes(broken)
        rendered = Engine(cache_dir=folder).load(path).render(CONTEXT)
        assert rendered == Engine().load(path).render(CONTEXT)
        assert entry(folder, path).read_bytes() == good


def test_the_folder_is_private(tmp_path: Path, make_docx: MakeDocx) -> None:
    path = make_docx(paragraphs(*TEMPLATE))
    folder = tmp_path / "cache" / "compiled"
    Engine(cache_dir=folder).load(path)
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert stat.S_IMODE(entry(folder, path).stat().st_mode) == 0o600
    assert [p.name for p in folder.iterdir()] == [entry(folder, path).name]  # no temporary left


def test_a_folder_others_may_write_is_not_used(tmp_path: Path, make_docx: MakeDocx) -> None:
    path = make_docx(paragraphs(*TEMPLATE))
    folder = tmp_path / "shared"
    folder.mkdir()
    os.chmod(folder, 0o777)
    assert text_of(Engine(cache_dir=folder).load(path).render(CONTEXT))[-1] == "Cơ quan: Sở KH&CN"
    assert list(folder.iterdir()) == []
    # an entry someone else put there is not read either
    os.chmod(folder, 0o700)
    Engine(cache_dir=folder).load(path)
    other = make_docx(paragraphs("Khác {{ agency }}"), name="khac.docx")
    entry(folder, path).replace(entry(folder, other))
    os.chmod(folder, 0o777)
    assert text_of(Engine(cache_dir=folder).load(other).render(CONTEXT)) == ["Khác Sở KH&CN"]


def test_a_folder_that_cannot_be_made_is_no_error(tmp_path: Path, make_docx: MakeDocx) -> None:
    path = make_docx(paragraphs(*TEMPLATE))
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    engine = Engine(cache_dir=blocker / "cache")
    assert engine.load(path).render(CONTEXT) == Engine().load(path).render(CONTEXT)


def test_a_checked_upload_is_not_kept(tmp_path: Path, make_docx: MakeDocx) -> None:
    """``Engine.compile`` (``docgen check`` of an upload) stays out of every cache."""
    path = make_docx(paragraphs(*TEMPLATE))
    folder = tmp_path / "cache"
    Engine(cache_dir=folder).compile(path.read_bytes())
    assert not folder.exists()


def test_engines_writing_at_once_leave_one_good_entry(tmp_path: Path,
                                                      make_docx: MakeDocx) -> None:
    path = make_docx(paragraphs(*TEMPLATE))
    folder = tmp_path / "cache"
    barrier = threading.Barrier(8)
    rendered: list[bytes] = []

    def load() -> None:
        engine = Engine(cache_dir=folder)
        barrier.wait()
        rendered.append(engine.load(path).render(CONTEXT))

    threads = [threading.Thread(target=load) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    expected = Engine().load(path).render(CONTEXT)
    assert rendered == [expected] * 8
    assert [p.name for p in folder.iterdir()] == [entry(folder, path).name]
    assert Engine(cache_dir=folder).load(path).render(CONTEXT) == expected
