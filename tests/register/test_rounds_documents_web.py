"""The round's documents from its pages (issue 16): /rounds/<id>/decision, plan,
units/<stt>/minutes, letters, notices, report — forms generated from the types' schemas,
less what the round supplies; a POST gives the document (the same workflow as the API),
numbered ones show on the dashboard with their numbers, errors come back next to their
inputs with everything typed kept. Through the Flask test client with the page's CSRF
token (tests/conftest.py PageClient), on an installation with keys (so behind the login),
on SQLite and on a real PostgreSQL."""

from __future__ import annotations

import io
import re
import zipfile
from html import unescape
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import pytest

from docgen.catalog import get_type
from docgen.rounds.schemas import RoundReportSchema
from docgen.web import formgen

from ..docx_text import docx_text
from .roundsdata import (
    DECISION,
    ISSUER,
    LETTER,
    PLAN,
    UNITS,
    letter_text,
    minutes_for,
    new_round,
    notice_text,
    report_fields,
)

ROOT = Path(__file__).resolve().parents[2]
KEY = "khoa-trang-0123456789abcdef"

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@pytest.fixture
def site(tmp_path, database_url):
    """An installation with keys, a signed-in page client, and a round of four units —
    once on SQLite, once on PostgreSQL."""
    from docgen.app import create_app
    from docgen.register import EXTENSION
    from docgen.rounds import store

    app = create_app({"instance_path": tmp_path / "instance", "api_keys": KEY,
                      "database_url": database_url})
    factory = app.extensions[EXTENSION].session_factory
    round_ = store.create_round(factory, {**new_round(UNITS), "due_date": "2017-10-16"},
                                actor="cli:thu-ky")
    client = app.test_client()
    signed = client.post("/login", data={"key": KEY})
    assert signed.status_code in (302, 303), signed.get_data(as_text=True)
    return app, client, round_.id


def fields(spec: tuple[formgen.Node, ...], payload: dict[str, Any], **extra: str) -> dict:
    """The form fields a clerk fills for ``payload``: the page's input names (JSON paths),
    dates as typed on the page (dd/mm/yyyy); the agency the page pre-fills (the round's)
    unless the payload has one."""
    out: dict[str, str] = {}
    payload = {"agency": ISSUER, **payload}

    def walk(path: str, value: Any) -> None:
        if isinstance(value, dict):
            for key, item in value.items():
                walk(formgen.join(path, key), item)
        elif isinstance(value, list):
            for index, item in enumerate(value):
                walk(formgen.join(path, index), item)
        else:
            out[path] = value

    for key, value in formgen.from_payload(spec, payload).items():
        walk(key, value)
    return {**out, **extra}


def spec_of(doc_type: str) -> tuple[formgen.Node, ...]:
    if doc_type == "report":
        return formgen.form_spec(RoundReportSchema())
    return formgen.form_spec(get_type(doc_type).schema())


def names(html: str) -> set[str]:
    return set(re.findall(r'name="([^"]+)"', html))


def value_of(html: str, name: str) -> str:
    found = re.search(r'<(?:input|textarea)[^>]*name="' + re.escape(name) + r'"[^>]*>', html)
    assert found, name
    tag = found.group(0)
    if tag.startswith("<textarea"):
        rest = html[found.end():]
        return unescape(rest[:rest.index("</textarea>")])
    value = re.search(r'value="([^"]*)"', tag)
    return unescape(value.group(1)) if value else ""


def symbol_of(response) -> str:
    return unquote(response.headers["X-Docgen-Register-Symbol"])


def board(client, rid: int) -> str:
    page = client.get(f"/rounds/{rid}")
    assert page.status_code == 200
    return page.get_data(as_text=True)


