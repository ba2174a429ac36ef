"""Decision (QĐ) body wording that follows the data (issue 15, points 4 and 5).

- "Điều 1. Thành lập Đoàn kiểm tra … năm {{ year }}, gồm …" -> ``{{ summary_action }}``
  (the trích yếu without "Về việc", so the two agree; the year added only when the trích
  yếu has none), or the ``article_1`` typed;
- "Thời gian kiểm tra: từ ngày … đến ngày …" -> ``{{ period_text }}`` (days or months).

The căn cứ on the issuer's own authority needs no template change:
``docgen.context.legal_bases`` puts ``authority_basis`` first. Body paragraphs only; idempotent.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _F_docx import Element, W, edit_document, replace_in_text, set_text, text_of

ARTICLE_1 = ("Điều 1. {% if article_1 %}{{ article_1 }}{% else %}{{ summary_action }}"
             "{% if year|string not in summary %} năm {{ year }}{% endif %}, gồm các ông (bà) "
             "có tên sau:{% endif %}")
OLD_PERIOD = "từ ngày {{ period_start|date_short }} đến ngày {{ period_end|date_short }}"


def edit(body: Element) -> None:
    for p in body.findall(f"{W}p"):
        text = text_of(p)
        if text.startswith("Điều 1.") and "gồm các ông (bà)" in text:
            set_text(p, ARTICLE_1)
        replace_in_text(p, OLD_PERIOD, "{{ period_text }}")


def main() -> int:
    changed = edit_document("decision", edit)
    print("templates/decision/template.docx", "changed" if changed else "unchanged")
    return 0


if __name__ == "__main__":
    sys.exit(main())
