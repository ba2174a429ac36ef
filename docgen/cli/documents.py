"""``docgen templates | schemas | render | doctor``: the document types and one document.

    docgen render minutes data.json -o bb.docx [--format pdf [--pdfa 2b]]
    docgen render minutes data.json --register [--idempotency-key K]
    docgen render notice data.json --version 9c4a…   a template version (register entry's
                                                     template_version, or a stored number)

With ``DOCGEN_DATABASE_URL`` set, ``render`` and ``schemas TYPE`` read the template
store's deployed versions (and its types); ``--version`` and ``--register`` open the
store too. Otherwise they read the packs alone and import no database code.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from docgen.catalog import DOCUMENT_TYPES, get_type
from docgen.cli._common import (
    EXIT_FAILURE,
    DocumentTypeChoice,
    TypeChoice,
    document_options,
    open_store,
    produce,
    read_json,
    renderer,
    settings,
    store_configured,
    version_option,
    write_output,
)

#: Where the generated JSON Schemas and the examples live in the repository.
SCHEMA_DIR = Path(__file__).resolve().parent.parent.parent / "schemas"


def type_choice() -> click.Choice:  # type: ignore[type-arg]
    return TypeChoice()


@click.command()
def templates() -> None:
    """Liệt kê các loại văn bản (mã, ký hiệu, tên tiếng Việt, mẫu Word)."""
    if store_configured():
        open_store()
    for t in DOCUMENT_TYPES.values():
        code = t.type_code or "—"
        click.echo(f"{t.id:<10} {code:<4} {t.name:<38} {t.template}")


@click.command()
@click.argument("doc_type", type=DocumentTypeChoice(), required=False)
@click.option("--write", is_flag=True,
              help="Ghi lại schemas/<loại>.schema.json và schemas/examples/<loại>.json cho mọi loại.")
@version_option()
def schemas(doc_type: str | None, write: bool, version: str | None) -> None:
    """In JSON Schema của một loại văn bản (hoặc --write để ghi tất cả)."""
    if write:
        if version or doc_type:
            raise click.UsageError("--write ghi lại mọi loại từ các gói; không dùng cùng "
                                   "loại văn bản hay --version.")
        DOCUMENT_TYPES.attach_store(None)  # the committed files are the packs', never the store's
        from docgen.catalog import PACK_SCHEMA, pack_schema_text

        PACK_SCHEMA.write_text(pack_schema_text(), encoding="utf-8")
        click.echo(f"đã ghi {PACK_SCHEMA}")
        for t in DOCUMENT_TYPES.values():
            path = SCHEMA_DIR / f"{t.id}.schema.json"
            path.write_text(schema_text(t.id), encoding="utf-8")
            click.echo(f"đã ghi {path}")
            if t.example is not None:  # the pack's example.json is the source; this a copy
                path = SCHEMA_DIR / "examples" / f"{t.id}.json"
                path.write_text(example_text(t.id), encoding="utf-8")
                click.echo(f"đã ghi {path}")
        return
    if doc_type is None:
        raise click.UsageError("Cần tên loại văn bản, ví dụ: docgen schemas report")
    click.echo(schema_text(doc_type.lower(), version), nl=False)


def schema_text(doc_type: str, version: str | None = None) -> str:
    """The committed text of ``schemas/<type>.schema.json`` (of template ``version``)."""
    from docgen.schemas.jsonschema import document_json_schema

    t = get_type(doc_type, version)
    schema = document_json_schema(t.id, t.name, t.schema())
    return json.dumps(schema, ensure_ascii=False, indent=2) + "\n"


def example_text(doc_type: str) -> str:
    """The committed text of ``schemas/examples/<type>.json``: the pack's example, as is."""
    kind = get_type(doc_type)
    assert kind.pack_dir is not None
    return (kind.pack_dir / "example.json").read_text(encoding="utf-8")


@click.command()
@click.argument("doc_type", type=DocumentTypeChoice())
@click.argument("source", metavar="DATA.json")
@document_options()
@version_option()
def render(doc_type: str, source: str, output: str | None, fmt: str, pdfa: str | None,
           use_register: bool, idempotency_key: str | None, version: str | None) -> None:
    """Điền dữ liệu DATA.json ('-' = stdin) vào mẫu và ghi văn bản."""
    produced = produce(doc_type.lower(), read_json(source), fmt=fmt, pdfa=pdfa,
                       use_register=use_register, idempotency_key=idempotency_key,
                       version=version)
    write_output(produced.rendered, output)


@click.command()
def doctor() -> None:
    """Kiểm tra máy: mẫu văn bản (docgen check), LibreOffice (PDF) và phông Times New Roman."""
    from docgen.check.types import check_loaded_types
    from docgen.pdf import font_report, libreoffice_available

    config = settings()
    problems = 0
    for result in check_loaded_types(config.template_dir, renderer()):
        problems += result.errors > 0
        state = "LỖI" if result.errors else "OK"
        click.echo(f"[{state}] mẫu {result.doc_type}: {result.path} — {result.errors} lỗi, "
                   f"{result.warnings} cảnh báo (docgen check)")
        for finding in result.findings:
            if finding.severity == "error":
                click.echo(f"    {finding}")
    available, why = libreoffice_available(config.pdf_soffice or None, config.pdf_python or None)
    problems += not available
    click.echo(f"[{'OK' if available else 'THIẾU'}] PDF: {why}")
    fonts = font_report()
    problems += not fonts["ok"]
    click.echo(f"[{'OK' if fonts['ok'] else 'CẢNH BÁO'}] phông: {fonts['message']}")
    sys.exit(EXIT_FAILURE if problems else 0)