def test_each_page_shows_the_fields_the_round_does_not_supply(site):
    _, client, rid = site
    pages = {p: client.get(f"/rounds/{rid}/{p}") for p in
             ("decision", "plan", "units/1/minutes", "letters", "notices", "report")}
    for path, page in pages.items():
        assert page.status_code == 200, path
    html = {p: r.get_data(as_text=True) for p, r in pages.items()}
    for path, text in html.items():  # the round's issuer as agency, a CSRF token, a number box
        assert value_of(text, "agency.name") == ISSUER["name"], path
        assert {"_csrf", "_register", "date", "summary"} <= names(text), path
    assert value_of(html["decision"], "year") == "2017"
    # the plan: no unit inputs; the round's units shown read-only
    assert not any(n.startswith("units[") for n in names(html["plan"]))
    assert "UBND xã Mỹ Hương" in html["plan"] and 'id="plan-units"' in html["plan"]
    # the letters: no units, the grouping, the by-report units ticked (none has reported)
    letters = names(html["letters"])
    assert not any(n.startswith("units[") for n in letters)
    assert {"_grouping", "_unit.3", "_unit.4", "deadline", "addressees[0]"} <= letters
    assert "_unit.1" not in letters  # an on-site unit gets no letter
    assert re.search(r'name="_unit\.3" value="1" checked', html["letters"])
    assert value_of(html["letters"], "addressees[0]") == ("Các cơ quan, đơn vị có tên trong "
                                                          "danh sách kèm theo")
    # the notices: only the common fields; no unit has minutes yet
    notices = names(html["notices"])
    for key in ("unit_name", "minutes_ref", "inspected_on", "general", "findings[0].content",
                "nonconformities[0].content"):
        assert key not in notices
    assert {"report_deadline", "decision_ref", "signer.full_name", "recipients[0]"} <= notices
    assert "Chưa có đơn vị nào có biên bản kiểm tra." in html["notices"]
    # the report: no counts or findings; notes per aspect; "allow incomplete"
    report = names(html["report"])
    assert not any(n.startswith(("counts.", "findings[")) for n in report)
    assert {"aspect_notes.scope", "aspect_notes.improvement", "_allow_incomplete"} <= report
    # the minutes: the unit's name fixed, not an input
    minutes = names(html["units/1/minutes"])
    assert "unit.name" not in minutes and "unit.address" in minutes
    assert "<strong data-unit-name>Sở Nội vụ</strong>" in html["units/1/minutes"]
    # the dashboard links to the six
    shown = board(client, rid)
    for path in ("decision", "plan", "letters", "notices", "report", "units/1/minutes",
                 "units/2/minutes"):
        assert f'href="/rounds/{rid}/{path}"' in shown
    assert f'href="/rounds/{rid}/units/3/minutes"' not in shown  # a by-report unit


def test_the_example_link_fills_the_form_with_the_rounds_agency(site):
    _, client, rid = site
    page = client.get(f"/rounds/{rid}/letters?example=1").get_data(as_text=True)
    assert value_of(page, "opening").startswith("Thực hiện Quyết định số 1890/QĐ-UBND")
    assert value_of(page, "agency.name") == ISSUER["name"]
    assert not any(n.startswith("units[") for n in names(page))
    report = client.get(f"/rounds/{rid}/report?example=1").get_data(as_text=True)
    assert not any(n.startswith("counts.") for n in names(report))
    assert value_of(report, "basis")


