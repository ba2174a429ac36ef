"""Report (BC): the units still without a result, named once before the findings (issue 16).

A round's report produced with units pending (``--allow-incomplete``) says which ones:
"Đến ngày …, còn 02 đơn vị kiểm tra tại trụ sở chưa có kết quả kiểm tra (Sở A, UBND huyện
B); …" — the computed ``pending_units`` (:func:`docgen.rounds.store.report_payload`). The
paragraph sits after the counts (and the extra figures) and before the first finding, in
the style of the "Thời gian kiểm tra" line; a complete round leaves it out (``{%p if %}``).

Body paragraphs only; idempotent: a second run changes nothing.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _F_docx import (
    Element,
    W,
    control_paragraph,
    edit_document,
    styled_paragraph,
    text_of,
)

TAG = "{{ pending_units }}"
FINDINGS_LOOP = "{%p for f in findings %}"
MODEL = "Thời gian kiểm tra: {{ period_text }}."


def _space_before(paragraph: Element, twips: int) -> None:
    ppr = paragraph.find(f"{W}pPr")
    if ppr is None:
        ppr = paragraph.makeelement(f"{W}pPr")
        paragraph.insert(0, ppr)
    spacing = ppr.find(f"{W}spacing")
    if spacing is None:
        spacing = ppr.makeelement(f"{W}spacing")
        # CT_PPr's order: after pStyle … numPr, before ind, jc, rPr.
        later = [c for c in ppr if c.tag in (f"{W}ind", f"{W}jc", f"{W}rPr")]
        if later:
            later[0].addprevious(spacing)
        else:
            ppr.append(spacing)
    spacing.set(f"{W}before", str(twips))


def _pending_units(body: Element) -> None:
    children = [c for c in body if c.tag == f"{W}p"]
    if any(TAG in text_of(p) for p in children):
        return
    loop = next(p for p in children if text_of(p).strip() == FINDINGS_LOOP)
    model = next(p for p in children if text_of(p).strip() == MODEL)
    index = list(body).index(loop)
    line = styled_paragraph(model, TAG)
    _space_before(line, 120)  # 6 pt off the counts table above it
    for offset, paragraph in enumerate((control_paragraph("{%p if pending_units %}"), line,
                                        control_paragraph("{%p endif %}"))):
        body.insert(index + offset, paragraph)


def main() -> int:
    changed = edit_document("report", _pending_units)
    print("report:", "edited" if changed else "unchanged")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
