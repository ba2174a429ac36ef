"""The dashboard's own forms (issue 16): a refused action comes back with its form filled
and open, so nothing a clerk typed is lost; a by-report unit's files of up to 10 MB each
go through the page and the API although a JSON body is bounded at 5 MB; past the upload
limit the answer is a 413 naming it, and nothing is recorded."""

from __future__ import annotations

import html
import io
import json
import re
from typing import Any

from sqlalchemy import select

from docgen.rounds import store, workflow
from docgen.rounds.models import RoundAttachment, RoundUnit

from .roundsdata import UNITS, new_round
from .test_rounds_setup_web import KEY, factory, make_app, signed_in, token

MB = 1024 * 1024
#: A PDF of 6 MB: over DOCGEN_MAX_REQUEST_BYTES (5 MB), under the 10 MB a file may be.
BIG_PDF = b"%PDF-1.4\n" + b"0" * (6 * MB) + b"\n%%EOF\n"
SCOPE = "Áp dụng cho toàn bộ thủ tục hành chính <thuộc> thẩm quyền & lĩnh vực được giao."


def _with_round(tmp_path: Any, **config: Any) -> tuple[Any, Any, int]:
    app = make_app(tmp_path, **config)
    round_ = store.create_round(factory(app), {**new_round(UNITS), "due_date": "2017-10-16"},
                                actor="cli:thu-ky")
    return app, signed_in(app), round_.id


def _submit(client: Any, rid: int, files: list[tuple[bytes, str]], **fields: str) -> Any:
    page = client.get(f"/rounds/{rid}").get_data(as_text=True)
    data: dict[str, Any] = {"_csrf": token(page), "stt": "3", "received_on": "2017-10-09",
                            "aspect_scope": SCOPE, "remarks": "Báo cáo đủ nội dung.",
                            "_user": "Nguyễn Thị Lan", **fields}
    data["attachments"] = [(io.BytesIO(content), name) for content, name in files]
    return _closed(client.post(f"/rounds/{rid}/submission", data=data,
                               content_type="multipart/form-data"))


def _closed(response: Any) -> Any:
    """The answer, read, and the request's body closed: the test client writes a large body
    to a temporary file and, without following redirects, never closes it."""
    response.get_data()
    response.close()
    response.request.input_stream.close()
    return response


def _form(page: str, form_id: str) -> str:
    found = re.search(rf'<details( open)?><summary>[^<]*</summary>\s*<form[^>]*id="{form_id}"'
                      r".*?</form>", page, re.DOTALL)
    assert found, f"no form #{form_id} on the page"
    return found.group(0)


def _attachments(app: Any) -> list[tuple[str, int]]:
    with factory(app)() as session:
        return [(a.filename, a.size) for a in session.scalars(select(RoundAttachment))]


def test_a_refused_submission_comes_back_filled(tmp_path):
    app, client, rid = _with_round(tmp_path)
    answer = _submit(client, rid, [(b"MZ\x90\x00", "cai-dat.exe")])
    assert answer.status_code == 422
    page = answer.get_data(as_text=True)
    assert "attachment_type" in page and "cai-dat.exe" in page
    form = html.unescape(_form(page, "submission-form"))
    assert form.startswith("<details open>")
    assert f">{SCOPE}</textarea>" in form
    assert ">Báo cáo đủ nội dung.</textarea>" in form
    assert 'value="2017-10-09"' in form and 'value="Nguyễn Thị Lan"' in form
    assert re.search(r'<option value="3" selected>3\. UBND xã Long Hưng', form)
    assert "hãy chọn lại tệp" in page  # the browser cannot keep the chosen file
    # the other forms stay closed and empty
    assert _form(page, "not-inspected-form").startswith("<details>")
    assert _attachments(app) == []
    with factory(app)() as session:
        unit = session.scalars(select(RoundUnit).where(RoundUnit.stt == 3)).one()
        assert unit.status == "planned"


def test_a_refused_mark_keeps_its_reason_and_unit(tmp_path):
    _, client, rid = _with_round(tmp_path)
    page = client.get(f"/rounds/{rid}").get_data(as_text=True)
    answer = client.post(f"/rounds/{rid}/not-inspected", data={
        "_csrf": token(page), "stt": "1", "reason": "x" * 3000})
    assert answer.status_code == 422
    form = _form(answer.get_data(as_text=True), "not-inspected-form")
    assert form.startswith("<details open>") and 'value="' + "x" * 3000 + '"' in form
    assert '<option value="1" selected>' in form
    assert _form(answer.get_data(as_text=True), "submission-form").startswith("<details>")


def test_a_file_over_the_json_limit_goes_through_the_page(tmp_path):
    app, client, rid = _with_round(tmp_path)
    answer = _submit(client, rid, [(BIG_PDF, "bao-cao-tu-kiem-tra.pdf")])
    assert answer.status_code == 303, answer.get_data(as_text=True)[:2000]
    assert _attachments(app) == [("bao-cao-tu-kiem-tra.pdf", len(BIG_PDF))]
    page = client.get(answer.headers["Location"]).get_data(as_text=True)
    assert "tối đa 10 MB mỗi tệp, 20 MB mỗi lần gửi" in page
    assert f'data-max-file-bytes="{workflow.MAX_ATTACHMENT_BYTES}"' in page
    assert f'data-max-bytes="{20 * MB}"' in page and "upload-limit.js" in page


def test_past_the_upload_limit_the_page_says_it_and_records_nothing(tmp_path):
    app, client, rid = _with_round(tmp_path, batch_max_upload_bytes=8 * MB)
    answer = _submit(client, rid, [(BIG_PDF, "phan-1.pdf"), (BIG_PDF, "phan-2.pdf")])
    assert answer.status_code == 413
    assert "8.388.608 byte" in answer.get_data(as_text=True)
    assert _attachments(app) == []


def _keyed(app: Any) -> Any:
    client = app.test_client()
    client.environ_base["HTTP_AUTHORIZATION"] = f"Bearer {KEY}"
    return client


def test_the_api_takes_files_up_to_their_own_limit(tmp_path):
    app, _, rid = _with_round(tmp_path, batch_max_upload_bytes=13 * MB)
    api = _keyed(app)
    data = json.dumps({"received_on": "2017-10-09",
                       "assessments": [{"aspect": "scope", "content": SCOPE}]})
    two = _closed(api.put(f"/api/v1/rounds/{rid}/units/3/submission", data={
        "data": data, "attachments": [(io.BytesIO(BIG_PDF), "phan-1.pdf"),
                                      (io.BytesIO(BIG_PDF), "phan-2.pdf")]},
        content_type="multipart/form-data"))
    assert two.status_code == 200, two.get_data(as_text=True)
    assert [(a["filename"], a["size"]) for a in two.get_json()["attachments"]] == [
        ("phan-1.pdf", len(BIG_PDF)), ("phan-2.pdf", len(BIG_PDF))]
    three = _closed(api.put(f"/api/v1/rounds/{rid}/units/3/submission", data={
        "data": data, "attachments": [(io.BytesIO(BIG_PDF), f"them-{i}.pdf") for i in range(3)]},
        content_type="multipart/form-data"))
    assert three.status_code == 413
    problem = three.get_json()
    assert problem["code"] == "payload_too_large"
    assert "13.631.488 byte (DOCGEN_BATCH_MAX_UPLOAD_BYTES)" in problem["detail"]
    assert _attachments(app) == [("phan-1.pdf", len(BIG_PDF)), ("phan-2.pdf", len(BIG_PDF))]
