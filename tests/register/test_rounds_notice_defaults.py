"""What a round's notice of results (TB) says when the clerk gives only the common text
(issue 16): the minutes' requests are the corrections asked for, listed as they are; the
request to report the corrections is the notice's closing, with the notice's deadline; a
unit with nothing to correct is asked to keep the system up, not to report corrections."""

from __future__ import annotations

import json
from pathlib import Path

from docgen.rounds import store, workflow

from ..docx_text import docx_text
from .roundsdata import minutes_for, new_round

COMMON = json.loads((Path(__file__).parents[2] / "examples" / "tb-chung.json")
                    .read_text("utf-8"))["notice"] | {
    # a round without its decision recorded: the clerk cites it
    "decision_ref": "Quyết định số 04/QĐ-SKHCN ngày 15/9/2017 của Giám đốc Sở Khoa học và "
                    "Công nghệ về việc thành lập Đoàn kiểm tra"}
UNIT = "UBND huyện Mỹ Tú"


def notice_text(register, renderer, requests, **unit):
    factory = register.session_factory
    round_ = store.create_round(factory, new_round([{"stt": 1, "name": UNIT,
                                                     "mode": "on_site"}]))
    minutes = minutes_for(UNIT, 1)
    minutes["requests"] = requests
    store.record_minutes(renderer, factory, round_.id, 1, minutes)
    units = [{"stt": 1, **unit}] if unit else []
    [(rendered, _)] = workflow.notices(renderer, factory, round_.id,
                                       {"notice": COMMON, "units": units})
    return " ".join(docx_text(rendered.content).split())


def test_the_minutes_requests_are_the_corrections_and_the_closing_has_the_deadline(
        register, renderer):
    text = notice_text(register, renderer, [
        "Ghi chép đầy đủ phiếu theo dõi xử lý công việc",
        "Báo cáo kết quả khắc phục về Sở Khoa học và Công nghệ trước ngày 30/11/2017"])
    assert ("Đoàn kiểm tra ghi nhận 01 điểm không phù hợp; đề nghị đơn vị khắc phục: "
            "1. Ghi chép đầy đủ phiếu theo dõi xử lý công việc") in text
    assert "Yêu cầu khắc phục:" not in text and "30/11/2017" not in text
    assert "1. Ghi chép đầy đủ phiếu theo dõi xử lý công việc." in text
    assert text.count("báo cáo kết quả khắc phục") == 1
    assert (f"Đề nghị {UNIT} báo cáo kết quả khắc phục về Sở Khoa học và Công nghệ trước "
            "ngày 15/12/2017./.") in text


def test_nothing_to_correct_closes_without_asking_for_corrections(register, renderer):
    text = notice_text(register, renderer, [])
    assert "Đoàn kiểm tra không ghi nhận điểm không phù hợp." in text
    assert (f"Đề nghị {UNIT} tiếp tục duy trì và cải tiến Hệ thống quản lý chất lượng./."
            in text)
    assert "khắc phục về" not in text


def test_a_clerks_nonconformities_keep_their_corrections(register, renderer):
    text = notice_text(register, renderer, ["Ghi chép đầy đủ phiếu"], nonconformities=[
        {"content": "Chưa tổ chức cuộc họp xem xét của lãnh đạo năm 2017.",
         "correction": "Tổ chức xem xét của lãnh đạo, lập biên bản."}])
    assert ("1. Chưa tổ chức cuộc họp xem xét của lãnh đạo năm 2017. Yêu cầu khắc phục: Tổ "
            "chức xem xét của lãnh đạo, lập biên bản.") in text
    assert "Ghi chép đầy đủ phiếu" not in text
