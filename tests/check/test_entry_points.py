"""``docgen check``, ``POST /api/v1/templates/check``, ``docgen doctor`` and ``/readyz``."""

from __future__ import annotations

import io
import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from docgen.cli import main

from .builders import make_docx, slot

ROOT = Path(__file__).resolve().parents[2]
TEMPLATE_DIR = ROOT / "templates"
MINUTES = TEMPLATE_DIR / "minutes" / "template.docx"


@pytest.fixture
def broken(tmp_path: Path) -> Path:
    """A template with one error (Quốc hiệu 14 pt) and one warning (no number line)."""
    from .builders import P

    path = tmp_path / "mau.docx"
    path.write_bytes(make_docx(slots={**slot("quoc_hieu", size=14),
                                      "number": P("Không có số", 13)}))
    return path


# --- CLI ------------------------------------------------------------------------------------


def test_cli_exit_0_for_a_shipped_template(runner: CliRunner) -> None:
    result = runner.invoke(main, ["check", str(MINUTES), "--type", "minutes"])
    assert result.exit_code == 0, result.output
    assert result.output.strip() == "template.docx: 0 lỗi, 0 cảnh báo."


def test_cli_exit_1_with_errors_and_warnings_printed(runner: CliRunner, broken: Path) -> None:
    result = runner.invoke(main, ["check", str(broken)])
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert lines[0] == ("Lỗi [font_size]: Quốc hiệu: cỡ chữ 14 pt; Phụ lục I: 12–13 pt. — phần "
                        "thân, bảng 1 hàng 1 ô 2, đoạn «CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM»")
    assert lines[1].startswith("Cảnh báo [part_not_found]: Không tìm thấy Số, ký hiệu")
    assert lines[-1] == "mau.docx: 1 lỗi, 1 cảnh báo."


