"""Plan (KH) body wording that follows the data, and what real plans carry (issue 15,
points 4 and 5).

- the opening "<cơ quan> xây dựng Kế hoạch … như sau:": ``{{ issuer_verb }}`` ("ban hành"
  for a People's Committee or a steering committee), or the ``opening`` typed;
- "Theo đề nghị của …" (``proposal``) after the căn cứ, as in the decision: the last căn
  cứ then ends with ";";
- "(Ban hành kèm theo Quyết định số … ngày … của …)" under the title when
  ``approval_number`` is given, italic, not bold;
- "1. Thời gian: …" -> ``{{ period_text }}``; "2. Hình thức: …" from the units' modes
  (the ``on_site_count``/``by_report_count`` the type derives) or ``methods``;
- the closing "Trên đây là Kế hoạch …./." or ``closing`` (ended by the ``closing`` filter).

The wording stays in the template (editable in Word); the type only declares the fields.

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
    replace_in_text,
    set_text,
    style_of,
    styled_paragraph,
    text_of,
    top_paragraph,
)

OLD_PERIOD = "từ ngày {{ period_start|date_short }} đến ngày {{ period_end|date_short }}"
OLD_METHODS = "kiểm tra tại trụ sở hoặc kiểm tra qua báo cáo, theo lịch dự kiến sau:"
OLD_LAST_BASIS = '{{ ";" if not loop.last else "." }}'
NEW_LAST_BASIS = '{{ ";" if not loop.last else (";" if proposal else ".") }}'
APPROVAL_MARK = "{%p if approval_number %}"
PROPOSAL_MARK = "{%p if proposal %}"


def _body_paragraphs(body: Element) -> list[Element]:
    return [p for p in body.findall(f"{W}p")]


METHODS = ("{% if methods %}{{ methods }}{% elif on_site_count == 0 %}kiểm tra qua báo cáo"
           "{% elif by_report_count == 0 %}kiểm tra tại trụ sở{% else %}kiểm tra tại trụ sở "
           "hoặc kiểm tra qua báo cáo{% endif %}, theo lịch dự kiến sau:")
APPROVAL = ("(Ban hành kèm theo Quyết định số {{ approval_number }} ngày "
            "{{ approval_date|date_short }} của {{ approval_by }})")


def _wording(body: Element) -> None:
    for p in _body_paragraphs(body):
        text = text_of(p)
        if "xây dựng Kế hoạch" in text and text.rstrip().endswith("như sau:"):
            verb = text.replace("xây dựng Kế hoạch", "{{ issuer_verb }} Kế hoạch")
            set_text(p, "{% if opening %}{{ opening }}{% else %}" + verb + "{% endif %}")
        elif text.startswith("Trên đây là Kế hoạch") and text.endswith("./."):
            set_text(p, "{% if closing %}{{ closing|closing }}{% else %}" + text + "{% endif %}")
        replace_in_text(p, OLD_PERIOD, "{{ period_text }}")
        if "{% if methods %}" not in text:
            replace_in_text(p, OLD_METHODS, METHODS)


def _approval(body: Element) -> None:
    if top_paragraph(body, APPROVAL_MARK) is not None:
        return
    summary = next((p for p in _body_paragraphs(body) if style_of(p) == "ND30Summary"), None)
    if summary is None:
        raise SystemExit("plan: no ND30Summary paragraph (the trích yếu)")
    line = styled_paragraph(summary, APPROVAL)
    run = line.find(f"{W}r")
    rpr = run.find(f"{W}rPr")
    if rpr is None:
        rpr = run.makeelement(f"{W}rPr")
        run.insert(0, rpr)
    for tag in ("b", "bCs", "i", "iCs"):
        old = rpr.find(f"{W}{tag}")
        if old is not None:
            rpr.remove(old)
    rpr.insert(0, rpr.makeelement(f"{W}b", {f"{W}val": "0"}))
    rpr.insert(1, rpr.makeelement(f"{W}i", {}))
    summary.addnext(control_paragraph(APPROVAL_MARK))
    summary.getnext().addnext(line)
    line.addnext(control_paragraph("{%p endif %}"))


def _proposal(body: Element) -> None:
    if top_paragraph(body, PROPOSAL_MARK) is not None:
        return
    basis = next((p for p in _body_paragraphs(body)
                  if style_of(p) == "ND30LegalBasis" and "{{ b }}" in text_of(p)), None)
    opening = next((p for p in _body_paragraphs(body) if "issuer_verb" in text_of(p)), None)
    if basis is None or opening is None:
        raise SystemExit("plan: no căn cứ line ({{ b }}) or no opening paragraph")
    replace_in_text(basis, OLD_LAST_BASIS, NEW_LAST_BASIS)
    opening.addprevious(control_paragraph(PROPOSAL_MARK))
    line = styled_paragraph(basis, "{{ proposal }}.")
    opening.addprevious(line)
    opening.addprevious(control_paragraph("{%p endif %}"))


def edit(body: Element) -> None:
    _wording(body)
    _approval(body)
    _proposal(body)


def main() -> int:
    changed = edit_document("plan", edit)
    print("templates/plan/template.docx", "changed" if changed else "unchanged")
    return 0


if __name__ == "__main__":
    sys.exit(main())
