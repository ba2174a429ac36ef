"""``docgen round …``: an inspection round kept in the register database.

    docgen round create UNITS.csv|UNITS.xlsx --issuer SKHCN --issuer-name … --year 2017 --title …
    docgen round create ROUND.json                     # issuer/year/title/units as JSON
    docgen round show ROUND [--json]
    docgen round minutes ROUND STT DATA.json [-o bb.docx] [--register]
    docgen round not-inspected ROUND STT --reason "chưa chuẩn bị hồ sơ"
    docgen round reported ROUND STT                     # a by-report unit's report came in
    docgen round report ROUND DATA.json -o bc.docx [--register] [--allow-incomplete]
    docgen round from-units REPORT.json UNITS.csv -o bc.docx   # stateless, nothing stored

The whole round (issue 16):

    docgen round list
    docgen round edit ROUND [--title …] [--due-date 2017-10-16] [--units UNITS.csv|.xlsx]
                            [--unit-due-date 47=2017-10-20]
    docgen round delete ROUND                            # a draft: nothing numbered
    docgen round dashboard ROUND [--mode by_report] [--status planned] [--overdue]
                                 [--json] [-o theo-doi.xlsx|.csv]
    docgen round log ROUND                               # the audit log
    docgen round from-plan PLAN.json [--due-date …] [--integrated "UBND huyện Mỹ Tú"]
    docgen round plan ROUND [-o ke-hoach.json]           # the plan payload, the round's units
    docgen round decision ROUND DECISION.json -o qd.docx [--register]
    docgen round submission ROUND STT DATA.json [--attach bao-cao.pdf]
    docgen round letters ROUND LETTER.json [--each] [--stt 47] -o cv.docx|cv.zip [--register]
    docgen round notices ROUND NOTICES.json -o tb.zip [--register] [--stt 2]
    docgen round corrections ROUND STT --date 2017-11-15 [--note …]

Each change is logged with the user as ``cli:<login name>`` (``DOCGEN_USER`` overrides).

The stateless form of earlier versions, ``docgen round REPORT.json UNITS.csv``, still
works: a first argument that is not a subcommand runs ``from-units``.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

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

if TYPE_CHECKING:
    from docgen.rounds.units_file import UnitsFile


def actor() -> str:
    """Who acts from the command line, for the round's audit log."""
    import getpass
    import os

    name = os.environ.get("DOCGEN_USER", "").strip()
    if not name:
        try:
            name = getpass.getuser()
        except (KeyError, OSError):
            name = "?"
    return f"cli:{name[:100]}"


def read_units(source: str) -> tuple[Any, UnitsFile | None]:
    """Units from a .json file (a list), or a CSV or XLSX file ('-' = either on stdin),
    with the file they came from (its rows name the errors)."""
    from docgen.rounds.units_file import read_units_file

    if source.lower().endswith(".json"):
        return read_json(source), None
    try:
        raw = sys.stdin.buffer.read() if source == "-" else Path(source).read_bytes()
    except OSError as exc:
        raise UnreadableInputError(f"Không đọc được tệp '{source}': {exc.strerror}.") from exc
    found = read_units_file(raw, "" if source == "-" else Path(source).name)
    return found.units, found


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
@click.argument("source", metavar="UNITS.csv|UNITS.xlsx|ROUND.json")
@click.option("--issuer", "issuer_code", help="Mã cơ quan báo cáo (ký hiệu), ví dụ SKHCN.")
@click.option("--issuer-name", help="Tên cơ quan, ví dụ: Sở Khoa học và Công nghệ.")
@click.option("--parent-name", default="", help="Cơ quan chủ quản, ví dụ: UBND tỉnh Sóc Trăng.")
@click.option("--place", default="", help="Địa danh, ví dụ: Sóc Trăng.")
@click.option("--year", type=int, help="Năm kiểm tra.")
@click.option("--title", help="Tên đợt kiểm tra.")
def create_command(source: str, issuer_code: str | None, issuer_name: str | None,
                   parent_name: str, place: str, year: int | None, title: str | None) -> None:
    """Tạo đợt kiểm tra từ danh sách đơn vị (CSV hoặc Excel .xlsx) hoặc từ ROUND.json."""
    from docgen.rounds import store
    from docgen.rounds.units_file import rows_named

    units_file = None
    if source.lower().endswith(".json"):
        data = read_json(source)
    else:
        units, units_file = read_units(source)
        data = {"issuer": {"parent_name": parent_name, "name": issuer_name or "",
                           "code": issuer_code or "", "place": place},
                "year": year, "title": title or "", "units": units}
    reg = open_register()
    with rows_named(units_file):
        round_ = store.create_round(reg.session_factory, data, actor=actor())
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
        pdfa=pdfa, register=use_register, idempotency_key=idempotency_key, actor=actor())
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
                                    {"reason": reason}, actor=actor())
    click.echo(f"{unit['stt']}\t{unit['status']}\t{unit['name']}\t{unit['reason']}")


