"""Headers -> fields: the grammar a clerk and a program both write, and its refusals."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from docgen.batch import ColumnMap, header_for, prepare_sheet, resolve, type_tree, write_template
from docgen.batch._fields import HeaderError, iter_leaves
from docgen.errors import ValidationError

from .sheets import write_csv


@pytest.mark.parametrize(
    ("header", "path"),
    [
        # field names, as JSON paths
        ("signer.full_name", ("signer", "full_name")),
        ("members[0].full_name", ("members", 0, "full_name")),
        ("members[ 2 ].role", ("members", 2, "role")),
        ("requests[1]", ("requests", 1)),
        # Vietnamese labels, with numbers counted from 1 as a clerk counts
        ("Người ký.Họ và tên người ký", ("signer", "full_name")),
        ("Thành viên Đoàn kiểm tra 2.Nhiệm vụ trong Đoàn", ("members", 1, "role")),
        ("Kết quả kiểm tra theo từng nội dung 6.Kết quả", ("findings", 5, "content")),
        ("Kiến nghị đối với đơn vị 1", ("requests", 0)),
        # a label unique in the document stands alone
        ("Tên đơn vị được kiểm tra", ("unit", "name")),
        ("Họ và tên người ký", ("signer", "full_name")),
        ("Cơ quan ban hành", ("agency", "name")),  # the object's label: its only leaf of that name
        # a whole text list in one cell (one item per line)
        ("Nơi nhận", ("recipients",)),
        ("recipients", ("recipients",)),
        # case, spacing and Unicode form do not matter (NFD: macOS, some IMEs)
        ("  NGƯỜI KÝ . họ và  tên người ký ", ("signer", "full_name")),
        ("Te\u0302n \u0111o\u031bn vi\u0323 \u0111u\u031bo\u031b\u0323c kie\u0302\u0309m tra",
         ("unit", "name")),
        # mixed styles
        ("members[0].Họ và tên", ("members", 0, "full_name")),
    ],
)
def test_header_resolves(header: str, path: tuple) -> None:
    assert resolve(type_tree("minutes"), header).path == path


@pytest.mark.parametrize(
    ("header", "code"),
    [
        ("Họ và tên", "unknown_column"),  # members, representatives and signer all have one
        ("Chức vụ", "unknown_column"),
        ("members[0]", "incomplete_column"),  # which field of the member?
        ("members", "incomplete_column"),  # which member?
        ("agency", "incomplete_column"),
        ("Thành viên Đoàn kiểm tra 0.Họ và tên", "bad_index"),  # clerks count from 1
        ("signer.full_name.first", "unknown_column"),
        ("Tên đơn vị", "unknown_column"),
    ],
)
def test_header_refused(header: str, code: str) -> None:
    with pytest.raises(HeaderError) as info:
        resolve(type_tree("minutes"), header)
    assert info.value.code == code


@pytest.mark.parametrize("doc_type", ["plan", "decision", "minutes", "report"])
@pytest.mark.parametrize("style", ["label", "name"])
def test_every_canonical_header_resolves_back(doc_type: str, style: str) -> None:
    root = type_tree(doc_type)
    for path, _node in iter_leaves(root):
        assert resolve(root, header_for(root, path, style)).path == path  # type: ignore[arg-type]


def test_unknown_headers_fail_fast_naming_them(tmp_path: Path) -> None:
    sheet = write_csv(tmp_path / "x.csv", ["STT", "Tên đơn vị được kiểm tra", "Ho va ten nguoi ky",
                                           "Ghi chú"], [[1, "Sở Y tế", "A", "B"]])
    with pytest.raises(ValidationError) as info:
        prepare_sheet("minutes", sheet)
    errors = {e.path: e for e in info.value.errors}
    assert set(errors) == {"Ho va ten nguoi ky", "Ghi chú"}
    assert all(e.code == "unknown_column" for e in errors.values())
    assert "'Ho va ten nguoi ky'" in info.value.message and "'Ghi chú'" in info.value.message
    assert "Có phải 'Họ và tên người ký'?" in errors["Ho va ten nguoi ky"].message


def test_comment_columns_and_blank_headers_are_ignored(tmp_path: Path, defaults_file: Path) -> None:
    from docgen.batch import load_defaults

    rows = [[1, "Sở Y tế", "x", "", "2017-10-12", "2017-10-12 08:00", "2017-10-12 10:00",
             "Sở Y tế", "A", "B", "A", "B"]]
    headers = ["STT", "Tên đơn vị được kiểm tra", "# ghi chú", "", "Ngày ban hành", "Bắt đầu lúc",
               "Kết thúc lúc", "Địa điểm kiểm tra", "unit_representatives[0].full_name",
               "unit_representatives[0].position", "representative_signer.full_name",
               "representative_signer.position"]
    sheet = write_csv(tmp_path / "x.csv", headers, rows)
    batch = prepare_sheet("minutes", sheet, defaults={**load_defaults(defaults_file),
                                                      "summary": "Kiểm tra"})
    assert batch.total == 1


def test_duplicate_columns_refused(tmp_path: Path) -> None:
    sheet = write_csv(tmp_path / "x.csv", ["signer.full_name", "Họ và tên người ký"], [["a", "b"]])
    with pytest.raises(ValidationError) as info:
        prepare_sheet("minutes", sheet)
    assert [e.code for e in info.value.errors] == ["duplicate_column"]
    assert "(B)" in info.value.errors[0].message and "(A)" in info.value.errors[0].message


def test_missing_required_columns_fail_fast(tmp_path: Path) -> None:
    sheet = write_csv(tmp_path / "x.csv", ["Tên đơn vị được kiểm tra"], [["Sở Y tế"]])
    with pytest.raises(ValidationError) as info:
        prepare_sheet("minutes", sheet)
    missing = {e.path for e in info.value.errors}
    assert {"agency.code", "signer.full_name", "members", "started_at"} <= missing
    assert all(e.code == "missing_column" for e in info.value.errors)
    assert "'Họ và tên người ký'" in info.value.message


def test_shared_values_with_unknown_fields_refused(tmp_path: Path) -> None:
    sheet = write_csv(tmp_path / "x.csv", ["Tên đơn vị được kiểm tra"], [["Sở Y tế"]])
    with pytest.raises(ValidationError) as info:
        prepare_sheet("minutes", sheet, defaults={"agency": {"nam": "x"}, "memebrs": []})
    assert {e.path for e in info.value.errors} == {"agency.nam", "memebrs"}


def test_blank_repeated_groups_are_skipped_and_errors_point_at_the_sheet() -> None:
    root = type_tree("minutes")
    headers = ["Thành viên Đoàn kiểm tra 1.Họ và tên", "Thành viên Đoàn kiểm tra 2.Họ và tên",
               "Thành viên Đoàn kiểm tra 3.Họ và tên", "Thành viên Đoàn kiểm tra 3.Nhiệm vụ trong Đoàn"]
    columns = ColumnMap(root, headers, check_required=False)
    row = columns.payload(["Trần Văn Lâu", None, "Đỗ Thị Thủy", None])
    assert row.payload["members"] == [{"full_name": "Trần Văn Lâu"}, {"full_name": "Đỗ Thị Thủy"}]
    assert row.origin is not None
    # the second member of the payload is the third of the sheet
    assert row.origin.locate("members[1].full_name") == ("Thành viên Đoàn kiểm tra 3.Họ và tên", "C")
    assert row.origin.locate("members[1].role") == (
        "Thành viên Đoàn kiểm tra 3.Nhiệm vụ trong Đoàn", "D")
    assert row.origin.locate("members[0].role") == (
        "Thành viên Đoàn kiểm tra 1.Nhiệm vụ trong Đoàn", "")  # no such column: its header


def test_choices_by_label_and_text_lists_by_line() -> None:
    root = type_tree("minutes")
    columns = ColumnMap(root, ["members[0].role", "findings[0].aspect", "Nơi nhận", "Thẩm quyền ký"],
                        check_required=False)
    row = columns.payload(["Trưởng đoàn", "Đánh giá nội bộ và xem xét của lãnh đạo",
                           "UBND huyện Mỹ Tú\r\n\r\n Ban Chỉ đạo ISO tỉnh ", "KT."])
    assert row.payload["members"][0]["role"] == "truong_doan"
    assert row.payload["findings"][0]["aspect"] == "internal_audit"
    assert row.payload["recipients"] == ["UBND huyện Mỹ Tú", "Ban Chỉ đạo ISO tỉnh"]
    assert row.payload["signer"]["authority"] == "KT."


def test_template_holds_exactly_the_accepted_columns_and_reads_back(tmp_path: Path,
                                                                    renderer) -> None:
    from docgen.batch._template import example_payload

    for style in ("label", "name"):
        path = write_template("minutes", tmp_path / f"{style}.xlsx", style=style)  # type: ignore[arg-type]
        batch = prepare_sheet("minutes", path)  # every header resolves, none missing
        (row,) = list(batch.rows())
        got = renderer.validate("minutes", row.payload).data
        assert got == renderer.validate("minutes", example_payload("minutes")).data


def test_template_repeat_and_csv(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    path = write_template("decision", tmp_path / "qd.xlsx", repeat=6, with_example=False)
    workbook = load_workbook(path)
    headers = [c.value for c in workbook.worksheets[0][1]]
    assert workbook.sheetnames[1] == "chung"
    assert "Thành viên Đoàn kiểm tra 6.Nhiệm vụ trong Đoàn" in headers
    assert workbook.worksheets[0].max_row == 1
    csv_path = write_template("minutes", tmp_path / "bb.csv")
    assert csv_path.read_bytes().startswith(b"\xef\xbb\xbfSTT,")


def test_xlsx_dates_and_numbers(tmp_path: Path, defaults_file: Path, renderer) -> None:
    """Dates as Excel dates, dd/mm/yyyy text or serials; numbers as numbers or text."""
    from docgen.batch import load_defaults

    from .sheets import write_xlsx

    headers = ["Tên đơn vị được kiểm tra", "Trích yếu nội dung", "Ngày ban hành", "Bắt đầu lúc",
               "Kết thúc lúc", "Số văn bản", "Số bản", "Địa điểm kiểm tra",
               "Đại diện đơn vị được kiểm tra 1.Họ và tên", "Đại diện đơn vị được kiểm tra 1.Chức vụ",
               "Người ký đại diện đơn vị.Họ và tên", "Người ký đại diện đơn vị.Chức vụ"]
    tail = ["Phòng họp", "Võ Văn Thuận", "Phó Chủ tịch", "Võ Văn Thuận", "Phó Chủ tịch"]
    rows = [
        ["A", "x", dt.date(2017, 10, 12), dt.datetime(2017, 10, 12, 8, 0),
         dt.datetime(2017, 10, 12, 11, 30), 12, 2, *tail],
        ["B", "x", "12/10/2017", "12/10/2017 08:00", "12/10/2017 11:30", 12.0, "3", *tail],
        ["C", "x", 43020, 43020 + 8 / 24, 43020.5, "12", 2.0, *tail],  # serials: 12/10/2017
        ["D", "x", "5/3/2017", "5/3/2017 7:05", "2017-03-05T09:00", None, None, *tail],
    ]
    sheet = write_xlsx(tmp_path / "dates.xlsx", headers, rows)
    batch = prepare_sheet("minutes", sheet, defaults=load_defaults(defaults_file))
    data = [renderer.validate("minutes", r.payload).data for r in batch.rows()]
    for item in data[:3]:
        assert item["date"] == dt.date(2017, 10, 12)
        assert item["started_at"] == dt.datetime(2017, 10, 12, 8, 0)
        assert item["ended_at"] == dt.datetime(2017, 10, 12, 11, 30) if item is not data[2] \
            else item["ended_at"] == dt.datetime(2017, 10, 12, 12, 0)
        assert item["number"] == 12
    assert [d["copies"] for d in data] == [2, 3, 2, 2]  # blank: the schema's default
    assert data[3]["date"] == dt.date(2017, 3, 5)
    assert data[3]["started_at"] == dt.datetime(2017, 3, 5, 7, 5)
    assert data[3]["number"] is None
