"""The ``docgen`` command: serve, render, templates, schemas.

Every failure a user can cause prints a Vietnamese message (with the field path
for validation errors) and exits non-zero; never a traceback. Exit codes:
0 done, 1 docgen's own failure (a broken template, the PDF converter), 2 bad
input or usage.
"""

from __future__ import annotations

import json
import signal
import sys
from pathlib import Path
from typing import Any, NoReturn

import click

from docgen import __version__
from docgen.catalog import DOCUMENT_TYPES, get_type
from docgen.errors import DocgenError, InputError, UnreadableInputError, ValidationError
from docgen.schemas.jsonschema import document_json_schema

EXIT_FAILURE = 1
EXIT_BAD_INPUT = 2

#: Where the generated JSON Schemas and the examples live in the repository.
SCHEMA_DIR = Path(__file__).resolve().parent.parent / "schemas"


def fail(exc: DocgenError) -> NoReturn:
    """Print ``exc`` for a person and exit; validation errors one line per field."""
    click.echo(f"Lỗi [{exc.code}]: {exc.message}" if not isinstance(exc, ValidationError)
               else f"Lỗi [{exc.code}]: dữ liệu không hợp lệ ({len(exc.errors)} lỗi):", err=True)
    if isinstance(exc, ValidationError):
        for error in exc.errors:
            click.echo(f"  - {error.path}: {error.message} [{error.code}]", err=True)
    sys.exit(EXIT_BAD_INPUT if isinstance(exc, InputError) else EXIT_FAILURE)


def read_json(source: str) -> Any:
    """Read a JSON payload from a path or ``-`` (stdin), as UTF-8 (BOM allowed)."""
    try:
        raw = sys.stdin.buffer.read() if source == "-" else Path(source).read_bytes()
    except OSError as exc:
        raise UnreadableInputError(f"Không đọc được tệp '{source}': {exc.strerror}.") from exc
    try:
        return json.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        raise UnreadableInputError(f"Tệp '{source}' không phải văn bản UTF-8.") from exc
    except json.JSONDecodeError as exc:
        raise UnreadableInputError(
            f"Tệp '{source}' không phải JSON hợp lệ: dòng {exc.lineno}, cột {exc.colno} ({exc.msg})."
        ) from exc


def type_choice() -> click.Choice:
    return click.Choice(list(DOCUMENT_TYPES), case_sensitive=False)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="docgen")
def main() -> None:
    """docgen — văn bản hành chính theo Nghị định 30/2020/NĐ-CP cho kiểm tra ISO 9001."""


@main.command()
def templates() -> None:
    """Liệt kê các loại văn bản (mã, ký hiệu, tên tiếng Việt, mẫu Word)."""
    for t in DOCUMENT_TYPES.values():
        click.echo(f"{t.id:<10} {t.type_code:<4} {t.name:<38} templates/docx/{t.template}")


@main.command()
@click.argument("doc_type", type=type_choice(), required=False)
@click.option("--write", is_flag=True, help="Ghi lại schemas/<loại>.schema.json cho mọi loại.")
def schemas(doc_type: str | None, write: bool) -> None:
    """In JSON Schema của một loại văn bản (hoặc --write để ghi tất cả)."""
    if write:
        for t in DOCUMENT_TYPES.values():
            path = SCHEMA_DIR / f"{t.id}.schema.json"
            path.write_text(schema_text(t.id), encoding="utf-8")
            click.echo(f"đã ghi {path}")
        return
    if doc_type is None:
        raise click.UsageError("Cần tên loại văn bản, ví dụ: docgen schemas report")
    click.echo(schema_text(doc_type), nl=False)


def schema_text(doc_type: str) -> str:
    """The committed text of ``schemas/<type>.schema.json``."""
    t = get_type(doc_type)
    schema = document_json_schema(t.id, t.name, t.schema())
    return json.dumps(schema, ensure_ascii=False, indent=2) + "\n"


@main.command()
@click.argument("doc_type", type=type_choice())
@click.argument("source", metavar="DATA.json")
@click.option("-o", "--output", metavar="FILE", help="Tệp kết quả; '-' để ghi ra stdout.")
@click.option("-f", "--format", "fmt", default="docx", show_default=True,
              type=click.Choice(["docx", "pdf"]), help="Định dạng đầu ra.")
@click.option("--pdfa", type=click.Choice(["1b", "2b", "3b"]), default=None,
              help="Với --format pdf: xuất PDF/A (lưu trữ), ví dụ 2b.")
@click.option("--register", "register_it", is_flag=True,
              help="Cấp số tiếp theo trong sổ đăng ký văn bản đi, điền số và ghi sổ.")
