"""Issue 15, points 2 and 3, read from the PDF LibreOffice makes (pdftotext -bbox-layout):
the signature levels print as centred lines above the name, and every paragraph of a
multi-line value starts with the body's first-line indent."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from lxml import etree

from docgen.config import Settings
from docgen.rendering import Renderer

from ..conftest import load_example, require_programs
from .pdfinspect import nfc
from .support import requires_libreoffice

pytestmark = requires_libreoffice

LEFT_MARGIN = 30 / 25.4 * 72  # 30 mm, in points
INDENT = 1.27 / 2.54 * 72  # the body's first-line indent, 1.27 cm


@dataclass(frozen=True)
class Line:
    page: int
    x0: float
    x1: float
    y: float
    text: str

    @property
    def centre(self) -> float:
        return (self.x0 + self.x1) / 2


def pdf_lines(pdf: bytes) -> list[Line]:
    """Every text line of the PDF with its box, page by page, top to bottom."""
    require_programs("pdftotext", package="poppler-utils")
    xhtml = subprocess.run(["pdftotext", "-bbox-layout", "-enc", "UTF-8", "-", "-"],
                           input=pdf, capture_output=True, check=True).stdout
    root = etree.fromstring(xhtml, etree.XMLParser(recover=True))
    lines = []
    for number, page in enumerate(root.iter("{*}page"), start=1):
        for line in page.iter("{*}line"):
            words = " ".join(w.text or "" for w in line.iter("{*}word"))
            lines.append(Line(number, float(line.get("xMin")), float(line.get("xMax")),
                              float(line.get("yMin")), nfc(words)))
    return sorted(lines, key=lambda ln: (ln.page, ln.y, ln.x0))


def starting(lines: list[Line], text: str) -> Line:
    [found] = [line for line in lines if line.text.startswith(text)]
    return found


def signature_column(lines: list[Line], first: str, name: str) -> list[str]:
    """The lines of the signature column from ``first`` down to the signer's ``name``."""
    top = starting(lines, first)
    column = [ln for ln in lines if ln.page == top.page and ln.y >= top.y
              and abs(ln.centre - top.centre) < 6]
    texts = [ln.text for ln in column]
    return texts[: texts.index(name) + 1]


@pytest.fixture(scope="module")
def renderer(tmp_path_factory) -> Iterator[Renderer]:
    settings = Settings.from_env({}, pdf_workers=1, pdf_timeout=60,
                                 instance_path=tmp_path_factory.mktemp("instance"))
    r = Renderer(settings)
    yield r
    r.converter.close()  # type: ignore[attr-defined]


def pdf_of(renderer: Renderer, doc_type: str, data: dict[str, Any]) -> list[Line]:
    return pdf_lines(renderer.render(doc_type, data, "pdf").content)


def test_a_provincial_committees_plan_signed_tm_kt(renderer) -> None:
    data = load_example("plan")
    data["agency"] = {"parent_name": "", "name": "Ủy ban nhân dân tỉnh Bà Rịa - Vũng Tàu",
                      "code": "UBND", "place": "Bà Rịa - Vũng Tàu"}
    data["signer"] = {"authority": "TM.", "on_behalf_of": "Ủy ban nhân dân",
                      "deputy_authority": "KT.", "deputy_for": "Chủ tịch",
                      "position": "Phó Chủ tịch", "full_name": "Lê Ngọc Khánh"}
    lines = pdf_of(renderer, "plan", data)
    assert signature_column(lines, "TM. ỦY BAN NHÂN DÂN", "Lê Ngọc Khánh") == [
        "TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "Lê Ngọc Khánh"]
    tm, kt, position = (starting(lines, t) for t in ("TM. ỦY BAN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"))
    assert tm.y < kt.y < position.y and position.y - tm.y < 40  # three lines, no gap
    assert kt.x0 > LEFT_MARGIN + 200  # in the right-hand column, under the national name


@pytest.mark.parametrize(("signer", "expected"), [
    ({"authority": "Q.", "on_behalf_of": "Giám đốc"}, ["Q. GIÁM ĐỐC"]),
    ({"authority": "TM.", "on_behalf_of": "Ủy ban nhân dân", "deputy_authority": "Q.",
      "deputy_for": "Chủ tịch"}, ["TM. ỦY BAN NHÂN DÂN", "Q. CHỦ TỊCH"]),
    ({"authority": "TL.", "on_behalf_of": "Giám đốc", "position": "Chánh Văn phòng"},
     ["TL. GIÁM ĐỐC", "CHÁNH VĂN PHÒNG"]),
])
def test_acting_and_by_order_levels(renderer, signer, expected) -> None:
    data = load_example("decision")
    data["signer"] = {**signer, "full_name": "Trần Văn Lâu"}
    lines = pdf_of(renderer, "decision", data)
    assert signature_column(lines, expected[0], "Trần Văn Lâu") == [*expected, "Trần Văn Lâu"]


def test_the_decisions_article_2_in_several_paragraphs(renderer) -> None:
    data = load_example("decision")
    data["duties"] = (
        "Đoàn kiểm tra có nhiệm vụ kiểm tra việc áp dụng, duy trì và cải tiến Hệ thống quản lý "
        "chất lượng tại các cơ quan, đơn vị theo Kế hoạch:\n"
        "- Kiểm tra hồ sơ, tài liệu của Hệ thống quản lý chất lượng;\n"
        "-Lập biên bản kiểm tra tại từng đơn vị;\n"
        "• Tổng hợp, báo cáo kết quả kiểm tra.")
    lines = pdf_of(renderer, "decision", data)
    article = starting(lines, "Điều 2.")
    items = [starting(lines, t) for t in ("- Kiểm tra hồ sơ", "- Lập biên bản", "- Tổng hợp")]
    for line in [article, *items]:
        assert abs(line.x0 - (LEFT_MARGIN + INDENT)) < 1.5, line
    # The wrapped second line of the first paragraph starts at the margin, as body text does.
    wrapped = next(ln for ln in lines if ln.page == article.page and ln.y > article.y)
    assert abs(wrapped.x0 - LEFT_MARGIN) < 1.5 and wrapped.text.startswith("Hệ thống")
    # Paragraph spacing between the items: more than the line pitch of a wrapped line.
    assert items[1].y - items[0].y > (wrapped.y - article.y) + 3


def test_the_minutes_conclusion_at_a_commune(renderer) -> None:
    data = load_example("minutes")
    data["agency"] = {"parent_name": "Ủy ban nhân dân huyện Mỹ Tú",
                      "name": "Ủy ban nhân dân xã Long Hưng", "code": "UBND", "place": "Mỹ Tú"}
    data["conclusion"] = ("Đơn vị đã áp dụng, duy trì Hệ thống quản lý chất lượng phù hợp với "
                          "TCVN ISO 9001:2015.\n\nCần khắc phục những tồn tại nêu trên.\n"
                          "  Báo cáo kết quả khắc phục trước ngày 30/11/2023.")
    lines = pdf_of(renderer, "minutes", data)
    for text in ("Đơn vị đã áp dụng", "Cần khắc phục những tồn tại", "Báo cáo kết quả khắc phục"):
        assert abs(starting(lines, text).x0 - (LEFT_MARGIN + INDENT)) < 1.5, text
