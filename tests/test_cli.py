"""The docgen command: happy paths and every kind of bad input, never a traceback."""

from __future__ import annotations

import json
import signal

import pytest

from docgen.cli import main

from .conftest import DOC_TYPES, EXAMPLES
from .docx_text import docx_text


def test_templates_lists_types_with_vietnamese_names(runner):
    result = runner.invoke(main, ["templates"])
    assert result.exit_code == 0
    assert "minutes" in result.output and "Biên bản kiểm tra" in result.output
    assert "report" in result.output and "Báo cáo kết quả kiểm tra" in result.output
    assert "letter     —    Công văn đề nghị gửi báo cáo" in result.output  # no type code
    assert len(result.output.strip().splitlines()) == 7


def test_schemas_prints_json_schema(runner):
    result = runner.invoke(main, ["schemas", "report"])
    assert result.exit_code == 0
    schema = json.loads(result.output)
    assert schema["title"] == "Báo cáo kết quả kiểm tra"
    assert schema["properties"]["counts"]["properties"]["on_site"]["title"] == (
        "Số đơn vị kiểm tra tại trụ sở"
    )


def test_schemas_unknown_type_is_a_usage_error(runner):
    result = runner.invoke(main, ["schemas", "memo"])
    assert result.exit_code == 2
    assert "memo" in result.output


@pytest.mark.parametrize("doc_type", DOC_TYPES)
def test_render_example_to_file(doc_type, runner, tmp_path):
    out = tmp_path / f"{doc_type}.docx"
    result = runner.invoke(main, ["render", doc_type, str(EXAMPLES / f"{doc_type}.json"),
                                  "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in docx_text(out.read_bytes())


def test_render_report_figures(runner, tmp_path):
    out = tmp_path / "bao-cao.docx"
    result = runner.invoke(main, ["render", "report", str(EXAMPLES / "report.json"), "-o", str(out)])
    assert result.exit_code == 0
    text = docx_text(out.read_bytes())
    for figure in ("120", "46", "74"):
        assert figure in text


def test_render_to_stdout_from_stdin(runner):
    payload = (EXAMPLES / "minutes.json").read_text(encoding="utf-8")
    result = runner.invoke(main, ["render", "minutes", "-", "-o", "-"], input=payload)
    assert result.exit_code == 0
    assert result.stdout_bytes[:2] == b"PK"
    assert "UBND huyện Mỹ Tú" in docx_text(result.stdout_bytes)


def test_render_default_file_name(runner, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(main, ["render", "minutes", str(EXAMPLES / "minutes.json")])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "BB-12-ĐKT-2017-10-12.docx").is_file()


def _bad(runner, tmp_path, text, doc_type="minutes"):
    src = tmp_path / "data.json"
    src.write_text(text, encoding="utf-8")
    out = tmp_path / "out.docx"
    result = runner.invoke(main, ["render", doc_type, str(src), "-o", str(out)])
    assert not out.exists()  # nothing half-written
    assert "Traceback" not in result.output
    return result


def test_unreadable_json(runner, tmp_path):
    result = _bad(runner, tmp_path, "{not json")
    assert result.exit_code == 2
    assert "unreadable_input" in result.stderr and "dòng 1" in result.stderr


def test_missing_file(runner, tmp_path):
    result = runner.invoke(main, ["render", "minutes", str(tmp_path / "none.json")])
    assert result.exit_code == 2
    assert "Không đọc được tệp" in result.stderr


def test_wrong_type_and_missing_field(runner, tmp_path):
    data = json.loads((EXAMPLES / "minutes.json").read_text(encoding="utf-8"))
    data["copies"] = "hai"
    del data["members"][1]["full_name"]
    result = _bad(runner, tmp_path, json.dumps(data, ensure_ascii=False))
    assert result.exit_code == 2
    assert "copies: Phải là một số nguyên (ví dụ 1200 hoặc 1.200). [invalid]" in result.stderr
    assert "members[1].full_name: Thiếu trường bắt buộc. [required]" in result.stderr


def test_failed_cross_field_check(runner, tmp_path):
    data = json.loads((EXAMPLES / "report.json").read_text(encoding="utf-8"))
    data["counts"]["by_report"] = 70
    result = _bad(runner, tmp_path, json.dumps(data, ensure_ascii=False), "report")
    assert result.exit_code == 2
    assert "counts.by_report:" in result.stderr and "[counts_sum]" in result.stderr


def test_payload_not_an_object(runner, tmp_path):
    result = _bad(runner, tmp_path, "[1, 2]")
    assert result.exit_code == 2
    assert "đối tượng JSON" in result.stderr


def test_warning_is_printed_but_document_written(runner, tmp_path):
    data = json.loads((EXAMPLES / "report.json").read_text(encoding="utf-8"))
    data["counts"].update(on_site=30, by_report=90)
    src = tmp_path / "r.json"
    src.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    result = runner.invoke(main, ["render", "report", str(src), "-o", str(tmp_path / "r.docx")])
    assert result.exit_code == 0
    assert "on_site_below_one_third" in result.stderr
    assert (tmp_path / "r.docx").is_file()


def test_serve_warns_when_open_beyond_loopback(runner, monkeypatch, tmp_path):
    """Without API keys, binding beyond 127.0.0.1 says so (the server itself is not started)."""
    import werkzeug.serving

    monkeypatch.setenv("DOCGEN_INSTANCE_PATH", str(tmp_path))
    started = {}
    monkeypatch.setattr(werkzeug.serving, "run_simple",
                        lambda host, port, app, **kw: started.update(host=host, port=port))
    handlers = {}
    monkeypatch.setattr(signal, "signal", lambda signum, handler: handlers.update({signum: handler}))
    monkeypatch.delenv("DOCGEN_API_KEYS", raising=False)
    result = runner.invoke(main, ["serve", "--host", "0.0.0.0", "--port", "8123"])
    assert result.exit_code == 0
    assert "DOCGEN_API_KEYS" in result.stderr and started == {"host": "0.0.0.0", "port": 8123}
    with pytest.raises(SystemExit):  # SIGTERM exits cleanly, so exit handlers stop the PDF pool
        handlers[signal.SIGTERM](signal.SIGTERM, None)
    quiet = runner.invoke(main, ["serve", "--host", "127.0.0.1"])
    assert "DOCGEN_API_KEYS" not in quiet.stderr
    monkeypatch.setenv("DOCGEN_API_KEYS", "k1")
    keyed = runner.invoke(main, ["serve", "--host", "0.0.0.0"])
    assert "DOCGEN_API_KEYS" not in keyed.stderr


def test_is_loopback_doctest():
    import doctest

    import docgen.cli.serve

    assert doctest.testmod(docgen.cli.serve).attempted > 0
    assert doctest.testmod(docgen.cli.serve).failed == 0


@pytest.mark.parametrize(("name", "fmt"), [("bb.pdf", "docx"), ("bb.DOCX", "pdf")])
def test_output_suffix_contradicting_format_is_refused(runner, tmp_path, name, fmt):
    out = tmp_path / name
    result = runner.invoke(main, ["render", "minutes", str(EXAMPLES / "minutes.json"),
                                  "-o", str(out), "--format", fmt])
    assert result.exit_code == 2
    assert f"--format là {fmt}: đổi đuôi tệp hoặc bỏ --format" in result.output
    assert not out.exists()


def test_output_with_another_suffix_stays_docx(runner, tmp_path):
    out = tmp_path / "bien-ban.bin"
    result = runner.invoke(main, ["render", "minutes", str(EXAMPLES / "minutes.json"),
                                  "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in docx_text(out.read_bytes())
