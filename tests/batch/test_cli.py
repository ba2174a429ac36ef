"""``docgen batch``: the commands of the issue, their output and exit codes."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from docgen.cli import main

from ..docx_text import docx_text
from .sheets import HEADERS, minutes_rows, write_csv, write_xlsx


def test_xlsx_to_zip_with_progress_lines(runner, tmp_path: Path, defaults_file: Path) -> None:
    sheet = write_xlsx(tmp_path / "units.xlsx", HEADERS, minutes_rows(20))
    out = tmp_path / "round-2017.zip"
    result = runner.invoke(main, ["batch", "minutes", str(sheet), "-o", str(out),
                                  "--defaults", str(defaults_file)])
    assert result.exit_code == 0, result.output
    lines = result.stderr.splitlines()
    assert lines[0] == "Biên bản kiểm tra: 20 dòng từ units.xlsx (Excel, trang 'Biên bản')"
    progress = [line for line in lines if line.startswith("minutes: ")]
    # not a terminal: plain lines, one per tenth, not a line per row
    assert progress[0].startswith("minutes: 2/20 dòng (10%) · ")
    assert progress[-1].startswith("minutes: 20/20 dòng (100%) · ") and "dòng/s" in progress[-1]
    assert len(progress) == 10
    assert any(line.startswith("Xong: 20 dòng: 20 ok, 0 lỗi") for line in lines)
    assert lines[-1] == f"đã ghi {out}"
    with zipfile.ZipFile(out) as archive:
        assert len([n for n in archive.namelist() if n.endswith(".docx")]) == 20


def test_csv_to_folder_with_merge_and_bad_rows(runner, tmp_path: Path,
                                               defaults_file: Path) -> None:
    rows = minutes_rows(4)
    rows[1][6] = "hôm qua"
    sheet = write_csv(tmp_path / "units.csv", HEADERS, rows, encoding="cp1258", delimiter=";")
    merged = tmp_path / "merged.docx"
    result = runner.invoke(main, ["batch", "minutes", str(sheet), "-o", f"{tmp_path}/out/",
                                  "--merge", str(merged), "--defaults", str(defaults_file),
                                  "--quiet"])
    assert result.exit_code == 3, result.output  # some rows failed; the rest is written
    assert "Xong: 4 dòng: 3 ok, 1 lỗi (xem errors.csv)" in result.stderr
    assert "dòng 3, cột G 'Bắt đầu lúc': Thời điểm 'hôm qua' không hợp lệ" in result.stderr
    assert not any(line.startswith("minutes: ") for line in result.stderr.splitlines())
    written = sorted(p.name for p in (tmp_path / "out").iterdir())
    assert written == ["001-Văn phòng UBND tỉnh.docx", "003-Sở Tư pháp.docx",
                       "004-Sở Kế hoạch và Đầu tư.docx", "errors.csv", "summary.txt"]
    text = docx_text(merged.read_bytes())
    assert text.index("Văn phòng UBND tỉnh") < text.index("Sở Tư pháp") < text.index(
        "Sở Kế hoạch và Đầu tư")


def test_zip_to_stdout(runner, tmp_path: Path, defaults_file: Path) -> None:
    sheet = write_xlsx(tmp_path / "units.xlsx", HEADERS, minutes_rows(2))
    result = runner.invoke(main, ["batch", "minutes", str(sheet), "-o", "-", "-q",
                                  "--defaults", str(defaults_file)])
    assert result.exit_code == 0
    with zipfile.ZipFile(io.BytesIO(result.stdout_bytes)) as archive:
        assert "002-Sở Nội vụ.docx" in archive.namelist()


def test_fail_fast_is_exit_2_with_the_reason(runner, tmp_path: Path) -> None:
    sheet = write_csv(tmp_path / "units.csv", ["STT", "Tên đơn vị", "Ngày"], [[1, "x", "y"]])
    result = runner.invoke(main, ["batch", "minutes", str(sheet), "-o", str(tmp_path / "x.zip")])
    assert result.exit_code == 2
    assert "Lỗi [validation_failed]" in result.stderr
    assert "'Tên đơn vị'" in result.stderr and "'Ngày'" in result.stderr
    assert "Traceback" not in result.output
    assert not list(tmp_path.glob("x.zip*"))
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    result = runner.invoke(main, ["batch", "minutes", str(empty)])
    assert result.exit_code == 2 and "rỗng" in result.stderr
    result = runner.invoke(main, ["batch", "minutes", str(sheet), "--pattern", "{nope}"])
    assert result.exit_code == 2


def test_template_command(runner, tmp_path: Path) -> None:
    out = tmp_path / "units.xlsx"
    result = runner.invoke(main, ["batch", "template", "minutes", "-o", str(out)])
    assert result.exit_code == 0 and out.is_file()
    # the template, as written, is a valid one-row batch
    result = runner.invoke(main, ["batch", "minutes", str(out), "-o", str(tmp_path / "r.zip")])
    assert result.exit_code == 0, result.stderr
    result = runner.invoke(main, ["batch", "template", "report", "-o", str(tmp_path / "r.csv"),
                                  "--names"])
    assert (tmp_path / "r.csv").read_text(encoding="utf-8-sig").startswith(
        "STT,agency.parent_name,agency.name")


def test_worker_needs_a_broker(runner, monkeypatch) -> None:
    monkeypatch.delenv("DOCGEN_BROKER_URL", raising=False)
    result = runner.invoke(main, ["batch", "worker"])
    assert result.exit_code == 2 and "DOCGEN_BROKER_URL" in result.stderr
