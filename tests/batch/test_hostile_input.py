"""Issue 13: spreadsheets and patterns built to take the batch down (points 2, 3, 4, 5)."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from pathlib import Path

import pytest

from docgen.batch import ZipSink, load_defaults, prepare_sheet, run_batch
from docgen.batch._names import FilenamePattern
from docgen.batch._readers import MAX_COLUMNS, open_sheet
from docgen.errors import InputError, PayloadTooLargeError, UnreadableInputError
from docgen.safezip import ZipBombError, ZipLimits, check_zip

from .conftest import wait_for
from .sheets import HEADERS, minutes_rows, shared_defaults, write_xlsx

SST_TYPE = (b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
            b'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>')


def sparse_workbook(path: Path, rows: list[list[object]]) -> Path:
    """Data rows, plus one cell at XFD1048576: the sheet declares A1:XFD1048576."""
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(HEADERS)
    for row in rows:
        sheet.append(row)
    sheet.cell(row=1_048_576, column=16_384, value="x")
    workbook.save(path)
    return path


def bomb(path: Path, source: Path, expanded: int = 120 * 1024 * 1024) -> Path:
    """``source`` with its sharedStrings.xml replaced by ``expanded`` bytes of 1 KB strings."""
    with zipfile.ZipFile(source) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            if item.filename == "xl/sharedStrings.xml":
                continue
            data = src.read(item)
            if item.filename == "[Content_Types].xml":  # make openpyxl read the part
                data = data.replace(b"</Types>", SST_TYPE + b"</Types>")
            dst.writestr(item, data)
        member = zipfile.ZipInfo("xl/sharedStrings.xml")
        member.compress_type = zipfile.ZIP_DEFLATED
        with dst.open(member, "w", force_zip64=True) as part:
            part.write(b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">')
            item = b"<si><t>" + b"A" * 1009 + b"</t></si>"  # many 1 KB strings
            chunk = item * 1024
            for _ in range(expanded // len(chunk)):
                part.write(chunk)
            part.write(b"</sst>")
    return path


def multipart(fields: dict[str, object]) -> dict[str, object]:
    """Test-client arguments for a multipart body encoded in memory.

    The test client spools bodies over 500 KB to a temporary file it never
    closes (a ResourceWarning, an error under -W error); encoding here avoids it.
    """
    from werkzeug.datastructures import FileStorage
    from werkzeug.test import encode_multipart

    values = {k: FileStorage(v[0], v[1]) if isinstance(v, tuple) else v
              for k, v in fields.items()}
    boundary, body = encode_multipart(values)  # type: ignore[arg-type]
    return {"data": body, "content_type": f"multipart/form-data; boundary={boundary}"}


# -- point 2: the declared dimension is ignored ---------------------------------------------


def test_sparse_sheet_reads_only_the_rows_present(tmp_path: Path, defaults_file: Path,
                                                  renderer) -> None:
    path = sparse_workbook(tmp_path / "sparse.xlsx", minutes_rows(2))
    assert path.stat().st_size < 20_000
    batch = prepare_sheet("minutes", path, defaults=load_defaults(defaults_file), max_rows=10)
    # The XFD1048576 cell lies past the column limit: the row it sits in is blank to us.
    assert batch.total == 2
    rows = list(batch.rows())
    assert [r.number for r in rows] == [2, 3]
    result = run_batch(renderer, batch, ZipSink(tmp_path / "out.zip"))
    assert (result.ok, result.failed) == (2, 0)


def test_rows_are_cut_at_the_column_limit(tmp_path: Path) -> None:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(HEADERS)
    sheet.append(minutes_rows(1)[0])
    sheet.cell(row=2, column=MAX_COLUMNS + 500, value="far away")
    workbook.save(tmp_path / "wide.xlsx")
    (number, cells), = open_sheet(tmp_path / "wide.xlsx").rows()
    assert number == 2 and len(cells) <= MAX_COLUMNS and "far away" not in cells


def test_reading_stops_past_the_row_limit(tmp_path: Path, defaults_file: Path) -> None:
    path = write_xlsx(tmp_path / "many.xlsx", HEADERS, minutes_rows(30))
    with pytest.raises(PayloadTooLargeError, match="có hơn 5 dòng dữ liệu, vượt giới hạn 5"):
        prepare_sheet("minutes", path, defaults=load_defaults(defaults_file), max_rows=5)


def test_upload_only_sniffs_and_the_job_reads(jobs_app, tmp_path: Path) -> None:
    """The request answers from the header; the job reads the sparse sheet and finishes."""
    path = sparse_workbook(tmp_path / "sparse.xlsx", minutes_rows(3))
    client = jobs_app.test_client()
    defaults = json.dumps(shared_defaults(), ensure_ascii=False)
    with path.open("rb") as handle:
        answer = client.post("/api/v1/batches/minutes", data={
            "file": (handle, "sparse.xlsx"), "defaults": defaults})
    assert answer.status_code == 202, answer.get_json()
    done = wait_for(client, answer.headers["Location"])
    assert done["state"] == "done", done
    assert done["rows"]["total"] == 3 and done["rows"]["ok"] == 3


def test_too_many_rows_fail_the_job_with_the_limit(tmp_path: Path) -> None:
    from docgen.app import create_app

    app = create_app({"instance_path": tmp_path / "i", "batch_max_rows": 3})
    try:
        client = app.test_client()
        path = write_xlsx(tmp_path / "many.xlsx", HEADERS, minutes_rows(8))
        defaults = json.dumps(shared_defaults(), ensure_ascii=False)
        with path.open("rb") as handle:
            answer = client.post("/api/v1/batches/minutes", data={
                "file": (handle, "many.xlsx"), "defaults": defaults})
        assert answer.status_code == 202
        done = wait_for(client, answer.headers["Location"])
        assert (done["state"], done["error_code"]) == ("failed", "payload_too_large")
        assert "'many.xlsx' có hơn 3 dòng dữ liệu" in done["message"]
    finally:
        app.extensions["docgen.jobs"].close()


# -- point 3: zip bombs -------------------------------------------------------------------------


def test_shared_strings_bomb_is_refused_unread(tmp_path: Path, jobs_app) -> None:
    plain = write_xlsx(tmp_path / "plain.xlsx", HEADERS, minutes_rows(1))
    path = bomb(tmp_path / "bomb.xlsx", plain)
    assert path.stat().st_size < 2 * 1024 * 1024
    with pytest.raises(ZipBombError) as caught:
        open_sheet(path, display_name="đợt.xlsx")
    assert caught.value.code == "archive_too_large" and caught.value.status == 413
    assert caught.value.member == "xl/sharedStrings.xml"
    assert "'xl/sharedStrings.xml' của tệp 'đợt.xlsx'" in caught.value.message
    client = jobs_app.test_client()
    with path.open("rb") as handle:
        answer = client.post("/api/v1/batches/minutes",
                             **multipart({"file": (handle, "bomb.xlsx")}))
    body = answer.get_json()
    assert (answer.status_code, body["code"]) == (413, "archive_too_large")
    assert "zip bomb" in body["detail"] or "vượt giới hạn" in body["detail"]


@pytest.mark.parametrize(("limits", "expected"), [
    (ZipLimits(member_bytes=1000), "vượt giới hạn"),
    (ZipLimits(total_bytes=1500, member_bytes=10**9), "giải nén ra"),
    (ZipLimits(ratio=2.0, ratio_floor=100), "tỉ lệ"),
    (ZipLimits(members=1), "thành phần"),
])
def test_check_zip_limits(tmp_path: Path, limits: ZipLimits, expected: str) -> None:
    path = tmp_path / "a.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("a.xml", "<a/>" * 300)
        archive.writestr("b.xml", "<b/>" * 300)
    assert [m.filename for m in check_zip(path)] == ["a.xml", "b.xml"]
    with pytest.raises(ZipBombError, match=expected):
        check_zip(path, limits=limits)


def test_check_zip_refuses_what_is_not_a_zip(tmp_path: Path) -> None:
    path = tmp_path / "x.zip"
    path.write_bytes(b"PK\x03\x04 not really")
    with pytest.raises(UnreadableInputError, match="không phải tệp nén"):
        check_zip(path)


# -- point 4: the file-name pattern ---------------------------------------------------------------


ALLOWED = ["stt", "row", "unit_name", "date", "type_code"]


@pytest.mark.parametrize("pattern", [
    "{unit_name:>100000000}",          # 8 s and 570 MB for 19 rows
    "{unit_name.__class__.__mro__}",   # attribute access
    "{unit_name[0]}",                  # index access
    "{unit_name!r}",                   # conversion
    "{stt:0100000d}",                  # width beyond the zero-padded form
    "{stt:,}", "{date:%A %c}",          # other specs
    "{}", "{0}",                       # positional fields
    "{stt}" * 11,                      # more fields than a name needs
    "x" * 201,
])
def test_hostile_patterns_are_refused(pattern: str) -> None:
    with pytest.raises(InputError) as caught:
        FilenamePattern(pattern, ALLOWED, "docx")
    assert caught.value.code == "invalid_pattern" and caught.value.status == 400
    assert "mẫu tên tệp" in caught.value.message.lower()


@pytest.mark.parametrize(("pattern", "name"), [
    ("{stt:03d}-{unit_name}", "007-Sở Y tế.docx"),
    ("{type_code}-{date:%d-%m-%Y}", "BB-12-10-2017.docx"),
    ("{date:%d.%m.%Y}_{row}", "12.10.2017_9.docx"),
    ("{unit_name}" * 5, ("Sở Y tế" * 5) + ".docx"),
])
def test_documented_patterns_still_work(pattern: str, name: str) -> None:
    import datetime as dt

    values = {"stt": 7, "row": 9, "unit_name": "Sở Y tế", "date": dt.date(2017, 10, 12),
              "type_code": "BB"}
    assert FilenamePattern(pattern, ALLOWED, "docx").format(values) == name


def test_a_hostile_pattern_is_refused_at_submit(jobs_app) -> None:
    client = jobs_app.test_client()
    rows = [shared_defaults()]
    answer = client.post("/api/v1/batches/minutes?pattern=%7Bunit_name.__class__%7D", json=rows)
    body = answer.get_json()
    assert (answer.status_code, body["code"]) == (400, "invalid_pattern")
    assert "{unit_name.__class__}" in body["detail"]


def test_a_long_name_is_cut() -> None:
    name = FilenamePattern("{unit_name}{unit_name}", ALLOWED, "docx").format(
        {"unit_name": "Đ" * 5000})
    assert name.endswith(".docx") and len(name) <= 105


# -- point 5 (batch side): errors.csv holds no live formula -------------------------------------


def test_errors_csv_neutralises_formula_cells(tmp_path: Path, defaults_file: Path,
                                              renderer) -> None:
    rows = minutes_rows(2)
    rows[0][HEADERS.index("Ngày ban hành")] = '=HYPERLINK("http://127.0.0.1:9/")'
    rows[1][HEADERS.index("Tên đơn vị được kiểm tra")] = "@SUM(1+1)"
    path = write_xlsx(tmp_path / "f.xlsx", HEADERS, rows)
    batch = prepare_sheet("minutes", path, defaults=load_defaults(defaults_file))
    run_batch(renderer, batch, ZipSink(tmp_path / "out.zip"))
    with zipfile.ZipFile(tmp_path / "out.zip") as archive:
        text = archive.read("errors.csv").decode("utf-8-sig")
        names = archive.namelist()
    lines = list(csv.reader(io.StringIO(text)))
    assert len(lines) >= 2 and lines[1][0] == "2"
    for line in lines:
        for cell in line:
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), cell
    assert any("'@SUM(1+1)" in n or "_SUM(1+1)" in n or "@SUM(1+1)" in n for n in names)