def test_cli_exit_0_with_warnings_only(runner: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "canh-bao.docx"
    path.write_bytes(make_docx(slots={"quoc_hieu": None}))
    result = runner.invoke(main, ["check", str(path)])
    assert result.exit_code == 0
    assert "Cảnh báo [part_not_found]" in result.output


def test_cli_json_lists_the_findings(runner: CliRunner, broken: Path) -> None:
    result = runner.invoke(main, ["check", str(broken), "--json"])
    assert result.exit_code == 1
    findings = json.loads(result.output)
    assert [sorted(f) for f in findings] == [["code", "location", "message", "severity"]] * 2
    assert [(f["code"], f["severity"]) for f in findings] == [("font_size", "error"),
                                                              ("part_not_found", "warning")]


def test_cli_exit_2_for_unusable_input(runner: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "not.docx"
    path.write_text("không phải docx", encoding="utf-8")
    result = runner.invoke(main, ["check", str(path), "--json"])
    assert result.exit_code == 2
    assert [f["code"] for f in json.loads(result.output)] == ["not_docx"]


def test_cli_exit_2_for_a_missing_file_without_traceback(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(main, ["check", str(tmp_path / "khong-co.docx")])
    assert result.exit_code == 2
    assert "Lỗi [unreadable_input]: Không đọc được" in result.output
    assert "Traceback" not in result.output


def test_cli_unknown_type_is_a_usage_error(runner: CliRunner) -> None:
    result = runner.invoke(main, ["check", str(MINUTES), "--type", "nope"])
    assert result.exit_code == 2 and "nope" in result.output


def test_cli_with_type_checks_names(runner: CliRunner) -> None:
    result = runner.invoke(main, ["check", str(MINUTES), "--type", "plan", "--json"])
    assert result.exit_code == 1
    assert "unknown_name" in {f["code"] for f in json.loads(result.output)}


# --- API ------------------------------------------------------------------------------------


def post(client, data: bytes, **form: str):  # type: ignore[no-untyped-def]
    return client.post("/api/v1/templates/check", content_type="multipart/form-data",
                       data={"template": (io.BytesIO(data), "mau.docx"), **form})


def test_api_shipped_template_as_its_type(client) -> None:  # type: ignore[no-untyped-def]
    response = post(client, MINUTES.read_bytes(), type="minutes")
    assert response.status_code == 200
    assert response.get_json() == {"findings": [], "errors": 0, "warnings": 0}


def test_api_lists_findings_with_counts(client, broken: Path) -> None:  # type: ignore[no-untyped-def]
    response = post(client, broken.read_bytes())
    assert response.status_code == 200
    body = response.get_json()
    assert (body["errors"], body["warnings"]) == (1, 1)
    assert body["findings"][0] == {
        "code": "font_size", "severity": "error",
        "message": "Quốc hiệu: cỡ chữ 14 pt; Phụ lục I: 12–13 pt.",
        "location": "phần thân, bảng 1 hàng 1 ô 2, đoạn «CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM»"}


def test_api_unusable_input_is_a_422_problem(client) -> None:  # type: ignore[no-untyped-def]
    response = post(client, b"PK\x03\x04 broken")
    assert response.status_code == 422
    assert response.mimetype == "application/problem+json"
    problem = response.get_json()
    assert problem["code"] == "validation_failed"
    assert [(e["path"], e["code"]) for e in problem["errors"]] == [("template", "not_docx")]


def test_api_missing_file_and_wrong_media_type(client) -> None:  # type: ignore[no-untyped-def]
    response = client.post("/api/v1/templates/check", content_type="multipart/form-data",
                           data={"type": "minutes"})
    assert response.status_code == 422
    assert response.get_json()["errors"] == [
        {"path": "template", "message": "Thiếu tệp mẫu .docx (trường «template») hoặc gói "
         ".zip (trường «pack»).", "code": "required"}]
    response = client.post("/api/v1/templates/check", json={"template": "x"})
    assert response.status_code == 415


def test_api_unknown_type_is_404(client) -> None:  # type: ignore[no-untyped-def]
    response = post(client, MINUTES.read_bytes(), type="nope")
    assert response.status_code == 404 and response.get_json()["code"] == "unknown_document_type"


def test_api_upload_size_is_bounded(client) -> None:  # type: ignore[no-untyped-def]
    from docgen.check import DEFAULT_LIMITS

    # the multipart body written out here: the test client would spool it to a temporary
    # file that stays open when the server (rightly) never reads it
    boundary = "ranh-gioi"
    body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"template\"; "
            f"filename=\"lon.docx\"\r\n\r\n").encode() + b"\0" * (
        DEFAULT_LIMITS.max_bytes + 128 * 1024) + f"\r\n--{boundary}--\r\n".encode()
    response = client.post("/api/v1/templates/check", data=body,
                           content_type=f"multipart/form-data; boundary={boundary}")
    assert response.status_code == 413
    assert response.get_json()["code"] == "payload_too_large"


def test_api_needs_a_key_when_keys_are_set(tmp_path: Path) -> None:
    from docgen.app import create_app

    app = create_app({"instance_path": tmp_path / "instance", "api_keys": ("k-123",)})
    client = app.test_client()
    assert post(client, MINUTES.read_bytes()).status_code == 401
    response = client.post("/api/v1/templates/check", content_type="multipart/form-data",
                           headers={"Authorization": "Bearer k-123"},
                           data={"template": (io.BytesIO(MINUTES.read_bytes()), "m.docx")})
    assert response.status_code == 200


def test_api_operation_is_documented(client) -> None:  # type: ignore[no-untyped-def]
    spec = client.get("/api/openapi.json").get_json()
    operation = spec["paths"]["/api/v1/templates/check"]["post"]
    assert operation["operationId"] == "check_template"
    assert "multipart/form-data" in operation["requestBody"]["content"]
    assert {"200", "413", "422"} <= set(operation["responses"])


# --- doctor and /readyz ---------------------------------------------------------------------


def test_doctor_prints_a_line_per_type(runner: CliRunner) -> None:
    result = runner.invoke(main, ["doctor"])
    for doc_type in ("plan", "approval", "decision", "letter", "minutes", "notice", "report"):
        assert f"[OK] mẫu {doc_type}: " in result.output
    assert result.output.count("0 lỗi, 0 cảnh báo (docgen check)") == 7


def test_doctor_and_readyz_report_a_template_with_errors(tmp_path: Path, runner: CliRunner,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    from docgen.app import create_app

    templates = tmp_path / "templates"
    shutil.copytree(TEMPLATE_DIR, templates)
    (templates / "report" / "template.docx").write_bytes(make_docx(slots=slot("quoc_hieu", size=14)))
    monkeypatch.setenv("DOCGEN_TEMPLATE_DIR", str(templates))
    result = runner.invoke(main, ["doctor"])
    assert result.exit_code == 1
    assert "[LỖI] mẫu report:" in result.output and "[OK] mẫu minutes:" in result.output
    assert "Quốc hiệu: cỡ chữ 14 pt" in result.output

    app = create_app({"instance_path": tmp_path / "instance", "template_dir": templates})
    response = app.test_client().get("/readyz")
    assert response.status_code == 503
    body = response.get_json()
    assert body["status"] == "not_ready"
    assert body["templates"]["minutes"]["errors"] == 0
    assert body["templates"]["report"]["errors"] > 0


def test_readyz_reports_the_check_per_type(client) -> None:  # type: ignore[no-untyped-def]
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.get_json()["templates"] == {
        t: {"errors": 0, "warnings": 0}
        for t in ("plan", "approval", "decision", "letter", "minutes", "notice", "report")}
