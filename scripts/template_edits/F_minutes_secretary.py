"""Minutes (BB): the team's secretary signs beside the leader when the model has it
(issue 15, point 5).

The signature table (unit representative | team) is kept as it is for
``team_signatures = "leader"``; a copy with a third column, the secretary's, is
printed instead when ``team_signatures`` is ``leader_and_secretary``::

    {%p if team_signatures == "leader_and_secretary" %}
    ĐẠI DIỆN ĐƠN VỊ ĐƯỢC KIỂM TRA | ĐOÀN KIỂM TRA (over both columns)
    <representative's position>  | THƯ KÝ                 | <the signer cell, as it is>
    <representative's name>      | <the Thư ký member's name> | <the signer's name>
    {%p else %}
    the table as it is
    {%p endif %}

The signer's cell (helper E's part) is copied, never rewritten, so whatever it holds
shows in both tables. Re-running rebuilds the copy from the current table: idempotent.
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
    set_text,
    text_of,
    top_paragraph,
)

OPEN = '{%p if team_signatures == "leader_and_secretary" %}'
ELSE, CLOSE = "{%p else %}", "{%p endif %}"
#: The member whose role is Thư ký (the first, if the clerk listed several).
SECRETARY = ('{% for m in members if m.role == "thu_ky" %}{% if loop.first %}{{ m.full_name }}'
             '{% endif %}{% endfor %}')
#: Three equal columns within the table's width (twips).
TOTAL = 9355


def _signature_table(body: Element) -> Element:
    for table in body.findall(f"{W}tbl"):
        if "representative_signer" in text_of(table) and "signer.full_name" in text_of(table):
            return table
    raise SystemExit("minutes: no signature table (representative_signer, signer.full_name)")


def _drop_previous(body: Element) -> None:
    """Undo an earlier run: keep the original table, remove the copy and the tags."""
    opening = top_paragraph(body, OPEN)
    if opening is None:
        return
    copy_table, middle = opening.getnext(), None
    if copy_table is not None:
        middle = copy_table.getnext()
    if copy_table is None or copy_table.tag != f"{W}tbl" or middle is None \
            or text_of(middle).strip() != ELSE:
        raise SystemExit("minutes: the secretary block is not the one this edit wrote")
    original = middle.getnext()
    closing = original.getnext() if original is not None else None
    if closing is None or text_of(closing).strip() != CLOSE:
        raise SystemExit("minutes: no {%p endif %} after the signature table")
    for node in (opening, copy_table, middle, closing):
        body.remove(node)


def _width(cell: Element, width: int) -> None:
    tcw = cell.find(f"{W}tcPr/{W}tcW")
    if tcw is not None:
        tcw.set(f"{W}w", str(width))


def _cell_lines(cell: Element, text: str) -> None:
    """The cell keeps its first paragraph's formatting and holds ``text`` only."""
    paragraphs = cell.findall(f"{W}p")
    set_text(paragraphs[0], text)
    for extra in paragraphs[1:]:
        cell.remove(extra)


def _three_columns(table: Element) -> Element:
    widths = (TOTAL // 3, TOTAL // 3, TOTAL - 2 * (TOTAL // 3))
    result = copy.deepcopy(table)
    grid = result.find(f"{W}tblGrid")
    for col in grid.findall(f"{W}gridCol"):
        grid.remove(col)
    for width in widths:
        grid.append(grid.makeelement(f"{W}gridCol", {f"{W}w": str(width)}))
    for index, row in enumerate(result.findall(f"{W}tr")):
        cells = row.findall(f"{W}tc")
        if len(cells) != 2:
            raise SystemExit("minutes: a signature row without two cells")
        unit_cell, team_cell = cells
        _width(unit_cell, widths[0])
        _width(team_cell, widths[2])
        text = text_of(unit_cell)
        if index == 0:  # the headings: the team's over both of its columns
            _width(team_cell, widths[1] + widths[2])
            tcpr = team_cell.find(f"{W}tcPr")
            if tcpr.find(f"{W}gridSpan") is None:
                span = tcpr.makeelement(f"{W}gridSpan", {f"{W}val": "2"})
                tcw = tcpr.find(f"{W}tcW")
                (tcw.addnext if tcw is not None else tcpr.append)(span)
            continue
        middle = copy.deepcopy(unit_cell)
        _width(middle, widths[1])
        if "representative_signer.position" in text:
            _cell_lines(middle, "THƯ KÝ")
        elif "representative_signer.full_name" in text:
            _cell_lines(middle, SECRETARY)
        unit_cell.addnext(middle)
    return result


def edit(body: Element) -> None:
    _drop_previous(body)
    table = _signature_table(body)
    table.addprevious(control_paragraph(OPEN))
    table.addprevious(_three_columns(table))
    table.addprevious(control_paragraph(ELSE))
    table.addnext(control_paragraph(CLOSE))


def main() -> int:
    changed = edit_document("minutes", edit)
    print("templates/minutes/template.docx", "changed" if changed else "unchanged")
    return 0


if __name__ == "__main__":
    sys.exit(main())
