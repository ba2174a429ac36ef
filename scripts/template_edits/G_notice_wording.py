"""Notice (TB): the closing and the corrections follow what the notice holds (issue 16).

- "Đề nghị … báo cáo kết quả khắc phục … trước ngày …./." only when there is something to
  correct; a notice with no nonconformity closes "Đề nghị … tiếp tục duy trì và cải tiến
  Hệ thống quản lý chất lượng./." (before, it asked for corrections after saying there
  were none);
- each nonconformity is a sentence, its correction another: "1. Phiếu theo dõi … chưa đầy
  đủ. Yêu cầu khắc phục: Rà soát, hướng dẫn …." (no em dash; one "." whatever was typed);
  one without its own correction prints as itself ("1. Ghi chép đầy đủ phiếu theo dõi …."),
  as a round's notice lists the minutes' requests (:func:`docgen.rounds.workflow.notices`).

Body paragraphs only; idempotent: a second run changes nothing.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _F_docx import Element, W, edit_document, replace_in_text, set_text, text_of

#: The row's paragraph, found by how it starts (the shipped form or an earlier edit's).
ROW_START = "{{ loop.index }}. {{ n.content"
NEW_ROW = ("{{ loop.index }}. {{ n.content|sentence }}{% if n.correction %} Yêu cầu khắc phục: "
           "{{ n.correction|sentence }}{% endif %}")
OLD_CLOSING = ("Đề nghị {{ unit_name }} báo cáo kết quả khắc phục về {{ agency.name }} trước "
               "ngày {{ report_deadline|date_short }}./.")
NEW_CLOSING = ("{% if nonconformities %}Đề nghị {{ unit_name }} báo cáo kết quả khắc phục về "
               "{{ agency.name }} trước ngày {{ report_deadline|date_short }}{% else %}Đề nghị "
               "{{ unit_name }} tiếp tục duy trì và cải tiến Hệ thống quản lý chất lượng"
               "{% endif %}./.")


def _wording(body: Element) -> None:
    for p in body.iter(f"{W}p"):
        text = text_of(p).strip()
        if text.startswith(ROW_START) and text != NEW_ROW:
            set_text(p, NEW_ROW)
        replace_in_text(p, OLD_CLOSING, NEW_CLOSING)


def main() -> int:
    changed = edit_document("notice", _wording)
    print("notice:", "edited" if changed else "unchanged")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
