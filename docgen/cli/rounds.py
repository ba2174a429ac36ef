"""``docgen round …``: an inspection round kept in the register database.

    docgen round create UNITS.csv --issuer SKHCN --issuer-name … --year 2017 --title …
    docgen round create ROUND.json                     # issuer/year/title/units as JSON
    docgen round show ROUND [--json]
    docgen round minutes ROUND STT DATA.json [-o bb.docx] [--register]
    docgen round not-inspected ROUND STT --reason "chưa chuẩn bị hồ sơ"
    docgen round reported ROUND STT                     # a by-report unit's report came in
    docgen round report ROUND DATA.json -o bc.docx [--register] [--allow-incomplete]
    docgen round from-units REPORT.json UNITS.csv -o bc.docx   # stateless, nothing stored

The stateless form of earlier versions, ``docgen round REPORT.json UNITS.csv``, still
works: a first argument that is not a subcommand runs ``from-units``.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import click

from docgen.cli._common import (
    check_options,
    document_options,
    open_register,
    read_json,
    renderer,
    say_number,
    write_output,
)
from docgen.errors import UnreadableInputError
from docgen.rounds.errors import RoundIncompleteError


def read_units(source: str) -> Any:
    """Units from a .json file (a list) or a CSV file ('-' = CSV on stdin)."""
    from docgen.rounds import read_units_csv

    if source.lower().endswith(".json"):
        return read_json(source)
    try:
        raw = sys.stdin.buffer.read() if source == "-" else Path(source).read_bytes()
    except OSError as exc:
        raise UnreadableInputError(f"Không đọc được tệp '{source}': {exc.strerror}.") from exc
    return read_units_csv(raw)


class RoundGroup(click.Group):
    """A group whose unknown first argument falls back to ``from-units`` (the old form)."""

    def resolve_command(self, ctx: click.Context,
                        args: list[str]) -> tuple[str | None, click.Command | None, list[str]]:
        if args and args[0] not in self.commands and not args[0].startswith("-"):
            return "from-units", self.commands["from-units"], args
        return super().resolve_command(ctx, args)


@click.group("round", cls=RoundGroup)
def round_group() -> None:
    """Đợt kiểm tra: đơn vị, biên bản từng đơn vị, báo cáo tính từ kết quả."""


@round_group.command("create")
@click.argument("source", metavar="UNITS.csv|ROUND.json")
@click.option("--issuer", "issuer_code", help="Mã cơ quan báo cáo (ký hiệu), ví dụ SKHCN.")
@click.option("--issuer-name", help="Tên cơ quan, ví dụ: Sở Khoa học và Công nghệ.")
@click.option("--parent-name", default="", help="Cơ quan chủ quản, ví dụ: UBND tỉnh Sóc Trăng.")
@click.option("--place", default="", help="Địa danh, ví dụ: Sóc Trăng.")
@click.option("--year", type=int, help="Năm kiểm tra.")
@click.option("--title", help="Tên đợt kiểm tra.")
def create_command(source: str, issuer_code: str | None, issuer_name: str | None,
                   parent_name: str, place: str, year: int | None, title: str | None) -> None:
    """Tạo đợt kiểm tra từ danh sách đơn vị (CSV) hoặc từ ROUND.json."""
    from docgen.rounds import store

    if source.lower().endswith(".json"):
        data = read_json(source)
    else:
        data = {"issuer": {"parent_name": parent_name, "name": issuer_name or "",
                           "code": issuer_code or "", "place": place},
                "year": year, "title": title or "", "units": read_units(source)}
    reg = open_register()
    round_ = store.create_round(reg.session_factory, data)
    with reg.session_factory() as session:
        shown = store.round_dict(session, round_.id)
    click.echo(f"đợt kiểm tra số {round_.id}: "
               + json.dumps(shown["counts"], ensure_ascii=False), err=True)
    click.echo(str(round_.id))


@round_group.command("show")
@click.argument("round_id", metavar="ROUND", type=int)
@click.option("--json", "as_json", is_flag=True, help="In toàn bộ dưới dạng JSON.")
def show_command(round_id: int, as_json: bool) -> None:
    """Đơn vị, trạng thái và số lượng tính từ kết quả của đợt kiểm tra."""
    from docgen.rounds import store

    with open_register().session_factory() as session:
        shown = store.round_dict(session, round_id)
    if as_json:
        click.echo(json.dumps(shown, ensure_ascii=False, indent=2))
        return
    click.echo(f"{shown['id']}\t{shown['year']}\t{shown['issuer']['code']}\t{shown['title']}")
    for unit in shown["units"]:
        minutes = unit["minutes"]
        symbol = (minutes or {}).get("register_entry") or {}
        click.echo(f"{unit['stt']}\t{unit['mode']}{' (lồng ghép)' if unit['integrated'] else ''}"
                   f"\t{unit['status']}\t{unit['name']}"
                   + (f"\t{symbol['symbol']}" if symbol else "")
                   + (f"\t{unit['reason']}" if unit["reason"] else ""))
    click.echo("số lượng: " + json.dumps(shown["counts"], ensure_ascii=False))
    click.echo("tiến độ: " + json.dumps(shown["progress"], ensure_ascii=False))
    click.echo("nội dung: " + json.dumps(shown["aspects"], ensure_ascii=False))


@round_group.command("minutes")
@click.argument("round_id", metavar="ROUND", type=int)
@click.argument("stt", type=int)
@click.argument("source", metavar="DATA.json")
@document_options()
def minutes_command(round_id: int, stt: int, source: str, output: str | None, fmt: str,
                    pdfa: str | None, use_register: bool, idempotency_key: str | None) -> None:
    """Ghi biên bản kiểm tra của đơn vị STT (kiểm tra tại trụ sở) và xuất văn bản."""
    from docgen.rounds import store

    check_options(fmt, pdfa, use_register, idempotency_key)
    payload = read_json(source)
    rendered, entry = store.record_minutes(
        renderer(), open_register().session_factory, round_id, stt, payload, fmt=fmt,
        pdfa=pdfa, register=use_register, idempotency_key=idempotency_key)
    say_number(entry)
    write_output(rendered, output)


@round_group.command("not-inspected")
@click.argument("round_id", metavar="ROUND", type=int)
@click.argument("stt", type=int)
@click.option("--reason", required=True, help="Lý do chưa kiểm tra được.")
def not_inspected_command(round_id: int, stt: int, reason: str) -> None:
    """Ghi đơn vị STT (tại trụ sở) là chưa kiểm tra được."""
    from docgen.rounds import store

    unit = store.mark_not_inspected(open_register().session_factory, round_id, stt,
                                    {"reason": reason})
    click.echo(f"{unit['stt']}\t{unit['status']}\t{unit['name']}\t{unit['reason']}")


@round_group.command("reported")
@click.argument("round_id", metavar="ROUND", type=int)
@click.argument("stt", type=int)
def reported_command(round_id: int, stt: int) -> None:
    """Ghi đơn vị STT (kiểm tra qua báo cáo) là đã gửi báo cáo."""
    from docgen.rounds import store

    unit = store.mark_reported(open_register().session_factory, round_id, stt)
    click.echo(f"{unit['stt']}\t{unit['status']}\t{unit['name']}")


@round_group.command("report")
@click.argument("round_id", metavar="ROUND", type=int)
@click.argument("source", metavar="DATA.json")
@document_options()
@click.option("--allow-incomplete", is_flag=True,
              help="Lập báo cáo dù còn đơn vị tại trụ sở chưa có kết quả (báo cáo nêu số này).")
def report_command(round_id: int, source: str, output: str | None, fmt: str,
                   pdfa: str | None, use_register: bool, idempotency_key: str | None,
                   allow_incomplete: bool) -> None:
    """Báo cáo kết quả kiểm tra của đợt: số lượng và kết quả theo nội dung tính từ biên bản."""
    from docgen.rounds import store

    check_options(fmt, pdfa, use_register, idempotency_key)
    fields = read_json(source)
    try:
        rendered, entry = store.render_report(
            renderer(), open_register().session_factory, round_id,
            store.ReportRequest(fields, allow_incomplete=allow_incomplete), fmt=fmt, pdfa=pdfa,
            register=use_register, idempotency_key=idempotency_key)
    except RoundIncompleteError as exc:  # the same refusal, with the flag a CLI user types
        raise RoundIncompleteError(exc.pending, allow="--allow-incomplete") from exc
    say_number(entry)
    write_output(rendered, output)


@round_group.command("from-units")
@click.argument("report_source", metavar="REPORT.json")
@click.argument("units_source", metavar="UNITS.csv|UNITS.json")
@document_options()
def render_round(report_source: str, units_source: str, output: str | None, fmt: str,
                 pdfa: str | None, use_register: bool, idempotency_key: str | None) -> None:
    """Báo cáo từ danh sách đơn vị (không lưu): số lượng tính từ UNITS, phần còn lại REPORT."""
    from docgen import rounds
    from docgen.service import Service

    check_options(fmt, pdfa, use_register, idempotency_key)
    payload = {"report": read_json(report_source), "units": read_units(units_source)}
    service = Service(renderer(), open_register() if use_register else None)
    request = service.request("report", payload, format=fmt, pdfa=pdfa,
                              register=use_register, idempotency_key=idempotency_key)
    validated = rounds.validate_round(service.renderer, payload)
    produced = service.produce(request, validated)
    say_number(produced.entry)
    rendered = produced.rendered
    click.echo("đơn vị: " + json.dumps(validated.data["counts"], ensure_ascii=False), err=True)
    write_output(rendered, output)