@round_group.command("reported")
@click.argument("round_id", metavar="ROUND", type=int)
@click.argument("stt", type=int)
def reported_command(round_id: int, stt: int) -> None:
    """Ghi đơn vị STT (kiểm tra qua báo cáo) là đã gửi báo cáo."""
    from docgen.rounds import store

    unit = store.mark_reported(open_register().session_factory, round_id, stt, actor=actor())
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
            register=use_register, idempotency_key=idempotency_key, actor=actor())
    except RoundIncompleteError as exc:  # the same refusal, with the flag a CLI user types
        raise RoundIncompleteError(exc.pending, allow="--allow-incomplete") from exc
    say_number(entry)
    write_output(rendered, output)


@round_group.command("from-units")
@click.argument("report_source", metavar="REPORT.json")
@click.argument("units_source", metavar="UNITS.csv|UNITS.xlsx|UNITS.json")
@document_options()
def render_round(report_source: str, units_source: str, output: str | None, fmt: str,
                 pdfa: str | None, use_register: bool, idempotency_key: str | None) -> None:
    """Báo cáo từ danh sách đơn vị (không lưu): số lượng tính từ UNITS, phần còn lại REPORT."""
    from docgen import rounds
    from docgen.service import Service

    check_options(fmt, pdfa, use_register, idempotency_key)
    from docgen.rounds.units_file import DATES, rows_named

    units, units_file = read_units(units_source)
    if units_file is not None:  # a unit's own dates belong to a stored round, not here
        units = [{k: v for k, v in u.items() if k not in DATES} for u in units]
    payload = {"report": read_json(report_source), "units": units}
    service = Service(renderer(), open_register() if use_register else None)
    request = service.request("report", payload, format=fmt, pdfa=pdfa,
                              register=use_register, idempotency_key=idempotency_key)
    with rows_named(units_file):
        validated = rounds.validate_round(service.renderer, payload)
    produced = service.produce(request, validated)
    say_number(produced.entry)
    rendered = produced.rendered
    click.echo("đơn vị: " + json.dumps(validated.data["counts"], ensure_ascii=False), err=True)
    write_output(rendered, output)


# --- the whole round (issue 16) --------------------------------------------------------------

def _write_bytes(content: bytes, target: str) -> None:
    from docgen.cli._common import os_reason

    if target == "-":
        sys.stdout.buffer.write(content)
        sys.stdout.buffer.flush()
        return
    try:
        Path(target).write_bytes(content)
    except OSError as exc:
        raise UnreadableInputError(f"Không ghi được '{target}': {os_reason(exc)}.") from exc
    click.echo(f"đã ghi {target} ({len(content):,} byte)".replace(",", "."), err=True)


def _write_many(produced: list[Any], output: str | None, zip_name: str) -> None:
    from docgen.rounds import workflow

    for _, entry in produced:
        say_number(entry)
    if len(produced) == 1 and not (output or "").lower().endswith(".zip"):
        write_output(produced[0][0], output)
        return
    _write_bytes(workflow.zip_documents(produced), output or zip_name)


