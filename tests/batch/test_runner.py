"""Rows to documents: the 120 units of Sóc Trăng 2017, bad rows, names, the merged file."""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path

import pytest

from docgen.batch import (
    BatchOptions,
    DirectorySink,
    ZipSink,
    load_defaults,
    prepare_payloads,
    prepare_sheet,
    run_batch,
    safe_filename,
)
from docgen.errors import InputError

from ..docx_text import docx_text
from .sheets import HEADERS, minutes_rows, shared_defaults, write_xlsx

#: (stt, column index in HEADERS, bad value): an impossible date, a blank required
#: name, an end before the start.
BAD_ROWS = [(12, 4, "31/02/2017"), (57, 1, None), (101, 7, "02/10/2017 07:00")]


def _errors_csv(content: bytes) -> list[dict[str, str]]:
    assert content.startswith(b"\xef\xbb\xbf")  # BOM: Excel shows the Vietnamese right
    return list(csv.DictReader(io.StringIO(content.decode("utf-8-sig"))))


@pytest.fixture
def round_2017(tmp_path: Path) -> Path:
    rows = minutes_rows()
    for stt, column, value in BAD_ROWS:
        rows[stt - 1][column] = value
    return write_xlsx(tmp_path / "dot-kiem-tra-2017.xlsx", HEADERS, rows)


def test_120_units_with_3_bad_rows(round_2017: Path, defaults_file: Path, renderer,
                                   tmp_path: Path) -> None:
    batch = prepare_sheet("minutes", round_2017, defaults=load_defaults(defaults_file))
    assert batch.total == 120
    seen = []
    result = run_batch(renderer, batch, ZipSink(tmp_path / "round.zip"),
                       progress=lambda p: seen.append(p.done))
    assert (result.total, result.ok, result.failed) == (120, 117, 3)
    assert seen == list(range(1, 121))
    assert result.summary_line() == "120 dòng: 117 ok, 3 lỗi (xem errors.csv)"

    with zipfile.ZipFile(tmp_path / "round.zip") as archive:
        names = archive.namelist()
        documents = [n for n in names if n.endswith(".docx")]
        assert len(documents) == 117
        assert documents[0] == "001-Văn phòng UBND tỉnh.docx"
        assert "013-Sở Văn hóa, Thể thao và Du lịch.docx" in documents
        assert not any(n.startswith(("012-", "057-", "101-")) for n in names)
        assert "Sở Y tế" in docx_text(archive.read("016-Sở Y tế.docx"))
        assert archive.getinfo(documents[0]).compress_type == zipfile.ZIP_STORED
        errors = _errors_csv(archive.read("errors.csv"))
        summary = archive.read("summary.txt").decode("utf-8-sig")
    assert "120 dòng: 117 ok, 3 lỗi" in summary and "dot-kiem-tra-2017.xlsx" in summary
    # row numbers as Excel shows them (header = row 1), the column letter and header
    # as the clerk typed it, the field, a Vietnamese message
    by_row = {int(e["Dòng"]): e for e in errors}
    assert sorted(by_row) == [13, 58, 102]
    assert (by_row[13]["Cột"], by_row[13]["Tên cột"], by_row[13]["Trường"]) == (
        "E", "Ngày ban hành", "date")
    # a day that does not exist is called that, not "write dd/mm/yyyy" (issue 15, point 7)
    assert by_row[13]["Lỗi"] == "'31/02/2017' là ngày không tồn tại: tháng 2 năm 2017 có 28 ngày."
    assert by_row[13]["Mã lỗi"] == "nonexistent_date"
    assert (by_row[58]["Cột"], by_row[58]["Tên cột"], by_row[58]["Mã lỗi"]) == (
        "B", "Tên đơn vị được kiểm tra", "required")
    assert (by_row[102]["Cột"], by_row[102]["Tên cột"], by_row[102]["Mã lỗi"]) == (
        "H", "Kết thúc lúc", "date_order")
    assert [e["row"] for e in result.errors] == [13, 58, 102]


def test_an_error_in_a_shared_value_names_it(tmp_path: Path, renderer) -> None:
    defaults = shared_defaults()
    defaults["agency"]["code"] = "Đ KT"  # a space: refused by the schema, for every row
    path = write_xlsx(tmp_path / "u.xlsx", HEADERS, minutes_rows(2))
    result = run_batch(renderer, prepare_sheet("minutes", path, defaults=defaults),
                       DirectorySink(tmp_path / "out"))
    assert result.failed == 2
    assert result.errors[0]["header"] == "Chữ viết tắt cơ quan (giá trị chung)"
    assert result.errors[0]["path"] == "agency.code"


def test_duplicate_names_made_unique(tmp_path: Path, defaults_file: Path, renderer) -> None:
    rows = minutes_rows(4)
    rows[1][1] = rows[0][1]  # the same unit twice
    rows[2][1] = rows[0][1].upper()  # and again, differing only in case (Windows: same file)
    rows[3][1] = 'UBND xã "An Ninh": CON/PRN?'  # characters Windows refuses
    path = write_xlsx(tmp_path / "u.xlsx", HEADERS, rows)
    batch = prepare_sheet("minutes", path, defaults=load_defaults(defaults_file))
    sink = DirectorySink(tmp_path / "out")
    result = run_batch(renderer, batch, sink, options=BatchOptions(pattern="{unit_name}"))
    assert result.ok == 4
    assert [p.name for p in sink.written[:4]] == [
        "Văn phòng UBND tỉnh.docx",
        "Văn phòng UBND tỉnh (2).docx",
        "VĂN PHÒNG UBND TỈNH (3).docx",
        "UBND xã _An Ninh__ CON-PRN_.docx",
    ]
    assert {p.name for p in (tmp_path / "out").iterdir()} >= {"errors.csv", "summary.txt"}


