#!/usr/bin/env python3
"""Write a new pack's first Word template, laid out as Decree 30/2020/NĐ-CP requires.

    .venv/bin/python scripts/scaffold_pack.py approval     # -> templates/approval/template.docx
    .venv/bin/python scripts/scaffold_pack.py --list
    .venv/bin/python scripts/scaffold_pack.py notice --out DIR/template.docx

A scaffold is written *once*: the committed template.docx is then the source of
truth, edited in Word, and this script refuses to overwrite it (``--force`` to
start again from scratch, losing the edits). It uses the building blocks of
scripts/build_templates.py (letterhead, title, căn cứ, tables, the signature and
Nơi nhận block), so a new type starts with the layout the four shipped ones have.

The tags read only names the pack's ``type.toml`` declares: the shared parts
(``agency``, ``number_symbol``, ``date_line``, ``summary``, ``addressees``,
``legal_bases``, ``signer``, ``recipients``, ``archive``), the type's fields and
its derived values.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Iterable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import build_templates as b
from docx.document import Document as DocxDocument
from docx.shared import Pt

ROOT = b.ROOT


def build_approval(doc: DocxDocument) -> None:
    """Quyết định phê duyệt (ban hành) Kế hoạch kiểm tra (QĐ), by the People's Committee."""
    b.letterhead(doc)
    b.title(doc)
    b.par(doc, b.R("{{ decider|upper }}", bold=True), style=b.CENTERED)
    b.legal_bases(doc, prefix="Căn cứ ", last_mark='";"')
    b.par(doc, "{{ proposal }}.", style=b.BASIS)
    b.par(doc, b.R("QUYẾT ĐỊNH:", bold=True), style=b.CENTERED)
    b.par(doc, b.R("Điều 1.", bold=True), " {{ action_title }} {{ plan_title }}.")
    b.par(doc, "Kế hoạch kiểm tra năm {{ year }} gồm {{ units_total }} cơ quan, đơn vị, trong đó "
          "kiểm tra tại trụ sở {{ units_on_site }} đơn vị (chiếm {{ on_site_share }}); thời "
          "gian kiểm tra từ ngày {{ period_start|date_short }} đến ngày "
          "{{ period_end|date_short }}.")
    b.tag(doc, "{%p if budget is not none %}")
    b.par(doc, "Kinh phí thực hiện: {{ budget|number }} đồng (bằng chữ: {{ budget_words }}).")
    b.tag(doc, "{%p endif %}")
    b.par(doc, b.R("Điều 2.", bold=True), " {{ executor }} chủ trì, phối hợp với các cơ quan, "
          "đơn vị có liên quan tổ chức thực hiện Kế hoạch.").paragraph_format.space_before = Pt(6)
    b.tag(doc, "{%p for line in duties|paragraphs %}")
    b.par(doc, "{{ line }}")
    b.tag(doc, "{%p endfor %}")
    b.closing(doc, b.R("Điều 3.", bold=True), " {{ executors }} chịu trách nhiệm thi hành Quyết "
              "định này. Quyết định này có hiệu lực kể từ ngày ký./.")
    b.signature_block(doc)
    b.end_of_body(doc)


def build_notice(doc: DocxDocument) -> None:
    """Thông báo kết quả kiểm tra (TB) to one unit after its on-site inspection."""
    b.letterhead(doc)
    b.title(doc)
    b.par(doc, "Căn cứ {{ decision_ref }};", style=b.BASIS)
    b.par(doc, "Căn cứ {{ minutes_ref }},", style=b.BASIS)
    b.par(doc, "{{ agency.name }} thông báo kết quả kiểm tra việc áp dụng, duy trì và cải tiến "
          "Hệ thống quản lý chất lượng tại {{ unit_name }} ngày {{ inspected_on|date_short }} "
          "như sau:")
    b.heading(doc, "1. Kết quả kiểm tra theo từng nội dung")
    b.grid_table(doc, [
        b.Column("STT", 1.4, "{{ loop.index }}", b.CENTER),
        b.Column("Nội dung kiểm tra", 5.0, "{{ f.aspect_title }}"),
        b.Column("Đánh giá", 2.4, "{{ f.result_title }}", b.CENTER),
        b.Column("Nhận xét", 7.7, "{{ f.content }}"),
    ], loop="{%tr for f in findings %}")
    b.heading(doc, "2. Đánh giá chung")
    b.tag(doc, "{%p for line in general|paragraphs %}")
    b.par(doc, "{{ line }}")
    b.tag(doc, "{%p endfor %}")
    b.tag(doc, "{%p if on_time_rate is not none %}")
    b.par(doc, "Tỷ lệ hồ sơ giải quyết đúng hạn được kiểm tra: {{ on_time_rate|number }}%.")
    b.tag(doc, "{%p endif %}")
    b.heading(doc, "3. Điểm không phù hợp và yêu cầu khắc phục")
    b.tag(doc, "{%p if nonconformities %}")
    b.par(doc, "Đoàn kiểm tra ghi nhận {{ nonconformities_count }} điểm không phù hợp; đề nghị "
          "đơn vị khắc phục:")
    b.tag(doc, "{%p for n in nonconformities %}")
    b.par(doc, "{{ loop.index }}. {{ n.content }} — Yêu cầu: {{ n.correction }}")
    b.tag(doc, "{%p endfor %}")
    b.tag(doc, "{%p else %}")
    b.par(doc, "Đoàn kiểm tra không ghi nhận điểm không phù hợp.")
    b.tag(doc, "{%p endif %}")
    b.closing(doc, "Đề nghị {{ unit_name }} báo cáo kết quả khắc phục về {{ agency.name }} trước "
              "ngày {{ report_deadline|date_short }}./.")
    b.signature_block(doc)
    b.end_of_body(doc)