@round_group.command("list")
@click.option("--json", "as_json", is_flag=True, help="In dưới dạng JSON.")
def list_command(as_json: bool) -> None:
    """Các đợt kiểm tra: số đơn vị, biên bản, báo cáo đã nhận, dự thảo hay đã cấp số."""
    from docgen.rounds import workflow

    with open_register().session_factory() as session:
        rows = workflow.list_rounds(session)
    if as_json:
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    for r in rows:
        click.echo(f"{r['id']}\t{r['year']}\t{r['issuer']}\t{r['title']}\t{r['units']} đơn vị"
                   f"\t{r['minutes']} biên bản\t{r['reports_received']}/{r['by_report']} báo cáo"
                   f"\t{'dự thảo' if r['draft'] else 'đã cấp số'}")


@round_group.command("edit")
@click.argument("round_id", metavar="ROUND", type=int)
@click.option("--title", help="Tên mới của đợt kiểm tra.")
@click.option("--due-date", help="Hạn gửi báo cáo (YYYY-MM-DD); 'none' để bỏ.")
@click.option("--units", "units_source", metavar="UNITS.csv|UNITS.xlsx|UNITS.json",
              help="Danh sách đơn vị mới (chỉ khi chưa cấp số văn bản nào).")
@click.option("--unit-due-date", "unit_due_dates", multiple=True, metavar="STT=YYYY-MM-DD",
              help="Hạn riêng của một đơn vị ('STT=none' để dùng hạn chung); lặp lại được.")
def edit_command(round_id: int, title: str | None, due_date: str | None,
                 units_source: str | None, unit_due_dates: tuple[str, ...]) -> None:
    """Sửa tên, hạn gửi báo cáo hoặc danh sách đơn vị của đợt kiểm tra."""
    from docgen.rounds import workflow
    from docgen.rounds.units_file import rows_named

    data: dict[str, Any] = {}
    units_file = None
    if title:
        data["title"] = title
    if due_date:
        data["due_date"] = None if due_date.lower() == "none" else due_date
    if units_source:
        data["units"], units_file = read_units(units_source)
    if unit_due_dates:
        data["unit_due_dates"] = [_unit_due_date(item) for item in unit_due_dates]
    with rows_named(units_file):
        workflow.update_round(open_register().session_factory, round_id, data, actor=actor())
    click.echo(f"đã sửa đợt kiểm tra số {round_id}", err=True)


def _unit_due_date(item: str) -> dict[str, Any]:
    stt, sep, day = item.partition("=")
    if not sep or not stt.strip().isascii() or not stt.strip().isdigit():
        raise click.UsageError(f"--unit-due-date '{item}': ghi dạng STT=YYYY-MM-DD, "
                               "ví dụ 47=2017-10-20.")
    day = day.strip()
    return {"stt": int(stt), "due_date": None if day.lower() in ("", "none") else day}


@round_group.command("delete")
@click.argument("round_id", metavar="ROUND", type=int)
def delete_command(round_id: int) -> None:
    """Xóa đợt kiểm tra còn là dự thảo (chưa cấp số văn bản nào)."""
    from docgen.rounds import workflow

    workflow.delete_round(open_register().session_factory, round_id, actor=actor())
    click.echo(f"đã xóa đợt kiểm tra số {round_id}", err=True)


@round_group.command("dashboard")
@click.argument("round_id", metavar="ROUND", type=int)
@click.option("--mode", help="on_site hoặc by_report.")
@click.option("--status", help="planned, inspected, not_inspected hoặc reported.")
@click.option("--overdue", is_flag=True, help="Chỉ các đơn vị quá hạn.")
@click.option("--json", "as_json", is_flag=True, help="In toàn bộ dưới dạng JSON.")
@click.option("-o", "--output", help="Xuất danh sách đơn vị ra tệp .xlsx hoặc .csv.")
def dashboard_command(round_id: int, mode: str | None, status: str | None, overdue: bool,
                      as_json: bool, output: str | None) -> None:
    """Bảng theo dõi đợt kiểm tra: tiến độ, đơn vị quá hạn, văn bản đã ban hành."""
    from docgen.rounds import workflow

    filters = workflow.DashboardFilters.parse(
        {"mode": mode or "", "status": status or "", "overdue": "1" if overdue else ""})
    with open_register().session_factory() as session:
        board = workflow.dashboard(session, round_id, filters)
    if output:
        fmt = "csv" if output.lower().endswith(".csv") else "xlsx"
        content, _ = workflow.export_units(board, fmt)
        _write_bytes(content, output)
        return
    if as_json:
        click.echo(json.dumps(board, ensure_ascii=False, indent=2))
        return
    click.echo(f"{board['id']}\t{board['title']}")
    click.echo("tiến độ: " + json.dumps(board["progress"], ensure_ascii=False))
    for unit in board["units"]:
        click.echo(f"{unit['stt']}\t{unit['mode']}\t{unit['status']}\t{unit['name']}"
                   + (f"\tquá hạn: {unit['overdue']}" if unit["overdue"] else ""))
    for doc in board["documents"]:
        click.echo(f"văn bản: {doc['what']}\t{doc['symbol'] or '(chưa cấp số)'}"
                   + (f"\tSTT {doc['stt']}" if doc["stt"] else ""))


