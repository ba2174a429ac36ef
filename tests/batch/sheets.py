"""Realistic batch input: one `minutes` row per Sóc Trăng unit of the 2017 round.

The 120 units come from tests/data/batch/soc-trang-2017-units.csv (a copy of
shared/data). What every minutes of the round shares (the team, the basis, the
findings template, the signer) is a defaults JSON built from the example
payload; each row holds what differs: the unit, the dates, the representative.
"""

from __future__ import annotations

import copy
import csv
import datetime as dt
import json
import unicodedata
from pathlib import Path
from typing import Any

DATA = Path(__file__).resolve().parent.parent / "data" / "batch"
UNITS_CSV = DATA / "soc-trang-2017-units.csv"
EXAMPLE = Path(__file__).resolve().parents[2] / "schemas" / "examples" / "minutes.json"

#: Per-row columns, as a clerk heads them (labels; the last segment alone where unique).
HEADERS = [
    "STT",
    "Tên đơn vị được kiểm tra",
    "Địa chỉ",
    "Số văn bản",
    "Ngày ban hành",
    "Trích yếu nội dung",
    "Bắt đầu lúc",
    "Kết thúc lúc",
    "Địa điểm kiểm tra",
    "Đại diện đơn vị được kiểm tra 1.Họ và tên",
    "Đại diện đơn vị được kiểm tra 1.Chức vụ",
    "Người ký đại diện đơn vị.Họ và tên",
    "Người ký đại diện đơn vị.Chức vụ",
    "Nơi nhận",
]

_FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Huỳnh", "Võ", "Đặng", "Bùi", "Đỗ", "Lý", "Thạch", "Dương"]
_MIDDLE = ["Văn", "Thị", "Hoàng", "Ngọc", "Minh", "Thanh", "Quốc", "Mỹ"]
_GIVEN = ["Thuận", "Hưởng", "Tuyết", "Ánh", "Dũng", "Phước", "Khánh", "Nguyệt", "Sơn", "Ửng", "Kiệt"]


def units() -> list[dict[str, str]]:
    with UNITS_CSV.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def person(n: int) -> str:
    return f"{_FAMILY[n % len(_FAMILY)]} {_MIDDLE[n % len(_MIDDLE)]} {_GIVEN[n % len(_GIVEN)]}"


def shared_defaults() -> dict[str, Any]:
    """What every minutes of the round shares, as a defaults JSON holds it."""
    example = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    keep = ("agency", "basis", "members", "findings", "conclusion", "requests", "signer",
            "copies", "archive")
    shared = {k: copy.deepcopy(example[k]) for k in keep}
    shared["conclusion"] = "Đơn vị đã áp dụng, duy trì Hệ thống quản lý chất lượng phù hợp."
    return shared


def unit_row(unit: dict[str, str]) -> list[Any]:
    """The row of one unit, with Python values (dates as dates) as an XLSX holds them."""
    stt = int(unit["stt"])
    name = unit["unit_name"]
    on_site = unit["mode"] == "on_site"
    day = dt.date(2017, 10, 2) + dt.timedelta(days=stt % 25) if on_site else dt.date(2017, 11, 15)
    start = dt.datetime.combine(day, dt.time(8, 0) if stt % 2 else dt.time(13, 30))
    end = start + dt.timedelta(hours=3)
    district = unit["district"]
    address = f"{district}, tỉnh Sóc Trăng" if district else "thành phố Sóc Trăng"
    location = f"Trụ sở {name}" if on_site else "Sở Khoa học và Công nghệ (kiểm tra qua báo cáo)"
    head = person(stt)
    return [
        stt, name, address, stt, day,
        f"Kiểm tra việc áp dụng, duy trì và cải tiến Hệ thống quản lý chất lượng tại {name}",
        start, end, location, head, "Phó Thủ trưởng đơn vị", head, "Phó Thủ trưởng đơn vị",
        f"{name}\nBan Chỉ đạo ISO tỉnh",
    ]


def minutes_rows(count: int | None = None) -> list[list[Any]]:
    return [unit_row(u) for u in units()[:count]]


def cell_text(value: Any) -> str:
    """A value as a CSV cell: dates dd/mm/yyyy, times hh:mm."""
    if isinstance(value, dt.datetime):
        return value.strftime("%d/%m/%Y %H:%M")
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    return "" if value is None else str(value)


def write_xlsx(path: Path, headers: list[str], rows: list[list[Any]], *,
               shared: list[tuple[str, Any]] | None = None, title: str = "Biên bản") -> Path:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            if isinstance(cell.value, dt.datetime):
                cell.number_format = "dd/mm/yyyy hh:mm"
            elif isinstance(cell.value, dt.date):
                cell.number_format = "dd/mm/yyyy"
    if shared is not None:
        extra = workbook.create_sheet("chung")
        extra.append(["Trường", "Giá trị"])
        for key, value in shared:
            extra.append([key, value])
    workbook.save(path)
    return path


def to_cp1258(text: str) -> bytes:
    """Encode as Vietnamese Windows does: base letters precomposed (â ê ô ă ơ ư),
    tone marks as combining characters where cp1258 has no precomposed form."""
    out = bytearray()
    for char in unicodedata.normalize("NFC", text):
        try:
            out += char.encode("cp1258")
            continue
        except UnicodeEncodeError:
            pass
        decomposed = unicodedata.normalize("NFD", char)
        tones = [c for c in decomposed[1:] if c in "\u0300\u0301\u0303\u0309\u0323"]
        base = unicodedata.normalize(
            "NFC", "".join(c for c in decomposed if c not in tones))
        out += base.encode("cp1258") + "".join(tones).encode("cp1258")
    return bytes(out)


def write_csv(path: Path, headers: list[str], rows: list[list[Any]], *,
              encoding: str = "utf-8", delimiter: str = ",") -> Path:
    import io

    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(headers)
    for row in rows:
        writer.writerow([cell_text(v) for v in row])
    text = buffer.getvalue()
    data = to_cp1258(text) if encoding == "cp1258" else text.encode(encoding)
    path.write_bytes(data)
    return path