def build_letter(doc: DocxDocument) -> None:
    """Công văn: no type name; "V/v …" under the number; Kính gửi; body; signature."""
    b.letterhead(doc)
    number_cell = doc.tables[-1].rows[1].cells[0]
    b.par(number_cell, b.R("V/v {{ summary }}", size=12), style=b.LETTERHEAD)
    spacer = b.par(doc, style=b.TAG)
    spacer.paragraph_format.space_after = Pt(6)
    b.tag(doc, "{%p if addressees|length == 1 %}", style=b.CENTERED)
    b.par(doc, "Kính gửi: {{ addressees[0] }}.", style=b.CENTERED)
    b.tag(doc, "{%p else %}", style=b.CENTERED)
    b.par(doc, "Kính gửi:", style=b.CENTERED)
    b.tag(doc, "{%p for a in addressees %}", style=b.CENTERED)
    b.par(doc, "- {{ a }}", '{{ ";" if not loop.last else "." }}', style=b.CENTERED)
    b.tag(doc, "{%p endfor %}", style=b.CENTERED)
    b.tag(doc, "{%p endif %}", style=b.CENTERED)
    b.tag(doc, "{%p for line in opening|paragraphs %}")
    b.par(doc, "{{ line }}").paragraph_format.space_before = Pt(6)
    b.tag(doc, "{%p endfor %}")
    b.tag(doc, "{%p for c in contents %}")
    b.par(doc, "{{ loop.index }}. {{ c }}", '{{ ";" if not loop.last else "." }}')
    b.tag(doc, "{%p endfor %}")
    b.par(doc, "Báo cáo gửi về {{ send_to }} trước ngày {{ deadline|date_short }}.")
    b.tag(doc, "{%p if units %}")
    b.par(doc, "Danh sách {{ units_count }} cơ quan, đơn vị gửi báo cáo:")
    b.grid_table(doc, [
        b.Column("STT", 1.4, "{{ loop.index }}", b.CENTER),
        b.Column("Tên cơ quan, đơn vị", 10.1, "{{ u.name }}"),
        b.Column("Ghi chú", 5.0, "{{ u.note }}"),
    ], loop="{%tr for u in units %}")
    b.tag(doc, "{%p endif %}")
    b.tag(doc, "{%p if contact %}")
    b.par(doc, "Thông tin liên hệ: {{ contact }}.").paragraph_format.space_before = Pt(6)
    b.tag(doc, "{%p endif %}")
    b.closing(doc, "{{ agency.name }} đề nghị Quý cơ quan, đơn vị quan tâm thực hiện./.")
    letter_signature(doc)
    b.end_of_body(doc)


def letter_signature(doc: DocxDocument) -> None:
    """A công văn's Nơi nhận starts "- Như trên;" (the addressees), then the others."""
    table = b._borderless(doc, [b.LETTERHEAD_LEFT, b.LETTERHEAD_RIGHT])
    left, right = table.rows[0].cells
    _label, *rest = b.recipients(left)
    first = b.par(left, "- Như trên;", style=b.RECIPIENT)
    rest[0]._p.addprevious(first._p)
    b.signer_lines(right)
    b.signature_space(right)
    b.par(right, "{{ signer.full_name }}", style=b.SIGNATURE)


SCAFFOLDS: dict[str, tuple[str, Callable[[DocxDocument], None]]] = {
    "approval": ("Quyết định phê duyệt Kế hoạch kiểm tra", build_approval),
    "notice": ("Thông báo kết quả kiểm tra", build_notice),
    "letter": ("Công văn đề nghị gửi báo cáo", build_letter),
}


def scaffold(pack_id: str) -> bytes:
    """The first template.docx of the pack ``pack_id``."""
    title, build = SCAFFOLDS[pack_id]
    return b.build(b.TemplateSpec(pack_id, title, build))


def main(argv: Iterable[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("pack", nargs="?", choices=sorted(SCAFFOLDS))
    parser.add_argument("--out", type=Path, help="default: templates/<pack>/template.docx")
    parser.add_argument("--force", action="store_true",
                        help="overwrite an existing template (its Word edits are lost)")
    parser.add_argument("--list", action="store_true", help="list the scaffolds")
    args = parser.parse_args(None if argv is None else list(argv))
    if args.list or not args.pack:
        for name, (title, _build) in SCAFFOLDS.items():
            print(f"{name:<10} {title}")
        return 0
    out: Path = args.out or ROOT / "templates" / args.pack / "template.docx"
    if out.exists() and not args.force:
        print(f"{out} đã có: mẫu Word là bản gốc, sửa bằng Word (hoặc --force để viết lại "
              "từ đầu, mất các chỉnh sửa).", file=sys.stderr)
        return 1
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(scaffold(args.pack))
    print(f"wrote {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
