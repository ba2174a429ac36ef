"""Creating and editing a round from the pages (issue 16): ``/rounds/new`` from a unit list
(CSV or XLSX) or from a plan payload, ``/rounds/<id>/edit`` (title, due dates, the unit list
while nothing is numbered) — signed in with a key, each form's own CSRF token; the round's
rows, units and audit line checked in the database; bad files answered by the page, filled,
with the error by row and column (422, never a 500). The same reader for the API and the CLI.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from docgen import rounds
from docgen.app import create_app
from docgen.cli import main
from docgen.register import EXTENSION
from docgen.rounds import MAX_UNITS, audit, store, workflow
from docgen.rounds.models import Round, RoundDocument, RoundEvent, RoundUnit

from ..batch.sheets import to_cp1258
from ..conftest import raw_client
from .roundsdata import ISSUER, UNITS_CSV, minutes_for

KEY = "khoa-trang-tao-dot-0123456789"
ROOT = Path(__file__).resolve().parents[2]
PLAN = ROOT / "schemas" / "examples" / "plan.json"
TITLE = "Kiểm tra việc áp dụng HTQLCL theo TCVN ISO 9001:2008 năm 2017"
ISSUER_FIELDS = {"issuer.parent_name": ISSUER["parent_name"], "issuer.name": ISSUER["name"],
                 "issuer.code": ISSUER["code"], "issuer.place": ISSUER["place"]}
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def make_app(tmp_path: Path, **config: Any) -> Any:
    return create_app({"instance_path": tmp_path / "instance", "api_keys": KEY, **config})


def token(page: str) -> str:
    found = re.search(r'name="_csrf" value="([^"]+)"', page)
    assert found, "the form carries no CSRF token"
    return found.group(1)


def signed_in(app: Any) -> Any:
    client = app.test_client()
    assert client.get("/rounds/new").status_code == 401  # login_required
    login = client.get("/login").get_data(as_text=True)
    answer = client.post("/login", data={"key": KEY, "_csrf": token(login), "next": "/rounds"})
    assert answer.status_code == 303
    return client


def factory(app: Any) -> Any:
    return app.extensions[EXTENSION].session_factory


def fields(**extra: Any) -> dict[str, Any]:
    return {**ISSUER_FIELDS, "year": "2017", "title": TITLE, "due_date": "16/10/2017",
            "_user": "Nguyễn Thị Lan", **extra}


def post_new(client: Any, units: tuple[bytes, str] | None, **extra: Any) -> Any:
    page = client.get("/rounds/new").get_data(as_text=True)
    data = {**fields(**extra), "_csrf": token(page)}
    if units is not None:
        data["units_file"] = (io.BytesIO(units[0]), units[1])
    return client.post("/rounds/new", data=data, content_type="multipart/form-data")


def rounds_in(app: Any) -> list[Round]:
    with factory(app)() as session:
        return list(session.scalars(select(Round)).all())


def units_of(app: Any, round_id: int) -> list[RoundUnit]:
    with factory(app)() as session:
        return list(session.scalars(select(RoundUnit).where(RoundUnit.round_id == round_id)
                                    .order_by(RoundUnit.stt)).all())


def events_of(app: Any, round_id: int) -> list[RoundEvent]:
    with factory(app)() as session:
        return list(session.scalars(select(RoundEvent).where(RoundEvent.round_id == round_id)
                                    .order_by(RoundEvent.id)).all())


def csv_rows() -> list[list[str]]:
    return list(csv.reader(io.StringIO(UNITS_CSV.read_text(encoding="utf-8"))))


def xlsx_of(rows: list[list[Any]]) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "Đơn vị"
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def soc_trang_xlsx(due: dict[int, dt.date] | None = None) -> bytes:
    """The shared CSV as Excel saves it: numbers as numbers, a due_date column of dates."""
    header, *rows = csv_rows()
    typed: list[list[Any]] = [[*header, "due_date"]]
    for row in rows:
        stt = int(row[0])
        typed.append([stt, row[1], row[2], row[3], row[4], int(row[5]), int(row[6]),
                      (due or {}).get(stt)])
    return xlsx_of(typed)


# --- creating ---------------------------------------------------------------------------------

def test_the_list_links_to_the_new_round_page_and_its_issuer_fields(tmp_path):
    client = signed_in(make_app(tmp_path))
    listing = client.get("/rounds").get_data(as_text=True)
    assert 'href="/rounds/new"' in listing
    page = client.get("/rounds/new").get_data(as_text=True)
    # the agency block of the document types: the same fields, the same labels
    for name, label in (("issuer.parent_name", "Cơ quan chủ quản"),
                        ("issuer.name", "Cơ quan ban hành"),
                        ("issuer.code", "Chữ viết tắt cơ quan"), ("issuer.place", "Địa danh"),
                        ("issuer.level", "Cấp chính quyền"), ("year", "Năm kiểm tra"),
                        ("title", "Tên đợt kiểm tra"), ("due_date", "Hạn gửi báo cáo")):
        assert f'name="{name}"' in page and label in page
    assert 'type="file" id="f-units-file" name="units_file"' in page
    assert 'name="plan_file"' in page and page.count('name="_csrf"') >= 2


def test_create_a_round_from_the_shared_csv(tmp_path, database_url):
    app = make_app(tmp_path, database_url=database_url)
    client = signed_in(app)
    answer = post_new(client, (UNITS_CSV.read_bytes(), "soc-trang-2017-units.csv"))
    assert answer.status_code == 303, answer.get_data(as_text=True)
    (round_,) = rounds_in(app)
    assert answer.headers["Location"] == f"/rounds/{round_.id}?done=create"
    assert (round_.title, round_.year, round_.issuer_code, round_.due_date) == (
        TITLE, 2017, "SKHCN", dt.date(2017, 10, 16))
    assert round_.issuer["parent_name"] == "UBND tỉnh Sóc Trăng"
    units = units_of(app, round_.id)
    assert len(units) == 120
    assert [u.mode for u in units].count("on_site") == 46
    assert [u.mode for u in units].count("by_report") == 74
    assert sum(u.integrated for u in units) == 9
    assert (units[1].stt, units[1].name, units[1].mode) == (2, "Sở Nội vụ", "on_site")
    assert (units[116].name, units[116].status) == ("UBND xã Viên Bình", "not_inspected")
    assert (units[119].stt, units[119].mode) == (120, "by_report")
    (event,) = events_of(app, round_.id)
    assert event.action == "create" and event.detail == f"{TITLE}: 120 đơn vị."
    assert event.actor.startswith("trang:khóa ") and event.actor.endswith("(Nguyễn Thị Lan)")
    assert KEY not in event.actor
    dashboard = client.get(answer.headers["Location"]).get_data(as_text=True)
    assert "Đã ghi: Tạo đợt kiểm tra." in dashboard
    assert f'href="/rounds/{round_.id}/edit"' in dashboard


def test_create_a_round_from_an_xlsx_with_due_dates(tmp_path):
    app = make_app(tmp_path)
    client = signed_in(app)
    content = soc_trang_xlsx({80: dt.date(2017, 10, 20)})
    answer = post_new(client, (content, "danh-sach-don-vi.xlsx"))
    assert answer.status_code == 303, answer.get_data(as_text=True)
    (round_,) = rounds_in(app)
    units = units_of(app, round_.id)
    from_csv = [(u["stt"], u["name"], u["mode"], u["integrated"], u["not_inspected"])
                for u in store.NewRoundSchema().load(
                    {"issuer": ISSUER, "year": 2017, "title": "x",
                     "units": rounds.read_units_csv(UNITS_CSV.read_bytes())})["units"]]
    assert [(u.stt, u.name, u.mode, u.integrated, u.status == "not_inspected")
            for u in units] == from_csv
    assert units[79].due_date == dt.date(2017, 10, 20) and units[78].due_date is None


def test_a_windows_1258_csv_with_semicolons_and_vietnamese_modes(tmp_path):
    app = make_app(tmp_path)
    client = signed_in(app)
    text = ("STT;Tên đơn vị;Hình thức;Lồng ghép\r\n1;Sở Nội vụ;Tại trụ sở;x\r\n"
            "2;UBND xã Long Hưng;Qua báo cáo;\r\n")
    answer = post_new(client, (to_cp1258(text), "don-vi.csv"))
    assert answer.status_code == 303, answer.get_data(as_text=True)
    (round_,) = rounds_in(app)
    assert [(u.name, u.mode, u.integrated) for u in units_of(app, round_.id)] == [
        ("Sở Nội vụ", "on_site", True), ("UBND xã Long Hưng", "by_report", False)]


BAD_FILES = {
    "wrong columns": (b"stt,ten,kind\n1,A,on_site\n", "don-vi.csv", "missing_columns",
                      "thiếu cột: unit_name, mode"),
    "duplicate stt": (b"stt,unit_name,mode\n1,A,on_site\n2,B,on_site\n2,C,by_report\n",
                      "don-vi.csv", "duplicate_stt", "Dòng 4, cột stt: Số thứ tự 2 bị trùng."),
    "unknown mode": (b"stt,unit_name,mode\n1,A,on_site\n2,B,tai cho\n", "don-vi.csv",
                     "invalid_choice", "Dòng 3, cột mode: Giá trị &#39;tai cho&#39;"),
    "a date that does not exist": (b"stt,unit_name,mode,due_date\n1,A,by_report,31/02/2017\n"
, "don-vi.csv", "nonexistent_date",
                                   "Dòng 2, cột due_date: &#39;31/02/2017&#39; là ngày "),
    "a by-report unit integrated": (b"unit_name,mode,integrated\nA,by_report,1\n", "d.csv",
                                    "only_on_site", "Dòng 2, cột integrated: Chỉ đơn vị"),
    "an empty file": (b"", "don-vi.csv", "empty_file", "rỗng"),
    "a header only": (b"stt,unit_name,mode\n", "don-vi.csv", "too_few",
                      "không có đơn vị nào"),
    "text named .xlsx": (b"stt,unit_name,mode\n1,A,on_site\n", "don-vi.xlsx", "not_xlsx",
                         "không phải tệp Excel .xlsx"),
    "a damaged .xlsx": (b"PK\x03\x04" + b"\x00" * 200, "don-vi.xlsx", "unreadable_input",
                        "không phải tệp Excel .xlsx đọc được"),
    "an old .xls": (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 200, "don-vi.xls",
                    "unreadable_input", "Excel 97-2003"),
    "too many rows": (("stt,unit_name,mode\n" + "".join(
        f"{i},Đơn vị {i},by_report\n" for i in range(1, MAX_UNITS + 2))).encode(),
        "don-vi.csv", "too_many_units", f"có hơn {MAX_UNITS} đơn vị"),
}


@pytest.mark.parametrize("what", list(BAD_FILES))
def test_a_bad_file_gives_the_page_back_filled_with_the_error(tmp_path, what):
    content, name, code, said = BAD_FILES[what]
    app = make_app(tmp_path)
    client = signed_in(app)
    answer = post_new(client, (content, name), title="Đợt thử: " + what)
    assert answer.status_code == 422, answer.get_data(as_text=True)[:2000]
    page = answer.get_data(as_text=True)
    assert f'data-code="{code}"' in page and said in page
    assert f'value="Đợt thử: {what}"' in page  # nothing typed is lost …
    assert 'value="Sở Khoa học và Công nghệ"' in page or "Sở Khoa học và Công nghệ</textarea>" \
        in page
    assert 'value="16/10/2017"' in page
    assert "hãy chọn lại tệp" in page  # … but a file input cannot be refilled: it says so
    assert rounds_in(app) == []


def test_no_file_and_a_missing_issuer_are_both_named(tmp_path):
    app = make_app(tmp_path)
    client = signed_in(app)
    answer = post_new(client, None, **{"issuer.name": "", "year": "năm nay"})
    assert answer.status_code == 422
    page = answer.get_data(as_text=True)
    assert 'data-code="required" data-path="units"' in page
    assert 'data-path="issuer.name"' in page
    assert 'id="f-issuer-name-error"' in page  # the message under its field
    assert 'value="năm nay"' in page
    assert rounds_in(app) == []


def test_hostile_spreadsheets_are_bounded(tmp_path):
    from tests.batch.test_hostile_input import bomb

    app = make_app(tmp_path)
    client = signed_in(app)
    plain = tmp_path / "plain.xlsx"
    plain.write_bytes(xlsx_of([["stt", "unit_name", "mode"], [1, "A", "on_site"]]))
    answer = post_new(client, (bomb(tmp_path / "bomb.xlsx", plain).read_bytes(), "bomb.xlsx"))
    assert answer.status_code == 422
    assert 'data-code="archive_too_large"' in answer.get_data(as_text=True)
    # a sheet that declares A1:XFD1048576 reads only the rows it has
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    for row in (["stt", "unit_name", "mode"], [1, "Sở Nội vụ", "on_site"],
                [2, "UBND xã Long Hưng", "by_report"]):
        sheet.append(row)
    sheet.cell(row=1_048_576, column=16_384, value="x")
    sparse = io.BytesIO()
    workbook.save(sparse)
    answer = post_new(client, (sparse.getvalue(), "sparse.xlsx"))
    assert answer.status_code == 303, answer.get_data(as_text=True)
    (round_,) = rounds_in(app)
    assert [u.name for u in units_of(app, round_.id)] == ["Sở Nội vụ", "UBND xã Long Hưng"]
    # a body over the upload limit: refused before it is read, nothing stored
    small = make_app(tmp_path / "small", batch_max_upload_bytes=64 * 1024)
    big = signed_in(small)
    answer = post_new(big, (b"stt,unit_name,mode\n" + b"1,A,on_site\n" * 10000, "big.csv"))
    assert answer.status_code == 413 and rounds_in(small) == []


def test_a_post_without_the_form_token_creates_nothing(tmp_path):
    app = make_app(tmp_path)
    client = signed_in(app)
    with client.session_transaction() as session:
        cookie_session = dict(session)
    raw = raw_client(app)
    with raw.session_transaction() as session:
        session.update(cookie_session)
    answer = raw.post("/rounds/new", data={**fields(), "units_file": (
        io.BytesIO(UNITS_CSV.read_bytes()), "d.csv")}, content_type="multipart/form-data",
        headers={"Origin": "http://localhost"})
    assert answer.status_code == 403 and rounds_in(app) == []
    # and without a login, the page is not there at all
    assert app.test_client().get("/rounds/new").status_code == 401


def test_create_a_round_from_a_plan(tmp_path):
    app = make_app(tmp_path)
    client = signed_in(app)
    plan = json.loads(PLAN.read_text(encoding="utf-8"))
    page = client.get("/rounds/new").get_data(as_text=True)
    answer = client.post("/rounds/new/from-plan", data={
        "_csrf": token(page), "plan_file": (io.BytesIO(PLAN.read_bytes()), "ke-hoach.json"),
        "plan_due_date": "16/10/2017", "plan_integrated": "UBND huyện Mỹ Tú\n",
        "_user": "Trần Văn Hùng"}, content_type="multipart/form-data")
    assert answer.status_code == 303, answer.get_data(as_text=True)
    (round_,) = rounds_in(app)
    assert (round_.title, round_.due_date) == (plan["summary"], dt.date(2017, 10, 16))
    units = units_of(app, round_.id)
    assert [(u.name, u.mode) for u in units] == [(u["name"], u["mode"]) for u in plan["units"]]
    assert [u.name for u in units if u.integrated] == ["UBND huyện Mỹ Tú"]
    assert units[0].scheduled_on == dt.date(2017, 9, 19)
    with factory(app)() as session:
        kept = session.scalars(select(RoundDocument).where(
            RoundDocument.round_id == round_.id)).all()
    assert [d.kind for d in kept] == ["plan"] and kept[0].payload["purpose"] == plan["purpose"]
    (event,) = events_of(app, round_.id)
    assert event.action == "create" and event.detail.startswith("Từ kế hoạch:")
    assert event.actor.endswith("(Trần Văn Hùng)")


@pytest.mark.parametrize(("content", "extra", "code", "said"), [
    (b"{not json", {}, "unreadable_input", ""),
    (b"[1, 2]", {}, "validation_failed", ""),
    (None, {"plan_integrated": "UBND xã Không Có"}, "unknown_unit", "UBND xã Không Có"),
    (None, {"plan_due_date": "31/02/2017"}, "nonexistent_date", "31/02/2017"),
    (None, {}, "required", "Hãy chọn tệp kế hoạch"),
])
def test_a_bad_plan_gives_the_page_back(tmp_path, content, extra, code, said):
    app = make_app(tmp_path)
    client = signed_in(app)
    page = client.get("/rounds/new").get_data(as_text=True)
    data: dict[str, Any] = {"_csrf": token(page), "plan_title": "Đợt từ kế hoạch",
                            "plan_due_date": "16/10/2017", **extra}
    if code != "required":
        data["plan_file"] = (io.BytesIO(content or PLAN.read_bytes()), "ke-hoach.json")
    answer = client.post("/rounds/new/from-plan", data=data, content_type="multipart/form-data")
    assert answer.status_code == 422, answer.get_data(as_text=True)[:1000]
    html = answer.get_data(as_text=True)
    if code != "validation_failed":
        assert f'data-code="{code}"' in html
    assert said in html and 'value="Đợt từ kế hoạch"' in html
    if code == "nonexistent_date":  # under the plan form's own input, not the other form's
        assert 'data-path="plan_due_date"' in html and 'id="f-due_date-error"' not in html
    assert f'value="{data["plan_due_date"]}"' in html and "Hãy chọn lại tệp kế hoạch" in html
    assert rounds_in(app) == []


# --- editing ----------------------------------------------------------------------------------

@pytest.fixture
def with_round(tmp_path):
    app = make_app(tmp_path)
    client = signed_in(app)
    answer = post_new(client, (UNITS_CSV.read_bytes(), "soc-trang-2017-units.csv"))
    assert answer.status_code == 303
    (round_,) = rounds_in(app)
    return app, client, round_.id


def post_edit(client: Any, rid: int, data: dict[str, Any],
              units: tuple[bytes, str] | None = None) -> Any:
    page = client.get(f"/rounds/{rid}/edit").get_data(as_text=True)
    body = {"_csrf": token(page), **data}
    if units is not None:
        body["units_file"] = (io.BytesIO(units[0]), units[1])
    return client.post(f"/rounds/{rid}/edit", data=body, content_type="multipart/form-data")


def test_edit_title_due_dates_and_a_units_own_date(with_round):
    app, client, rid = with_round
    page = client.get(f"/rounds/{rid}/edit").get_data(as_text=True)
    assert f'value="{TITLE}"' in page and 'value="16/10/2017"' in page
    assert "còn thay đổi được cho đến khi" in page and 'name="units_file"' in page
    assert page.count('name="unit_due.') == 120
    answer = post_edit(client, rid, {"title": "Kiểm tra ISO năm 2017 (đợt 2)",
                                     "due_date": "20/10/2017", "unit_due.80": "25/10/2017",
                                     "unit_due.81": "", "_user": "Lê Văn Tám"})
    assert answer.status_code == 303, answer.get_data(as_text=True)
    assert answer.headers["Location"] == f"/rounds/{rid}?done=edit"
    (round_,) = rounds_in(app)
    assert (round_.title, round_.due_date) == ("Kiểm tra ISO năm 2017 (đợt 2)",
                                               dt.date(2017, 10, 20))
    units = units_of(app, rid)
    assert units[79].due_date == dt.date(2017, 10, 25) and units[80].due_date is None
    event = events_of(app, rid)[-1]
    assert event.action == "edit" and event.actor.endswith("(Lê Văn Tám)")
    assert event.detail == ("tên: Kiểm tra ISO năm 2017 (đợt 2); hạn gửi báo cáo: 20/10/2017; "
                            "hạn của đơn vị: STT 80 25/10/2017.")
    assert 'value="25/10/2017"' in client.get(f"/rounds/{rid}/edit").get_data(as_text=True)
    # the dashboard counts UBND xã … (stt 80) against its own date
    board = client.get(f"/api/v1/rounds/{rid}/dashboard?q=", headers={
        "Authorization": f"Bearer {KEY}"}).get_json()
    assert board["units"][79]["due_date"] == "2017-10-25"


def test_a_wrong_date_on_the_edit_page(with_round):
    app, client, rid = with_round
    answer = post_edit(client, rid, {"title": "Tên mới", "due_date": "31/02/2017",
                                     "unit_due.3": "32/13/2017"})
    assert answer.status_code == 422
    page = answer.get_data(as_text=True)
    assert 'data-code="nonexistent_date" data-path="due_date"' in page
    assert 'value="Tên mới"' in page and 'value="31/02/2017"' in page
    answer = post_edit(client, rid, {"title": "Tên mới", "due_date": "", "unit_due.3": "32/13"})
    assert answer.status_code == 422
    page = answer.get_data(as_text=True)
    assert 'data-path="unit_due.3"' in page and "STT 3: " in page and 'value="32/13"' in page
    assert rounds_in(app)[0].title == TITLE  # nothing changed


def test_replace_the_unit_list_with_a_file_until_something_is_numbered(with_round):
    app, client, rid = with_round
    new = xlsx_of([["stt", "unit_name", "mode", "due_date"],
                   [1, "Văn phòng UBND tỉnh", "on_site", None],
                   [2, "Sở Nội vụ", "on_site", None],
                   [3, "UBND xã Long Hưng", "by_report", dt.date(2017, 10, 18)]])
    answer = post_edit(client, rid, {"title": TITLE, "due_date": "16/10/2017"},
                       (new, "ds-moi.xlsx"))
    assert answer.status_code == 303, answer.get_data(as_text=True)
    assert answer.headers["Location"] == f"/rounds/{rid}?done=units"
    units = units_of(app, rid)
    assert [(u.stt, u.name, u.mode, u.due_date) for u in units] == [
        (1, "Văn phòng UBND tỉnh", "on_site", None), (2, "Sở Nội vụ", "on_site", None),
        (3, "UBND xã Long Hưng", "by_report", dt.date(2017, 10, 18))]
    event = events_of(app, rid)[-1]
    assert (event.action, event.detail) == ("units", "danh sách đơn vị: 3 đơn vị.")
    # a bad row of the new list: by its row and column, nothing changed
    answer = post_edit(client, rid, {"title": TITLE},
                       (b"stt,unit_name,mode\n1,A,on_site\n2,,by_report\n", "x.csv"))
    assert answer.status_code == 422
    assert "Dòng 3, cột unit_name: " in answer.get_data(as_text=True)
    assert len(units_of(app, rid)) == 3

    # unit 2 has minutes (not numbered): it keeps its stt, name and mode
    renderer = app.extensions["docgen.renderer"]
    store.record_minutes(renderer, factory(app), rid, 2, minutes_for("Sở Nội vụ", 2))
    answer = post_edit(client, rid, {"title": "Tên giữ lại"},
                       (b"stt,unit_name,mode\n1,A,on_site\n", "bot.csv"))
    assert answer.status_code == 409
    page = answer.get_data(as_text=True)
    assert 'data-code="unit_has_records"' in page and "Sở Nội vụ" in page
    assert 'value="Tên giữ lại"' in page and len(units_of(app, rid)) == 3

    # once a document is numbered the list is closed, and the page says so
    store.record_minutes(renderer, factory(app), rid, 1, minutes_for("Văn phòng UBND tỉnh", 1),
                         register=True)
    page = client.get(f"/rounds/{rid}/edit").get_data(as_text=True)
    assert "Danh sách đơn vị không còn thay đổi được" in page and "/BB-ĐKT" in page
    assert 'name="units_file"' not in page
    answer = post_edit(client, rid, {"title": "Tên giữ lại"}, (new, "ds-moi.xlsx"))
    assert answer.status_code == 409
    page = answer.get_data(as_text=True)
    assert 'data-code="round_numbered"' in page and 'value="Tên giữ lại"' in page
    # … while the title and the due dates still change
    answer = post_edit(client, rid, {"title": "Tên sau khi cấp số", "due_date": "",
                                     "unit_due.3": "19/10/2017"})
    assert answer.status_code == 303
    assert rounds_in(app)[0].title == "Tên sau khi cấp số" and rounds_in(app)[0].due_date is None
    assert units_of(app, rid)[2].due_date == dt.date(2017, 10, 19)


def test_edit_a_round_that_is_not_there(tmp_path):
    client = signed_in(make_app(tmp_path))
    assert client.get("/rounds/99/edit").status_code == 404
    page = client.get("/rounds/new").get_data(as_text=True)
    assert client.post("/rounds/99/edit", data={"_csrf": token(page), "title": "x"}
                       ).status_code == 404


# --- the same reader for the API and the CLI ------------------------------------------------

def test_the_api_takes_an_xlsx_and_says_so(tmp_path):
    app = make_app(tmp_path)
    client = app.test_client()
    client.environ_base["HTTP_AUTHORIZATION"] = f"Bearer {KEY}"
    data = json.dumps({"issuer": ISSUER, "year": 2017, "title": TITLE,
                       "due_date": "2017-10-16"}, ensure_ascii=False)
    answer = client.post("/api/v1/rounds", data={
        "units": (io.BytesIO(soc_trang_xlsx({3: dt.date(2017, 10, 1)})), "don-vi.xlsx"),
        "data": data}, content_type="multipart/form-data")
    assert answer.status_code == 201, answer.get_data(as_text=True)
    body = answer.get_json()
    assert body["counts"] == {"planned": 120, "on_site": 46, "integrated": 9,
                              "not_inspected": 1, "by_report": 74}
    assert body["units"][2]["due_date"] == "2017-10-01" and body["due_date"] == "2017-10-16"
    bad = client.post("/api/v1/rounds", data={
        "units": (io.BytesIO(b"stt,unit_name,mode\n1,A,on_site\n1,B,by_report\n"), "d.csv"),
        "data": data}, content_type="multipart/form-data")
    assert bad.status_code == 422
    assert bad.get_json()["errors"] == [{"path": "units[1].stt", "code": "duplicate_stt",
                                         "message": "Dòng 3, cột stt: Số thứ tự 1 bị trùng."}]
    named = client.post("/api/v1/rounds", data={
        "units": (io.BytesIO(b"stt,unit_name,mode\n"), "d.xlsx"), "data": data},
        content_type="multipart/form-data")
    assert named.status_code == 400 and named.get_json()["code"] == "not_xlsx"
    spec = client.get("/api/openapi.json").get_json()
    operation = spec["paths"]["/api/v1/rounds"]["post"]
    assert "Excel .xlsx" in operation["description"]
    assert "XLSX" in json.dumps(operation["requestBody"]["content"]["multipart/form-data"])
    edit = spec["paths"]["/api/v1/rounds/{round_id}"]["patch"]
    assert "unit_due_dates" in json.dumps(spec["components"]["schemas"]) and edit


def test_the_cli_takes_an_xlsx_and_a_units_own_due_date(runner, tmp_path):
    env = {"DOCGEN_INSTANCE_PATH": str(tmp_path / "instance"), "DOCGEN_USER": "thu-ky"}
    units = tmp_path / "don-vi.xlsx"
    units.write_bytes(soc_trang_xlsx())
    created = runner.invoke(main, [
        "round", "create", str(units), "--issuer", "SKHCN", "--issuer-name", ISSUER["name"],
        "--parent-name", ISSUER["parent_name"], "--place", ISSUER["place"], "--year", "2017",
        "--title", TITLE], env=env)
    assert created.exit_code == 0, created.output
    rid = created.stdout.strip()
    assert '"planned": 120' in created.stderr and '"by_report": 74' in created.stderr
    edited = runner.invoke(main, ["round", "edit", rid, "--unit-due-date", "80=2017-10-20",
                                  "--unit-due-date", "81=none"], env=env)
    assert edited.exit_code == 0, edited.output
    shown = json.loads(runner.invoke(main, ["round", "show", rid, "--json"], env=env).stdout)
    assert shown["units"][79]["due_date"] == "2017-10-20"
    wrong = runner.invoke(main, ["round", "edit", rid, "--unit-due-date", "999=2017-10-20"],
                          env=env)
    assert wrong.exit_code == 2 and "[unknown_unit]" in wrong.stderr
    bad = tmp_path / "bad.csv"
    bad.write_text("stt,unit_name,mode\n1,A,on_site\n2,B,tại chỗ\n", encoding="utf-8")
    refused = runner.invoke(main, ["round", "create", str(bad), "--issuer", "SKHCN",
                                   "--issuer-name", "Sở", "--year", "2017", "--title", "T"],
                            env=env)
    assert refused.exit_code == 2 and "Dòng 3, cột mode: " in refused.stderr


def test_the_audit_words_cover_the_page_actions():
    assert {"create", "edit", "units"} <= set(audit.ACTIONS)
    assert workflow.RoundEditSchema().fields["unit_due_dates"]