def test_decision_minutes_and_notices_from_the_pages(site):
    _, client, rid = site
    made = client.post(f"/rounds/{rid}/decision",
                       data=fields(spec_of("decision"), DECISION, _register="1",
                                   _user="Nguyễn Thị Lan"))
    assert made.status_code == 200, made.get_data(as_text=True)[:3000]
    assert made.mimetype == DOCX
    symbol = symbol_of(made)
    assert symbol.endswith("/QĐ-SKHCN") and symbol in docx_text(made.data)
    # the minutes page: the basis follows the decision when left blank
    page = client.get(f"/rounds/{rid}/units/1/minutes").get_data(as_text=True)
    assert "căn cứ quyết định thành lập Đoàn kiểm tra của đợt" in page
    minutes = minutes_for("Sở Nội vụ", 1)
    minutes.pop("basis")
    form = fields(spec_of("minutes"), minutes)
    form.pop("unit.name")  # the page has no such input: the round's unit is the unit
    recorded = client.post(f"/rounds/{rid}/units/1/minutes", data=form)
    assert recorded.status_code == 200, recorded.get_data(as_text=True)[:3000]
    minutes_text = " ".join(docx_text(recorded.data).split())
    assert f"Quyết định số {symbol} ngày 15/9/2017" in minutes_text
    assert "Sở Nội vụ" in minutes_text
    # the notices page: the decision's citation pre-filled, the unit with its findings
    page = client.get(f"/rounds/{rid}/notices").get_data(as_text=True)
    assert value_of(page, "decision_ref").startswith(f"Quyết định số {symbol} ngày 15/9/2017")
    assert re.search(r'name="_include\.1" value="1" checked', page)
    assert 'name="_not_met.1.internal_audit"' in page
    assert minutes["findings"][0]["content"] in unescape(page)
    sent = client.post(f"/rounds/{rid}/notices", data=fields(
        spec_of("notice"), {**notice_text(), "decision_ref": value_of(page, "decision_ref")},
        **{"_include.1": "1", "_not_met.1.internal_audit": "1", "_register": "1"}))
    assert sent.status_code == 200, sent.get_data(as_text=True)[:3000]
    text = " ".join(docx_text(sent.data).split())
    notice_symbol = symbol_of(sent)
    assert notice_symbol.endswith("/TB-SKHCN")
    assert f"Quyết định số {symbol} ngày 15/9/2017" in text
    assert "Biên bản kiểm tra ngày" in text and "tại Sở Nội vụ" in text
    assert "Chưa đạt" in text
    shown = board(client, rid)
    documents = shown[shown.index('id="documents"'):]
    assert symbol in documents and notice_symbol in documents
    log = shown[shown.index('id="log"'):]
    assert "Nguyễn Thị Lan" in log and f"Quyết định thành lập Đoàn kiểm tra số {symbol}" in log
    assert "Biên bản ngày" in log and "Thông báo kết quả kiểm tra: 1 văn bản" in log
    # a second numbered decision is refused (409), the page comes back filled
    again = client.post(f"/rounds/{rid}/decision", data=fields(spec_of("decision"), DECISION))
    assert again.status_code == 409
    body = again.get_data(as_text=True)
    assert "round_numbered" in body and value_of(body, "summary") == DECISION["summary"]


def test_letters_as_a_list_and_one_per_unit_numbered(site):
    app, client, rid = site
    one = client.post(f"/rounds/{rid}/letters", data=fields(
        spec_of("letter"), letter_text(), _grouping="list",
        **{"_unit.3": "1", "_unit.4": "1"}))
    assert one.status_code == 200, one.get_data(as_text=True)[:3000]
    text = docx_text(one.data)
    assert "UBND xã Long Hưng" in text and "UBND xã Mỹ Hương" in text
    assert "Các cơ quan, đơn vị có tên trong danh sách kèm theo" in text
    each = client.post(f"/rounds/{rid}/letters", data=fields(
        spec_of("letter"), letter_text(), _grouping="each", _register="1",
        **{"_unit.3": "1", "_unit.4": "1"}))
    assert each.status_code == 200, each.get_data(as_text=True)[:3000]
    assert each.mimetype == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(each.data))
    texts = [docx_text(archive.read(n)) for n in archive.namelist()]
    assert len(texts) == 2
    assert "UBND xã Long Hưng" in texts[0] and "16/10/2017" in texts[0]
    assert "UBND xã Mỹ Hương" in texts[1] and "10/10/2017" in texts[1]  # its own due date
    from docgen.register import EXTENSION
    from docgen.rounds import workflow

    with app.extensions[EXTENSION].session_factory() as session:
        kept = workflow.dashboard(session, rid)["documents"]
    symbols = [d["symbol"] for d in kept if d["kind"] == "letter" and d["symbol"]]
    assert len(symbols) == 2 and len(set(symbols)) == 2  # two numbers in the register
    assert all(symbol in text for symbol, text in zip(symbols, texts, strict=True))
    shown = board(client, rid)
    documents = shown[shown.index('id="documents"'):shown.index('id="log"')]
    assert all(symbol in documents for symbol in symbols)
    assert documents.count("Công văn") == 3 and documents.count("(chưa cấp số)") == 1
    assert "Công văn đề nghị gửi báo cáo (mỗi đơn vị một công văn, 2 đơn vị): 2 văn bản, số" \
        in shown
    # the page now starts from the last letters (without the per-unit addressee)
    page = client.get(f"/rounds/{rid}/letters").get_data(as_text=True)
    assert "data-prefilled" in page and value_of(page, "opening") == LETTER["opening"]
    assert value_of(page, "addressees[0]") != "UBND xã Mỹ Hương"


