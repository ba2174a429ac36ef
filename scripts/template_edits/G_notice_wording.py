"""Notice (TB): the closing and the corrections follow what the notice holds (issue 16).

- "Đề nghị … báo cáo kết quả khắc phục … trước ngày …./." only when there is something to
  correct; a notice with no nonconformity closes "Đề nghị … tiếp tục duy trì và cải tiến
  Hệ thống quản lý chất lượng./." (before, it asked for corrections after saying there
  were none);
- a nonconformity without its own correction prints as itself ("1. Ghi chép đầy đủ phiếu
  theo dõi …"), without an empty "— Yêu cầu:" — a round's notice lists the minutes'
  requests that way (:func:`docgen.rounds.workflow.notices`).

Body paragraphs only; idempotent: a second run changes nothing.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _F_docx import Element, W, edit_document, replace_in_text, text_of

OLD_ROW = " — Yêu cầu: {{ n.correction }}"
NEW_ROW = "{% if n.correction %} — Yêu cầu: {{ n.correction }}{% endif %}"
OLD_CLOSING = ("Đề nghị {{ unit_name }} báo cáo kết quả khắc phục về {{ agency.name }} trước "
               "ngày {{ report_deadline|date_short }}./.")
NEW_CLOSING = ("{% if nonconformities %}Đề nghị {{ unit_name }} báo cáo kết quả khắc phục về "
               "{{ agency.name }} trước ngày {{ report_deadline|date_short }}{% else %}Đề nghị "
               "{{ unit_name }} tiếp tục duy trì và cải tiến Hệ thống quản lý chất lượng"
               "{% endif %}./.")


def _wording(body: Element) -> None:
    for p in body.iter(f"{W}p"):
        text = text_of(p)
        if OLD_ROW in text and NEW_ROW not in text:  # the new row holds the old one
            replace_in_text(p, OLD_ROW, NEW_ROW)
        replace_in_text(p, OLD_CLOSING, NEW_CLOSING)


def main() -> int:
    changed = edit_document("notice", _wording)
    print("notice:", "edited" if changed else "unchanged")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
