"""Report (BC) body wording that follows the data (issue 15, points 4 and 5).

- "Đoàn kiểm tra cải cách hành chính của tỉnh" -> ``{{ integrated_with_text }}`` (the
  issuer's level: của thành phố, của huyện …);
- "Thời gian kiểm tra: từ ngày … đến ngày …" -> ``{{ period_text }}`` (by days or months);
- the counts table's rows "— trong đó … Đoàn kiểm tra CCHC" -> "Trong đó: …", indented,
  no em dash, no abbreviation;
- section III: "1. Đối với UBND tỉnh:" and "2. Đối với Bộ Khoa học và Công nghệ:" -> one
  numbered section per addressee (``recommendation_groups``);
- a table of extra figures (label, numerator/denominator = share) after the counts table.

Body paragraphs only; idempotent: a second run changes nothing.
"""

from __future__ import annotations

import copy
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _F_docx import (
    Element,
    W,
    control_paragraph,
    edit_document,
    replace_in_text,
    set_text,
    styled_paragraph,
    tables_holding,
    text_of,
    top_paragraph,
)

OLD_INTEGRATED = '{{ integrated_with or "Đoàn kiểm tra cải cách hành chính của tỉnh" }}'
OLD_PERIOD = "từ ngày {{ period_start|date_short }} đến ngày {{ period_end|date_short }}"
ROWS = {
    "— trong đó kiểm tra lồng ghép với Đoàn kiểm tra CCHC": "Trong đó: kiểm tra lồng ghép",
    "— trong đó chưa kiểm tra được": "Trong đó: chưa kiểm tra được",
}
EXTRA_MARK = "{%p if extra_figures %}"
#: The extra figures table's columns (twips): label | "118/124 = 95,16%".
EXTRA_WIDTHS = (6237, 3118)


def _body_wording(body: Element) -> None:
    for p in body.iter(f"{W}p"):
        replace_in_text(p, OLD_INTEGRATED, "{{ integrated_with_text }}")
        replace_in_text(p, OLD_PERIOD, "{{ period_text }}")


def _indent(paragraph: Element, left: int = 284) -> None:
    ppr = paragraph.find(f"{W}pPr")
    if ppr is None:
        ppr = paragraph.makeelement(f"{W}pPr")
        paragraph.insert(0, ppr)
    if ppr.find(f"{W}ind") is not None:
        return
    ind = ppr.makeelement(f"{W}ind", {f"{W}left": str(left)})
    jc = ppr.find(f"{W}jc")
    if jc is not None:
        jc.addprevious(ind)
    else:
        ppr.append(ind)


def _count_rows(body: Element) -> None:
    for p in body.iter(f"{W}p"):
        text = text_of(p).strip()
        if text in ROWS:
            set_text(p, ROWS[text])
            _indent(p)


def _recommendations(body: Element) -> None:
    start = top_paragraph(body, "{%p if recommendations_province %}")
    if start is None:
        return  # done already (or rewritten by someone else: leave it)
    heading = start.getnext()
    loop = heading.getnext() if heading is not None else None
    if heading is None or loop is None or "Đối với" not in text_of(heading):
        raise SystemExit("report: section III is not the one this edit knows")
    set_text(start, "{%p for group in recommendation_groups %}")
    set_text(heading, "{{ loop.index }}. Đối với {{ group.addressee }}:")
    set_text(loop, "{%p for x in group.entries %}")
    first_end = top_paragraph(body, "{%p endif %}", after=loop)
    if first_end is None:
        raise SystemExit("report: no {%p endif %} after the province's recommendations")
    set_text(first_end, "{%p endfor %}")
    ministry = top_paragraph(body, "{%p if recommendations_ministry %}", after=first_end)
    if ministry is not None:
        end = top_paragraph(body, "{%p endif %}", after=ministry)
        if end is None:
            raise SystemExit("report: no {%p endif %} after the ministry's recommendations")
        node: Element | None = ministry
        while node is not None:
            following = node.getnext()
            body.remove(node)
            if node is end:
                break
            node = following


def _cell_text(cell: Element, text: str) -> None:
    paragraphs = cell.findall(f"{W}p")
    set_text(paragraphs[0], text)
    for extra in paragraphs[1:]:
        cell.remove(extra)


def _set_widths(table: Element) -> None:
    grid = table.find(f"{W}tblGrid")
    for col, width in zip(grid.findall(f"{W}gridCol"), EXTRA_WIDTHS, strict=True):
        col.set(f"{W}w", str(width))
    for row in table.findall(f"{W}tr"):
        for cell, width in zip(row.findall(f"{W}tc"), EXTRA_WIDTHS, strict=True):
            cell.find(f"{W}tcPr/{W}tcW").set(f"{W}w", str(width))


def _extra_figures(body: Element) -> None:
    if top_paragraph(body, EXTRA_MARK) is not None:
        return
    counts = next(iter(tables_holding(body, "{{ counts.planned }}")), None)
    if counts is None:
        raise SystemExit("report: no counts table ({{ counts.planned }})")
    rows = counts.findall(f"{W}tr")
    if len(rows[0].findall(f"{W}tc")) != 2:
        raise SystemExit("report: the counts table no longer has two columns")
    table = copy.deepcopy(counts)
    header, model = table.findall(f"{W}tr")[:2]
    for row in table.findall(f"{W}tr")[2:]:
        table.remove(row)
    for cell, text in zip(header.findall(f"{W}tc"), ("Chỉ tiêu", "Kết quả"), strict=True):
        _cell_text(cell, text)
    for cell, text in zip(model.findall(f"{W}tc"), ("{{ f.label }}", "{{ f.numerator|share(f.denominator) }}"),
                          strict=True):
        _cell_text(cell, text)
    opening, closing = copy.deepcopy(model), copy.deepcopy(model)
    for row, tag in ((opening, "{%tr for f in extra_figures %}"), (closing, "{%tr endfor %}")):
        cells = row.findall(f"{W}tc")
        _cell_text(cells[0], tag)
        for cell in cells[1:]:
            _cell_text(cell, "")
    model.addprevious(opening)
    model.addnext(closing)
    _set_widths(table)
    body_model = next(p for p in body.findall(f"{W}p")
                      if p.find(f"{W}pPr/{W}pStyle[@{W}val='ND30Body']") is not None)
    intro = styled_paragraph(body_model, "{{ extra_figures_intro }}")
    counts.addnext(control_paragraph(EXTRA_MARK))
    counts.getnext().addnext(intro)
    intro.addnext(table)
    table.addnext(control_paragraph("{%p endif %}"))


def edit(body: Element) -> None:
    _body_wording(body)
    _count_rows(body)
    _recommendations(body)
    _extra_figures(body)


def main() -> int:
    changed = edit_document("report", edit)
    print("templates/report/template.docx", "changed" if changed else "unchanged")
    return 0


if __name__ == "__main__":
    sys.exit(main())