def test_plan_and_report_from_the_pages(site):
    _, client, rid = site
    plan = {k: v for k, v in PLAN.items() if k != "units"}
    made = client.post(f"/rounds/{rid}/plan", data=fields(spec_of("plan"), plan))
    assert made.status_code == 200, made.get_data(as_text=True)[:3000]
    text = docx_text(made.data)
    assert all(u["name"] in text for u in UNITS)
    # the report while on-site units have no result: refused next to the checkbox, kept
    form = fields(spec_of("report"), report_fields(),
                  **{"aspect_notes.internal_audit": "Một số nơi đánh giá nội bộ còn hình thức"})
    refused = client.post(f"/rounds/{rid}/report", data=form)
    assert refused.status_code == 422
    body = refused.get_data(as_text=True)
    assert "round_incomplete" in body and "Sở Nội vụ (STT 1)" in body
    assert 'href="#f-_allow_incomplete"' in body
    assert value_of(body, "aspect_notes.internal_audit").startswith("Một số nơi")
    assert value_of(body, "basis") == report_fields()["basis"]
    # allowed, but no minutes yet to date the period: the page says so at those inputs
    allowed = {**form, "_allow_incomplete": "1", "_register": "1"}
    undated = client.post(f"/rounds/{rid}/report", data=allowed)
    assert undated.status_code == 422
    assert 'id="f-period_start-error"' in undated.get_data(as_text=True)
    made = client.post(f"/rounds/{rid}/report", data={**allowed, "period_start": "18/09/2017",
                                                      "period_end": "10/11/2017"})
    assert made.status_code == 200, made.get_data(as_text=True)[:3000]
    text = " ".join(docx_text(made.data).split())
    assert "Một số nơi đánh giá nội bộ còn hình thức" in text
    assert ("có 04 cơ quan, đơn vị được kiểm tra, trong đó kiểm tra tại trụ sở 02 đơn vị "
            "(chiếm 50%) và kiểm tra qua báo cáo 02 đơn vị") in text  # counted, not typed
    assert "còn 02 đơn vị kiểm tra tại trụ sở chưa có biên bản tại thời điểm báo cáo" in text
    symbol = symbol_of(made)
    shown = board(client, rid)
    assert f'data-key="report">{symbol}<' in shown
    assert "Báo cáo số " + symbol in shown


def test_the_report_counts_come_from_the_records(site):
    _, client, rid = site
    for stt in (1, 2):
        form = fields(spec_of("minutes"), minutes_for(UNITS[stt - 1]["name"], stt))
        form.pop("unit.name")
        assert client.post(f"/rounds/{rid}/units/{stt}/minutes", data=form).status_code == 200
    made = client.post(f"/rounds/{rid}/report", data=fields(spec_of("report"), report_fields()))
    assert made.status_code == 200, made.get_data(as_text=True)[:3000]
    text = " ".join(docx_text(made.data).split())
    assert "có 04 cơ quan, đơn vị được kiểm tra, trong đó kiểm tra tại trụ sở 02 đơn vị" in text
    assert "Kiểm tra tại trụ sở 02 đơn vị có biên bản" in text
    assert "chưa có biên bản tại thời điểm báo cáo" not in text  # complete: none pending
    shown = board(client, rid)
    log = shown[shown.index('id="log"'):]
    assert "Báo cáo (chưa cấp số)." in log  # an unnumbered report is in the log too


