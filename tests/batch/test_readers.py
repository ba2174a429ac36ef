"""CSV in every encoding Vietnamese offices save, XLSX, and the files that must fail fast."""

from __future__ import annotations

import codecs
import unicodedata
from pathlib import Path

import pytest

from docgen.batch import load_defaults, open_sheet, prepare_sheet
from docgen.errors import PayloadTooLargeError, UnreadableInputError

from .sheets import HEADERS, minutes_rows, to_cp1258, write_csv, write_xlsx

#: Names that exercise every Vietnamese trap: all five tones on ư/ơ/ă/â/ê/ô, Đ,
#: a comma and a semicolon inside a cell, quotes, an en dash.
HARD_NAMES = [
    "UBND xã Đại Ân 2, huyện Trần Đề",
    "Ủy ban nhân dân phường Khánh Hòa; thị xã Vĩnh Châu",
    "Trường “Nguyễn Thị Minh Khai” – Sở Giáo dục",
    "Ửng Thị Ước, Ưng Hoàng Phúc, Ỷ Lan, Đặng Thị Huyền Trâm",
    "Sở Tài nguyên và Môi trường (ôn, ỗ, ở, ợ, ừ, ữ, ẵ, ặ, ẩ, ệ)",
]


def _rows() -> list[list]:
    rows = minutes_rows(len(HARD_NAMES))
    for row, name in zip(rows, HARD_NAMES, strict=True):
        row[1] = name
        row[9] = row[11] = name.split(",")[0][-20:].strip()  # the representative
        row[13] = f"{name}\nBan Chỉ đạo ISO tỉnh"
    return rows


ENCODINGS = [
    # (encoding written, delimiter, how the file is saved in practice)
    ("utf-8", ","),  # LibreOffice, Google Sheets
    ("utf-8", ";"),  # Excel where the list separator is ';'
    ("utf-8-sig", ","),  # Excel "CSV UTF-8"
    ("utf-8-sig", ";"),
    ("utf-16", "\t"),  # Excel "Unicode Text": UTF-16 LE with BOM, tab-separated
    ("utf-16", ","),
    ("cp1258", ","),  # Excel "CSV" on a Vietnamese Windows: Windows-1258, combining tones
    ("cp1258", ";"),
]


@pytest.mark.parametrize(("encoding", "delimiter"), ENCODINGS)
def test_csv_round_trips_vietnamese_exactly(tmp_path: Path, defaults_file: Path, renderer,
                                           encoding: str, delimiter: str) -> None:
    path = write_csv(tmp_path / "units.csv", HEADERS, _rows(), encoding=encoding,
                     delimiter=delimiter)
    batch = prepare_sheet("minutes", path, defaults=load_defaults(defaults_file))
    assert batch.total == len(HARD_NAMES)
    names = []
    for row in batch.rows():
        data = renderer.validate("minutes", row.payload).data
        names.append(data["unit"]["name"])
        assert data["recipients"] == [data["unit"]["name"], "Ban Chỉ đạo ISO tỉnh"]
    assert names == HARD_NAMES  # NFC, character for character
    assert all(unicodedata.is_normalized("NFC", n) for n in names)


def test_cp1258_really_is_the_legacy_form(tmp_path: Path) -> None:
    """The fixture writes what old Excel writes: tone marks as separate bytes."""
    assert to_cp1258("Huyền") == b"Huy\xea\xccn"  # ê (0xEA), then the grave accent (0xCC)
    assert to_cp1258("Đức") == b"\xd0\xfd\xecc"  # Đ, ư, acute
    raw = to_cp1258("Huyền")
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")


