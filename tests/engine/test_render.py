"""End to end: a .docx built with python-docx, rendered, read back as a user would."""

from __future__ import annotations

import io
import threading
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from docx.document import Document
from lxml import etree

from docgen.engine import Engine
from docgen.engine._environment import LINE_BREAK
from docgen.errors import IllegalCharacterError

from .builders import W_NS, add_footnotes, open_docx, rezip

CONTEXT = {
    "recipient": "Sở Y tế",
    "agency": "SỞ KHOA HỌC VÀ CÔNG NGHỆ",
    "members": [
        {"name": "Nguyễn Văn An", "role": "Trưởng đoàn"},
        {"name": "Trần Thị Bình", "role": "Thành viên"},
        {"name": "Lê Văn Cường", "role": "Thư ký"},
    ],
    "note": "Kiểm tra theo kế hoạch",
    "show_note": True,
    "footnote": "Theo Nghị định 30/2020/NĐ-CP",
}


def build_minutes(document: Document) -> None:
    """A split tag, a row loop, a conditional paragraph and a header tag."""
    document.sections[0].header.paragraphs[0].text = "{{ agency }}"
    greeting = document.add_paragraph("Kính gửi: ")
    greeting.add_run("{{ recip").bold = True  # Word split the tag over two runs
    greeting.add_run("ient }}.")
    table = document.add_table(rows=4, cols=3)
    for cell, title in zip(table.rows[0].cells, ["STT", "Họ và tên", "Chức danh"], strict=True):
        cell.text = title
    table.cell(1, 0).text = "{%tr for m in members %}"
    table.cell(2, 0).text = "{{ loop.index }}"
    table.cell(2, 1).text = "{{ m.name }}"
    table.cell(2, 2).text = "{{ m.role }}"
    table.cell(3, 0).text = "{%tr endfor %}"
    document.add_paragraph("{%p if show_note %}")
    document.add_paragraph("Ghi chú: {{ note }}")
    document.add_paragraph("{%p endif %}")
    document.add_paragraph("Hết.")


@pytest.fixture
def minutes(make_docx: Callable[..., Path]) -> Path:
    path: Path = make_docx(build_minutes)
    add_footnotes(path, "{{ footnote }}")
    return path


def test_minutes_render_as_the_user_expects(engine: Engine, minutes: Path) -> None:
    document = open_docx(engine.load(minutes).render(CONTEXT))
    assert [p.text for p in document.paragraphs] == [
        "Kính gửi: Sở Y tế.",
        "Ghi chú: Kiểm tra theo kế hoạch",
        "Hết.",
    ]
    assert [[c.text for c in row.cells] for row in document.tables[0].rows] == [
        ["STT", "Họ và tên", "Chức danh"],
        ["1", "Nguyễn Văn An", "Trưởng đoàn"],
        ["2", "Trần Thị Bình", "Thành viên"],
        ["3", "Lê Văn Cường", "Thư ký"],
    ]
    assert document.sections[0].header.paragraphs[0].text == "SỞ KHOA HỌC VÀ CÔNG NGHỆ"


def test_the_split_tag_keeps_the_formatting_of_its_first_run(engine: Engine, minutes: Path) -> None:
    greeting = open_docx(engine.load(minutes).render(CONTEXT)).paragraphs[0]
    assert [(run.text, run.bold) for run in greeting.runs] == [
        ("Kính gửi: ", None),
        ("Sở Y tế", True),
        (".", None),
    ]


def test_false_paragraph_condition_removes_the_paragraphs(engine: Engine, minutes: Path) -> None:
    document = open_docx(engine.load(minutes).render({**CONTEXT, "show_note": False}))
    assert [p.text for p in document.paragraphs] == ["Kính gửi: Sở Y tế.", "Hết."]


def test_templated_parts_are_listed(engine: Engine, minutes: Path) -> None:
    assert engine.load(minutes).parts == (
        "word/document.xml",
        "word/header1.xml",
        "word/footnotes.xml",
    )


def test_every_rendered_part_is_xml_without_jinja_left(engine: Engine, minutes: Path) -> None:
    template = engine.load(minutes)
    with zipfile.ZipFile(io.BytesIO(template.render(CONTEXT))) as output:
        assert output.testzip() is None
        for part in template.parts:
            xml = output.read(part)
            etree.fromstring(xml)  # raises when the part is not well-formed
            for opener in (b"{{", b"{%", b"{#", b"%}", b"}}"):
                assert opener not in xml, (part, opener)


def test_footnotes_are_rendered(engine: Engine, minutes: Path) -> None:
    with zipfile.ZipFile(io.BytesIO(engine.load(minutes).render(CONTEXT))) as output:
        footnotes = etree.fromstring(output.read("word/footnotes.xml"))
    texts = [node.text for node in footnotes.iter(f"{{{W_NS}}}t")]
    assert texts == ["Theo Nghị định 30/2020/NĐ-CP"]


