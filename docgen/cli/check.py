"""``docgen check PATH [--type ID] [--json]``: Decree 30 and tag checks on a template or a pack.

    docgen check templates/minutes/template.docx --type minutes
    docgen check mau-moi.docx --json
    docgen check templates/notice/            a pack folder: declaration, template, example
    docgen check giay-phep.zip                a pack as uploaded to the template store

PATH is a Word template (.docx), a pack folder (holding ``type.toml``) or a pack zip
(``.zip``). Exit 0 when there is no error (warnings are printed), 1 when there are
errors, 2 when the file cannot be checked at all (not a .docx or a pack, a zip bomb, a
DTD…) or cannot be read.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from docgen.cli._common import EXIT_BAD_INPUT, EXIT_FAILURE, os_reason, renderer
from docgen.cli.documents import type_choice

__all__ = ["check"]


@click.command()
@click.argument("path", metavar="PATH", type=click.Path(path_type=Path))
@click.option("--type", "doc_type", type=type_choice(), default=None,
              help="Kiểm tra theo các trường và dữ liệu mẫu của loại văn bản này.")
@click.option("--json", "as_json", is_flag=True, help="In danh sách phát hiện dạng JSON.")
def check(path: Path, doc_type: str | None, as_json: bool) -> None:
    """Kiểm tra mẫu Word hoặc gói loại văn bản PATH (.docx, thư mục gói, gói .zip): khai
    báo, thẻ, trường dữ liệu, dữ liệu mẫu và thể thức Nghị định 30."""
    from docgen.check import count
    from docgen.check.packs import check_pack_folder, check_pack_zip
    from docgen.check.types import check_for_type, unusable
    from docgen.errors import UnreadableInputError

    wanted = doc_type.lower() if doc_type else None
    if path.is_dir():
        findings = check_pack_folder(path, doc_type=wanted, renderer=renderer())
    else:
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise UnreadableInputError(f"Không đọc được {path}: {os_reason(exc)}.") from exc
        if path.suffix.lower() == ".zip":
            findings = check_pack_zip(data, name=path.name, doc_type=wanted,
                                      renderer=renderer())
        else:
            findings = check_for_type(data, wanted, renderer())
    errors, warnings = count(findings)
    if as_json:
        click.echo(json.dumps([f.to_dict() for f in findings], ensure_ascii=False, indent=2))
    else:
        for finding in findings:
            click.echo(str(finding))
        click.echo(f"{path.name}: {errors} lỗi, {warnings} cảnh báo.")
    if unusable(findings):
        sys.exit(EXIT_BAD_INPUT)
    sys.exit(EXIT_FAILURE if errors else 0)