def test_encoding_and_delimiter_can_be_named(tmp_path: Path, defaults_file: Path) -> None:
    path = write_csv(tmp_path / "u.csv", HEADERS, _rows(), encoding="cp1258", delimiter=";")
    sheet = open_sheet(path, encoding="windows-1258", delimiter=";")
    assert (sheet.encoding, sheet.delimiter) == ("cp1258", ";")
    assert sheet.describe() == "CSV, Windows-1258, dấu chấm phẩy"
    # named wrongly: refused with the way out, not mojibake
    with pytest.raises(UnreadableInputError, match="--encoding"):
        prepare_sheet("minutes", path, encoding="utf-8", defaults=load_defaults(defaults_file))


def test_xlsx_with_a_shared_values_sheet(tmp_path: Path, defaults_file: Path, renderer) -> None:
    defaults = load_defaults(defaults_file)
    shared = [
        ("Người ký.Họ và tên người ký", "Lê Thị Hồng Đào"),
        ("Chữ viết tắt cơ quan", "BCĐISO"),
        ("Nơi nhận", "Như trên\nLưu VT"),
    ]
    path = write_xlsx(tmp_path / "u.xlsx", HEADERS[:-1], [r[:-1] for r in _rows()], shared=shared)
    batch = prepare_sheet("minutes", path, defaults=defaults)
    first = renderer.validate("minutes", next(batch.rows()).payload).data
    assert first["signer"]["full_name"] == "Lê Thị Hồng Đào"  # the sheet over the JSON
    assert first["signer"]["position"] == defaults["signer"]["position"]  # merged, not replaced
    assert first["agency"]["code"] == "BCĐISO"
    assert first["recipients"] == ["Như trên", "Lưu VT"]
    assert batch.description == "Excel, trang 'Biên bản'"


def test_blank_rows_skipped_row_numbers_kept(tmp_path: Path, defaults_file: Path) -> None:
    rows = _rows()
    path = write_xlsx(tmp_path / "u.xlsx", HEADERS, [rows[0], [None] * 3, [], rows[1]])
    batch = prepare_sheet("minutes", path, defaults=load_defaults(defaults_file))
    assert batch.total == 2
    assert [r.number for r in batch.rows()] == [2, 5]  # as Excel shows them


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "rỗng"),
        (b"   \r\n", "rỗng"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, ".xls"),
        (b"PK\x03\x04 not really a zip", "không phải tệp Excel"),
    ],
)
def test_unreadable_or_empty_files_fail_fast(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "units.csv"
    path.write_bytes(content)
    with pytest.raises(UnreadableInputError, match=message):
        prepare_sheet("minutes", path, defaults={"agency": {}})


def test_header_without_rows(tmp_path: Path, defaults_file: Path) -> None:
    path = write_csv(tmp_path / "units.csv", HEADERS, [])
    with pytest.raises(UnreadableInputError, match="'units.csv' không có dòng dữ liệu nào"):
        prepare_sheet("minutes", path, defaults=load_defaults(defaults_file))


def test_xlsx_named_csv_is_read_by_its_content(tmp_path: Path, defaults_file: Path) -> None:
    path = write_xlsx(tmp_path / "units.csv", HEADERS, minutes_rows(2))
    assert prepare_sheet("minutes", path, defaults=load_defaults(defaults_file)).total == 2


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(UnreadableInputError, match="Không đọc được tệp 'nope.csv'"):
        prepare_sheet("minutes", tmp_path / "nope.csv")


def test_row_limit(tmp_path: Path, defaults_file: Path) -> None:
    path = write_csv(tmp_path / "u.csv", HEADERS, minutes_rows(6))
    with pytest.raises(PayloadTooLargeError, match="'u.csv' có hơn 5 dòng dữ liệu, vượt giới hạn 5"):
        prepare_sheet("minutes", path, defaults=load_defaults(defaults_file), max_rows=5)


def test_bom_detection() -> None:
    from docgen.batch._readers import detect_encoding

    assert detect_encoding(Path("-"), codecs.BOM_UTF16_LE + "S".encode("utf-16-le")) == "utf-16"
    assert detect_encoding(Path("-"), "STT,Tên".encode("utf-16-le")) == "utf-16-le"
