"""The report's per-aspect paragraphs, written from the minutes' findings (pure text).

For each of the six aspects (:data:`docgen.schemas.common.ASPECTS`) the report of a
round gets one paragraph whose figures are counts of recorded minutes::

    Kiểm tra tại trụ sở 45 đơn vị có biên bản; 44 biên bản ghi kết quả về nội dung này
    (01 biên bản không ghi: UBND xã Phú Mỹ):
    - Sở Nội vụ, Sở Tư pháp (02 đơn vị): Áp dụng cho toàn bộ thủ tục hành chính;
    - UBND huyện Mỹ Tú: Áp dụng cho 262/262 thủ tục hành chính.
    Nhận xét chung: …  (the department's own words, when it gives them)

Identical findings are grouped (the units named once, with their number), the
largest groups first; units keep the order of the plan. A paragraph never exceeds
:data:`MAX_PARAGRAPH` characters (the report schema's limit for one finding): the
groups that do not fit are summed up in a last line that still counts them. No
database here: :mod:`docgen.rounds.store` passes the rows in.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from docgen import vi

__all__ = ["MAX_PARAGRAPH", "AspectRow", "aspect_paragraph"]

#: The report schema's ``findings[].content`` limit.
MAX_PARAGRAPH = 5000


@dataclass(frozen=True)
class AspectRow:
    """What one unit's minutes say about one aspect (its findings joined)."""

    stt: int
    unit: str
    content: str


def _count(n: int) -> str:
    """Counts of documents and units below 10 with a leading zero, as reports write them.

    >>> _count(1), _count(45)
    ('01', '45')
    """
    return vi.format_count(n)  # the documents' one way (issue 15, point 6)


def _clean(content: str) -> str:
    """One line, no closing punctuation (the list adds ';' or '.')."""
    return " ".join(content.split()).rstrip(" .;")


def _groups(rows: Sequence[AspectRow]) -> list[tuple[str, list[AspectRow]]]:
    """Identical findings together: largest group first, then by the first unit's stt."""
    groups: dict[str, list[AspectRow]] = {}
    for row in sorted(rows, key=lambda r: r.stt):
        groups.setdefault(_clean(row.content).casefold(), []).append(row)
    ordered = sorted(groups.values(), key=lambda g: (-len(g), g[0].stt))
    return [(_clean(g[0].content), g) for g in ordered]


def _line(content: str, units: list[AspectRow]) -> str:
    names = ", ".join(u.unit for u in units)
    if len(units) > 1:
        names += f" ({_count(len(units))} đơn vị)"
    return f"- {names}: {content}"


def aspect_paragraph(
    rows: Sequence[AspectRow],
    *,
    minutes: int,
    without: Sequence[str] = (),
    pending: int = 0,
    note: str = "",
    limit: int = MAX_PARAGRAPH,
) -> str:
    """The report's paragraph for one aspect.

    ``rows``: one per unit whose minutes have a finding on the aspect; ``minutes``:
    how many minutes the round has; ``without``: the units whose minutes say nothing
    on it; ``pending``: on-site units with no result yet; ``note``: the department's
    own assessment, printed last ("Nhận xét chung: …").

    >>> print(aspect_paragraph([AspectRow(1, "Sở Nội vụ", "Đạt."),
    ...                         AspectRow(2, "Sở Tư pháp", "Đạt"),
    ...                         AspectRow(3, "UBND huyện Mỹ Tú", "Chưa cập nhật.")], minutes=3))
    Kiểm tra tại trụ sở 03 đơn vị có biên bản; cả 03 biên bản ghi kết quả về nội dung này:
    - Sở Nội vụ, Sở Tư pháp (02 đơn vị): Đạt;
    - UBND huyện Mỹ Tú: Chưa cập nhật.
    """
    k = len(rows)
    head = f"Kiểm tra tại trụ sở {_count(minutes)} đơn vị có biên bản"
    if k == 0:
        head += "; không biên bản nào ghi kết quả về nội dung này"
    elif k == minutes:
        head += f"; cả {_count(k)} biên bản ghi kết quả về nội dung này"
    else:
        head += f"; {_count(k)} biên bản ghi kết quả về nội dung này"
        if without:
            head += f" ({_count(len(without))} biên bản không ghi: {', '.join(without)})"
    if pending:
        head += (f"; còn {_count(pending)} đơn vị kiểm tra tại trụ sở chưa có biên bản "
                 "tại thời điểm báo cáo")
    if len(head) > limit // 2:  # a very long list of silent minutes: count them, do not name
        head = head.split(" (", 1)[0] if "biên bản không ghi" in head else head[: limit // 2]
    head += ":" if k else "."
    lines = [head]
    closing = f"Nhận xét chung: {_clean(note)}." if note else ""
    body: list[str] = []
    used = len(head) + 1 + (len(closing) + 1 if closing else 0)
    reserve = 120  # room for the closing "… đơn vị khác" line
    groups = _groups(rows)
    for index, (content, units) in enumerate(groups):
        line = _line(content, units)
        if used + len(line) + 2 > limit - reserve:
            rest = sum(len(g) for _, g in groups[index:])
            body.append(f"- {_count(rest)} đơn vị khác: kết quả chi tiết tại biên bản kiểm "
                        "tra của từng đơn vị")
            break
        body.append(line)
        used += len(line) + 2
    lines += [line + (";" if i < len(body) - 1 else ".") for i, line in enumerate(body)]
    if closing:
        lines.append(closing)
    return "\n".join(lines)
