"""Issue 15, point 1, read off the printed page: documents as clerks of other provinces
write them, rendered to PDF by the real LibreOffice (the warm pool).

From the PDF itself (pdftotext -bbox-layout for the lines, PDFium for the rules): no
header line ends inside a place name, the date line is one line, the rule under the
issuer is 1/3–1/2 of the issuer's text, no tag or doubled punctuation is left.
"""

from __future__ import annotations

import json
import re
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
import pytest
from lxml import etree

from docgen.config import Settings
from docgen.rendering import Renderer

from ..conftest import load_example
from ..test_examples import EXAMPLES
from .pdfinspect import nfc, pdf_text
from .support import requires_libreoffice

pytestmark = requires_libreoffice

PAGE_HEIGHT = 841.89


@dataclass(frozen=True)
class Case:
    id: str
    doc_type: str
    agency: dict[str, str]
    places: tuple[str, ...]  # place names that must each sit on one header line
    date_line: str
    date: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


CASES = [
    # A plan issued and signed by a provincial People's Committee (TM. + KT.).
    Case("plan-ubnd-tinh", "plan",
         {"parent_name": "", "name": "Ủy ban nhân dân tỉnh Bà Rịa - Vũng Tàu", "code": "UBND",
          "place": "Bà Rịa - Vũng Tàu"},
         ("TỈNH BÀ RỊA - VŨNG TÀU",), "Bà Rịa - Vũng Tàu, ngày 25 tháng 8 năm 2017",
         extra={"signer": {"authority": "TM.", "on_behalf_of": "Ủy ban nhân dân",
                           "deputy_for": "Chủ tịch", "position": "Phó Chủ tịch",
                           "full_name": "Nguyễn Văn Thọ"},
                "legal_bases": ["Căn cứ Quyết định số 19/2014/QĐ-TTg;",
                                "- Căn cứ Thông tư số 26/2014/TT-BKHCN."],
                "recipients": ["- Bộ Khoa học và Công nghệ (b/c);", "Các sở, ban, ngành tỉnh."]}),
    # A report of a city under the central government, to two addressees.
    Case("report-can-tho", "report",
         {"parent_name": "Ủy ban nhân dân thành phố Cần Thơ", "name": "Sở Khoa học và Công nghệ",
          "code": "SKHCN", "place": "Thành phố Cần Thơ"},
         ("THÀNH PHỐ CẦN THƠ",), "Thành phố Cần Thơ, ngày 21 tháng 11 năm 2023", "2023-11-21",
         extra={"addressees": ["Ủy ban nhân dân thành phố Cần Thơ", "Bộ Khoa học và Công nghệ"],
                "recipients": ["UBND thành phố (b/c)", "Lãnh đạo Sở"]}),
    # A team decision issued by a provincial ISO steering committee with a long name.
    Case("decision-bcd-iso", "decision",
         {"parent_name": "Ủy ban nhân dân tỉnh Bà Rịa - Vũng Tàu",
          "name": "Ban Chỉ đạo áp dụng Hệ thống quản lý chất lượng tỉnh Bà Rịa - Vũng Tàu",
          "code": "BCĐISO", "place": "Bà Rịa - Vũng Tàu"},
         ("TỈNH BÀ RỊA - VŨNG TÀU",), "Bà Rịa - Vũng Tàu, ngày 15 tháng 9 năm 2017",
         # The rest of the decision is the committee's own (the README's before/after pages).
         extra={k: v for k, v in json.loads(
             (EXAMPLES / "qd-bcd-iso-ba-ria-vung-tau.json").read_text("utf-8")).items()
                if k not in ("agency", "date")}),
    # Minutes at a commune People's Committee: two places in one name.
    Case("minutes-xa", "minutes",
         {"parent_name": "Ủy ban nhân dân huyện Cù Lao Dung",
          "name": "Ủy ban nhân dân xã An Thạnh Nam huyện Cù Lao Dung", "code": "UBND",
          "place": "Cù Lao Dung"},
         ("HUYỆN CÙ LAO DUNG", "XÃ AN THẠNH NAM"), "Cù Lao Dung, ngày 12 tháng 10 năm 2017"),
    # Long names and the longest place: a letter (công văn) of a department of Ho Chi Minh City.
    Case("letter-hcm", "letter",
         {"parent_name": "Ủy ban nhân dân thành phố Hồ Chí Minh",
          "name": "Sở Lao động - Thương binh và Xã hội thành phố Hồ Chí Minh", "code": "SLĐTBXH",
          "place": "Thành phố Hồ Chí Minh"},
         ("THÀNH PHỐ HỒ CHÍ MINH",), "Thành phố Hồ Chí Minh, ngày 28 tháng 12 năm 2023",
         "2023-12-28", extra={"deadline": "2024-01-15"}),
]

