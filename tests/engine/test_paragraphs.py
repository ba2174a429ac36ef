"""Issue 15, point 3: the lines of a value in running text become real paragraphs."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from pathlib import Path

from docx.document import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm, Pt

from docgen.engine import Engine

from .builders import W_NS, open_docx

MakeDocx = Callable[..., Path]
DUTIES = "Đoàn kiểm tra có nhiệm vụ:\n- Kiểm tra hồ sơ;\r\n\n  -Báo cáo R&D <kết quả>\n• Kiến nghị"


def _article(document: Document) -> None:
    """ "Điều 2." bold, the value after it, "./." after the value; indent and spacing direct."""
    paragraph = document.add_paragraph()
    paragraph.paragraph_format.first_line_indent = Cm(1.27)
    paragraph.paragraph_format.space_before = Pt(6)
    paragraph.paragraph_format.space_after = Pt(6)
    paragraph.paragraph_format.page_break_before = True
    paragraph.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    paragraph.add_run("Điều 2.").bold = True
    paragraph.add_run(" {{ duties }}").italic = True
    paragraph.add_run("./.")
    document.add_paragraph("Sau.")


def _document_xml(output: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(output)) as archive:
        return archive.read("word/document.xml").decode()


def test_each_line_is_a_paragraph_with_the_tags_properties(engine: Engine, make_docx: MakeDocx) -> None:
    output = engine.load(make_docx(_article)).render({"duties": DUTIES})
    paragraphs = open_docx(output).paragraphs
    assert [p.text for p in paragraphs] == [
        "Điều 2. Đoàn kiểm tra có nhiệm vụ:",
        "- Kiểm tra hồ sơ;",
        "- Báo cáo R&D <kết quả>",
        "- Kiến nghị./.",
        "Sau.",
    ]
    assert "<w:br/>" not in _document_xml(output)
    for paragraph in paragraphs[:4]:
        fmt = paragraph.paragraph_format
        assert fmt.first_line_indent == Cm(1.27)
        assert fmt.space_after == Pt(6)
        assert paragraph.alignment == WD_ALIGN_PARAGRAPH.JUSTIFY
    # What belongs to the first paragraph alone stays there.
    assert paragraphs[0].paragraph_format.page_break_before
    assert paragraphs[0].paragraph_format.space_before == Pt(6)
    assert [p.paragraph_format.page_break_before for p in paragraphs[1:4]] == [None] * 3
    assert [p.paragraph_format.space_before for p in paragraphs[1:4]] == [None] * 3
    # The value's run keeps its formatting in every paragraph; "./." keeps its own run.
    assert [run.italic for run in paragraphs[1].runs] == [True]
    assert [(run.text, run.italic) for run in paragraphs[3].runs] == [("- Kiến nghị", True),
                                                                      ("./.", None)]


def test_a_value_of_one_line_renders_as_before(engine: Engine, make_docx: MakeDocx) -> None:
    output = engine.load(make_docx(_article)).render({"duties": "Kiểm tra & báo cáo"})
    assert [p.text for p in open_docx(output).paragraphs] == ["Điều 2. Kiểm tra & báo cáo./.", "Sau."]
    assert "<w:t xml:space=\"preserve\"> Kiểm tra &amp; báo cáo</w:t>" in _document_xml(output)
    assert engine.load(make_docx(_article, "b.docx")).render({"duties": None})


def test_centred_lines_and_table_cells_keep_line_breaks(engine: Engine, make_docx: MakeDocx) -> None:
    def build(document: Document) -> None:
        document.add_paragraph("{{ title }}").alignment = WD_ALIGN_PARAGRAPH.CENTER
        style = document.styles.add_style("Centred Style", 1)
        style.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
        document.add_paragraph("{{ title }}", style="Centred Style")
        document.add_table(rows=1, cols=1).cell(0, 0).paragraphs[0].text = "{{ title }}"

    output = engine.load(make_docx(build)).render({"title": "KẾ HOẠCH\nKIỂM TRA"})
    document = open_docx(output)
    assert [p.text for p in document.paragraphs] == ["KẾ HOẠCH\nKIỂM TRA"] * 2
    assert document.tables[0].cell(0, 0).paragraphs[0].text == "KẾ HOẠCH\nKIỂM TRA"
    assert _document_xml(output).count("<w:br/>") == 3


def test_loops_and_blank_lines(engine: Engine, make_docx: MakeDocx) -> None:
    def build(document: Document) -> None:
        document.add_paragraph("{%p for f in findings %}")
        document.add_paragraph("{{ loop.index }}. {{ f }}")
        document.add_paragraph("{%p endfor %}")

    output = engine.load(make_docx(build)).render({"findings": ["Một.\n\nHai.", "\n", "Ba.\n"]})
    assert [p.text for p in open_docx(output).paragraphs] == ["1. Một.", "Hai.", "2. ", "3. Ba."]


def test_the_global_is_not_a_template_variable(engine: Engine, make_docx: MakeDocx) -> None:
    compiled = engine.load(make_docx(_article))
    assert compiled.undeclared_variables() == {"duties"}
    assert "(duties)|_docgen_paragraphs(0)" in compiled._compiled_parts[0].source


def test_the_break_xml_declares_no_namespace_again(engine: Engine, make_docx: MakeDocx) -> None:
    xml = _document_xml(engine.load(make_docx(_article)).render({"duties": DUTIES}))
    start = xml.index("Đoàn kiểm tra có nhiệm vụ:")
    assert f'xmlns:w="{W_NS}"' not in xml[start:]
