"""POST /api/v1/conversions/pdf: any .docx to PDF through the real LibreOffice pool, behind
the API keys, bounded, zip bombs and non-docx refused before LibreOffice sees them."""

from __future__ import annotations

import io
import random
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from docgen.app import create_app
from docgen.pdf.guard import MAX_MEMBERS, check_docx

from ..check.builders import damaged, make_docx
from ..pdf.pdfinspect import pdf_text, xmp_pdfa
from ..pdf.support import build_docx, requires_libreoffice

KEY = "khoa-chuyen-doi"
AUTH = {"Authorization": f"Bearer {KEY}"}
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    app = create_app({"instance_path": tmp_path_factory.mktemp("conv"), "pdf_workers": 1,
                      "api_keys": KEY, "convert_max_bytes": 200_000})
    yield app
    app.extensions["docgen.renderer"].converter.close()


@pytest.fixture
def client(app: Any) -> Any:
    return app.test_client()


def problem(response: Any, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.get_data(as_text=True)[:500]
    assert response.content_type == "application/problem+json"
    body = response.get_json()
    assert body["code"] == code
    return body


def zip_of(members: dict[str, bytes], compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


@requires_libreoffice[0]
@requires_libreoffice[1]
def test_multipart_docx_becomes_a_pdf_with_its_words(client: Any) -> None:
    """The README's example: examples/giay-moi.docx, a letter typed in Word."""
    docx = (Path(__file__).resolve().parents[2] / "examples" / "giay-moi.docx").read_bytes()
    response = client.post("/api/v1/conversions/pdf", headers=AUTH,
                           data={"file": (io.BytesIO(docx), "giay-moi.docx")})
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.mimetype == "application/pdf" and response.data[:5] == b"%PDF-"
    text = " ".join(pdf_text(response.data).split())
    assert "Địa điểm: Phòng họp Sở Khoa học và Công nghệ tỉnh Sóc Trăng." in text
    assert 'filename="giay-moi.pdf"' in response.headers["Content-Disposition"]


@requires_libreoffice[0]
@requires_libreoffice[1]
def test_raw_body_and_pdfa(client: Any) -> None:
    response = client.post("/api/v1/conversions/pdf?pdfa=2b", headers=AUTH,
                           data=build_docx(["Lưu trữ"]), content_type=DOCX)
    assert response.status_code == 200, response.get_data(as_text=True)
    assert xmp_pdfa(response.data) == ("2", "B")


def test_behind_the_api_keys(client: Any) -> None:
    response = client.post("/api/v1/conversions/pdf", data=b"PK", content_type=DOCX)
    problem(response, 401, "unauthorized")


def test_not_a_docx_is_a_415(client: Any) -> None:
    body = problem(client.post("/api/v1/conversions/pdf", headers=AUTH, data=b"%PDF-1.7 ...",
                               content_type=DOCX), 415, "not_a_docx")
    assert "không phải văn bản Word" in body["detail"]
    odt_like = zip_of({"mimetype": b"application/vnd.oasis.opendocument.text",
                       "content.xml": b"<x/>"})
    body = problem(client.post("/api/v1/conversions/pdf", headers=AUTH,
                               data={"file": (io.BytesIO(odt_like), "a.odt")}), 415, "not_a_docx")
    assert "word/document.xml" in body["detail"]
    problem(client.post("/api/v1/conversions/pdf", headers=AUTH, data=b"{}",
                        content_type="application/json"), 415, "not_a_docx")
    problem(client.post("/api/v1/conversions/pdf", headers=AUTH,
                        data={"other": "x"}), 415, "not_a_docx")


def test_too_large_is_a_413_naming_the_setting(client: Any) -> None:
    body = problem(client.post("/api/v1/conversions/pdf", headers=AUTH,
                               data=b"PK\x03\x04" + b"\0" * 300_000, content_type=DOCX),
                   413, "payload_too_large")
    assert "DOCGEN_CONVERT_MAX_BYTES" in body["detail"]


def test_a_zip_bomb_is_refused_before_libreoffice(client: Any) -> None:
    bomb = zip_of({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w/>",
                   "word/media/big.bin": b"\0" * (40 * 1024 * 1024)})
    assert len(bomb) < 200_000  # 40 MiB of zeros packs to ~40 KB: under the upload limit
    body = problem(client.post("/api/v1/conversions/pdf", headers=AUTH, data=bomb,
                               content_type=DOCX), 422, "unsafe_docx")
    assert "word/media/big.bin" in body["detail"] and "zip bomb" in body["detail"]


@pytest.mark.parametrize("method", [zipfile.ZIP_DEFLATED, zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA],
                         ids=["deflate", "bzip2", "lzma"])
def test_a_corrupt_member_is_refused_whatever_its_compression(client: Any, method: int) -> None:
    """Damaged bzip2 or LZMA data was an OSError / LZMAError past the guard: a 500."""
    body = problem(client.post("/api/v1/conversions/pdf", headers=AUTH,
                               data=damaged(make_docx(), method), content_type=DOCX),
                   422, "unsafe_docx")
    assert "word/document.xml" in body["detail"]


def test_unknown_pdfa_is_a_406(client: Any) -> None:
    problem(client.post("/api/v1/conversions/pdf?pdfa=9z", headers=AUTH, data=b"PK",
                        content_type=DOCX), 406, "unsupported_format")


@pytest.mark.parametrize(("members", "fragment"), [
    ({f"word/m{i}.xml": b"" for i in range(MAX_MEMBERS + 1)}, "thành phần, vượt giới hạn"),
    ({"[Content_Types].xml": b"", "word/document.xml": b"", "../evil.xml": b""}, "không hợp lệ"),
])
def test_guard_limits(members: dict[str, bytes], fragment: str) -> None:
    from docgen.errors import UnsafeDocxError

    with pytest.raises(UnsafeDocxError) as caught:
        check_docx(zip_of(members, zipfile.ZIP_STORED))
    assert fragment in caught.value.message


def test_guard_does_not_trust_declared_sizes() -> None:
    """A member whose header claims 10 bytes but inflates to 2 MiB is caught by zipfile's
    length check while docgen inflates it, never handed on."""
    from docgen.errors import UnsafeDocxError

    data = bytearray(zip_of({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w/>",
                             # incompressible: the ratio check cannot be what catches it
                             "word/x.xml": random.Random(0).randbytes(2 * 1024 * 1024)}))
    position = data.find(b"PK\x01\x02")
    while data[position + 46:position + 46 + len(b"word/x.xml")] != b"word/x.xml":
        position = data.find(b"PK\x01\x02", position + 4)
        assert position > 0
    # the uncompressed size in the central directory entry (offset 24), claimed to be 10
    data[position + 24:position + 28] = (10).to_bytes(4, "little")
    with pytest.raises(UnsafeDocxError) as caught:
        check_docx(bytes(data))
    assert "Không đọc được thành phần 'word/x.xml'" in caught.value.message


def test_a_real_docx_passes_the_guard() -> None:
    check_docx(build_docx(["Văn bản thường"]))
    check_docx((Path(__file__).resolve().parents[2] / "templates" / "minutes" / "template.docx")
               .read_bytes())


def metric(client: Any, name: str, **labels: str) -> float:
    from prometheus_client.parser import text_string_to_metric_families

    text = client.get("/metrics").get_data(as_text=True)
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            if sample.name == name and sample.labels == labels:
                return float(sample.value)
    return 0.0


@requires_libreoffice[0]
@requires_libreoffice[1]
def test_conversions_are_timed_in_metrics(client: Any) -> None:
    name = "docgen_conversion_duration_seconds_count"
    before = metric(client, name, outcome="ok")
    response = client.post("/api/v1/conversions/pdf", headers=AUTH, data=build_docx(["Đo"]),
                           content_type="application/octet-stream")
    assert response.status_code == 200
    assert metric(client, name, outcome="ok") == before + 1
    assert metric(client, "docgen_conversion_duration_seconds_sum", outcome="ok") > 0
    assert metric(client, "docgen_pdf_queue_depth") == 0  # nothing waiting now


@requires_libreoffice[0]
@requires_libreoffice[1]
def test_a_timed_out_conversion_counts_restarts_and_a_failure(tmp_path: Path) -> None:
    app = create_app({"instance_path": tmp_path, "pdf_workers": 1, "pdf_timeout": 0.001})
    client = app.test_client()
    restarts = metric(client, "docgen_pdf_restarts_total")
    failed = metric(client, "docgen_conversion_duration_seconds_count", outcome="failed")
    try:
        response = client.post("/api/v1/conversions/pdf", data=build_docx(["Chậm"]),
                               content_type="application/octet-stream")
    finally:
        app.extensions["docgen.renderer"].converter.close()
    assert response.status_code == 504
    assert metric(client, "docgen_pdf_restarts_total") >= restarts + 1  # killed and restarted
    assert metric(client, "docgen_conversion_duration_seconds_count",
                  outcome="failed") == failed + 1
