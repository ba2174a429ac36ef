"""``docgen types list | show | add | versions | deploy`` on the register database."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from docgen.catalog import DOCUMENT_TYPES
from docgen.cli import main

from .storedata import TEMPLATES, edited, pack


@pytest.fixture
def env(tmp_path: Path, database_url: str) -> Iterator[dict[str, str]]:
    yield {"DOCGEN_INSTANCE_PATH": str(tmp_path / "instance"),
           "DOCGEN_DATABASE_URL": database_url}
    DOCUMENT_TYPES.attach_store(None)


def test_add_a_type_from_a_folder_then_versions_and_deploy(runner, env, tmp_path):
    folder = tmp_path / "permit"
    shutil.copytree(TEMPLATES / "notice", folder)
    toml = folder / "type.toml"
    toml.write_text(toml.read_text(encoding="utf-8").replace('id = "notice"', 'id = "permit"'),
                    encoding="utf-8")
    added = runner.invoke(main, ["types", "add", str(folder), "--comment", "Loại mới"], env=env)
    assert added.exit_code == 0, added.output
    assert added.output.startswith("permit\tphiên bản 1\t") and "đang dùng" in added.output

    listed = runner.invoke(main, ["types", "list"], env=env)
    assert listed.exit_code == 0
    rows = {line.split("\t")[0]: line.split("\t") for line in listed.output.splitlines()}
    assert rows["permit"][1:3] == ["store", "v1"] and rows["notice"][1] == "shipped"

    template = tmp_path / "mau-moi.docx"
    template.write_bytes(edited("notice", "MẪU CLI"))
    second = runner.invoke(main, ["types", "add", str(template), "--type", "permit",
                                  "--author", "Nguyễn Văn A"], env=env)
    assert second.exit_code == 0, second.output
    assert "phiên bản 2" in second.output and "chưa triển khai" in second.output

    versions = runner.invoke(main, ["types", "versions", "permit"], env=env)
    lines = versions.output.splitlines()
    assert lines[0].startswith("  2\t") and "Nguyễn Văn A" in lines[0]
    assert lines[1].startswith("* 1\t") and "Loại mới" in lines[1]

    deployed = runner.invoke(main, ["types", "deploy", "permit", "2"], env=env)
    assert deployed.exit_code == 0 and deployed.output.startswith("permit\tphiên bản 2\t")
    shown = runner.invoke(main, ["types", "show", "permit"], env=env)
    assert "nguồn: store" in shown.output and "* 2\t" in shown.output


def test_bad_input_is_one_line_and_exit_2(runner, env, tmp_path):
    bad = tmp_path / "bad.zip"
    bad.write_bytes(pack("notice", new_id="permit", example_text="{}"))
    result = runner.invoke(main, ["types", "add", str(bad)], env=env)
    assert result.exit_code == 2
    assert result.output.startswith("Lỗi [pack_refused]: example.json")
    docx = tmp_path / "t.docx"
    docx.write_bytes(edited("notice", "X"))
    no_type = runner.invoke(main, ["types", "add", str(docx)], env=env)
    assert no_type.exit_code == 2 and "--type" in no_type.output
    missing = runner.invoke(main, ["types", "deploy", "notice", "7"], env=env)
    assert missing.exit_code == 2 and "template_version_not_found" in missing.output
    listed = runner.invoke(main, ["types", "versions", "notice"], env=env)
    assert listed.exit_code == 0 and listed.stdout == ""  # nothing was stored