def test_errors_keep_the_input_and_name_the_field(site):
    _, client, rid = site
    form = fields(spec_of("letter"), {**letter_text(), "date": "31/02/2017"},
                  _grouping="list", **{"_unit.3": "1"})
    refused = client.post(f"/rounds/{rid}/letters", data=form)
    assert refused.status_code == 422
    body = refused.get_data(as_text=True)
    assert 'href="#f-date"' in body and 'id="f-date-error"' in body  # next to its input
    assert value_of(body, "opening") == LETTER["opening"]  # everything typed kept
    assert value_of(body, "date") == "31/02/2017"
    assert re.search(r'name="_unit\.3" value="1" checked', body)
    assert not re.search(r'name="_unit\.4" value="1" checked', body)  # as the clerk left it
    # no unit ticked: the error is on the unit list
    none = client.post(f"/rounds/{rid}/letters", data=fields(spec_of("letter"), letter_text()))
    assert none.status_code == 422
    assert 'href="#f-_units"' in none.get_data(as_text=True)
    # a notice error from the workflow (notice[STT 1].report_deadline) lands on the input
    minutes = minutes_for("Sở Nội vụ", 1)
    form = fields(spec_of("minutes"), minutes)
    form.pop("unit.name")
    assert client.post(f"/rounds/{rid}/units/1/minutes", data=form).status_code == 200
    notice = {**notice_text(), "decision_ref": "Quyết định số 04/QĐ-SKHCN"}
    notice.pop("report_deadline")
    bad = client.post(f"/rounds/{rid}/notices", data=fields(spec_of("notice"), notice,
                                                            **{"_include.1": "1"}))
    assert bad.status_code == 422
    body = bad.get_data(as_text=True)
    assert 'id="f-report_deadline-error"' in body and 'data-path="report_deadline"' in body
    assert value_of(body, "decision_ref") == "Quyết định số 04/QĐ-SKHCN"
    # minutes with a blank required field: the page again, its error under the input
    form["location"] = ""
    blank = client.post(f"/rounds/{rid}/units/1/minutes", data=form)
    assert blank.status_code == 422
    body = blank.get_data(as_text=True)
    assert 'id="f-location-error"' in body and "Không được để trống." in body
    assert value_of(body, "conclusion") == minutes["conclusion"]


def test_unknown_round_or_unit_is_404_and_minutes_for_a_by_report_unit_409(site):
    _, client, rid = site
    for path in ("decision", "plan", "letters", "notices", "report", "units/1/minutes"):
        assert client.get(f"/rounds/{rid + 50}/{path}").status_code == 404
        assert client.post(f"/rounds/{rid + 50}/{path}", data={}).status_code == 404
    assert client.get(f"/rounds/{rid}/units/99/minutes").status_code == 404
    assert client.post(f"/rounds/{rid}/units/99/minutes", data={}).status_code == 404
    page = client.get(f"/rounds/{rid}/units/3/minutes")
    assert page.status_code == 409
    refusal = page.get_data(as_text=True)
    assert 'data-code="unit_not_on_site"' in refusal and "được kiểm tra qua báo cáo" in refusal
    assert 'name="location"' not in refusal  # no form for a unit without minutes
    form = fields(spec_of("minutes"), minutes_for("UBND xã Long Hưng", 3))
    form.pop("unit.name")
    posted = client.post(f"/rounds/{rid}/units/3/minutes", data=form)
    assert posted.status_code == 409
    body = posted.get_data(as_text=True)
    assert "unit_not_on_site" in body and value_of(body, "location") == form["location"]
    shown = board(client, rid)
    assert "Biên bản ngày" not in shown[shown.index('id="log"'):]