#: Left in a document only by a tag or by a clerk's punctuation doubled with the part's.
LEFTOVERS = ("{{", "}}", "{%", "%}", "Căn cứ Căn cứ", ";;", ";.", ".;", ",.", "..", "- -",
             "Lưu: Lưu")


@dataclass(frozen=True)
class Line:
    text: str
    x0: float
    y0: float
    x1: float
    y1: float


def pdf_lines(pdf: bytes) -> list[Line]:
    """Page 1's lines as poppler reads them, top to bottom."""
    xhtml = subprocess.run(["pdftotext", "-bbox-layout", "-f", "1", "-l", "1", "-", "-"],
                           input=pdf, capture_output=True, check=True).stdout
    root = etree.fromstring(xhtml, etree.XMLParser(recover=True))
    lines = []
    for line in root.iter("{*}line"):
        words = [w.text or "" for w in line.iter("{*}word")]
        lines.append(Line(nfc(" ".join(words)), *(float(line.get(k)) for k in
                                                   ("xMin", "yMin", "xMax", "yMax"))))
    return sorted(lines, key=lambda line: (round(line.y0), line.x0))


def rules(pdf: bytes) -> list[tuple[float, float, float]]:
    """Horizontal strokes on page 1 as (x0, x1, y from the top)."""
    document = pdfium.PdfDocument(pdf)
    found = []
    for obj in document[0].get_objects():
        if obj.type == pdfium_c.FPDF_PAGEOBJ_PATH:
            left, bottom, right, top = obj.get_bounds()
            if top - bottom < 2 and right - left > 5:
                found.append((left, right, PAGE_HEIGHT - top))
    document.close()
    return found


@dataclass
class Header:
    agency: list[Line]  # the left column's name lines, top to bottom
    number: Line
    date: list[Line]  # right-column lines in the number's row
    issuer_rule: tuple[float, float, float]


def header(pdf: bytes) -> Header:
    lines = pdf_lines(pdf)
    national = next(line for line in lines if line.text.startswith("CỘNG HÒA XÃ HỘI"))
    number = next(line for line in lines if line.text.startswith("Số:"))
    left = [line for line in lines if line.x1 < national.x0 and line.y1 <= number.y0 + 1]
    date = [line for line in lines if line.x0 >= national.x0 - 40 and
            abs(line.y0 - number.y0) < 30 and line is not number]
    strokes = [r for r in rules(pdf) if r[1] < national.x0 and r[2] < number.y0]
    return Header(left, number, date, max(strokes, key=lambda r: r[2]))


@pytest.fixture(scope="module")
def renderer(tmp_path_factory) -> Iterator[Renderer]:
    settings = Settings.from_env({}, pdf_workers=1, pdf_timeout=60,
                                 instance_path=tmp_path_factory.mktemp("instance"))
    r = Renderer(settings)
    yield r
    r.converter.close()  # type: ignore[attr-defined]


def payload(case: Case) -> dict[str, Any]:
    data = load_example(case.doc_type)
    data["agency"] = dict(case.agency)
    if case.date:
        data["date"] = case.date
    data.update(case.extra)
    return data


