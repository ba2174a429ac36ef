"""Files that cannot be checked: each is one error finding with its own code, no traceback."""

from __future__ import annotations

import io
import zipfile

import pytest

from docgen.check import Limits, check_template

from .builders import W_NS, damaged, make_docx, package


def zip_of(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


BILLION_LAUGHS = (b'<?xml version="1.0"?><!DOCTYPE w:document [<!ENTITY a "aaaaaaaaaa">'
                  b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'
                  b'<w:document xmlns:w="' + W_NS.encode() + b'"><w:body><w:p><w:r><w:t>&b;'
                  b"</w:t></w:r></w:p></w:body></w:document>")
EXTERNAL_ENTITY = (b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
                   b'<w:document xmlns:w="' + W_NS.encode() + b'"><w:body>&e;</w:body></w:document>')

CASES = [
    ("plain-text", "Kính gửi: Sở Y tế".encode(), "not_docx", "không phải tệp zip"),
    ("empty", b"", "not_docx", "không phải tệp zip"),
    ("old-doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512, "not_docx", ".doc cũ"),
    ("zip-without-content-types", zip_of({"a.txt": b"x"}), "not_docx", "[Content_Types].xml"),
    ("content-types-without-document",
     zip_of({"[Content_Types].xml": b"<Types xmlns='http://schemas.openxmlformats.org/package/2006/"
                                    b"content-types'/>", "docProps/app.xml": b"<x/>"}),
     "not_docx", "word/document.xml"),
    ("zip-bomb", zip_of({"[Content_Types].xml": b"<x/>", "word/document.xml": b"\0" * (3 << 20)}),
     "zip_bomb", "Tỉ lệ nén"),
    ("billion-laughs", package({"word/document.xml": BILLION_LAUGHS}), "xml_dtd", "DTD"),
    ("external-entity", package({"word/document.xml": EXTERNAL_ENTITY}), "xml_dtd", "DTD"),
    ("dtd-in-styles", make_docx(extra_members={"word/styles.xml": b'<!DOCTYPE s><w:styles xmlns:w="'
                                               + W_NS.encode() + b'"/>'}), "xml_dtd", "DTD"),
    ("malformed-document", package({"word/document.xml": b"<w:document><w:body>"}),
     "xml_malformed", "XML hỏng"),
]


@pytest.mark.parametrize(("data", "code", "what"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_unusable_input_is_one_error_finding(data: bytes, code: str, what: str) -> None:
    findings = check_template(data)
    assert [(f.code, f.severity) for f in findings] == [(code, "error")]
    assert what in findings[0].message


def test_the_part_is_named_for_xml_problems() -> None:
    [finding] = check_template(package({"word/document.xml": BILLION_LAUGHS}))
    assert finding.location == "phần word/document.xml trong tệp"


def test_too_large() -> None:
    [finding] = check_template(make_docx(), limits=Limits(max_bytes=1000))
    assert finding.code == "too_large" and "vượt giới hạn" in finding.message


def test_too_many_members() -> None:
    members = {f"word/media/{i}.bin": b"x" for i in range(30)}
    [finding] = check_template(make_docx(extra_members=members), limits=Limits(max_members=20))
    assert finding.code == "zip_bomb" and "thành phần" in finding.message


def test_uncompressed_size_over_the_limit() -> None:
    data = make_docx(extra_members={"word/media/big.bin": bytes(range(256)) * 4096})
    [finding] = check_template(data, limits=Limits(max_member_bytes=100_000))
    assert finding.code == "zip_bomb" and finding.location == "phần word/media/big.bin trong tệp"


def test_a_corrupt_member_is_not_a_traceback() -> None:
    data = bytearray(make_docx())
    start = data.find(b"word/document.xml") + len("word/document.xml")
    data[start + 40 : start + 60] = b"\xff" * 20  # inside the deflated bytes
    findings = check_template(bytes(data))
    assert len(findings) == 1 and findings[0].code in ("not_docx", "xml_malformed")


@pytest.mark.parametrize("method", [zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA], ids=["bzip2", "lzma"])
def test_a_corrupt_bzip2_or_lzma_member_is_one_error(method: int) -> None:
    """Damaged LZMA data raised lzma.LZMAError through docgen check (a traceback)."""
    findings = check_template(damaged(make_docx(), method))
    assert [(f.code, f.severity) for f in findings] == [("not_docx", "error")]
    assert "Không giải nén được" in findings[0].message