def test_a_page_post_needs_the_login_and_the_token(site):
    app, client, rid = site
    from ..conftest import raw_client

    anonymous = raw_client(app)
    assert anonymous.get(f"/rounds/{rid}/decision").status_code in (302, 303, 401)
    assert anonymous.post(f"/rounds/{rid}/decision",
                          data=fields(spec_of("decision"), DECISION)).status_code in (401, 403)
    no_token = client.post(f"/rounds/{rid}/decision",
                           data=fields(spec_of("decision"), DECISION, _csrf=""))
    assert no_token.status_code == 403
    shown = board(client, rid)
    assert "Quyết định thành lập Đoàn kiểm tra (chưa cấp số)" not in shown


def test_the_api_and_the_page_make_the_same_letter(site):
    """One code path: the API's letters and the page's letters are the same document."""
    _, client, rid = site
    page = client.post(f"/rounds/{rid}/letters", data=fields(
        spec_of("letter"), letter_text(), **{"_unit.3": "1", "_unit.4": "1"}))
    api = client.post(f"/api/v1/rounds/{rid}/letters", json={"letter": letter_text()},
                      headers={"Authorization": f"Bearer {KEY}"})
    assert page.status_code == api.status_code == 200
    assert docx_text(page.data) == docx_text(api.data)


def test_each_units_points_to_correct_and_assessment_on_the_notices_page(site):
    app, client, rid = site
    from docgen.register import EXTENSION
    from docgen.rounds import store

    factory = app.extensions[EXTENSION].session_factory
    for stt, name in ((1, "Sở Nội vụ"), (2, "UBND huyện Mỹ Tú")):
        minutes = minutes_for(name, stt)
        minutes["requests"] = ["Ghi chép đầy đủ phiếu theo dõi xử lý công việc",
                               "Báo cáo kết quả khắc phục về Sở trước ngày 30/11/2017"]
        store.record_minutes(app.extensions["docgen.renderer"], factory, rid, stt, minutes)
    page = client.get(f"/rounds/{rid}/notices").get_data(as_text=True)
    # pre-filled: the minutes' requests less the one the notice's closing says
    assert value_of(page, "_points.1") == "Ghi chép đầy đủ phiếu theo dõi xử lý công việc"
    assert value_of(page, "_general.2") == minutes_for("UBND huyện Mỹ Tú", 2)["conclusion"]
    common = {**notice_text(), "decision_ref": "Quyết định số 04/QĐ-SKHCN ngày 15/9/2017 của "
              "Giám đốc Sở Khoa học và Công nghệ về việc thành lập Đoàn kiểm tra"}
    sent = client.post(f"/rounds/{rid}/notices", data=fields(spec_of("notice"), common, **{
        "_include.1": "1", "_include.2": "1",
        "_points.1": "- Lập kế hoạch cải tiến năm 2018;\n\nRà soát danh mục tài liệu",
        "_general.1": "Sở Nội vụ duy trì Hệ thống quản lý chất lượng phù hợp.",
        "_points.2": "", "_general.2": ""}))
    assert sent.status_code == 200, sent.get_data(as_text=True)[:3000]
    with zipfile.ZipFile(io.BytesIO(sent.data)) as archive:
        texts = [" ".join(docx_text(archive.read(n)).split()) for n in archive.namelist()]
    first = next(t for t in texts if "tại Sở Nội vụ" in t)
    second = next(t for t in texts if "tại UBND huyện Mỹ Tú" in t)
    assert ("Đoàn kiểm tra ghi nhận 02 điểm không phù hợp; đề nghị đơn vị khắc phục: "
            "1. Lập kế hoạch cải tiến năm 2018. 2. Rà soát danh mục tài liệu.") in first
    assert "Sở Nội vụ duy trì Hệ thống quản lý chất lượng phù hợp." in first
    assert "Ghi chép đầy đủ phiếu" not in first
    # nothing typed: no point to correct; a blank assessment is the minutes' conclusion
    assert "Đoàn kiểm tra không ghi nhận điểm không phù hợp." in second
    assert "tiếp tục duy trì và cải tiến Hệ thống quản lý chất lượng./." in second
    assert minutes_for("UBND huyện Mỹ Tú", 2)["conclusion"].split("\n")[0] in second