def test_untemplated_members_are_copied_byte_for_byte(engine: Engine, minutes: Path) -> None:
    # Written at level 9 with the thumbnail stored: recompressing at the engine's
    # level could not reproduce these bytes.
    rezip(minutes, compresslevel=9, stored=("docProps/thumbnail.jpeg",))
    template = engine.load(minutes)
    source = minutes.read_bytes()
    output = template.render(CONTEXT)
    with (
        zipfile.ZipFile(io.BytesIO(source)) as before,
        zipfile.ZipFile(io.BytesIO(output)) as after,
    ):
        assert [i.filename for i in after.infolist()] == [i.filename for i in before.infolist()]
        assert after.infolist()[0].filename == "[Content_Types].xml"
        copied = [i for i in before.infolist() if i.filename not in template.parts]
        assert "word/styles.xml" in {i.filename for i in copied}
        for info in copied:
            out = after.getinfo(info.filename)
            assert (out.compress_type, out.CRC, out.compress_size) == (
                info.compress_type,
                info.CRC,
                info.compress_size,
            ), info.filename
            assert _raw(output, out) == _raw(source, info), info.filename


def _raw(archive: bytes, info: zipfile.ZipInfo) -> bytes:
    name_length = int.from_bytes(
        archive[info.header_offset + 26 : info.header_offset + 28], "little"
    )
    extra_length = int.from_bytes(
        archive[info.header_offset + 28 : info.header_offset + 30], "little"
    )
    start = info.header_offset + 30 + name_length + extra_length
    return archive[start : start + info.compress_size]


def test_same_context_gives_the_same_bytes(engine: Engine, minutes: Path) -> None:
    template = engine.load(minutes)
    assert template.render(CONTEXT) == template.render(dict(CONTEXT))


def test_renders_from_many_threads_agree(engine: Engine, minutes: Path) -> None:
    template = engine.load(minutes)
    expected = template.render(CONTEXT)
    results: list[bytes] = []

    def work() -> None:
        for _ in range(5):
            results.append(template.render(CONTEXT))

    threads = [threading.Thread(target=work) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results == [expected] * 40


def test_special_characters_come_out_exactly_as_text(render_text: Callable[..., list[str]]) -> None:
    value = "Bộ KH&CN <Sở> \"x\" 'y'"
    assert render_text("Cơ quan: {{ agency }}", agency=value) == [f"Cơ quan: {value}"]


def test_spaces_around_values_survive(render_text: Callable[..., list[str]]) -> None:
    assert render_text("Ông  {{ name }}  ký", name=" A ") == ["Ông   A   ký"]


def test_none_renders_as_nothing(render_text: Callable[..., list[str]]) -> None:
    assert render_text("Điện thoại: {{ phone }}.", phone=None) == ["Điện thoại: ."]


def test_newline_in_a_table_cell_becomes_a_word_line_break(
    engine: Engine, make_docx: Callable[..., Path]
) -> None:
    def build(document: Document) -> None:
        document.add_table(rows=1, cols=1).cell(0, 0).paragraphs[0].text = "Nơi nhận: {{ recipients }}"

    output = engine.load(make_docx(build)).render({"recipients": "- Sở Y tế;\n- Lưu: VT."})
    with zipfile.ZipFile(io.BytesIO(output)) as archive:
        xml = archive.read("word/document.xml").decode()
    assert "Nơi nhận: - Sở Y tế;" + LINE_BREAK + "- Lưu: VT." in xml
    paragraph = open_docx(output).tables[0].cell(0, 0).paragraphs[0]
    assert len(paragraph._p.findall(f".//{{{W_NS}}}br")) == 1
    assert paragraph.text == "Nơi nhận: - Sở Y tế;\n- Lưu: VT."  # python-docx reads w:br as \n


def test_control_character_is_refused(engine: Engine, make_docx: Callable[..., Path]) -> None:
    path = make_docx(lambda d: d.add_paragraph("{{ name }}"))
    with pytest.raises(IllegalCharacterError) as caught:
        engine.load(path).render({"name": "Chuông\x07"})
    assert caught.value.char == "\x07"
    assert "U+0007" in caught.value.message


def test_tc_loop_repeats_cells(engine: Engine, make_docx: Callable[..., Path]) -> None:
    def build(document: Document) -> None:
        table = document.add_table(rows=1, cols=4)
        for cell, text in zip(
            table.rows[0].cells,
            ["Quý", "{%tc for q in quarters %}", "{{ q }}", "{%tc endfor %}"],
            strict=True,
        ):
            cell.text = text

    document = open_docx(engine.load(make_docx(build)).render({"quarters": ["I", "II", "III"]}))
    assert [c.text for c in document.tables[0].rows[0].cells] == ["Quý", "I", "II", "III"]


def test_split_braces_and_smart_quotes(engine: Engine, make_docx: Callable[..., Path]) -> None:
    def build(document: Document) -> None:
        paragraph = document.add_paragraph()
        # The "<" typed in Word is stored as &lt; and must compare again in Jinja.
        for piece in [
            "{",
            "{ “Kính gửi” if formal else ‘Gửi’ }",
            "}: {% if n <",
            " 2 %}ít{% endif %}",
        ]:
            paragraph.add_run(piece)

    output = engine.load(make_docx(build)).render({"formal": True, "n": 1})
    assert [p.text for p in open_docx(output).paragraphs] == ["Kính gửi: ít"]


def test_a_document_without_tags_renders_to_itself(
    engine: Engine, make_docx: Callable[..., Path]
) -> None:
    path = make_docx(lambda d: d.add_paragraph("Không có thẻ nào { }"))
    template = engine.load(path)
    assert template.parts == ()
    assert [p.text for p in open_docx(template.render({})).paragraphs] == ["Không có thẻ nào { }"]