@round_group.command("log")
@click.argument("round_id", metavar="ROUND", type=int)
def log_command(round_id: int) -> None:
    """Nhật ký thao tác của đợt kiểm tra: lúc nào, ai, làm gì."""
    from docgen.rounds import audit

    with open_register().session_factory() as session:
        for event in audit.events(session, round_id):
            click.echo(f"{event['at']}\t{event['actor']}\t{event['what']}\t{event['detail']}")


@round_group.command("from-plan")
@click.argument("source", metavar="PLAN.json")
@click.option("--due-date", help="Hạn gửi báo cáo của các đơn vị kiểm tra qua báo cáo.")
@click.option("--integrated", multiple=True, help="Đơn vị kiểm tra lồng ghép (lặp lại được).")
@click.option("--title", help="Tên đợt kiểm tra (mặc định: trích yếu của kế hoạch).")
def from_plan_command(source: str, due_date: str | None, integrated: tuple[str, ...],
                      title: str | None) -> None:
    """Tạo đợt kiểm tra từ kế hoạch kiểm tra (lịch đơn vị và hình thức kiểm tra)."""
    from docgen.rounds import workflow

    data: dict[str, Any] = {"plan": read_json(source), "integrated": list(integrated)}
    if due_date:
        data["due_date"] = due_date
    if title:
        data["title"] = title
    round_ = workflow.round_from_plan(renderer(), open_register().session_factory, data,
                                      actor=actor())
    click.echo(f"đợt kiểm tra số {round_.id}: {len(round_.units)} đơn vị", err=True)
    click.echo(str(round_.id))


@round_group.command("plan")
@click.argument("round_id", metavar="ROUND", type=int)
@click.option("-o", "--output", help="Ghi dữ liệu kế hoạch (JSON) ra tệp.")
def plan_command(round_id: int, output: str | None) -> None:
    """Dữ liệu kế hoạch kiểm tra của đợt, với danh sách đơn vị của đợt."""
    from docgen.rounds import workflow

    with open_register().session_factory() as session:
        payload = workflow.plan_payload(session, round_id)
    text = json.dumps(payload, ensure_ascii=False, indent=2)
    if output:
        _write_bytes(text.encode("utf-8"), output)
    else:
        click.echo(text)


@round_group.command("decision")
@click.argument("round_id", metavar="ROUND", type=int)
@click.argument("source", metavar="DECISION.json")
@click.option("-o", "--output", help="Tệp kết quả.")
@click.option("--register", "use_register", is_flag=True, help="Cấp số và vào sổ.")
def decision_command(round_id: int, source: str, output: str | None,
                     use_register: bool) -> None:
    """Quyết định thành lập Đoàn kiểm tra của đợt: lưu với đợt, xuất văn bản."""
    from docgen.rounds import workflow

    rendered, entry = workflow.set_decision(renderer(), open_register().session_factory,
                                            round_id, read_json(source),
                                            register=use_register, actor=actor())
    say_number(entry)
    write_output(rendered, output)


