"""What every ``docgen`` command shares: the error line, settings, input and output.

:func:`document_options` declares ``-o``, ``--format``, ``--pdfa``, ``--register`` and
``--idempotency-key`` once; every command that renders a document carries them all, and
:func:`output_request` checks them through the service seam like the API does.
"""

from __future__ import annotations

import functools
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn, TypeVar

import click

if TYPE_CHECKING:
    from docgen.catalog import Catalog
    from docgen.config import Settings
    from docgen.errors import DocgenError
    from docgen.register import Register
    from docgen.register.models import Entry
    from docgen.rendering import Output, Rendered, Renderer
    from docgen.service import Produced
    from docgen.store import TemplateStore

EXIT_FAILURE = 1
EXIT_BAD_INPUT = 2

F = TypeVar("F", bound=Callable[..., Any])


def fail(exc: DocgenError) -> NoReturn:
    """Print ``exc`` for a person and exit; validation errors one line per field."""
    from docgen.errors import ConfigurationError, InputError, ValidationError

    if isinstance(exc, ValidationError):
        click.echo(f"Lỗi [{exc.code}]: dữ liệu không hợp lệ ({exc.total} lỗi):", err=True)
        for error in exc.errors:
            click.echo(f"  - {error.path}: {error.message} [{error.code}]", err=True)
        if exc.omitted:
            click.echo(f"  {exc.more_line()}", err=True)
    else:
        click.echo(f"Lỗi [{exc.code}]: {exc.message}", err=True)
    bad_input = isinstance(exc, InputError | ConfigurationError)
    sys.exit(EXIT_BAD_INPUT if bad_input else EXIT_FAILURE)


def settings() -> Settings:
    """``DOCGEN_*``, read once per command (a ``ConfigurationError`` names the variable)."""
    from docgen.config import Settings

    meta = click.get_current_context().find_root().meta
    if "docgen.settings" not in meta:
        meta["docgen.settings"] = Settings.from_env()
    return meta["docgen.settings"]  # type: ignore[no-any-return]


def renderer() -> Renderer:
    """The renderer of this command, built from :func:`settings`."""
    from docgen.rendering import Renderer

    root = click.get_current_context().find_root()
    if "docgen.renderer" not in root.meta:
        made = root.meta["docgen.renderer"] = Renderer(settings())
        root.call_on_close(made.close)  # no LibreOffice outlives the command
    return root.meta["docgen.renderer"]  # type: ignore[no-any-return]


def open_register() -> Register:
    """The register of ``DOCGEN_DATABASE_URL`` (migrated first unless DATABASE_UPGRADE=off),
    opened once per command and closed when it ends."""
    from docgen.register import Register

    root = click.get_current_context().find_root()
    if "docgen.register" not in root.meta:
        config = settings()
        register = root.meta["docgen.register"] = Register.from_settings(config)
        root.call_on_close(register.dispose)
        if config.database_upgrade == "auto":
            register.upgrade()
    return root.meta["docgen.register"]  # type: ignore[no-any-return]


def open_store() -> TemplateStore:
    """The template store on this command's register, attached to the catalog until the
    command ends (so ``get_type`` answers its deployed and stored versions). Opened once
    per command; this is where a one-document command first imports SQLAlchemy."""
    from docgen.catalog import DOCUMENT_TYPES
    from docgen.store import open_store as store_on

    root = click.get_current_context().find_root()
    if "docgen.store" not in root.meta:
        previous = DOCUMENT_TYPES.store
        root.meta["docgen.store"] = store_on(open_register(), settings())
        root.call_on_close(lambda: DOCUMENT_TYPES.attach_store(previous))
    return root.meta["docgen.store"]  # type: ignore[no-any-return]


def store_configured() -> bool:
    """Whether a register database is configured (``DOCGEN_DATABASE_URL``): then
    ``docgen render``, ``schemas`` and ``batch`` read the template store's deployed
    versions too. Without it they read the packs only and stay free of the database (the
    default SQLite register is opened when ``--version`` or ``--register`` asks for it).
    Read alone, so that a command reading no other setting is not stopped by a bad one."""
    from docgen.config import database_configured

    return database_configured()


