"""``docgen register …`` (number, list, export, issuers) and ``docgen db …`` (migrations).

    docgen register render minutes data.json -o bb.docx [--idempotency-key K]
    docgen register list --issuer ĐKT --year 2017
    docgen register export --year 2017 -o so-van-ban-di-2017.xlsx
    docgen register issuer SKHCN --mode per_type
    docgen db upgrade
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from docgen.cli._common import (
    document_options,
    open_register,
    produce,
    read_json,
    settings,
    write_output,
)
from docgen.cli.documents import type_choice
from docgen.register.book import EXPORTERS, Filters, all_entries, book_row, list_entries
from docgen.register.issuers import configure_issuer, list_issuers
from docgen.register.models import SEQUENCE_MODES

if TYPE_CHECKING:
    from docgen.register import Register


def filter_options(func):  # type: ignore[no-untyped-def]
    func = click.option("--type", "doc_type", help="Loại (minutes) hoặc mã loại (BB).")(func)
    func = click.option("--year", type=int, help="Năm (theo ngày văn bản).")(func)
    func = click.option("--issuer", help="Mã cơ quan ban hành, ví dụ SKHCN.")(func)
    return func


register: click.Group = click.Group("register", help="Sổ đăng ký văn bản đi: cấp số, xem và xuất sổ.")


@register.command("render")
@click.argument("doc_type", type=type_choice())
@click.argument("source", metavar="DATA.json")
@document_options(register=False)
def render_command(doc_type: str, source: str, output: str | None, fmt: str, pdfa: str | None,
                   use_register: bool, idempotency_key: str | None) -> None:
    """Cấp số tiếp theo trong sổ, điền vào văn bản và ghi sổ (một giao dịch)."""
    produced = produce(doc_type.lower(), read_json(source), fmt=fmt, pdfa=pdfa,
                       use_register=True, idempotency_key=idempotency_key)
    write_output(produced.rendered, output)


@register.command("list")
@filter_options
@click.option("--page", type=click.IntRange(min=1), default=1, show_default=True)
@click.option("--per-page", type=click.IntRange(1, 500), default=50, show_default=True)
def list_command(issuer: str | None, year: int | None, doc_type: str | None, page: int,
                 per_page: int) -> None:
    """In sổ: số, ký hiệu; ngày; tên loại và trích yếu; người ký (tab giữa các cột)."""
    with open_register().session_factory() as session:
        result = list_entries(session, Filters(issuer, year, doc_type), page, per_page)
        for entry in result.items:
            row = book_row(entry)
            click.echo("\t".join(str(v) for v in row[:4]))
    click.echo(f"trang {result.page}/{max(result.pages, 1)}, tổng {result.total} văn bản",
               err=True)


@register.command("export")
@filter_options
@click.option("-f", "--format", "fmt", type=click.Choice(list(EXPORTERS)), default=None,
              help="csv hoặc xlsx (mặc định theo đuôi tệp, hoặc xlsx).")
@click.option("-o", "--output", metavar="FILE", required=True, help="Tệp kết quả; '-' = stdout.")
def export_command(issuer: str | None, year: int | None, doc_type: str | None, fmt: str | None,
                   output: str) -> None:
    """Xuất sổ đăng ký văn bản đi (10 cột, Phụ lục IV Nghị định 30/2020) ra CSV hoặc XLSX."""
    if fmt is None:
        suffix = Path(output).suffix.lower().lstrip(".")
        fmt = suffix if suffix in EXPORTERS else "xlsx"
    exporter, _media = EXPORTERS[fmt]
    with open_register().session_factory() as session:
        entries = all_entries(session, Filters(issuer, year, doc_type))
        content = exporter(entries)
    if output == "-":
        sys.stdout.buffer.write(content)
        sys.stdout.buffer.flush()
        return
    Path(output).write_bytes(content)
    click.echo(f"đã ghi {output} ({len(entries)} văn bản)", err=True)


@register.command("issuer")
@click.argument("code", required=False)
@click.option("--mode", type=click.Choice(SEQUENCE_MODES),
              help="shared: một dãy số cho mọi loại; per_type: mỗi loại một dãy.")
@click.option("--name", help="Tên cơ quan ban hành.")
@click.option("--place", help="Địa danh (tỉnh, thành phố).")
def issuer_command(code: str | None, mode: str | None, name: str | None,
                   place: str | None) -> None:
    """Xem các cơ quan ban hành, hoặc tạo/đặt cách đánh số của một cơ quan."""
    reg = open_register()
    if code is not None:
        issuer = configure_issuer(reg.session_factory, code, sequence_mode=mode, name=name,
                                  place=place)
        click.echo(f"{issuer.code}\t{issuer.sequence_mode}\t{issuer.name}\t{issuer.place}")
        return
    with reg.session_factory() as session:
        for issuer in list_issuers(session):
            click.echo(f"{issuer.code}\t{issuer.sequence_mode}\t{issuer.name}\t{issuer.place}")


db: click.Group = click.Group("db", help="Cơ sở dữ liệu của sổ đăng ký (DOCGEN_DATABASE_URL).")


@db.command("upgrade")
@click.argument("revision", default="head")
def upgrade_command(revision: str) -> None:
    """Nâng cấp cấu trúc cơ sở dữ liệu lên phiên bản mới nhất (hoặc REVISION)."""
    from docgen.register.db import upgrade

    reg = _register_without_upgrade()
    after = upgrade(reg.engine, revision)
    click.echo(f"cơ sở dữ liệu ở phiên bản {after} ({reg.engine.url.render_as_string()})")


@db.command("current")
def current_command() -> None:
    """In phiên bản hiện tại của cơ sở dữ liệu."""
    from docgen.register.db import current_revision, head_revision

    current = current_revision(_register_without_upgrade().engine)
    click.echo(f"{current or '(trống)'} (mới nhất: {head_revision()})")


def _register_without_upgrade() -> Register:
    """The register as it is (``docgen db`` commands migrate explicitly), closed at the end."""
    from docgen.register import Register

    register = Register.from_settings(settings())
    click.get_current_context().call_on_close(register.dispose)
    return register