@round_group.command("submission")
@click.argument("round_id", metavar="ROUND", type=int)
@click.argument("stt", type=int)
@click.argument("source", metavar="DATA.json")
@click.option("--attach", multiple=True, type=click.Path(dir_okay=False),
              help="Tệp đơn vị gửi kèm (PDF, Word, Excel, ảnh); lặp lại được.")
def submission_command(round_id: int, stt: int, source: str, attach: tuple[str, ...]) -> None:
    """Ghi nhận báo cáo của đơn vị STT: ngày nhận, tự đánh giá, nhận xét, tệp kèm."""
    from docgen.rounds import workflow

    uploads = []
    for path in attach:
        try:
            uploads.append(workflow.Upload(Path(path).name, Path(path).read_bytes()))
        except OSError as exc:
            raise UnreadableInputError(f"Không đọc được tệp '{path}': {exc.strerror}.") from exc
    kept = workflow.record_submission(open_register().session_factory, round_id, stt,
                                      read_json(source), uploads, actor=actor())
    click.echo(f"{stt}\tđã nhận {kept['received_on']}\t{len(kept['assessments'])} nội dung"
               f"\t{len(kept['attachments'])} tệp")


@round_group.command("letters")
@click.argument("round_id", metavar="ROUND", type=int)
@click.argument("source", metavar="LETTER.json")
@click.option("--each", is_flag=True, help="Mỗi đơn vị một công văn (mặc định: một công văn "
                                           "kèm danh sách).")
@click.option("--stt", multiple=True, type=int, help="Chỉ các đơn vị này (lặp lại được).")
@click.option("-o", "--output", help="Tệp kết quả (.docx, hoặc .zip khi nhiều công văn).")
@click.option("--register", "use_register", is_flag=True, help="Cấp số và vào sổ.")
def letters_command(round_id: int, source: str, each: bool, stt: tuple[int, ...],
                    output: str | None, use_register: bool) -> None:
    """Công văn đề nghị các đơn vị kiểm tra qua báo cáo gửi báo cáo."""
    from docgen.rounds import workflow

    body = {"letter": read_json(source), "grouping": "each" if each else "list",
            "stt": list(stt) or None}
    produced = workflow.letters(renderer(), open_register().session_factory, round_id, body,
                                register=use_register, actor=actor())
    _write_many(produced, output, f"cong-van-dot-{round_id}.zip")


@round_group.command("notices")
@click.argument("round_id", metavar="ROUND", type=int)
@click.argument("source", metavar="NOTICES.json")
@click.option("--stt", multiple=True, type=int, help="Chỉ các đơn vị này (lặp lại được).")
@click.option("-o", "--output", help="Tệp kết quả (.docx, hoặc .zip khi nhiều thông báo).")
@click.option("--register", "use_register", is_flag=True, help="Cấp số và vào sổ.")
def notices_command(round_id: int, source: str, stt: tuple[int, ...], output: str | None,
                    use_register: bool) -> None:
    """Thông báo kết quả kiểm tra cho từng đơn vị tại trụ sở, lập từ biên bản."""
    from docgen.rounds import workflow

    data = read_json(source)
    body = dict(data) if isinstance(data, dict) and "notice" in data else {"notice": data}
    if stt:
        body["stt"] = list(stt)
    produced = workflow.notices(renderer(), open_register().session_factory, round_id, body,
                                register=use_register, actor=actor())
    _write_many(produced, output, f"thong-bao-dot-{round_id}.zip")


@round_group.command("corrections")
@click.argument("round_id", metavar="ROUND", type=int)
@click.argument("stt", type=int)
@click.option("--date", "reported_on", required=True, help="Ngày đơn vị báo cáo khắc phục.")
@click.option("--note", default="", help="Ghi chú.")
def corrections_command(round_id: int, stt: int, reported_on: str, note: str) -> None:
    """Ghi đơn vị STT đã báo cáo kết quả khắc phục."""
    from docgen.rounds import workflow

    done = workflow.record_corrections(open_register().session_factory, round_id, stt,
                                       {"reported_on": reported_on, "note": note},
                                       actor=actor())
    click.echo(f"{done['stt']}\t{done['name']}\tđã báo cáo khắc phục "
               f"{done['corrections_reported_on']}")