def remember_version(ctx: click.Context, _param: click.Parameter, value: str | None
                     ) -> str | None:
    """``--version``'s callback (eager): the store is wanted before TYPE is read."""
    if value:
        ctx.meta["docgen.template_version"] = value
    return value


def version_option() -> Callable[[F], F]:
    """``--version SHA256|N``: render (or describe) that template version of the type — a
    register entry's ``template_version``, or a stored version's number."""
    return click.option(  # type: ignore[return-value]
        "--version", "version", metavar="PHIÊN_BẢN", default=None, is_eager=True,
        callback=remember_version,
        help="Phiên bản mẫu: sha256 (như template_version trong sổ) hoặc số phiên bản "
             "trong kho mẫu. Mặc định: phiên bản đang dùng.")


class TypeChoice(click.Choice):  # type: ignore[type-arg]
    """The document types as a click choice (any case), read from the catalog when asked.

    Building a command no longer lists the catalog: ``docgen render minutes`` looks up
    ``minutes`` alone (:meth:`Catalog._one`). ``--help`` and a wrong name list every type,
    with click's own (Vietnamese) message, as a plain ``click.Choice`` does.
    """

    def __init__(self) -> None:
        self.case_sensitive = False

    @property
    def choices(self) -> tuple[str, ...]:  # type: ignore[override]
        return tuple(_catalog())

    @choices.setter
    def choices(self, value: tuple[str, ...]) -> None:
        raise AttributeError("TypeChoice reads its choices from the catalog")

    def convert(self, value: Any, param: click.Parameter | None,
                ctx: click.Context | None) -> Any:
        if isinstance(value, str) and (ctx is None or ctx.token_normalize_func is None):
            kind = _catalog().get(value.casefold())
            if kind is not None and kind.id.casefold() == value.casefold():
                return kind.id
        return super().convert(value, param, ctx)


class DocumentTypeChoice(TypeChoice):
    """TYPE: the loaded types — with the template store's when it is configured
    (:func:`store_configured`) or ``--version`` asks for one, so a type added to the store
    is a TYPE too and a shipped type is its deployed version."""

    def convert(self, value: Any, param: click.Parameter | None,
                ctx: click.Context | None) -> Any:
        if ctx is not None and (store_configured() or "docgen.template_version" in ctx.meta):
            from docgen.catalog import DOCUMENT_TYPES

            open_store()
            return click.Choice(list(DOCUMENT_TYPES), case_sensitive=False).convert(
                value, param, ctx)
        return super().convert(value, param, ctx)


def _catalog() -> Catalog:
    from docgen.catalog import DOCUMENT_TYPES

    return DOCUMENT_TYPES


def read_json(source: str) -> Any:
    """Read a JSON payload from a path or ``-`` (stdin), as UTF-8 (BOM allowed)."""
    from docgen.errors import UnreadableInputError

    try:
        raw = sys.stdin.buffer.read() if source == "-" else Path(source).read_bytes()
    except OSError as exc:
        raise UnreadableInputError(f"Không đọc được tệp '{source}': {os_reason(exc)}.") from exc
    try:
        return json.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        raise UnreadableInputError(f"Tệp '{source}' không phải văn bản UTF-8.") from exc
    except json.JSONDecodeError as exc:
        raise UnreadableInputError(
            f"Tệp '{source}' không phải JSON hợp lệ: dòng {exc.lineno}, cột {exc.colno}."
        ) from exc
    except RecursionError as exc:
        raise UnreadableInputError(f"Tệp '{source}': JSON lồng nhau quá sâu.") from exc


def os_reason(exc: OSError) -> str:
    """The Vietnamese for the usual reasons a file cannot be read or written."""
    import errno

    return {errno.ENOENT: "không có tệp hoặc thư mục này",
            errno.EACCES: "không có quyền truy cập",
            errno.EISDIR: "đây là một thư mục",
            errno.ENOTDIR: "đường dẫn không phải thư mục",
            errno.ENOSPC: "hết chỗ trên đĩa"}.get(exc.errno or 0, exc.strerror or str(exc))