@click.option("--idempotency-key", metavar="KEY",
              help="Với --register: chạy lại với cùng khóa cho cùng số, cùng tệp.")
def render(doc_type: str, source: str, output: str | None, fmt: str, pdfa: str | None,
           register_it: bool, idempotency_key: str | None) -> None:
    """Điền dữ liệu DATA.json ('-' = stdin) vào mẫu và ghi văn bản."""
    from docgen.rendering import default_renderer

    if pdfa and fmt != "pdf":
        raise click.UsageError("--pdfa chỉ dùng cùng --format pdf.")
    if idempotency_key and not register_it:
        raise click.UsageError("--idempotency-key chỉ dùng cùng --register.")
    if register_it:
        from docgen.register.cli import render_registered

        render_registered(doc_type, source, output, fmt, idempotency_key, pdfa=pdfa)
        return
    try:
        rendered = default_renderer().render(doc_type, read_json(source), fmt, pdfa=pdfa)
    except DocgenError as exc:
        fail(exc)
    write_output(rendered, output)


def write_output(rendered: Any, output: str | None) -> None:
    """Print the warnings, then write the document to ``output`` ('-': stdout; None: its name)."""
    for warning in rendered.warnings:
        click.echo(f"Cảnh báo [{warning.code}] {warning.path}: {warning.message}", err=True)
    if output == "-":
        sys.stdout.buffer.write(rendered.content)
        sys.stdout.buffer.flush()
        return
    target = Path(output or rendered.filename)
    try:
        target.write_bytes(rendered.content)
    except OSError as exc:
        click.echo(f"Lỗi [unwritable_output]: không ghi được '{target}': {exc.strerror}.", err=True)
        sys.exit(EXIT_FAILURE)
    click.echo(f"đã ghi {target} ({len(rendered.content):,} byte)", err=True)


@main.command()
def doctor() -> None:
    """Kiểm tra máy: mẫu văn bản, LibreOffice (PDF) và phông Times New Roman tiếng Việt."""
    from docgen.config import Settings
    from docgen.pdf import font_report, libreoffice_available

    settings = Settings.from_env()
    problems = 0
    for t in DOCUMENT_TYPES.values():
        path = settings.template_dir / t.template
        ok = path.is_file()
        problems += not ok
        click.echo(f"[{'OK' if ok else 'THIẾU'}] mẫu {t.id}: {path}")
    available, why = libreoffice_available(settings.pdf_soffice or None, settings.pdf_python or None)
    problems += not available
    click.echo(f"[{'OK' if available else 'THIẾU'}] PDF: {why}")
    fonts = font_report()
    problems += not fonts["ok"]
    click.echo(f"[{'OK' if fonts['ok'] else 'CẢNH BÁO'}] phông: {fonts['message']}")
    sys.exit(EXIT_FAILURE if problems else 0)


@main.command()
@click.option("--host", default=None, help="Địa chỉ lắng nghe (mặc định DOCGEN_HOST hoặc 127.0.0.1).")
@click.option("--port", default=None, type=int, help="Cổng (mặc định DOCGEN_PORT hoặc 8000).")
def serve(host: str | None, port: int | None) -> None:
    """Chạy dịch vụ web (máy chủ phát triển; dùng gunicorn khi triển khai)."""
    from werkzeug.serving import run_simple

    from docgen.app import create_app
    from docgen.config import Settings
    from docgen.logs import QuietRequestHandler

    settings = Settings.from_env()
    bind = host or settings.host
    if not settings.api_keys and not is_loopback(bind):
        click.echo(f"Cảnh báo: lắng nghe trên {bind} mà chưa đặt DOCGEN_API_KEYS — ai vào được "
                   "mạng này cũng gọi được API. Đặt khóa, hoặc dùng 127.0.0.1.", err=True)
    app = create_app(settings)
    # SIGTERM (`kill`, service managers) exits like Ctrl-C, so exit handlers run and
    # the PDF pool stops its LibreOffice instances instead of orphaning them.
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(0))
    run_simple(bind, port or settings.port, app, threaded=True, request_handler=QuietRequestHandler)


def is_loopback(host: str) -> bool:
    """'127.0.0.1', '::1', 'localhost' — addresses only this machine reaches.

    >>> is_loopback("127.0.0.1"), is_loopback("localhost"), is_loopback("0.0.0.0")
    (True, True, False)
    """
    import ipaddress

    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


from docgen.batch.cli import batch, worker

main.add_command(batch)
main.add_command(worker)  # `docgen worker`, the same as `docgen batch worker`

from docgen.register.cli import db, register

main.add_command(register)
main.add_command(db)

from docgen.rounds.cli import round_command

main.add_command(round_command)