@pytest.mark.parametrize(
    ("name", "safe"),
    [
        ("Sở Y tế.docx", "Sở Y tế.docx"),
        ("a/b\\c.docx", "a-b-c.docx"),
        ("AUX.docx", "_AUX.docx"),
        ("com1.docx", "_com1.docx"),
        ("tên cuối có dấu chấm....docx", "tên cuối có dấu chấm.docx"),
        ("Ho\u0300a.docx", "Hòa.docx"),  # NFD in, NFC out
        ("x" * 300 + ".docx", "x" * 100 + ".docx"),
        ("\t.docx", "van-ban.docx"),
    ],
)
def test_safe_filename(name: str, safe: str) -> None:
    assert safe_filename(name) == safe


def test_pattern_variables(tmp_path: Path, defaults_file: Path, renderer) -> None:
    path = write_xlsx(tmp_path / "u.xlsx", HEADERS, minutes_rows(2))
    batch = prepare_sheet("minutes", path, defaults=load_defaults(defaults_file))
    sink = DirectorySink(tmp_path / "out")
    run_batch(renderer, batch, sink, options=BatchOptions(
        pattern="{type_code}-{number:03d}-{agency_code}-{date:%d.%m.%Y}-{row}.docx"))
    assert [p.name for p in sink.written[:2]] == ["BB-001-ĐKT-03.10.2017-2.docx",
                                                  "BB-002-ĐKT-04.10.2017-3.docx"]
    with pytest.raises(InputError, match="unit_nam"):
        run_batch(renderer, batch, DirectorySink(tmp_path / "x"),
                  options=BatchOptions(pattern="{stt}-{unit_nam}"))


def test_merged_document_has_every_unit_in_order(tmp_path: Path, defaults_file: Path,
                                                 renderer) -> None:
    rows = minutes_rows(6)
    rows[3][1] = None  # a bad row is left out of the merge too
    path = write_xlsx(tmp_path / "u.xlsx", HEADERS, rows)
    batch = prepare_sheet("minutes", path, defaults=load_defaults(defaults_file))
    run_batch(renderer, batch, ZipSink(tmp_path / "r.zip"),
              options=BatchOptions(merge_name="merged.docx"))
    with zipfile.ZipFile(tmp_path / "r.zip") as archive:
        text = docx_text(archive.read("merged.docx"))
        body = archive.read("merged.docx")
    units = [r[1] for r in rows if r[1]]
    positions = [text.find(f"tại {u}") for u in units]
    assert all(p >= 0 for p in positions) and positions == sorted(positions)
    assert rows[3][0] and minutes_rows(6)[3][1] not in text
    with zipfile.ZipFile(io.BytesIO(body)) as merged:
        # one section per document, each starting on a new page (tests/batch/test_merge.py)
        assert merged.read("word/document.xml").count(b"<w:sectPr") == len(units)


def test_cancel_stops_at_the_next_row_and_leaves_no_zip(tmp_path: Path, defaults_file: Path,
                                                       renderer) -> None:
    path = write_xlsx(tmp_path / "u.xlsx", HEADERS, minutes_rows(20))
    batch = prepare_sheet("minutes", path, defaults=load_defaults(defaults_file))
    done: list[int] = []
    result = run_batch(renderer, batch, ZipSink(tmp_path / "r.zip"),
                       progress=lambda p: done.append(p.done),
                       should_cancel=lambda: len(done) >= 5)
    assert result.cancelled and result.done == 5
    assert not (tmp_path / "r.zip").exists() and not (tmp_path / "r.zip.part").exists()


def test_json_payload_rows(renderer, tmp_path: Path) -> None:
    import json

    from .sheets import EXAMPLE

    example = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    bad = {**example, "copies": "hai"}
    batch = prepare_payloads("minutes", [example, bad, "not an object", example])
    result = run_batch(renderer, batch, ZipSink(tmp_path / "r.zip"))
    assert (result.ok, result.failed) == (2, 2)
    assert [(e["row"], e["path"]) for e in result.errors] == [(2, "copies"), (3, "$")]
    with zipfile.ZipFile(tmp_path / "r.zip") as archive:
        assert sorted(n for n in archive.namelist() if n.endswith(".docx")) == [
            "001-UBND huyện Mỹ Tú.docx", "004-UBND huyện Mỹ Tú.docx"]


def test_zip_streams_to_a_pipe(tmp_path: Path, defaults_file: Path, renderer) -> None:
    """A ZIP written to a stream that cannot seek (stdout) is still a valid ZIP."""

    class Pipe(io.RawIOBase):
        def __init__(self) -> None:
            self.data = bytearray()

        def writable(self) -> bool:
            return True

        def write(self, b) -> int:  # type: ignore[no-untyped-def,override]
            self.data += b
            return len(b)

    path = write_xlsx(tmp_path / "u.xlsx", HEADERS, minutes_rows(3))
    pipe = Pipe()
    run_batch(renderer, prepare_sheet("minutes", path, defaults=load_defaults(defaults_file)),
              ZipSink(pipe))  # type: ignore[arg-type]
    with zipfile.ZipFile(io.BytesIO(bytes(pipe.data))) as archive:
        assert archive.testzip() is None
        assert len([n for n in archive.namelist() if n.endswith(".docx")]) == 3
