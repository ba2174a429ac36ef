"""``docgen batch``: one document per row of a CSV/XLSX; the header template; the worker.

    docgen batch minutes units.xlsx -o round-2017.zip
    docgen batch minutes units.csv -o out/ --merge merged.docx --defaults chung.json
    docgen batch template minutes -o units.xlsx
    docgen batch worker                       # Celery worker (DOCGEN_BROKER_URL)

Exit status: 0 every row made a document; 3 some rows failed (the output and
errors.csv are written); 2 bad input or usage (nothing written); 1 docgen's
own failure; 130 interrupted (a partial ZIP is removed).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

import click

from docgen.catalog import DOCUMENT_TYPES, DocumentType
from docgen.cli._common import (
    DocumentTypeChoice,
    fail,
    open_store,
    renderer,
    settings,
    store_configured,
)

EXIT_ROWS_FAILED = 3
EXIT_INTERRUPTED = 130


class BatchGroup(click.Group):
    """The per-type subcommands made from the packs at import, and — with a register
    database configured (``DOCGEN_DATABASE_URL``) — one for a type of the template store."""

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        command = super().get_command(ctx, cmd_name)
        if command is not None or not store_configured():
            return command
        open_store()
        kind = DOCUMENT_TYPES.get(cmd_name.lower())
        return _type_command(kind) if kind is not None else None


@click.group("batch", cls=BatchGroup)
def batch() -> None:
    """Tạo hàng loạt: mỗi dòng CSV/Excel một văn bản, gói trong một tệp ZIP."""


def _sink(output: str | None, source: Path) -> tuple[Any, str]:
    from docgen.batch import DirectorySink, ZipSink

    if output == "-":
        return ZipSink(sys.stdout.buffer), "stdout"
    if output is None:
        target = Path(source.stem + ".zip")
        return ZipSink(target), str(target)
    path = Path(output)
    if path.suffix.lower() == ".zip" and not path.is_dir():
        return ZipSink(path), str(path)
    return DirectorySink(path), f"{path}{'' if output.endswith('/') else '/'}"


def _type_command(kind: DocumentType) -> click.Command:
    @click.command(kind.id, help=f"{kind.name}: mỗi dòng của SOURCE (.csv/.xlsx) một văn bản.")
    @click.argument("source", type=click.Path(dir_okay=False, path_type=Path))
    @click.option("-o", "--output", metavar="OUT",
                  help="Tệp .zip, thư mục (kết thúc bằng /), hoặc '-' (ZIP ra stdout). "
                       "Mặc định: <tên nguồn>.zip.")
    @click.option("--merge", "merge_path", metavar="FILE.docx", type=click.Path(path_type=Path),
                  help="Ghi thêm một tệp .docx gộp mọi văn bản theo thứ tự, mỗi văn bản một trang mới.")
    @click.option("--defaults", "defaults_path", metavar="FILE.json",
                  type=click.Path(dir_okay=False, path_type=Path),
                  help="Giá trị chung (JSON, cùng dạng dữ liệu API), dòng nào thiếu thì lấy ở đây.")
    @click.option("--encoding", metavar="ENC", help="Bảng mã CSV: utf-8, cp1258, utf-16 "
                  "(mặc định: tự nhận).")
    @click.option("--delimiter", metavar="D", help="Dấu phân cách CSV: ',', ';' hoặc tab "
                  "(mặc định: tự nhận).")
    @click.option("--sheet", metavar="NAME", help="Trang dữ liệu trong tệp Excel "
                  "(mặc định: trang đầu tiên không tên 'chung').")
    @click.option("--pattern", metavar="PATTERN", help="Mẫu tên tệp, ví dụ "
                  "'{stt:03d}-{unit_name}' (mặc định theo loại văn bản).")
    @click.option("--max-rows", type=int, default=None,
                  help="Số dòng tối đa (mặc định DOCGEN_BATCH_MAX_ROWS).")
    @click.option("-f", "--format", "fmt", type=click.Choice(["docx", "pdf"]), default="docx",
                  show_default=True, help="Định dạng mỗi văn bản (pdf: qua LibreOffice).")
    @click.option("-q", "--quiet", is_flag=True, help="Không hiện tiến độ.")
    def command(source: Path, output: str | None, merge_path: Path | None,
                defaults_path: Path | None, encoding: str | None, delimiter: str | None,
                sheet: str | None, pattern: str | None, max_rows: int | None,
                fmt: str, quiet: bool) -> None:
        if merge_path is not None and fmt != "docx":
            raise click.UsageError("--merge gộp các tệp Word: chỉ dùng với --format docx.")
        run_command(kind, source, output=output, merge_path=merge_path,
                    defaults_path=defaults_path, encoding=encoding, delimiter=delimiter,
                    sheet=sheet, pattern=pattern, max_rows=max_rows, quiet=quiet, fmt=fmt)

    return command


def run_command(kind: DocumentType, source: Path, *, output: str | None,
                merge_path: Path | None, defaults_path: Path | None, encoding: str | None,
                delimiter: str | None, sheet: str | None, pattern: str | None,
                max_rows: int | None, quiet: bool, fmt: str = "docx") -> None:
    from docgen.batch import (
        BatchOptions,
        ProgressReporter,
        check_pattern,
        load_defaults,
        prepare_sheet,
        run_batch,
    )
    from docgen.catalog import get_type
    from docgen.errors import DocgenError

    config = settings()
    if store_configured():  # the store's deployed version of the type, as the server renders
        open_store()
        kind = get_type(kind.id)
    try:
        batch_input = prepare_sheet(
            kind.id, source, defaults=load_defaults(defaults_path), encoding=encoding,
            delimiter=delimiter, sheet_name=sheet,
            max_rows=max_rows if max_rows is not None else config.batch_max_rows,
        )
        check_pattern(kind.id, pattern, fmt)
        options = BatchOptions(pattern=pattern, format=fmt, merge_path=merge_path)
    except DocgenError as exc:
        fail(exc)
    err = sys.stderr
    if not quiet:
        click.echo(f"{kind.name}: {batch_input.total} dòng từ {source.name} "
                   f"({batch_input.description})", err=True)
    reporter = ProgressReporter(batch_input.total, kind.id, err, enabled=not quiet)
    try:
        sink, shown = _sink(output, source)
        result = run_batch(renderer(), batch_input, sink, options=options,
                           progress=reporter)
    except DocgenError as exc:
        reporter.close()
        fail(exc)
    except OSError as exc:
        reporter.close()
        click.echo(f"Lỗi [unwritable_output]: không ghi được kết quả: {exc}.", err=True)
        sys.exit(1)
    except KeyboardInterrupt:
        reporter.close()
        click.echo("Đã dừng; kết quả dở dang đã được xóa.", err=True)
        sys.exit(EXIT_INTERRUPTED)
    reporter.close()
    rate = result.done / result.elapsed if result.elapsed > 0 else 0.0
    click.echo(f"Xong: {result.summary_line()} — {result.elapsed:.1f} giây, "
               f"{rate:.0f} dòng/s.", err=True)
    for error in result.errors[:10]:
        where = f"dòng {error['row']}"
        if error["header"]:
            where += f", cột {error['column'] + ' ' if error['column'] else ''}'{error['header']}'"
        click.echo(f"  - {where}: {error['message']} [{error['code']}]", err=True)
    if result.error_count > 10:
        click.echo(f"  … và {result.error_count - 10} lỗi khác trong errors.csv.", err=True)
    click.echo(f"đã ghi {shown}" + (f" và {merge_path}" if result.merged else ""), err=True)
    if result.failed:
        sys.exit(EXIT_ROWS_FAILED)


for _kind in DOCUMENT_TYPES.values():
    batch.add_command(_type_command(_kind))


@batch.command("template")
@click.argument("doc_type", type=DocumentTypeChoice())
@click.option("-o", "--output", metavar="FILE", required=True,
              help="Tệp mẫu .xlsx (hoặc .csv).")
@click.option("--names", is_flag=True,
              help="Tiêu đề cột là tên trường (signer.full_name) thay vì nhãn tiếng Việt.")
@click.option("--repeat", type=click.IntRange(1, 30), default=1, show_default=True,
              help="Số bộ cột tối thiểu cho mỗi nhóm lặp (thành viên, kết quả…).")
@click.option("--no-example", is_flag=True, help="Không ghi dòng ví dụ.")
def template(doc_type: str, output: str, names: bool, repeat: int, no_example: bool) -> None:
    """Ghi tệp mẫu: đúng các cột loại văn bản nhận, kèm một dòng ví dụ."""
    from docgen.batch import write_template

    try:
        path = write_template(doc_type.lower(), output, style="name" if names else "label",
                              repeat=repeat, with_example=not no_example)
    except OSError as exc:
        click.echo(f"Lỗi [unwritable_output]: không ghi được '{output}': {exc.strerror}.",
                   err=True)
        sys.exit(1)
    click.echo(f"đã ghi {path}", err=True)


@batch.command("worker")
@click.option("-c", "--concurrency", type=int, default=None,
              help="Số tiến trình (mặc định: số lõi CPU).")
@click.option("-l", "--loglevel", default="INFO", show_default=True)
def worker(concurrency: int | None, loglevel: str) -> None:
    """Chạy Celery worker cho việc tạo hàng loạt (cần DOCGEN_BROKER_URL)."""
    from docgen.jobs import celery_app
    from docgen.logs import init_worker_logging, quiet_banner

    config = settings()
    if not config.broker_url:
        click.echo("Lỗi [no_broker]: cần đặt DOCGEN_BROKER_URL (ví dụ redis://localhost:6379/0).",
                   err=True)
        sys.exit(2)
    config.instance_path.mkdir(parents=True, exist_ok=True)
    init_worker_logging(config)  # Celery logs through docgen.logs (DOCGEN_LOG_FORMAT)
    app, queue = celery_app(config, worker=True)  # rides out broker outages
    argv = ["worker", f"--loglevel={loglevel}", "-Q", queue, "--without-gossip",
            "--without-mingle", "--hostname", f"docgen-{os.getpid()}@%h"]
    if concurrency:
        argv += ["--concurrency", str(concurrency)]
    app.worker_main(quiet_banner(config) + argv)


if __name__ == "__main__":  # python -m docgen.cli.batch worker (tests start the worker so)
    batch()
