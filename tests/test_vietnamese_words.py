"""Every word a user reads is Vietnamese: click's own, Jinja's syntax errors, the OS's,
the JSON parser's, the OpenAPI summaries; every operation has an operationId."""

from __future__ import annotations

import json
import re

import jinja2
import pytest
from click.testing import CliRunner

from docgen.cli import main
from docgen.engine._errors import vietnamese_syntax_message

VIETNAMESE = re.compile(r"[àáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵđ]",
                        re.IGNORECASE)


def run(*args, input=None):
    return CliRunner().invoke(main, list(args), input=input)


@pytest.mark.parametrize("args", [["--help"], ["render", "--help"], ["batch", "--help"],
                                  ["register", "render", "--help"], ["db", "upgrade", "--help"]])
def test_help_has_no_english_of_click(args):
    result = run(*args)
    assert result.exit_code == 0
    for english in ("Usage:", "Show this message and exit", "Options:", "Commands:",
                    "[default:", "[required]"):
        assert english not in result.output, (english, result.output)
    assert "Cách dùng:" in result.output and "Hiện hướng dẫn này rồi thoát." in result.output


def test_db_upgrade_help_spells_nang_cap():
    assert "Nâng cấp cấu trúc" in run("db", "upgrade", "--help").output


@pytest.mark.parametrize(("args", "expected"), [
    (["render", "nope", "x.json"], "'nope' không thuộc: 'plan', "),
    (["render"], "Thiếu đối số"),
    (["render", "minutes", "x.json", "--bogus"], "Không có tùy chọn '--bogus'"),
    (["nosuchcommand"], "Không có lệnh 'nosuchcommand'"),
])
def test_click_errors_are_vietnamese(args, expected):
    result = run(*args)
    assert result.exit_code == 2
    assert expected in result.output
    assert "Error:" not in result.output and "Lỗi:" in result.output


def test_os_and_json_errors_are_vietnamese(tmp_path):
    missing = run("render", "minutes", str(tmp_path / "khong-co.json"))
    assert "không có tệp hoặc thư mục này" in missing.output
    assert "No such file or directory" not in missing.output
    broken = run("render", "minutes", "-", input="{")
    assert "không phải JSON hợp lệ: dòng 1, cột 2" in broken.output
    assert "Expecting" not in broken.output


@pytest.mark.parametrize(("source", "expected"), [
    ("{{ x ", "mẫu kết thúc khi còn thiếu }}"),
    ("{% for a in b %}x", ("mẫu kết thúc mà chưa đóng khối for (cần một trong các thẻ: "
                           "'endfor' hoặc 'else')")),
    ("{% endfor %}", "thẻ lạ 'endfor'"),
    ("{% if x %}a{% endfor %}", ("thẻ lạ 'endfor' (đang chờ một trong các thẻ: 'elif' hoặc "
                                 "'else' hoặc 'endif' để đóng khối if)")),
    ("{{ x } }}", "gặp '}' không đúng chỗ"),
    ("{{ x ! }}", "ký tự '!' không hợp lệ"),
    ("{% %}", "thiếu tên thẻ sau {%"),
    ("{{ x y }}", "cần }} nhưng gặp 'y'"),
])
def test_jinja_syntax_messages_are_vietnamese(source, expected):
    with pytest.raises(jinja2.TemplateSyntaxError) as info:
        jinja2.Environment().parse(source)
    assert vietnamese_syntax_message(info.value.message or "") == expected


def test_an_unknown_jinja_message_is_kept_and_marked():
    assert vietnamese_syntax_message("something new") == "something new (thông báo của Jinja)"


def test_every_operation_has_an_id_and_a_vietnamese_summary(client):
    spec = client.get("/api/openapi.json").get_json()
    ids = []
    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            if method not in ("get", "post", "put", "delete", "patch"):
                continue
            assert operation.get("operationId"), f"{method.upper()} {path} has no operationId"
            ids.append(operation["operationId"])
            assert VIETNAMESE.search(operation.get("summary", "")), \
                f"{method.upper()} {path}: summary not in Vietnamese: {operation.get('summary')}"
    assert len(ids) == len(set(ids)) and len(ids) >= 31


def test_the_cli_names_its_own_flag_for_an_incomplete_round(tmp_path):
    from .register.roundsdata import new_round, report_fields

    env = {"DOCGEN_INSTANCE_PATH": str(tmp_path)}
    source = tmp_path / "round.json"
    source.write_text(json.dumps(new_round([{"name": "Sở Nội vụ", "mode": "on_site"}]),
                                 ensure_ascii=False), encoding="utf-8")
    created = CliRunner().invoke(main, ["round", "create", str(source)], env=env)
    round_id = created.stdout.strip()
    fields = tmp_path / "bc.json"
    fields.write_text(json.dumps(report_fields(), ensure_ascii=False), encoding="utf-8")
    result = CliRunner().invoke(main, ["round", "report", round_id, str(fields)], env=env)
    assert result.exit_code == 2
    assert "--allow-incomplete" in result.stderr and "allow_incomplete=true" not in result.stderr