@pytest.fixture(scope="module")
def pdfs(renderer) -> dict[str, bytes]:
    return {case.id: renderer.render(case.doc_type, payload(case), "pdf").content
            for case in CASES}


def _words(text: str) -> str:
    return " ".join(text.split())


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_no_header_line_ends_inside_a_place_name(case, pdfs):
    head = header(pdfs[case.id])
    texts = [line.text for line in head.agency]
    names = _words(" ".join(texts))
    # every word of both names is there, in order: nothing ran out of the column
    expected = _words(f"{case.agency['parent_name']} {case.agency['name']}".upper())
    assert names == expected, texts
    for place in case.places:
        assert any(place in text for text in texts), (place, texts)


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_the_date_line_is_one_line(case, pdfs):
    head = header(pdfs[case.id])
    assert [line.text for line in head.date] == [case.date_line]


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_the_issuer_rule_is_a_third_to_a_half_of_its_text(case, pdfs):
    head = header(pdfs[case.id])
    x0, x1, y = head.issuer_rule
    issuer = _words(case.agency["name"].upper())
    above = [line for line in head.agency if line.y1 <= y + 1]
    lines: list[Line] = []
    for line in reversed(above):  # the issuer's lines are the last ones above its rule
        lines.insert(0, line)
        if _words(" ".join(li.text for li in lines)) == issuer:
            break
    assert _words(" ".join(li.text for li in lines)) == issuer
    widest = max(line.x1 - line.x0 for line in lines)
    assert widest / 3 <= x1 - x0 <= widest / 2, (x1 - x0, widest)
    # centred under the issuer's text
    centre = (min(li.x0 for li in lines) + max(li.x1 for li in lines)) / 2
    assert abs((x0 + x1) / 2 - centre) < 3


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_no_tag_or_doubled_punctuation_left(case, pdfs):
    text = pdf_text(pdfs[case.id])
    for leftover in LEFTOVERS:
        assert leftover not in text, leftover
    assert re.search(r"\bNơi nhận:", text)
    assert "- Lưu: VT" in text


def test_a_recipient_that_is_the_addressee_is_nhu_tren(pdfs):
    text = pdf_text(pdfs["report-can-tho"])
    assert "- Như trên;" in text and "UBND thành phố (b/c)" not in text


def test_several_addressees_line_up_under_the_first(pdfs):
    lines = pdf_lines(pdfs["report-can-tho"])
    first = next(line for line in lines if line.text.startswith("Kính gửi:"))
    assert first.text == "Kính gửi: - Ủy ban nhân dân thành phố Cần Thơ;"
    second = next(line for line in lines if line.text == "- Bộ Khoa học và Công nghệ.")
    assert second.x0 > first.x0 + 30  # under the first addressee, not under "Kính gửi:"
    words = subprocess.run(["pdftotext", "-bbox", "-f", "1", "-l", "1", "-", "-"],
                           input=pdfs["report-can-tho"], capture_output=True,
                           check=True).stdout.decode()
    dashes = [float(m.group(1)) for m in re.finditer(
        r'<word xMin="([\d.]+)" yMin="([\d.]+)"[^>]*>-</word>', words)
        if first.y0 - 1 <= float(m.group(2)) <= second.y1]
    assert len(dashes) == 2 and abs(dashes[0] - dashes[1]) < 1  # the two dashes align


def test_the_steering_committees_decision_speaks_for_the_committee(pdfs):
    """The decider line and the bases are the committee's, not the Sóc Trăng example's."""
    text = " ".join(pdf_text(pdfs["decision-bcd-iso"]).split())
    assert ("TRƯỞNG BAN CHỈ ĐẠO ÁP DỤNG HỆ THỐNG QUẢN LÝ CHẤT LƯỢNG TỈNH BÀ RỊA - VŨNG TÀU"
            in text)
    assert "Kế hoạch số 12/KH-BCĐISO" in text and "KT. TRƯỞNG BAN" in text
    assert "SÓC TRĂNG" not in text.upper()