def document_options(*, register: bool = True) -> Callable[[F], F]:
    """``-o``, ``--format``, ``--pdfa``, ``--register``, ``--idempotency-key``, declared once.

    ``register=False`` for a command that always numbers (``docgen register render``):
    ``--register`` is then accepted and changes nothing.
    """
    def decorate(func: F) -> F:
        func = click.option("--idempotency-key", metavar="KHÓA",
                            help="Với --register: chạy lại với cùng khóa cho cùng số, "
                                 "cùng tệp.")(func)
        func = click.option("--register", "use_register", is_flag=True, hidden=not register,
                            help="Cấp số tiếp theo trong sổ đăng ký văn bản đi, điền số và "
                                 "ghi sổ (một giao dịch).")(func)
        func = click.option("--pdfa", type=click.Choice(["1b", "2b", "3b"]), default=None,
                            help="Với --format pdf: xuất PDF/A (lưu trữ), ví dụ 2b.")(func)
        func = click.option("-f", "--format", "fmt", default=None,
                            type=click.Choice(["docx", "pdf"]),
                            help="Định dạng đầu ra (mặc định theo đuôi của -o, không có "
                                 "thì docx).")(func)
        return click.option("-o", "--output", metavar="TỆP",
                            help="Tệp kết quả; '-' để ghi ra stdout.")(func)  # type: ignore[return-value]

    def with_format(func: F) -> F:
        @functools.wraps(func)
        def resolved(*args: Any, **kwargs: Any) -> Any:
            kwargs["fmt"] = output_format(kwargs.get("fmt"), kwargs.get("output"))
            return func(*args, **kwargs)
        return decorate(resolved)  # type: ignore[arg-type,return-value]

    return with_format


_SUFFIX_FORMATS = {".docx": "docx", ".pdf": "pdf"}


def output_format(fmt: str | None, output: str | None) -> str:
    """``--format``, or the one ``-o``'s suffix names; a contradiction is a usage error.

    ``-o bb.pdf`` alone makes a PDF (it used to write Word bytes into a file named .pdf);
    ``-o bb.pdf --format docx`` is refused rather than writing a file its name belies.
    """
    suffix = Path(output).suffix.lower() if output and output != "-" else ""
    named = _SUFFIX_FORMATS.get(suffix)
    if fmt is None:
        return named or "docx"
    if named is not None and named != fmt:
        raise click.UsageError(
            f"Tệp kết quả '{output}' có đuôi {suffix} nhưng --format là {fmt}: "
            f"đổi đuôi tệp hoặc bỏ --format.")
    return fmt


def check_options(fmt: str, pdfa: str | None, use_register: bool,
                  idempotency_key: str | None) -> Output:
    """The output, checked as the service checks it; usage errors for impossible pairs."""
    if pdfa and fmt != "pdf":
        raise click.UsageError("--pdfa chỉ dùng cùng --format pdf.")
    if idempotency_key and not use_register:
        raise click.UsageError("--idempotency-key chỉ dùng cùng --register.")
    return renderer().output(fmt, pdfa)


def say_number(entry: Entry | None) -> None:
    """Tell the clerk the number the register gave (on stderr: stdout may be the file)."""
    if entry is not None:
        click.echo(f"số {entry.symbol} (năm {entry.year})", err=True)


def write_output(rendered: Rendered, output: str | None) -> None:
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
        click.echo(f"Lỗi [unwritable_output]: không ghi được '{target}': {os_reason(exc)}.",
                   err=True)
        sys.exit(EXIT_FAILURE)
    click.echo(f"đã ghi {target} ({len(rendered.content):,} byte)".replace(",", "."), err=True)


def produce(doc_type: str, data: Any, *, fmt: str, pdfa: str | None, use_register: bool,
            idempotency_key: str | None, version: str | None = None) -> Produced:
    """Render (and number) one document through the service seam, then write it.

    The template store is consulted — the type's deployed version, or ``version`` — when a
    register database is configured, a version is asked for, or the document is numbered
    (its register entry records the template version that made it)."""
    from docgen.service import Service

    check_options(fmt, pdfa, use_register, idempotency_key)
    if version or use_register or store_configured():
        open_store()
    service = Service(renderer(), open_register() if use_register else None)
    request = service.request(doc_type, data, format=fmt, pdfa=pdfa, register=use_register,
                              idempotency_key=idempotency_key, version=version)
    produced = service.produce(request)
    say_number(produced.entry)
    return produced
